/* Ready HTML from the server (components.html_block): an element with a data-html attribute gets
   that markup as its content (a view as first drawn, a callback's block). A filter change's answer
   sets the markup of all of a view's blocks in one prop (see below), so a table of a hundred cells or twenty report cards cost the browser one innerHTML, not a
   React tree per cell (dcc.Markdown parsed the same HTML into React elements: ~0.1–0.3 s per change).
   The markup is escaped in Python (components.escaped): no text in it is markup of its own.

   - Markup equal to what the block shows already is left alone (an answer that arrives late with
     the same analysis does not close the section the user has opened).
   - <details> the user opened stay open when the block's markup changes (matched by their
     data-section, else by their place in the block).
   - A filter change sets one prop for all of a view's blocks: the view's carrier's data-parts,
     {DOM id: markup} (components.html_parts). The same object moves the links drawn once that carry
     the filter ("@href": {DOM id: href}: the menu, the languages, Present, the downloads) and sets
     the document's title ("@title"), so none of them is an output of its own for Dash to apply.
   - A block far below the screen (the reading pane's cards) gets a change's markup in the next
     task, after the charts the same answer redraws (see far()).
   - The attribute is removed once read (the DOM holds the markup once; React still compares the
     next answer with what it last set, so an unchanged block is not written again). */
(function () {
  "use strict";
  var ATTR = "data-html";
  var PARTS = "data-parts";

  function key(details, i) {
    return details.getAttribute("data-section") || "#" + i;
  }

  function fill(el) {
    var markup = el.getAttribute(ATTR);
    if (markup === null) return;
    el.removeAttribute(ATTR);
    watch(el);
    show(el, markup);
  }

  function show(el, markup) {
    delete el.__tkLater;
    if (el.__tkHtml === markup) return;
    var open = {};
    var had = el.__tkHtml !== undefined;
    if (had) {
      el.querySelectorAll("details").forEach(function (d, i) {
        if (d.open) open[key(d, i)] = true;
      });
    }
    el.__tkHtml = markup;
    el.innerHTML = markup;
    if (had) {
      el.querySelectorAll("details").forEach(function (d, i) {
        if (open[key(d, i)]) d.open = true;
      });
    }
  }

  /* A view's carrier (components.html_parts): one prop holding the markup of every block a filter
     change redraws, as {DOM id: markup}. */
  function distribute(carrier) {
    var json = carrier.getAttribute(PARTS);
    if (json === null) return;
    carrier.removeAttribute(PARTS);
    var parts;
    try { parts = JSON.parse(json); } catch (e) { return; }
    var hrefs = parts["@href"];
    if (hrefs && typeof hrefs === "object") {
      Object.keys(hrefs).forEach(function (id) {
        var link = document.getElementById(id);
        if (link && typeof hrefs[id] === "string" && link.getAttribute("href") !== hrefs[id]) {
          link.setAttribute("href", hrefs[id]);
        }
      });
    }
    if (typeof parts["@title"] === "string" && parts["@title"]) document.title = parts["@title"];
    Object.keys(parts).forEach(function (id) {
      if (id.charAt(0) === "@") return;
      var el = document.getElementById(id);
      if (!el || typeof parts[id] !== "string") return;
      if (far(el)) later(el, parts[id]); else show(el, parts[id]);
    });
  }

  /* A block far from the screen (the reading pane's cards, thousands of px below the charts) gets
     its markup in the next task, after the charts this answer redraws: its parsing and layout no
     longer come before them. Where a block is is known from an IntersectionObserver (no layout
     read); a block not yet reported is treated as near. A newer answer's markup replaces a pending
     one. */
  var NEAR = "600px 0px";
  var seen = typeof IntersectionObserver === "function" ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) { entry.target.__tkFar = !entry.isIntersecting; });
  }, {rootMargin: NEAR}) : null;
  function watch(el) {
    if (seen && !el.__tkSeen) { el.__tkSeen = true; seen.observe(el); }
  }
  function far(el) {
    watch(el);
    return el.__tkFar === true;
  }
  var pending = [];
  function later(el, markup) {
    el.__tkLater = markup;
    if (pending.indexOf(el) < 0) pending.push(el);
    if (pending.length === 1) setTimeout(flush, 0);
  }
  function flush() {
    var els = pending;
    pending = [];
    els.forEach(function (el) {
      if (typeof el.__tkLater === "string") show(el, el.__tkLater);
    });
  }

  function scan(node) {
    if (!node || node.nodeType !== 1) return;
    if (node.hasAttribute(ATTR)) fill(node);
    var inner = node.querySelectorAll("[" + ATTR + "]");
    for (var i = 0; i < inner.length; i++) fill(inner[i]);
    if (node.hasAttribute(PARTS)) distribute(node);
    var carriers = node.querySelectorAll("[" + PARTS + "]");
    for (var j = 0; j < carriers.length; j++) distribute(carriers[j]);
  }

  new MutationObserver(function (records) {
    for (var r = 0; r < records.length; r++) {
      var record = records[r];
      if (record.type === "attributes") {
        if (record.attributeName === PARTS) distribute(record.target); else fill(record.target);
      } else {
        for (var n = 0; n < record.addedNodes.length; n++) scan(record.addedNodes[n]);
      }
    }
  }).observe(document.documentElement, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: [ATTR, PARTS]
  });
  scan(document.documentElement);
  window.tilannekuvaHtmlBlocks = { fill: fill, scan: scan };
})();
