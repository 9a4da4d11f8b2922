/* Presentation mode: draws the charts at the slide's size, moves between
   slides with the keys a presentation clicker sends, keeps the slide number in
   the URL (so a link opens that slide and Back works), and prints one slide a page. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("deck-data").textContent);
  var slides = Array.prototype.slice.call(document.querySelectorAll(".slide"));
  var pageStyle = document.createElement("style");
  document.head.appendChild(pageStyle);
  var current = slides.findIndex(function (s) { return !s.hidden; }) + 1 || 1;

  function slideSize() {
    var w = Math.min(window.innerWidth, window.innerHeight * 16 / 9);
    var h = w * 9 / 16;
    document.body.style.setProperty("--slide-w", w + "px");
    document.body.style.setProperty("--slide-h", h + "px");
    pageStyle.textContent = "@page { size: " + Math.round(w) + "px " + Math.round(h) + "px; margin: 0; }";
    return h / 720;
  }

  function scaleFonts(node, k) {
    if (Array.isArray(node)) { node.forEach(function (x) { scaleFonts(x, k); }); return; }
    if (!node || typeof node !== "object") return;
    Object.keys(node).forEach(function (key) {
      var value = node[key];
      if (value && typeof value === "object") {
        if (/font$/i.test(key) && typeof value.size === "number") value.size = value.size * k;
        scaleFonts(value, k);
      }
    });
  }

  function draw() {
    var k = slideSize();
    document.querySelectorAll(".chart[data-figure]").forEach(function (div) {
      var figure = data.figures[div.getAttribute("data-figure")];
      if (!figure || !window.Plotly) return;
      var layout = JSON.parse(JSON.stringify(figure.layout));
      var traces = JSON.parse(JSON.stringify(figure.data));
      scaleFonts(layout, k);
      scaleFonts(traces, k);
      if (layout.margin) {
        ["l", "r", "t", "b"].forEach(function (side) { if (layout.margin[side]) layout.margin[side] *= k; });
      }
      (layout.annotations || []).forEach(function (a) {
        if (a.xshift) a.xshift *= k;
        if (a.yshift) a.yshift *= k;
      });
      layout.width = div.clientWidth;
      layout.height = div.clientHeight;
      window.Plotly.react(div, traces, layout, {displayModeBar: false, responsive: false, locale: data.locale});
    });
  }

  function url(n) {
    var params = new URLSearchParams(window.location.search);
    params.set("slide", String(n));
    return window.location.pathname + "?" + params.toString();
  }

  function show(n, push) {
    n = Math.max(1, Math.min(slides.length, n));
    slides.forEach(function (s, i) { s.hidden = i !== n - 1; });
    if (push && n !== current) window.history.pushState({slide: n}, "", url(n));
    current = n;
  }

  // Back in the view, focus goes to the Present button the user came from (assets/app.js), not <body>.
  function returnFocus() {
    try { window.sessionStorage.setItem("tilannekuva-focus", "present-link"); } catch (e) { /* storage disabled */ }
  }
  document.querySelector(".present-back").addEventListener("click", returnFocus);

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    document.body.classList.add("used");
    switch (event.key) {
      case "ArrowRight": case "PageDown": case " ": show(current + 1, true); break;
      case "ArrowLeft": case "PageUp": show(current - 1, true); break;
      case "Home": show(1, true); break;
      case "End": show(slides.length, true); break;
      case "f": case "F":
        if (document.fullscreenElement) document.exitFullscreen();
        else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen();
        break;
      case "Escape":
        if (!document.fullscreenElement) { returnFocus(); window.location.href = data.back; }
        break;
      default: return;
    }
    event.preventDefault();
  });
  document.querySelector(".present-next").addEventListener("click", function () { show(current + 1, true); });
  document.querySelector(".present-prev").addEventListener("click", function () { show(current - 1, true); });
  window.addEventListener("popstate", function () {
    var n = parseInt(new URLSearchParams(window.location.search).get("slide") || "1", 10);
    show(isNaN(n) ? 1 : n, false);
  });
  var timer = null;
  window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(draw, 150); });
  draw();
  document.body.setAttribute("data-ready", "1");
})();
