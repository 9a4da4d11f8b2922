"""Where a chart's texts land in Chromium: measured from the SVG that plotly
drew, against the chart's plotting area and paper (its image)."""

from __future__ import annotations

# Runs in the page; returns one line per problem ("<chart>: <what> '<text>'").
MEASURE = """
(selector) => {
  const problems = [];
  const tol = 1;
  const inside = (a, b) => a.left >= b.left - tol && a.right <= b.right + tol && a.top >= b.top - tol
                           && a.bottom <= b.bottom + tol;
  const overlap = (a, b) => a.left < b.right - tol && b.left < a.right - tol && a.top < b.bottom - tol
                            && b.top < a.bottom - tol;
  const rect = el => el.getBoundingClientRect();
  for (const gd of document.querySelectorAll(selector)) {
    if (!gd._fullLayout) continue;
    const name = (gd.closest('[id]') || {}).id || '?';
    const box = rect(gd);
    const s = gd._fullLayout._size;
    const plot = {left: box.left + s.l, right: box.left + s.l + s.w, top: box.top + s.t, bottom: box.top + s.t + s.h};
    const paper = {left: box.left, right: box.right, top: box.top, bottom: box.bottom};
    const say = (what, el) => problems.push(`${name}: ${what} '${el.textContent.trim().slice(0, 60)}'`);
    // Bar value labels stay inside the plotting area.
    gd.querySelectorAll('.barlayer .bartext').forEach(el => { if (!inside(rect(el), plot)) say('bar label outside the plot', el); });
    // Tick labels, annotations and the legend stay inside the image.
    gd.querySelectorAll('.xtick text, .ytick text').forEach(el => {
      if (el.textContent.trim() && !inside(rect(el), paper)) say('tick label outside the image', el);
    });
    const annotations = Array.from(gd.querySelectorAll('.annotation')).filter(a => a.textContent.trim());
    annotations.forEach(el => { if (!inside(rect(el), paper)) say('annotation outside the image', el); });
    gd.querySelectorAll('.legend, .gtitle, .gtitle-subtitle, .colorbar').forEach(el => {
      if (!inside(rect(el), paper)) say('legend or title outside the image', el);
    });
    // No text sits on another: annotations (titles, source, value labels), axis titles, legend.
    const texts = annotations.map(a => a.querySelector('.annotation-text-g') || a)
      .concat(Array.from(gd.querySelectorAll('.g-xtitle text, .g-ytitle text')).filter(t => t.textContent.trim()))
      .concat(Array.from(gd.querySelectorAll('.legend .bg, .gtitle, .gtitle-subtitle')));
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        if (overlap(rect(texts[i]), rect(texts[j]))) {
          problems.push(`${name}: '${texts[i].textContent.trim().slice(0, 40)}' overlaps '${texts[j].textContent.trim().slice(0, 40)}'`);
        }
      }
    }
    // No colour scale covers a label.
    gd.querySelectorAll('.colorbar').forEach(bar => {
      gd.querySelectorAll('.textpoint, .bartext').forEach(el => { if (overlap(rect(bar), rect(el))) say('the colour scale covers', el); });
    });
    // Value labels of bars are crossed by no line (reference lines, say).
    gd.querySelectorAll('.shapelayer path').forEach(shape => {
      const line = rect(shape);
      if (line.width > 3) return;  // an area, not a line
      gd.querySelectorAll('.barlayer .bartext').forEach(el => { if (overlap(rect(el), line)) say('a line crosses the bar label', el); });
    });
    // Tile labels stay inside their tiles.
    gd.querySelectorAll('.scatterlayer .trace').forEach(trace => {
      const points = trace.querySelectorAll('.points path.point');
      const labels = trace.querySelectorAll('.textpoint');
      if (!points.length || points.length !== labels.length) return;
      points.forEach((point, k) => {
        const tile = rect(point);
        if (tile.width < 40) return;  // line markers, not tiles
        if (!inside(rect(labels[k]), tile)) say(`label wider than its tile (${Math.round(rect(labels[k]).width)} > ${Math.round(tile.width)} px)`, labels[k]);
      });
    });
  }
  return problems;
}
"""

# Every bar drawn with a pattern has the pattern's background (its colour) under the hatching.
PATTERNS = """
(selector) => {
  const problems = [];
  for (const gd of document.querySelectorAll(selector)) {
    gd.querySelectorAll('.barlayer path, .legendpoints path').forEach(path => {
      const match = (path.style.fill || '').match(/url\\("?#([^")]+)"?\\)/);
      if (!match) return;
      const pattern = gd.querySelector(`pattern[id="${match[1]}"]`) || document.getElementById(match[1]);
      const background = pattern && pattern.querySelector('rect');
      if (!background || !background.getAttribute('fill') || background.getAttribute('fill') === 'none') {
        problems.push(`${gd.id || '?'}: a patterned bar has no background colour`);
      }
    });
  }
  return problems;
}
"""


def problems(page, selector: str = ".js-plotly-plot") -> list[str]:
    return page.evaluate(MEASURE, selector)


def pattern_problems(page, selector: str = ".js-plotly-plot") -> list[str]:
    return page.evaluate(PATTERNS, selector)
