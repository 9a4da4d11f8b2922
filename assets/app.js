/* The demo notice can be dismissed for the browser session (captions and
   downloads still say the data is synthetic). */
(function () {
  var KEY = "tilannekuva-demo-dismissed";
  try {
    if (window.sessionStorage.getItem(KEY) === "1") document.documentElement.classList.add("demo-dismissed");
  } catch (e) { /* storage disabled: the notice stays */ }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-dismiss='demo']");
    if (!button) return;
    document.documentElement.classList.add("demo-dismissed");
    try { window.sessionStorage.setItem(KEY, "1"); } catch (e) { /* ignore */ }
    var main = document.getElementById("main");
    if (main) main.focus();
  });
})();

/* Coming back from the presentation (Esc or "back"), focus returns to the view's
   Present button once the router has drawn it, instead of landing on <body>. */
(function () {
  var KEY = "tilannekuva-focus", id = null;
  try { id = window.sessionStorage.getItem(KEY); window.sessionStorage.removeItem(KEY); } catch (e) { return; }
  if (!id) return;
  function focus() {
    var target = document.getElementById(id);
    if (!target) return false;
    target.focus();
    return true;
  }
  if (focus()) return;
  var observer = new MutationObserver(function () { if (focus()) observer.disconnect(); });
  observer.observe(document.documentElement, { childList: true, subtree: true });
  setTimeout(function () { observer.disconnect(); }, 20000);
})();

/* A removed filter chip takes its button away: focus moves to the chip now in its place (or the
   last one), else to the view's main region, never to <body>. */
(function () {
  var pending = null;
  document.addEventListener("click", function (event) {
    var chip = event.target.closest && event.target.closest("[data-chip]");
    if (!chip) return;
    var all = Array.prototype.slice.call(document.querySelectorAll("[data-chip]"));
    pending = { index: all.indexOf(chip), id: chip.id };
  });
  new MutationObserver(function () {
    if (!pending || document.getElementById(pending.id)) return;
    var chips = document.querySelectorAll("[data-chip]");
    var target = chips.length ? chips[Math.min(pending.index, chips.length - 1)] : document.getElementById("main");
    pending = null;
    if (target) target.focus();
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
