// Charts use plotly.js as built for the dashboard, the bundle beside this file (1.2 MB, the
// traces it draws: tools/plotly-bundle) rather than the full one (4.8 MB). It loads when the
// first chart is drawn, so pages without charts never load it. Dash's renderer names the
// bundle to load in window._dashPlotlyJSURL; this keeps that name pointing at ours.
(function () {
    function bundleUrl() {
        var prefix = '/';
        var config = document.getElementById('_dash-config');
        if (config) {
            try {
                prefix = JSON.parse(config.textContent).requests_pathname_prefix || '/';
            } catch (e) { /* keep the site root */ }
        }
        return prefix + 'assets/plotly-rectify.min.js';
    }
    Object.defineProperty(window, '_dashPlotlyJSURL', {
        configurable: true,
        get: bundleUrl,
        set: function () { /* the renderer's default (the full bundle) is not used */ },
    });
})();
