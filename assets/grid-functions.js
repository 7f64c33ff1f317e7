// Functions the explorer's grid names in its column definitions (dash-ag-grid looks them up
// in window.dashAgGridFunctions; an inline expression would be evaluated once, to a value).
(function () {
    var functions = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});
    // The server sorts every page (dashboard/grid.py): the grid keeps the order it is given,
    // rather than sorting the page again by the text a cell shows (2025年6月 after 2025年12月).
    functions.keepServerOrder = function () {
        return 0;
    };
})();
