// Meeting mode: arrow keys and presentation clickers (PageUp/PageDown) move between slides,
// Escape leaves. The page's own buttons do the work, so Dash callbacks stay the one path.
document.addEventListener("keydown", function (event) {
  if (window.location.pathname !== "/meeting") return;
  var target = null;
  if (event.key === "ArrowRight" || event.key === "PageDown" || event.key === " ") target = "meeting-next";
  if (event.key === "ArrowLeft" || event.key === "PageUp") target = "meeting-prev";
  if (event.key === "Escape") target = "meeting-exit";
  if (!target) return;
  var el = document.getElementById(target);
  if (el) {
    event.preventDefault();
    el.click();
  }
});
