/* The reporting form where scripts run (it works without them; the server checks everything):
   - the privacy screen as the reporter types: the server's own screen (/report/screen), shown under
     the field with the confirmation box it asks for;
   - the draft is kept in this tab (sessionStorage) until the "thank you" page: a lost connection, a
     language switch or a reload loses nothing, and a resend of the same draft keeps its form id, so
     it is still one report;
   - long texts get a counter near the limit; the send button ignores a second click. */
(function () {
  "use strict";
  var PREFIX = "tilannekuva-report-draft:";
  var storage;
  try { storage = window.sessionStorage; } catch (e) { storage = null; }

  if (document.getElementById("report-thanks")) {  // sent: the draft has done its job
    if (storage) {
      for (var i = storage.length - 1; i >= 0; i--) {
        var k = storage.key(i);
        if (k && k.indexOf(PREFIX) === 0) storage.removeItem(k);
      }
    }
    return;
  }
  var form = document.getElementById("report-form");
  if (!form) return;
  var key = PREFIX + (form.elements.county ? form.elements.county.value : "");
  var texts = Array.prototype.slice.call(form.querySelectorAll("textarea[data-screen]"));
  var live = document.getElementById("privacy-live");

  function fields() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "hidden" && el.name !== "form_id" || el.name === "privacy_ack") return;
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) (data[el.name] = data[el.name] || []).push(el.value);
      } else {
        data[el.name] = el.value;
      }
    });
    return data;
  }

  function restore() {
    if (!storage || document.getElementById("error-summary") || document.getElementById("report-notice")) return;
    if (texts.some(function (t) { return t.value.trim(); })) return;  // the server gave the form its values
    var saved;
    try { saved = JSON.parse(storage.getItem(key) || "null"); } catch (e) { saved = null; }
    if (!saved || !saved.havainto && !saved.asiakkaan_aani && !saved.ratkaisuehdotus) return;
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || !(el.name in saved)) return;
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = [].concat(saved[el.name]).indexOf(el.value) !== -1;
      } else if (el.type !== "hidden" || el.name === "form_id") {
        el.value = saved[el.name];
      }
    });
    var note = document.createElement("p");
    note.className = "alert alert-info";
    note.id = "draft-restored";
    note.setAttribute("role", "status");
    note.textContent = form.getAttribute("data-msg-restored");
    form.parentNode.insertBefore(note, form);
  }

  var saveTimer = null;
  function saveNow() {
    clearTimeout(saveTimer);
    if (!storage) return;
    try { storage.setItem(key, JSON.stringify(fields())); } catch (e) { /* full or disabled: nothing kept */ }
  }
  function save() {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(saveNow, 300);
  }

  function count(area) {
    var out = form.querySelector('.char-count[data-for="' + area.name + '"]');
    if (!out) return;
    var max = parseInt(out.getAttribute("data-max"), 10);
    var n = area.value.trim().length;
    out.textContent = n > max * 0.9 ? form.getAttribute("data-msg-count").replace("{n}", n).replace("{max}", max) : "";
  }

  var screenTimer = null;
  var lastDigest = null;
  function screen() {
    clearTimeout(screenTimer);
    screenTimer = setTimeout(function () {
      var body = new URLSearchParams();
      texts.forEach(function (t) { body.append(t.name, t.value); });
      body.append("county", form.elements.county.value);
      body.append("lang", form.elements.lang.value);
      fetch(form.getAttribute("data-screen-url"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": form.elements.csrf_token.value },
        body: body
      }).then(function (r) { return r.ok ? r.json() : null; }).then(show).catch(function () { /* the server asks on sending */ });
    }, 700);
  }

  function show(result) {
    if (!result || !result.warnings) return;
    var spoken = [];
    Object.keys(result.warnings).forEach(function (name) {
      var box = document.getElementById(name + "-privacy");
      var area = document.getElementById(name);
      if (!box || !area) return;
      var items = result.warnings[name];
      var described = (area.getAttribute("aria-describedby") || "").split(" ").filter(function (x) {
        return x && x !== box.id;
      });
      box.textContent = "";
      if (items.length) {
        var head = document.createElement("p");
        head.className = "mb-1 fw-semibold";
        head.textContent = form.getAttribute("data-msg-check");
        var list = document.createElement("ul");
        list.className = "mb-0";
        items.forEach(function (item) {
          var li = document.createElement("li");
          li.textContent = item.message;
          list.appendChild(li);
          spoken.push(item.message);
        });
        box.appendChild(head);
        box.appendChild(list);
        box.hidden = false;
        described.push(box.id);
      } else {
        box.hidden = true;
      }
      area.setAttribute("aria-describedby", described.join(" "));
    });
    var ack = document.getElementById("privacy-ack");
    var box = document.getElementById("privacy_ack");
    if (ack && box) {
      if (result.digest !== box.value) box.checked = false;
      box.value = result.digest;
      ack.hidden = !result.digest;
    }
    if (live && result.digest !== lastDigest) {
      live.textContent = spoken.length ? form.getAttribute("data-msg-check") + " " + spoken.join("; ") : "";
    }
    lastDigest = result.digest;
  }

  restore();
  texts.forEach(function (area) {
    count(area);
    area.addEventListener("input", function () { count(area); screen(); });
  });
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  window.addEventListener("pagehide", saveNow);  // leaving the page (a reload, a language switch)

  var sending = false;
  form.addEventListener("submit", function (event) {
    if (sending) { event.preventDefault(); return; }
    sending = true;
    saveNow();
    var status = document.getElementById("sending");
    if (status) status.textContent = form.getAttribute("data-msg-sending");
    setTimeout(function () { sending = false; if (status) status.textContent = ""; }, 15000);
  });

  var summary = document.getElementById("error-summary") || document.getElementById("report-notice");
  if (summary) { summary.setAttribute("tabindex", "-1"); summary.focus(); }
})();
