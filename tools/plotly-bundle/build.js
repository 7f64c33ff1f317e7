// Builds ../../assets/plotly-rectify.min.js the way plotly.js builds its own bundles
// (esbuild-config.js in the plotly.js package), from entry.js.
const path = require('path');
const esbuild = require('esbuild');
const { version } = require('plotly.js/package.json');

const banner = `/**
* plotly.js (rectify: scatter, bar, heatmap, pie - minified) v${version}
* Copyright 2012-2026, Plotly, Inc.
* All rights reserved.
* Licensed under the MIT license
* Built by tools/plotly-bundle in the rectify repository.
*/`;

esbuild
    .build({
        entryPoints: [path.join(__dirname, 'entry.js')],
        outfile: path.join(__dirname, '..', '..', 'assets', 'plotly-rectify.min.js'),
        format: 'iife',
        globalName: 'Plotly',
        bundle: true,
        minify: true,
        target: 'es2016',
        legalComments: 'eof',
        banner: { js: banner },
        // As plotly.js's own build: browser globals, and stream for the image probe.
        define: { global: 'window', 'define.amd': 'false', 'process.env.NODE_DEBUG': 'false' },
        alias: { stream: 'stream-browserify', regl: '@plotly/regl' },
        // Map subplots' stylesheet, imported only when a map module registers (none here).
        loader: { '.css': 'empty' },
        logLevel: 'info',
    })
    .catch(() => process.exit(1));
