/* Only the script a page uses (see dashboard/web/delivery.py).
   1. plotly.js: Dash loads it when the first chart is drawn, from an address
      it sets at start-up; point that load at plotly's basic bundle instead.
   2. The report grid: its 1.3 MB script is not in the page. A stand-in
      component takes the grid's place and loads the real one when the grid
      comes near the screen, then draws it with the same properties (inside
      itself, for the page's life: one grid, one request for its first page). */
(function () {
  "use strict";
  function meta(name) {
    var el = document.querySelector('meta[name="' + name + '"]');
    return el ? el.getAttribute("content") : null;
  }
  var plotly = meta("tilannekuva-plotly");
  if (plotly) {
    Object.defineProperty(window, "_dashPlotlyJSURL", {
      configurable: true, get: function () { return plotly; }, set: function () { /* ours stays */ }
    });
  }

  var gridUrl = meta("tilannekuva-grid");
  var React = window.React;
  if (!gridUrl || !React || window.dash_ag_grid) return;
  var real = null;
  var loading = null;
  function load() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = gridUrl;
        script.onload = function () {
          // The script puts its own module in window.dash_ag_grid. The stand-in stays the component
          // Dash draws (it draws the real one inside): Dash looks the component up again on the
          // grid's next render (its first request for rows), and a new type there would make React
          // throw the first grid away and build a second, which asks for its first page again.
          var module = window.dash_ag_grid;
          real = module && module.AgGrid;
          if (real && real !== LazyGrid) {
            // (the module's exports are getters: a copy with the stand-in, its functions as they are)
            window.dash_ag_grid = Object.assign({}, module, {AgGrid: LazyGrid});
            resolve(real);
          } else {
            reject(new Error("grid script"));
          }
        };
        script.onerror = function () { loading = null; reject(new Error("grid script")); };
        document.head.appendChild(script);
      });
    }
    return loading;
  }
  function LazyGrid(props) {
    var state = React.useState(real);
    var component = state[0], setComponent = state[1];
    var holder = React.useRef(null);
    React.useEffect(function () {
      if (component) return undefined;
      var done = false;
      function go() {
        if (done) return;
        done = true;
        load().then(function (c) { setComponent(function () { return c; }); }, function () { done = false; });
      }
      if (!("IntersectionObserver" in window) || !holder.current) { go(); return undefined; }
      var observer = new IntersectionObserver(function (entries) {
        if (entries.some(function (e) { return e.isIntersecting; })) { observer.disconnect(); go(); }
      }, {rootMargin: "600px 0px"});
      observer.observe(holder.current);
      return function () { observer.disconnect(); };
    }, [component]);
    if (component) return React.createElement(component, props);
    var text = ((props.dashGridOptions || {}).localeText || {}).loadingOoo || "…";
    return React.createElement("div", {
      ref: holder, id: typeof props.id === "string" ? props.id : undefined, className: props.className,
      style: props.style, role: "status", "aria-live": "polite"
    }, React.createElement("p", {className: "p-3 text-body-secondary"}, text));
  }
  window.dash_ag_grid = {AgGrid: LazyGrid};
})();
