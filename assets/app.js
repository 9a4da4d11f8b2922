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
