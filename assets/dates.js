/* The free date range (dashboard/web/components.py date_range): a text field that takes
   '1.9.2024' or '2024-09-01' whatever the browser's locale. The filter callback reads the
   hidden input beside it (ISO); this decides when what was typed becomes that value:
   - a complete, valid date applies at once (no need to leave the field);
   - Enter or leaving the field applies what is there (empty: no limit) or shows a message;
   - while typing nothing half-finished is applied and no message nags;
   - when the view's URL moves (a period, a trend bar, Back) the field shows its date,
     unless the user is typing a different one in it. */
(function () {
  "use strict";
  function parse(text) {
    text = (text || "").trim();
    var m = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$/.exec(text), y, mo, d;
    if (m) { y = +m[1]; mo = +m[2]; d = +m[3]; }
    else if ((m = /^([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})$/.exec(text))) { d = +m[1]; mo = +m[2]; y = +m[3]; }
    else return null;
    if (y < 1900 || y > 2100) return null;
    var date = new Date(Date.UTC(y, mo - 1, d));
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
    return y + "-" + (mo < 10 ? "0" : "") + mo + "-" + (d < 10 ? "0" : "") + d;
  }
  // Typed to the end: Finnish ends with its four-digit year; ISO needs two-digit month and day
  // ('2024-1-1' may still become '2024-1-15').
  function complete(text) {
    text = (text || "").trim();
    return /^[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4}$/.test(text) || /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(text);
  }
  function finnish(iso) {
    var m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(iso || "");
    return m ? (+m[3]) + "." + (+m[2]) + "." + m[1] : "";
  }
  function describe(textId, errorId, invalid) {
    var input = document.getElementById(textId);
    if (!input) return;
    input.setAttribute("aria-describedby", errorId + " date-hint");
    if (invalid) { input.setAttribute("aria-invalid", "true"); input.classList.add("is-invalid"); }
    else { input.removeAttribute("aria-invalid"); input.classList.remove("is-invalid"); }
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    dates: {
      parse: parse,
      // (text, blurs, submits, applied, message, textId, errorId) -> [text, applied, message]
      enter: function (text, blurs, submits, applied, message, textId, errorId) {
        var no = window.dash_clientside.no_update;
        var context = window.dash_clientside.callback_context;
        var triggered = (context && context.triggered || []).map(function (t) { return t.prop_id || ""; });
        var fromUrl = triggered.some(function (p) { return /^\{.*"filter-input".*\}\.value$/.test(p); });
        var finishing = triggered.some(function (p) { return /\.n_(blur|submit)$/.test(p); });
        var typing = triggered.some(function (p) { return p === textId + ".value"; });
        applied = applied || "";
        if (fromUrl && !typing) {
          var mine = parse(text) || ((text || "").trim() ? null : "");
          if (mine === applied) { describe(textId, errorId, false); return [no, no, ""]; }
          var input = document.getElementById(textId);
          if (input && document.activeElement === input) return [no, no, no];
          describe(textId, errorId, false);
          return [finnish(applied), no, ""];
        }
        if (!finishing && !typing) { describe(textId, errorId, false); return [no, no, no]; }
        var raw = (text || "").trim();
        var iso = parse(raw);
        if (!raw) {
          describe(textId, errorId, false);
          return [no, finishing && applied ? "" : no, ""];
        }
        if (iso && (finishing || complete(raw))) {
          describe(textId, errorId, false);
          return [no, iso !== applied ? iso : no, ""];
        }
        if (finishing) {
          describe(textId, errorId, true);
          return [no, no, (message || "").replace("{value}", raw)];
        }
        describe(textId, errorId, false);
        return [no, no, ""];
      }
    }
  });
})();
