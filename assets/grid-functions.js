// Functions the explorer's grid names in its column definitions (dash-ag-grid looks them up
// in window.dashAgGridFunctions; an inline expression would be evaluated once, to a value).
(function () {
    var functions = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});
    // The server sorts every page (dashboard/grid.py): the grid keeps the order it is given,
    // rather than sorting the page again by the text a cell shows (2025年6月 after 2025年12月).
    functions.keepServerOrder = function () {
        return 0;
    };

    // The 通报 column (dashboard/grid.py): a report's title in at most two lines; where
    // reports share a title, the title in one line and what tells it apart (its file name)
    // in the next, cut at its start so that its distinguishing end stays in sight.
    var components = (window.dashAgGridComponentFunctions =
        window.dashAgGridComponentFunctions || {});
    components.ReportName = function (props) {
        var row = props.data || {};
        var e = React.createElement;
        if (!row.report_extra) {
            return e("span", { className: "report-title report-title-2" }, props.value);
        }
        return e(
            "span",
            { className: "report-name" },
            e("span", { className: "report-title report-title-1" }, row.report_label),
            e("span", { className: "report-extra" }, e("bdi", null, row.report_extra))
        );
    };
})();
