/* A link inside ready HTML (components.html_block: the published analysis' "n raporttia")
   opens its view within the page, as a dcc.Link does: the address changes, the router draws
   the view, nothing reloads. A modified click (a new tab, a download) stays the browser's. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target && event.target.closest ? event.target.closest("a[data-page-link]") : null;
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.shiftKey || event.altKey || event.ctrlKey) return;
    if (link.target && link.target !== "_self") return;
    if (link.origin !== window.location.origin) return;
    event.preventDefault();
    window.history.pushState({}, "", link.href);
    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
    window.scrollTo(0, 0);
  });
})();
