'use strict';
// The trace types the dashboard and its exports draw: scatter (in the core; the milestone
// timeline), bar (completion, departments, rounds), heatmap (departments x categories) and
// pie (the status doughnut). A figure of any other type needs its module added here.
var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/heatmap'),
    require('plotly.js/lib/pie'),
]);

module.exports = Plotly;
