/* Bar value labels ("141 (22,9 %)") sit right of horizontal bars. plotly's
   autorange does not count them, so on a narrow chart they would run past the
   plotting area and be cut.

   1. Before a figure is drawn (Plotly.react / newPlot, as dcc.Graph calls them), its value
      axis gets a range just wide enough for every label at the chart's width: the labels are
      measured with the canvas's text metrics in the figure's font. The chart draws once per
      change.
   2. After a draw (a resize, a font that measured differently), the drawn labels are checked (in
      the next frame, all charts drawn since together); only if one still runs past the plot is
      the axis widened with one more draw, which is not checked again. */
(function () {
  "use strict";
  var PAD = 12; // px: plotly's 3 before the label, the 6 the after-draw check keeps, 3 to spare
  var DTYPES = {
    i1: Int8Array, u1: Uint8Array, i2: Int16Array, u2: Uint16Array,
    i4: Int32Array, u4: Uint32Array, f4: Float32Array, f8: Float64Array
  };

  function values(x) {
    // A plain array, or plotly's typed-array spec ({dtype, bdata}: base64).
    if (Array.isArray(x)) return x;
    if (x && typeof x.bdata === "string" && DTYPES[x.dtype]) {
      var raw = atob(x.bdata);
      var bytes = new Uint8Array(raw.length);
      for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
      return Array.prototype.slice.call(new DTYPES[x.dtype](bytes.buffer));
    }
    return null;
  }

  function outsideBars(data) {
    return (data || []).filter(function (t) {
      return t && t.type === "bar" && t.orientation === "h" && t.textposition === "outside";
    });
  }

  var canvas = null;
  function measure(text, size, family) {
    canvas = canvas || document.createElement("canvas");
    var context = canvas.getContext("2d");
    context.font = size + "px " + family;
    return context.measureText(String(text).replace(/<[^>]*>/g, "")).width;
  }

  /* The layout to draw with: the value axis ranged so that every outside label fits, or the
     layout as it was when the figure has no such bars or the chart's width is not known. */
  function fitted(gd, data, layout) {
    var bars = outsideBars(data);
    if (!bars.length || !layout || !gd || !gd.getBoundingClientRect) return layout;
    var xaxis = layout.xaxis || {};
    if (xaxis.autorange === false || Array.isArray(xaxis.range)) return layout; // ranged already
    // The width the chart was last drawn at (plotly and dcc.Graph redraw it when its box resizes),
    // else its box: reading the box would lay the page out before every chart's draw.
    var drawn = gd._fullLayout && gd._fullLayout.width;
    var width = layout.width || drawn || gd.getBoundingClientRect().width;
    var margin = layout.margin || {};
    var plot = width - (margin.l === undefined ? 80 : margin.l) - (margin.r === undefined ? 80 : margin.r);
    if (!(plot > 0)) return layout;
    var family = (layout.font && layout.font.family) || "\"Open Sans\", verdana, arial, sans-serif";
    var needed = 0;
    var largest = 0;
    for (var b = 0; b < bars.length; b++) {
      var bar = bars[b];
      var xs = values(bar.x);
      if (!xs) return layout;
      var texts = Array.isArray(bar.text) ? bar.text : [];
      var size = (bar.textfont && bar.textfont.size) || (layout.font && layout.font.size) || 12;
      for (var i = 0; i < xs.length; i++) {
        var v = +xs[i];
        if (!(v >= 0)) return layout; // negative or missing values: plotly's own range
        largest = Math.max(largest, v);
        var room = plot - measure(texts[i] === undefined ? "" : texts[i], size, family) - PAD;
        if (room <= 0) return layout;
        needed = Math.max(needed, v * plot / room);
      }
    }
    if (!(largest > 0)) return layout;
    var range = [0, Math.max(needed, largest * 1.05)];
    return Object.assign({}, layout, {xaxis: Object.assign({}, xaxis, {range: range, autorange: false})});
  }

  /* A filter change gives each chart a new PNG file name (the chart's title and caption). It comes
     in the figure (layout.meta.filename, components.graph_figure), not as a new config: the config
     is never an output of a filter change. The name goes into the config plotly is given, and into
     the drawn chart's config first (plotly's react draws a chart whose config changed twice: a
     whole newPlot, then react again; the name is read only when the button is clicked), so react
     sees an unchanged config and draws once. */
  function named(config, layout) {
    var name = layout && layout.meta && layout.meta.filename;
    if (typeof name !== "string" || !config || !config.toImageButtonOptions) return config;
    if (config.toImageButtonOptions.filename === name) return config;
    var options = Object.assign({}, config.toImageButtonOptions, {filename: name});
    return Object.assign({}, config, {toImageButtonOptions: options});
  }

  function keepFileName(el, config) {
    var context = el && el._context;
    if (context && config && config.toImageButtonOptions && el._fullLayout) {
      context.toImageButtonOptions = Object.assign({}, config.toImageButtonOptions);
    }
  }

  function wrap(draw) {
    if (typeof draw !== "function" || draw.__fitsLabels) return draw;
    var wrapped = function (gd, data, layout, config) {
      try {
        var el = typeof gd === "string" ? document.getElementById(gd) : gd;
        if (data && !Array.isArray(data) && typeof data === "object") {
          var figure = data; // Plotly.react(gd, {data, layout, config, frames})
          var cfg = named(figure.config, figure.layout);
          keepFileName(el, cfg);
          var laid = fitted(el, figure.data, figure.layout);
          if (laid !== figure.layout || cfg !== figure.config) {
            data = Object.assign({}, figure, {layout: laid, config: cfg});
          }
        } else {
          config = named(config, layout);
          keepFileName(el, config);
          layout = fitted(el, data, layout);
        }
      } catch (e) { /* draw as given; the after-draw check still fits the labels */ }
      return draw.apply(this, [gd, data, layout, config].slice(0, Math.max(arguments.length, 1)));
    };
    wrapped.__fitsLabels = true;
    return wrapped;
  }

  function install(plotly) {
    if (plotly && typeof plotly === "object" && !plotly.__fitsLabels) {
      try {
        plotly.react = wrap(plotly.react);
        plotly.newPlot = wrap(plotly.newPlot);
        plotly.__fitsLabels = true;
      } catch (e) { /* a frozen object: the after-draw check fits the labels */ }
    }
    return plotly;
  }

  // plotly.js is loaded when the first chart is drawn (dcc.Graph): wrap it as it arrives.
  var current = install(window.Plotly);
  try {
    Object.defineProperty(window, "Plotly", {
      configurable: true,
      get: function () { return current; },
      set: function (value) { current = install(value); }
    });
  } catch (e) { /* defined already and not configurable: wrapped above if it was there */ }

  /* After a draw: widen the axis if a drawn label still runs past the plot (one more draw). */
  function fit(gd) {
    var layout = gd._fullLayout;
    if (!layout || !layout.xaxis || !window.Plotly) return;
    if (!outsideBars(gd._fullData).length) return;
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
  window.tilannekuvaFitted = fitted;
  /* The check reads the drawn labels' boxes, which makes the browser lay the page out. Done right
     after each draw, that was one whole layout per chart while a change draws seven; the checks
     of the charts drawn since the last frame are made together in the next frame, where the
     browser lays the page out once anyway before it paints. */
  var pending = [];
  function checkDrawn() {
    var charts = pending;
    pending = [];
    charts.forEach(function (gd) { if (gd.isConnected) fit(gd); });
  }
  function later(gd) {
    if (pending.indexOf(gd) >= 0) return;
    pending.push(gd);
    if (pending.length === 1) window.requestAnimationFrame(checkDrawn);
  }
  function watch(gd) {
    if (gd.__fitWatched || typeof gd.on !== "function") return;
    gd.__fitWatched = true;
    gd.on("plotly_afterplot", function () {
      if (gd.__fitOwnDraw) { gd.__fitOwnDraw = false; return; }
      later(gd);
    });
    later(gd);
  }
  new MutationObserver(function () {
    document.querySelectorAll(".js-plotly-plot").forEach(watch);
  }).observe(document.documentElement, {childList: true, subtree: true});
})();
