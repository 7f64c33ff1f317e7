// Charts load plotly.js when the first one is drawn, not with the page: the page starts
// faster, and what loads is the cartesian bundle beside this file (1.5 MB) rather than the
// full one (4.8 MB). Dash's renderer names the bundle to load in window._dashPlotlyJSURL;
// this keeps that name pointing at ours.
(function () {
    function bundleUrl() {
        var prefix = '/';
        var config = document.getElementById('_dash-config');
        if (config) {
            try {
                prefix = JSON.parse(config.textContent).requests_pathname_prefix || '/';
            } catch (e) { /* keep the site root */ }
        }
        return prefix + 'assets/plotly-cartesian.min.js';
    }
    Object.defineProperty(window, '_dashPlotlyJSURL', {
        configurable: true,
        get: bundleUrl,
        set: function () { /* the renderer's default (the full bundle) is not used */ },
    });
})();
