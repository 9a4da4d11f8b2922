/* Accessibility fixes for Dash 4's dropdown.
   1. Its button is named only by its current value: put the field's <label>
      first in aria-labelledby, so a screen reader says "Teema, Kaikki".
   2. It keeps a focus proxy <input aria-hidden="true" tabindex="0"> that hands
      focus on to the button; a focusable element must not be aria-hidden
      (WCAG 4.1.2), so the proxy gets the same name instead of aria-hidden. */
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
      var proxy = button.previousElementSibling;
      if (proxy && proxy.classList.contains("dash-dropdown-focus-target")) {
        proxy.removeAttribute("aria-hidden");
        if (proxy.getAttribute("aria-labelledby") !== button.getAttribute("aria-labelledby")) {
          proxy.setAttribute("aria-labelledby", button.getAttribute("aria-labelledby"));
        }
      }
    });
  }
  new MutationObserver(function () { labelDropdowns(document); })
    .observe(document.documentElement, { childList: true, subtree: true, attributes: true,
                                          attributeFilter: ["aria-labelledby", "aria-hidden"] });
})();
