// Each chart's PNG/SVG buttons: the browser saves what is drawn, on a 16:9 canvas (PNG at 3x),
// named after the chart, the report and the date. No server round trip, no Plotly logo.
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    rectify: Object.assign({}, (window.dash_clientside || {}).rectify, {
        downloadChart: function (_clicks, reportLabel) {
            const ctx = window.dash_clientside.callback_context;
            const which = ctx.triggered_id;
            const clicked = ctx.triggered && ctx.triggered.length && ctx.triggered[0].value;
            if (!which || !clicked) {
                return window.dash_clientside.no_update;
            }
            const gd = document.querySelector('#' + CSS.escape(which.chart) + ' .js-plotly-plot');
            if (!gd || !window.Plotly || typeof window.Plotly.downloadImage !== 'function') {
                return window.dash_clientside.no_update;
            }
            const title = (gd.layout && gd.layout.title && gd.layout.title.text) || which.chart;
            const day = new Date().toISOString().slice(0, 10);
            const safe = (s) => String(s || '').replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '').slice(0, 40);
            window.Plotly.downloadImage(gd, {
                format: which.format,
                width: 1280,
                height: 720,
                scale: which.format === 'png' ? 3 : 1,
                filename: [safe(title), safe(reportLabel), day].filter(Boolean).join('_'),
            });
            return which.chart + '.' + which.format + '@' + Date.now();
        },
    }),
});
