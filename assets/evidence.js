/* "n raporttia" under a bullet of the published analysis opens the reports behind it in the
   reading pane: when the pane's banner for a bullet appears (after the click, on a shared link,
   after the back button), it is scrolled into view and takes the focus, once per bullet. */
(function () {
  var shown = null;
  function check() {
    var banner = document.querySelector(".evidence-banner[data-evidence]");
    var key = banner ? banner.getAttribute("data-evidence") + location.search : null;
    if (!banner) { shown = null; return; }
    if (key === shown) return;
    shown = key;
    banner.scrollIntoView({block: "start"});
    banner.focus({preventScroll: true});
  }
  new MutationObserver(check).observe(document.documentElement, {childList: true, subtree: true});
})();
