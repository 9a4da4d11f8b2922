/* The coordinator's workbench (dashboard/web/routes/workbench.py): every change is a plain POST
   form with its CSRF token that works without this script. The script makes it quick:
   - sends the same form in the background (Accept: application/json) and updates the parts of the
     page that changed (regions marked data-region) from a fresh copy of the page;
   - saves text as it is typed (forms marked js-autosave), one request at a time per form, with the
     version the page showed; a conflicting edit by someone else is shown with both texts;
   - retries a save the network lost and warns before leaving with anything unsaved;
   - keyboard shortcuts (elements marked data-key), never while typing in a field, never with
     Ctrl/Alt/Meta, and they can be turned off (WCAG 2.1.4).
   No inline script and no eval: the Content-Security-Policy holds. */
(function () {
  "use strict";

  var root = document.querySelector(".workbench");
  if (!root) return;
  var page = root.getAttribute("data-page");
  var strings = {};
  try {
    strings = JSON.parse(document.getElementById("workbench-strings").textContent);
  } catch (e) { /* the page's own words are missing: the messages below fall back to nothing */ }
  var status = document.getElementById("wb-status");
  var alertBox = document.getElementById("wb-alert");
  var SHORTCUTS = "tilannekuva.workbench.shortcuts";
  var pending = 0;
  var loggedOut = false; // the last save met 401: the session ended (a new login brings a new CSRF token)

  document.documentElement.classList.add("js");
  var here = root.getAttribute("data-here");
  if (here && window.history && history.replaceState) {
    history.replaceState(null, "", here + location.hash);
  }

  function say(text) {
    if (status) status.textContent = text || "";
  }

  function warn(text) {
    if (alertBox) alertBox.textContent = text || "";
  }

  function stateOf(form) {
    return form.querySelector(".wb-save-state");
  }

  function setState(form, text, kind) {
    var el = stateOf(form);
    if (!el) return;
    el.textContent = text || "";
    el.className = "wb-save-state wb-small" + (kind ? " wb-save-" + kind : "");
  }

  function field(form) {
    return form.querySelector("textarea[name], input[name]:not([type=hidden]), select[name]");
  }

  function isDirty(form) {
    var f = field(form);
    return !!(f && form.classList.contains("js-autosave") && f.value !== (form._saved !== undefined ? form._saved : f.defaultValue));
  }

  // ---- sending a form ---------------------------------------------------------------------------

  function send(form, submitter) {
    form._chain = (form._chain || Promise.resolve()).then(function () {
      if (!loggedOut) return post(form, submitter);
      return renewToken().then(function (renewed) {
        if (renewed) return post(form, submitter);
        warn(strings.login);
        if (form.classList.contains("js-autosave")) schedule(form, 10000);
        return null;
      });
    });
    return form._chain;
  }

  function post(form, submitter) {
    var autosave = form.classList.contains("js-autosave");
    var f = field(form);
    var sent = f ? f.value : null;
    if (autosave && !isDirty(form)) return Promise.resolve();
    var data;
    try {
      data = new FormData(form, submitter || undefined);
    } catch (e) {
      data = new FormData(form);
      if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    }
    pending += 1;
    if (autosave) setState(form, strings.saving, "busy");
    return fetch(form.getAttribute("action"), { // not form.action: a field named "action" would shadow it
      method: "POST",
      body: data,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response
          .json()
          .catch(function () { return null; })
          .then(function (body) { return { response: response, body: body }; });
      })
      .then(function (result) {
        pending -= 1;
        var body = result.body;
        var response = result.response;
        if (response.ok && body && body.ok) {
          warn("");
          var version = form.querySelector("input[name=base_version]");
          if (version && body.version !== undefined) version.value = body.version;
          if (autosave) {
            form._saved = sent;
            setState(form, body.saved, "ok");
            if (isDirty(form)) schedule(form, 50);
          }
          say(body.saved);
          if (body.go) {
            location.assign(body.go);
            return null;
          }
          if (submitter && submitter.hasAttribute("data-refresh-page")) {
            location.reload();
            return null;
          }
          if (!autosave) return refresh(regionsFor(form), form);
          return null;
        }
        if (response.status === 409 && body && body.conflict) {
          conflict(form, body);
          return null;
        }
        if (response.status === 401) {
          // The session ended: the text stays here and is saved once the coordinator has logged in
          // again (in another tab), with the new session's CSRF token.
          loggedOut = true;
          warn(strings.login);
          if (autosave) {
            setState(form, strings.login, "error");
            schedule(form, 10000);
          }
          return null;
        }
        var message = (body && body.message) || strings.failed + " (" + response.status + ")";
        if (autosave) setState(form, message, "error");
        warn(message);
        if (body && body.privacy) openOverride();
        // Nothing was changed; a report or phenomenon that is gone is shown as it is now.
        if (!autosave && response.status === 404) return refresh(regionsFor(form), form);
        return null;
      })
      .catch(function () {
        pending = Math.max(0, pending - 1);
        if (autosave) {
          setState(form, strings.offline, "error");
          schedule(form, 4000);
        } else {
          warn(strings.offline);
        }
      });
  }

  // After a new login: this page's forms take the new session's CSRF token from a fresh copy of
  // the page (still logged out, the copy is the login page and nothing is sent).
  function renewToken() {
    return fetch(location.href, { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok || response.redirected) return false;
        return response.text().then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var fresh = doc.querySelector(".workbench input[name=csrf_token]");
          if (!fresh) return false;
          document.querySelectorAll("input[name=csrf_token]").forEach(function (input) {
            input.value = fresh.value;
          });
          loggedOut = false;
          warn("");
          return true;
        });
      })
      .catch(function () { return false; });
  }

  function openOverride() {
    var box = document.getElementById("override");
    if (!box) return;
    box.open = true;
    var reason = document.getElementById("override-reason");
    if (reason) reason.focus();
  }

  function conflict(form, body) {
    var message = body.message || strings.failed;
    var version = form.querySelector("input[name=base_version]");
    var f = field(form);
    var state = stateOf(form);
    warn(message);
    if (!form.classList.contains("js-autosave") || !state || !f) {
      refresh(regionsFor(form), form);
      return;
    }
    var theirs = (body.fields && body.fields[0] && body.fields[0].theirs) || "";
    state.textContent = "";
    state.className = "wb-save-state wb-small wb-save-error";
    var text = document.createElement("span");
    text.textContent = message + " ";
    var quote = document.createElement("q");
    quote.textContent = String(theirs);
    var useTheirs = document.createElement("button");
    useTheirs.type = "button";
    useTheirs.className = "btn btn-sm btn-outline-secondary ms-1";
    useTheirs.textContent = strings.theirs;
    var keepMine = document.createElement("button");
    keepMine.type = "button";
    keepMine.className = "btn btn-sm btn-outline-primary ms-1";
    keepMine.textContent = strings.mine;
    state.appendChild(text);
    state.appendChild(quote);
    state.appendChild(useTheirs);
    state.appendChild(keepMine);
    useTheirs.addEventListener("click", function () {
      if (version) version.value = body.version;
      f.value = String(theirs);
      form._saved = f.value;
      setState(form, "", "");
      warn("");
      f.focus();
    });
    keepMine.addEventListener("click", function () {
      if (version) version.value = body.version;
      setState(form, "", "");
      warn("");
      send(form);
      f.focus();
    });
  }

  // ---- autosave ---------------------------------------------------------------------------------

  function schedule(form, delay) {
    clearTimeout(form._timer);
    form._timer = setTimeout(function () { send(form); }, delay);
  }

  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form.js-autosave");
    if (form) {
      setState(form, strings.unsaved, "busy");
      schedule(form, 800);
    }
    var filter = event.target.getAttribute && event.target.getAttribute("data-filter");
    if (filter) {
      var needle = event.target.value.trim().toLowerCase();
      document.querySelectorAll(filter).forEach(function (item) {
        item.hidden = needle !== "" && item.textContent.toLowerCase().indexOf(needle) < 0;
      });
    }
  });

  document.addEventListener("focusout", function (event) {
    var form = event.target.closest && event.target.closest("form.js-autosave");
    if (form && isDirty(form)) {
      clearTimeout(form._timer);
      send(form);
    }
  });

  document.addEventListener("change", function (event) {
    if (event.target.classList && event.target.classList.contains("js-autosubmit")) {
      var form = event.target.form;
      if (form) send(form, null);
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !(form.classList.contains("js-action") || form.classList.contains("js-autosave"))) return;
    event.preventDefault();
    if (form.classList.contains("js-autosave")) {
      clearTimeout(form._timer);
      var f = field(form);
      if (f && !isDirty(form)) form._saved = undefined; // an explicit save sends even an unchanged text
    }
    send(form, event.submitter || null);
  });

  window.addEventListener("beforeunload", function (event) {
    var dirty = Array.prototype.some.call(document.querySelectorAll("form.js-autosave"), isDirty);
    if (dirty || pending > 0) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // ---- updating what changed ----------------------------------------------------------------------

  function regionsFor(form) {
    if (form.getAttribute("data-refresh") === "none") return [];
    var ids = ["tab-review", "tab-phenomena"];
    if (page === "review") {
      document.querySelectorAll("[data-region]").forEach(function (el) { ids.push(el.id); });
    } else {
      var region = form.closest("[data-region]");
      if (region) ids.push(region.id);
    }
    return ids;
  }

  function focusables(el) {
    return Array.prototype.slice.call(el.querySelectorAll("a[href], button, input, select, textarea, summary"));
  }

  function refresh(ids, form) {
    if (!ids.length) return null;
    var active = document.activeElement;
    var anchor = null;
    var url = location.href;
    ids.forEach(function (id) {
      var el = document.getElementById(id);
      if (el && active && el.contains(active)) anchor = { id: id, index: focusables(el).indexOf(active) };
      if (el && el.getAttribute("data-load")) url = el.getAttribute("data-load"); // a phenomenon's card
    });
    return fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        ids.forEach(function (id) {
          var old = document.getElementById(id);
          var fresh = doc.getElementById(id);
          if (!old || !fresh) return;
          if (Array.prototype.some.call(old.querySelectorAll("form.js-autosave"), isDirty)) return;
          if (old.tagName === "DETAILS") fresh.open = old.open;
          old.replaceWith(document.importNode(fresh, true));
        });
        if (anchor) {
          var region = document.getElementById(anchor.id);
          var items = region ? focusables(region) : [];
          var target = items[Math.min(Math.max(anchor.index, 0), items.length - 1)] || region;
          if (target) {
            if (!target.hasAttribute("tabindex") && target === region) target.setAttribute("tabindex", "-1");
            target.focus();
          }
        }
      })
      .catch(function () { warn(strings.refresh_failed); });
  }

  // A phenomenon's card brings its forms when it is opened (the list alone stays small).
  document.addEventListener(
    "toggle",
    function (event) {
      var card = event.target;
      if (!card.matches || !card.matches("details[data-load]") || !card.open || card.hasAttribute("data-loaded")) return;
      card.setAttribute("data-loaded", "");
      fetch(card.getAttribute("data-load"), { headers: { Accept: "text/html" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.text();
        })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(card.id);
          if (!fresh) return;
          var node = document.importNode(fresh, true);
          node.open = true;
          card.replaceWith(node);
          var summary = node.querySelector("summary");
          if (summary && document.activeElement === document.body) summary.focus();
        })
        .catch(function () {
          card.removeAttribute("data-loaded");
          warn(strings.refresh_failed);
        });
    },
    true
  );

  // ---- keyboard -----------------------------------------------------------------------------------

  var toggle = document.getElementById("shortcuts-on");
  function shortcutsOn() {
    try {
      return localStorage.getItem(SHORTCUTS) !== "off";
    } catch (e) {
      return true;
    }
  }
  if (toggle) {
    toggle.checked = shortcutsOn();
    toggle.addEventListener("change", function () {
      try {
        localStorage.setItem(SHORTCUTS, toggle.checked ? "on" : "off");
      } catch (e) { /* private mode: the choice holds for this page */ }
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (toggle ? !toggle.checked : !shortcutsOn()) return;
    var target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    if (event.key === "?") {
      var help = document.getElementById("shortcuts");
      if (help) {
        help.open = !help.open;
        if (help.open) help.querySelector("summary").focus();
      }
      event.preventDefault();
      return;
    }
    if (!event.key || event.key.length !== 1) return;
    var key = event.key.toLowerCase();
    var el = document.querySelector('[data-key="' + (window.CSS && CSS.escape ? CSS.escape(key) : key) + '"]');
    if (!el) return;
    event.preventDefault();
    el.click();
  });

  function openTarget() {
    var target = location.hash && document.getElementById(location.hash.slice(1));
    if (target && target.tagName === "DETAILS") target.open = true;
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();

  var heading = document.getElementById("report-heading");
  if (heading) heading.focus({ preventScroll: true });
  // The current report in sight in the queue (the queue scrolls on its own; the page stays put).
  var queue = document.getElementById("queue");
  var current = document.querySelector(".wb-q.current");
  if (queue && current) {
    var top = current.getBoundingClientRect().top - queue.getBoundingClientRect().top + queue.scrollTop;
    if (top > queue.clientHeight - current.offsetHeight) queue.scrollTop = top - queue.clientHeight / 3;
  }
})();
