// The data grid (dash-ag-grid, 1.3 MB of script) loads with the first page that shows a grid,
// not with every page: measured in Debian's chromium, evaluating it cost every first load
// about 120 ms, and only the explorer uses it. dashboard/index.py takes its script tag out of
// the index and leaves its address in window.rectifyPage.gridSrc; until the bundle has run,
// the grid component Dash finds is this stand-in, which loads the bundle and then draws the
// real grid with the same props. The stand-in stays in place afterwards, so React never
// swaps the component type under a mounted grid (which would rebuild it).
(function () {
    var src = (window.rectifyPage || {}).gridSrc;
    if (!src) {
        return;  // the index kept the bundle: nothing to stand in for
    }
    var React = window.React;
    var real = null;  // the bundle's own namespace, once it has run
    var loading = null;

    function LazyAgGrid(props) {
        var state = React.useState(real ? { grid: real.AgGrid } : null);
        var loaded = state[0];
        var setLoaded = state[1];
        React.useEffect(function () {
            if (loaded) {
                return undefined;
            }
            var live = true;
            load().then(
                function (grid) { if (live) setLoaded({ grid: grid }); },
                function (error) { if (live) setLoaded({ error: error }); }
            );
            return function () { live = false; };
        }, []);
        if (loaded && loaded.error) {
            throw loaded.error;  // Dash's error boundary shows it
        }
        if (loaded) {
            return React.createElement(loaded.grid, props);
        }
        // Holds the grid's place (its height comes with its style) until it is drawn.
        return React.createElement('div', { className: props.className, style: props.style });
    }

    function load() {
        if (!loading) {
            loading = new Promise(function (resolve, reject) {
                var script = document.createElement('script');
                script.src = src;
                script.async = true;
                script.onload = function () {
                    real = window.dash_ag_grid;
                    // Dash reads what a component may persist from its type.
                    LazyAgGrid.dashPersistence = real.AgGrid.dashPersistence;
                    window.dash_ag_grid = Object.assign({}, real, { AgGrid: LazyAgGrid });
                    resolve(real.AgGrid);
                };
                script.onerror = function () {
                    loading = null;  // the next grid tries again
                    reject(new Error('The data grid did not load from ' + src));
                };
                document.head.appendChild(script);
            });
        }
        return loading;
    }

    window.dash_ag_grid = { AgGrid: LazyAgGrid };
})();
