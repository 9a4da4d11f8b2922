/* Bar value labels ("141 (22,9 %)") sit right of horizontal bars. plotly's
   autorange does not count them, so on a narrow chart they would run past the
   plotting area and be cut. After each new figure, widen the value axis just enough
   that every label fits inside the plot, whatever the chart's width: one redraw, which is
   not fitted again. */
(function () {
  "use strict";
  function fit(gd) {
    var layout = gd._fullLayout;
    if (!layout || !layout.xaxis || !window.Plotly) return;
    var horizontal = (gd._fullData || []).some(function (t) {
      return t.type === "bar" && t.orientation === "h" && t.textposition === "outside";
    });
    if (!horizontal) return;
    var size = layout._size;
    var plotLeft = gd.getBoundingClientRect().left + size.l;
    var range = layout.xaxis.range.slice();
    var span = range[1] - range[0];
    var needed = span;
    gd.querySelectorAll(".barlayer .point").forEach(function (point) {
      var bar = point.querySelector("path");
      var text = point.querySelector(".bartext");
      if (!bar || !text) return;
      var barEnd = bar.getBoundingClientRect().right - plotLeft;
      var textWidth = text.getBoundingClientRect().right - bar.getBoundingClientRect().right;
      if (size.w - textWidth - 6 <= 0) return;
      needed = Math.max(needed, barEnd * span / (size.w - textWidth - 6));
    });
    if (needed > span * 1.005) {
      // The draw this causes needs no fitting of its own (the labels now fit). Plotly.react, not
      // relayout: a relayout tells dcc.Graph (relayoutData), which would store it and draw again.
      gd.__fitOwnDraw = true;
      var xaxis = Object.assign({}, gd.layout.xaxis, {range: [range[0], range[0] + needed], autorange: false});
      window.Plotly.react(gd, gd.data, Object.assign({}, gd.layout, {xaxis: xaxis}));
    }
  }
  window.tilannekuvaFitLabels = fit;
  function watch(gd) {
    if (gd.__fitWatched || typeof gd.on !== "function") return;
    gd.__fitWatched = true;
    gd.on("plotly_afterplot", function () {
      if (gd.__fitOwnDraw) { gd.__fitOwnDraw = false; return; }
      fit(gd);
    });
    fit(gd);
  }
  new MutationObserver(function () {
    document.querySelectorAll(".js-plotly-plot").forEach(watch);
  }).observe(document.documentElement, {childList: true, subtree: true});
})();
