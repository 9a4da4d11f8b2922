/* The report table (dashboard/web/layouts/reading.py report_grid): rows are one height, so a
   long text shows its first lines; the chosen row's whole report is read in the panel below.
   - Enter on a row chooses it, as a click does (the arrow keys move between rows);
   - the panel is drawn here from the row the server sent (texts only of publishable reports). */
(function () {
  "use strict";
  var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});
  dagfuncs.tkChooseRow = function (params) {
    var event = params && params.event;
    if (!event || event.key !== "Enter" || !params.node) return;
    params.node.setSelected(true, true);
    event.preventDefault();
  };

  function el(type, props, children) {
    props = props || {};
    if (children !== undefined) props.children = children;
    return { type: type, namespace: "dash_html_components", props: props };
  }
  function text(value) { return typeof value === "string" && value ? value : null; }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    grid: {
      detail: function (selections, labelsJson) {
        var labels = {};
        try { labels = JSON.parse(labelsJson || "{}"); } catch (e) { labels = {}; }
        var rows = (selections || []).filter(function (s) { return Array.isArray(s) && s.length; });
        var row = rows.length ? rows[rows.length - 1][0] : null;
        if (!row || typeof row !== "object") return el("P", { className: "small mb-0" }, labels.help || "");
        var meta = [row.date, row.county, row.service_unit, row.areas].map(text).filter(Boolean).join(" · ");
        var groups = [row.target_groups, row.themes].map(text).filter(Boolean).join(" · ");
        var out = [
          el("H4", { className: "h6" }, [text(row.observation_type) || "", " · ", text(row.report_id) || ""]),
          el("Div", { className: "meta" }, meta),
          el("Div", { className: "meta mb-2" }, groups),
          el("P", {}, [el("Strong", {}, (labels.observation || "") + ": "), text(row.observation) || "–"])
        ];
        if (text(row.client_voice)) {
          out.push(el("Blockquote", {}, [el("Span", { className: "visually-hidden" }, (labels.voice || "") + ": "),
            "”" + row.client_voice + "”"]));
        }
        if (text(row.proposal)) {
          out.push(el("P", {}, [el("Strong", {}, (labels.proposal || "") + ": "), row.proposal]));
        }
        var followup = [row.handled_in, row.forwarded_to, row.followup_action].map(text).filter(Boolean).join(" → ");
        out.push(el("P", { className: "small mb-0" }, [el("Strong", {}, (labels.followup || "") + ": "),
          (text(row.followup_status) || "") + (followup ? ": " + followup : "")]));
        return out;
      }
    }
  });
})();
