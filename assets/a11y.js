/* Dash's dropdown names its button only by its current value. Give every
   dropdown that has a <label for=...> that label as the first part of its
   accessible name, so a screen reader says "Teema, Kaikki". */
(function () {
  function labelDropdowns(root) {
    root.querySelectorAll("button.dash-dropdown[id]").forEach(function (button) {
      var label = document.querySelector('label[for="' + CSS.escape(button.id) + '"]');
      if (!label) return;
      if (!label.id) label.id = button.id + "-label";
      var current = button.getAttribute("aria-labelledby") || "";
      if (current.split(" ").indexOf(label.id) === -1) {
        button.setAttribute("aria-labelledby", (label.id + " " + current).trim());
      }
    });
  }
  new MutationObserver(function () { labelDropdowns(document); })
    .observe(document.documentElement, { childList: true, subtree: true, attributes: true,
                                          attributeFilter: ["aria-labelledby"] });
})();
