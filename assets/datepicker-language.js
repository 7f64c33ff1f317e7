// Dash's date pickers (dcc.DatePickerSingle) write month and weekday names with date-fns in
// the locale of window.dateFns.locale that matches the browser's languages, else in its
// first. The dashboard speaks the reader's chosen language (the lang-store, which the
// language switch keeps), whatever the browser's: the pickers are offered only that
// language's locale, looked up each time they draw, so a switch takes effect at once.
// Chinese: date-fns' zh-CN (date-fns-locale-zh-CN.js, loaded before this file);
// English: none, which is date-fns' own en-US.
(function () {
  var zhCN = window.dateFns && window.dateFns.locale && window.dateFns.locale.zhCN;
  if (!zhCN) return;
  function language() {
    try {
      return JSON.parse(window.localStorage.getItem("lang-store"));
    } catch (e) {
      return null;
    }
  }
  Object.defineProperty(window.dateFns, "locale", {
    configurable: true,
    enumerable: true,
    get: function () {
      return language() === "en" ? {} : { zhCN: zhCN };
    },
  });
})();
