"""The deck as PowerPoint (python-pptx): the same slides as the presentation
mode, 16:9, with **native** charts whose data is embedded (editable in
PowerPoint, like a county's own slides), each with alt text; the caption and
source in the footer and the speaker notes.

Every slide is made from a layout with a real title placeholder ("Title Slide"
for the cover, "Title and Content" for text slides, whose bullets go in the body
placeholder, "Title Only" for charts), so PowerPoint's accessibility checker
finds a title on each slide, the outline view lists the titles and bullets, and a
county's own template (``data/deck_template.pptx`` or ``DASHBOARD_DECK_TEMPLATE``)
restyles them: its masters, logo and colours. The built-in look sets its fonts on
the placeholders; a template's are left alone."""

from __future__ import annotations

import io
import re
from contextlib import contextmanager
from pathlib import Path

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt, lazyproperty
from xlsxwriter import Workbook

from ..charts.style import BAR, BAR_SELECTED, INK, MUTED, TYPE_STYLE, series_colour
from ..core.config import DATA_DIR, Settings
from ..core.formatting import fmt_number
from ..core.i18n import t
from ..core.xml_text import scrub
from ..views.catalogue import Rendered, Series
from ..views.slides import Deck, Slide

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.6)
TITLE_TOP, TITLE_HEIGHT = Inches(0.4), Inches(0.85)
ACCENT = RGBColor.from_string(BAR.lstrip("#"))
DARK = RGBColor.from_string("0B3954")
TEXT = RGBColor.from_string(INK.lstrip("#"))
GREY = RGBColor.from_string(MUTED.lstrip("#"))
CHART_TYPES = {
    "bars": XL_CHART_TYPE.BAR_CLUSTERED,
    "stacked": XL_CHART_TYPE.COLUMN_STACKED,
    "lines": XL_CHART_TYPE.LINE_MARKERS,
    "bars_grouped": XL_CHART_TYPE.COLUMN_CLUSTERED,
}
# The layouts each kind of slide is made from (English and Finnish PowerPoint names), and the
# index in python-pptx's own template when a county template has none of those names.
LAYOUTS = {
    "cover": (("Title Slide", "Otsikkodia", "Rubrikbild"), 0),
    "content": (("Title and Content", "Otsikko ja sisältö", "Rubrik och innehåll"), 1),
    "title_only": (("Title Only", "Vain otsikko", "Endast rubrik"), 5),
}
TEXT_KINDS = ("texts", "quotes", "bullets")


class _TextWorkbookWriter(CategoryWorkbookWriter):
    """python-pptx's writer of a chart's embedded workbook with every text a string: XlsxWriter's
    default writes a text that starts with "=" as a formula (a category or series name such as
    '=HYPERLINK(…)' would run when "Edit data" opens the workbook in Excel)."""

    @contextmanager
    def _open_worksheet(self, xlsx_file):
        workbook = Workbook(xlsx_file, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
        worksheet = workbook.add_worksheet()
        yield workbook, worksheet
        workbook.close()


class ChartData(CategoryChartData):
    """A native chart's data whose embedded workbook holds texts as texts, never formulas."""

    @lazyproperty
    def _workbook_writer(self):
        return _TextWorkbookWriter(self)


def draw_first(chart, n: int) -> None:
    """Draw only the first ``n`` categories: every series' references and cached
    points end at row ``n``; the embedded workbook keeps every row."""
    space = chart._chartSpace
    for ref in space.xpath(".//c:ser/c:cat/*/c:f | .//c:ser/c:val/*/c:f"):
        ref.text = re.sub(r"(\$?)(\d+)$", lambda m: f"{m.group(1)}{n + 1}", ref.text)
    for count in space.xpath(".//c:ser/c:cat/*/*/c:ptCount | .//c:ser/c:val/*/*/c:ptCount"):
        count.set("val", str(n))
    for point in space.xpath(".//c:ser/c:cat/*/*/c:pt | .//c:ser/c:val/*/*/c:pt"):
        if int(point.get("idx")) >= n:
            point.getparent().remove(point)


def template_path() -> Path | None:
    """The county's own template, if there is one."""
    path = Settings.from_env().deck_template or DATA_DIR / "deck_template.pptx"
    return path if path.is_file() else None


def _no_bullet(paragraph) -> None:
    """A paragraph of a body placeholder without the master's bullet (a heading, a lead, a quote)."""
    pPr = paragraph._p.get_or_add_pPr()
    pPr.set("marL", "0")
    pPr.set("indent", "0")
    for old in pPr.findall(qn("a:buNone")):
        pPr.remove(old)
    pPr.insert(0, pPr.makeelement(qn("a:buNone"), {}))


def _run(paragraph, text: str, size: float | None, colour=None, bold=None, italic=None):
    run = paragraph.add_run()
    run.text = text
    if size is not None:
        run.font.size = Pt(size)
    if colour is not None:
        run.font.color.rgb = colour
    if bold is not None:
        run.font.bold = bold
    if italic is not None:
        run.font.italic = italic
    return run


class Writer:
    def __init__(self, deck: Deck, template: Path | None):
        self.deck = deck
        self.lang = deck.lang
        self.templated = template is not None
        self.prs = Presentation(str(template)) if template else Presentation()
        if not self.templated:
            self.prs.slide_width, self.prs.slide_height = WIDTH, HEIGHT
            self._fit_layouts()
        width, height = self.prs.slide_width, self.prs.slide_height
        if width is None or height is None:
            raise ValueError(f"the deck template {template} gives no slide size")
        self.width, self.height = width, height

    # ---- layouts ----------------------------------------------------------------------------
    def _layout(self, role: str):
        names, fallback = LAYOUTS[role]
        for layout in self.prs.slide_layouts:
            if layout.name in names:
                return layout
        layouts = self.prs.slide_layouts
        return layouts[min(fallback, len(layouts) - 1)]

    def _fit_layouts(self) -> None:
        """python-pptx's own template is 4:3: move its title and body placeholders to the 16:9 slide."""
        width = WIDTH - 2 * MARGIN
        for role in LAYOUTS:
            layout = self._layout(role)
            for ph in layout.placeholders:
                kind = ph.placeholder_format.type
                if role == "cover":
                    if kind in (PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.TITLE):
                        ph.left, ph.top, ph.width, ph.height = MARGIN + Inches(0.4), Inches(2.4), width, Inches(1.6)
                    elif ph.placeholder_format.idx == 1:
                        ph.left, ph.top, ph.width, ph.height = MARGIN + Inches(0.4), Inches(4.0), width, Inches(1.6)
                elif kind in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE):
                    ph.left, ph.top, ph.width, ph.height = MARGIN, TITLE_TOP, width, TITLE_HEIGHT
                elif ph.placeholder_format.idx == 1:
                    ph.left, ph.top, ph.width, ph.height = MARGIN, Inches(1.8), width, Inches(4.9)

    def _new_slide(self, kind: str):
        role = "cover" if kind == "title" else "content" if kind in TEXT_KINDS else "title_only"
        return self.prs.slides.add_slide(self._layout(role))

    @staticmethod
    def _body_placeholder(slide):
        return next((p for p in slide.placeholders if p.placeholder_format.idx == 1), None)

    def _title(self, slide, text: str, subtitle: str = "") -> int:
        """The slide's title in its title placeholder (the layout's; the built-in look styles it);
        returns the top of what comes below it."""
        title = slide.shapes.title
        if title is None:  # a county template whose layout has no title: a text box, as a last resort
            title = slide.shapes.add_textbox(MARGIN, TITLE_TOP, self.width - 2 * MARGIN, TITLE_HEIGHT)
        title.text_frame.text = text
        if not self.templated:
            # One line at 30 pt holds about 44 characters on a 16:9 slide (wide fonts); longer titles get
            # smaller type.
            size = 30 if len(text) <= 44 else 24 if len(text) <= 56 else 20
            frame = title.text_frame
            frame.word_wrap = True
            frame.vertical_anchor = MSO_ANCHOR.TOP
            frame.auto_size = MSO_AUTO_SIZE.NONE
            for paragraph in frame.paragraphs:
                paragraph.alignment = PP_ALIGN.LEFT
                for run in paragraph.runs:
                    run.font.size, run.font.bold, run.font.color.rgb = Pt(size), True, DARK
        bottom = title.top + title.height
        if subtitle:
            box = slide.shapes.add_textbox(MARGIN, bottom, self.width - 2 * MARGIN, Inches(0.45))
            box.text_frame.word_wrap = True
            box.text_frame.paragraphs[0].alignment = PP_ALIGN.LEFT
            _run(box.text_frame.paragraphs[0], subtitle, 15, GREY)
            bottom += Inches(0.45)
        return bottom + Inches(0.1)

    def _footer(self, slide, text: str, number: int, total: int) -> None:
        top = self.height - Inches(0.5)
        box = slide.shapes.add_textbox(MARGIN, top, self.width - 2 * MARGIN - Inches(1), Inches(0.35))
        box.text_frame.word_wrap = True
        _run(box.text_frame.paragraphs[0], text, 10, GREY)
        box = slide.shapes.add_textbox(self.width - MARGIN - Inches(1), top, Inches(1), Inches(0.35))
        paragraph = box.text_frame.paragraphs[0]
        paragraph.alignment = PP_ALIGN.RIGHT
        _run(paragraph, f"{number}/{total}", 10, GREY, bold=True)

    @staticmethod
    def _notes(slide, text: str) -> None:
        slide.notes_slide.notes_text_frame.text = text

    # ---- content ------------------------------------------------------------------------------
    def _chart(self, slide, rendered: Rendered, left, top, width, height) -> None:
        series = rendered.series if rendered.native is not None else None
        if rendered.empty or (series is not None and not series.shown):
            box = slide.shapes.add_textbox(left, top, width, Inches(1))
            box.text_frame.word_wrap = True
            # Says there is nothing to draw, in the chart's terms.
            _run(box.text_frame.paragraphs[0], rendered.alt_text, 20, GREY)
            return
        if series is None:
            self._table(slide, rendered, left, top, width, height)
            return
        # The chart's data holds every row (the chart-data download's); the chart draws the first `shown`.
        data = ChartData(number_format=series.number_format)
        data.categories = list(series.categories)
        for line in series.lines:
            data.add_series(line.label, list(line.values))
        kind = CHART_TYPES[series.kind]
        frame = slide.shapes.add_chart(kind, left, top, width, height, data)
        chart = frame.chart
        if series.shown < len(series.categories):
            draw_first(chart, series.shown)
        # Alt text for screen readers, on the chart's frame.
        frame._element.nvGraphicFramePr.cNvPr.set("descr", rendered.alt_text)
        frame._element.nvGraphicFramePr.cNvPr.set("title", rendered.title)
        chart.has_title = False  # the slide's title names it
        chart.font.size = Pt(14)
        chart.font.color.rgb = TEXT
        plot = chart.plots[0]
        plot.has_data_labels = series.kind in ("bars", "stacked", "bars_grouped")
        if plot.has_data_labels:
            labels = plot.data_labels
            # A stacked column's empty part gets no '0' label (a number format without a zero section).
            fmt = (
                f"{series.number_format};-{series.number_format};;@"
                if series.kind == "stacked"
                else series.number_format
            )
            labels.number_format, labels.number_format_is_linked = fmt, False
            labels.font.size = Pt(13)
            if series.kind == "bars":
                labels.position = XL_LABEL_POSITION.OUTSIDE_END
        if series.kind == "bars":
            chart.category_axis.reverse_order = True  # the first row (the largest) on top, as on the screen
            chart.value_axis.visible = False  # the bars carry their values
            plot.gap_width = 60
            self._bar_labels(plot, series)
        if series.kind in ("bars", "bars_grouped", "stacked"):
            chart.value_axis.has_major_gridlines = True
            chart.value_axis.major_gridlines.format.line.color.rgb = RGBColor(0xE5, 0xE7, 0xEB)
        values = [v for line in series.lines for v in line.values[: series.shown] if v is not None]
        if values and min(values) >= 0:
            # The screen's axis starts at zero too (PowerPoint's automatic axis would start a bar
            # chart of close values, e.g. a ranking of 5,1–6,0 %, above zero).
            chart.value_axis.minimum_scale = 0
            if series.kind == "bars" and max(values) > 0:
                # Room beyond the longest bar for its label ('31 (77,5 %)' on one line); the axis is hidden.
                chart.value_axis.maximum_scale = max(values) * 1.3
        chart.has_legend = len(series.lines) > 1
        if chart.has_legend:
            chart.legend.position = XL_LEGEND_POSITION.TOP
            chart.legend.include_in_layout = False
            chart.legend.font.size = Pt(14)
        self._colour(chart, series)

    @staticmethod
    def _bar_labels(plot, series: Series) -> None:
        """Each bar's label as the screen writes it ('16 (40 %)') where the chart gives one."""
        if not series.labels:
            return
        for k, text in enumerate(series.labels[: series.shown]):
            if not text:
                continue
            label = plot.series[0].points[k].data_label
            label.position = XL_LABEL_POSITION.OUTSIDE_END
            frame = label.text_frame
            frame.text = text
            frame.word_wrap = False  # '31 (77,5 %)' on one line
            for run in frame.paragraphs[0].runs:
                run.font.size, run.font.color.rgb = Pt(13), TEXT

    @staticmethod
    def _colour(chart, series: Series) -> None:
        """Each series in the screen's colour for its code (an observation type, a sex), lines by
        position; a bar the filter chose darker and outlined, a ranking's county and country in
        their grey, as on the screen."""
        own = dict(series.colours)
        for i, (plot_series, line) in enumerate(zip(chart.plots[0].series, series.lines)):
            rgb = RGBColor.from_string(series_colour(series.kind, line.code, i).lstrip("#"))
            if series.kind == "lines":
                plot_series.format.line.color.rgb = rgb
                plot_series.format.line.width = Pt(2.5)
                plot_series.smooth = False
                continue
            plot_series.format.fill.solid()
            plot_series.format.fill.fore_color.rgb = rgb
            for k, code in enumerate(series.category_codes[: series.shown]):
                if code in own:
                    point = plot_series.points[k].format
                    point.fill.solid()
                    point.fill.fore_color.rgb = RGBColor.from_string(own[code].lstrip("#"))
                if code in series.selected:
                    point = plot_series.points[k].format
                    point.fill.solid()
                    point.fill.fore_color.rgb = RGBColor.from_string(BAR_SELECTED.lstrip("#"))
                    point.line.color.rgb, point.line.width = TEXT, Pt(2)

    def _table(self, slide, rendered: Rendered, left, top, width, height) -> None:
        """A chart with no native kind (the tile map): its data as a native table."""
        rows = list(rendered.table.rows)[:16]
        shape = slide.shapes.add_table(
            len(rows) + 1, len(rendered.table.columns), left, top, width, min(height, Inches(0.3) * (len(rows) + 1))
        )
        shape._element.nvGraphicFramePr.cNvPr.set("descr", rendered.alt_text)
        table = shape.table
        for j, column in enumerate(rendered.table.columns):
            table.cell(0, j).text = column.header
        for i, row in enumerate(rows, start=1):
            for j, value in enumerate(row):
                table.cell(i, j).text = str(value)
        for cell in (table.cell(i, j) for i in range(len(rows) + 1) for j in range(len(rendered.table.columns))):
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(12)

    def _body(self, slide, top):
        """The slide's body placeholder (its text is in the outline), over the space below the title."""
        body = self._body_placeholder(slide)
        if body is None:  # a template's layout without one
            body = slide.shapes.add_textbox(MARGIN, top, self.width - 2 * MARGIN, self.height - top - Inches(0.7))
        elif not self.templated:
            body.left, body.top = MARGIN, top
            body.width, body.height = self.width - 2 * MARGIN, self.height - top - Inches(0.7)
        frame = body.text_frame
        frame.word_wrap = True
        if not self.templated:
            frame.auto_size = MSO_AUTO_SIZE.NONE
            frame.vertical_anchor = MSO_ANCHOR.TOP
        return frame

    def _size(self, size: float) -> float | None:
        """The built-in look's font size; a template's own sizes otherwise."""
        return None if self.templated else size

    def _colour_of(self, colour):
        return None if self.templated else colour

    def _paragraphs(self, frame):
        """Paragraph after paragraph of a text frame, the first one already there."""
        first = [True]

        def next_paragraph():
            if first[0]:
                first[0] = False
                return frame.paragraphs[0]
            return frame.add_paragraph()

        return next_paragraph

    def _texts(self, slide, model: Slide, top) -> None:
        frame = self._body(slide, top)
        paragraph = self._paragraphs(frame)
        colour = self._colour_of
        if model.kind == "bullets":
            self._bullets(model, paragraph)
            return
        if not model.items:
            p = paragraph()
            _no_bullet(p)
            _run(p, model.empty_text, self._size(20), colour(GREY))
            return
        scale = self._fit(model, top)

        def size(points: float) -> float | None:
            return self._size(round(points * scale, 1))

        for item in model.items:
            p = paragraph()
            _no_bullet(p)
            if model.kind == "quotes":
                _run(p, f"”{item.text}”", size(20), colour(TEXT), italic=True)
            else:
                if item.highlight:
                    _run(p, "★ ", size(18), colour(RGBColor(0xB7, 0x79, 0x1F)))
                _run(p, item.text, size(18), colour(TEXT))
                if item.proposal:
                    proposal = paragraph()
                    proposal.level = 1
                    _run(proposal, t("reading.proposal", self.lang) + ": ", size(15), colour(DARK), bold=True)
                    _run(proposal, item.proposal, size(15), colour(DARK))
            if item.meta:
                meta = paragraph()
                _no_bullet(meta)
                _run(meta, item.meta, size(11), colour(GREY))
                meta.space_after = Pt(12 * scale)

    def _fit(self, model: Slide, top) -> float:
        """The share of the built-in type sizes at which a text slide's items fit above the footer
        (three long observations with their proposals overflowed at full size): 1, 0.9, … 0.7."""
        width = (self.width - 2 * MARGIN) / 12700  # points
        height = (self.height - top - Inches(0.7)) / 12700

        def lines(text: str, points: float, indent: float = 0.0) -> int:
            per_line = max(1, int((width - indent) / (points * 0.6)))  # a character: about 0.6 em
            return -(-len(text) // per_line)

        def needed(scale: float) -> float:
            total = 0.0
            for item in model.items:
                first = 20 if model.kind == "quotes" else 18
                total += lines(item.text + "  ", first * scale) * first * scale * 1.25
                if item.proposal and model.kind != "quotes":
                    label = t("reading.proposal", self.lang) + ": "
                    total += lines(label + item.proposal, 15 * scale, 36) * 15 * scale * 1.25
                if item.meta:
                    total += 11 * scale * 1.2 + 12 * scale
            return total

        return next((scale for scale in (1.0, 0.9, 0.8) if needed(scale) <= height), 0.7)

    def _bullets(self, model: Slide, paragraph) -> None:
        """A lead paragraph, then each group's heading (with its "n raporttia") and its bullets one level in."""
        size, colour = self._size, self._colour_of
        if model.lead:
            p = paragraph()
            _no_bullet(p)
            _run(p, model.lead, size(18), colour(TEXT))
            p.space_after = Pt(10)
        for group in model.groups:
            if group.heading:
                p = paragraph()
                _no_bullet(p)
                p.space_before = Pt(6)
                _run(p, group.heading, size(19), colour(DARK), bold=True)
                if group.note:
                    _run(p, f"  ({group.note})", size(13), colour(GREY))
            for bullet in group.bullets:
                p = paragraph()
                p.level = 1 if group.heading else 0
                _run(p, bullet.text, size(17), colour(TEXT))
                if bullet.note:
                    _run(p, f" ({bullet.note})", size(12), colour(GREY))

    def _kpis(self, slide, model: Slide, top) -> int:
        """The key figures as a row of boxes; returns the bottom of the row."""
        n = max(1, len(model.figures))
        gap = Inches(0.3)
        width = (self.width - 2 * MARGIN - gap * (n - 1)) / n
        colours = {"total": BAR, **{code: style[0] for code, style in TYPE_STYLE.items()}}
        for i, (key, label, value, share) in enumerate(model.figures):
            left = MARGIN + i * (width + gap)
            box = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, int(left), top, int(width), Inches(1.7))
            box.fill.solid()
            box.fill.fore_color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
            box.line.color.rgb = RGBColor.from_string(colours.get(key, BAR).lstrip("#"))
            box.line.width = Pt(3)
            frame = box.text_frame
            frame.vertical_anchor = MSO_ANCHOR.MIDDLE
            _run(frame.paragraphs[0], fmt_number(value, self.lang), 40, TEXT, bold=True)
            for text, size in ((label, 15), (share or "", 16)):
                if text:
                    _run(frame.add_paragraph(), text, size, TEXT)
        return top + Inches(1.9)

    def _cover(self, slide, model: Slide) -> None:
        """The cover: the title in the layout's title placeholder, the caption (and the demo notice)
        in its subtitle placeholder."""
        title = slide.shapes.title
        subtitle = self._body_placeholder(slide)
        lines = [model.subtitle] + ([t("present.demo", self.lang)] if self.deck.demo else [])
        if title is None:
            title = slide.shapes.add_textbox(MARGIN, Inches(2.4), self.width - 2 * MARGIN, Inches(1.6))
        title.text_frame.text = model.title
        if subtitle is None:
            subtitle = slide.shapes.add_textbox(MARGIN, Inches(4.0), self.width - 2 * MARGIN, Inches(1.6))
        frame = subtitle.text_frame
        frame.text = lines[0]
        for line in lines[1:]:
            frame.add_paragraph().text = line
        if self.templated:
            return
        top = Inches(2.0)
        bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, MARGIN, top, Inches(0.12), Inches(3.4))
        bar.fill.solid()
        bar.fill.fore_color.rgb = ACCENT
        bar.line.fill.background()
        kicker = slide.shapes.add_textbox(MARGIN + Inches(0.4), Inches(1.9), self.width - 2 * MARGIN, Inches(0.5))
        kicker.text_frame.paragraphs[0].alignment = PP_ALIGN.LEFT
        _run(kicker.text_frame.paragraphs[0], t("slides.kicker", self.lang).upper(), 16, ACCENT, bold=True)
        for frame_, size, colour, bold in ((title.text_frame, 40, DARK, True), (frame, 22, TEXT, False)):
            frame_.word_wrap = True
            frame_.vertical_anchor = MSO_ANCHOR.TOP
            for k, paragraph in enumerate(frame_.paragraphs):
                paragraph.alignment = PP_ALIGN.LEFT
                demo = frame_ is frame and self.deck.demo and k == len(frame_.paragraphs) - 1
                for run in paragraph.runs:
                    run.font.size = Pt(14 if demo else size)
                    run.font.bold = bold
                    run.font.color.rgb = RGBColor(0x8A, 0x5A, 0x00) if demo else colour

    # ---- the deck -------------------------------------------------------------------------------
    def write(self, target) -> None:
        models = [model for model in self.deck.slides if model.in_deck]
        total = len(models)
        for number, model in enumerate(models, start=1):
            slide = self._new_slide(model.kind)
            if model.kind == "title":
                self._cover(slide, model)
            else:
                top = self._title(slide, model.title, model.subtitle)
                height = self.height - top - Inches(0.7)
                if model.kind == "kpis":
                    chart_top = self._kpis(slide, model, top)
                    for rendered in model.charts:
                        self._chart(
                            slide,
                            rendered,
                            MARGIN,
                            chart_top,
                            int(self.width - 2 * MARGIN),
                            int(self.height - chart_top - Inches(0.7)),
                        )
                elif model.kind in ("chart", "charts"):
                    charts = model.deck_charts or model.charts
                    n = len(charts)
                    gap = Inches(0.3)
                    width = (self.width - 2 * MARGIN - gap * (n - 1)) / n
                    for i, rendered in enumerate(charts):
                        left = int(MARGIN + i * (width + gap))
                        chart_top = top
                        if n > 1:  # several charts: each names itself (on as many lines as its title needs)
                            per_line = max(20, int(width / Pt(14 * 0.55)))
                            lines = max(len(c.title) for c in charts) // per_line + 1
                            if rendered.title != model.title:  # the slide's title already names it
                                box = slide.shapes.add_textbox(left, top, int(width), Inches(0.28 * lines + 0.12))
                                _run(box.text_frame.paragraphs[0], rendered.title, 14, TEXT, bold=True)
                                box.text_frame.word_wrap = True
                            chart_top = top + Inches(0.28 * lines + 0.2)
                        self._chart(slide, rendered, left, chart_top, int(width), int(height - (chart_top - top)))
                else:
                    self._texts(slide, model, top)
            self._footer(slide, model.footer, number, total)
            self._notes(slide, "\n".join(x for x in (model.notes, model.footer) if x))
        self.prs.save(target)


def write_deck(deck: Deck, target, template: Path | None = None) -> None:
    # A report text or a search word may hold a character XML cannot (U+FFFF): drop it, never fail.
    Writer(scrub(deck), template if template is not None else template_path()).write(target)


def deck_bytes(deck: Deck, template: Path | None = None) -> bytes:
    buffer = io.BytesIO()
    write_deck(deck, buffer, template)
    return buffer.getvalue()


__all__ = ["PPTX_MIME", "Writer", "deck_bytes", "draw_first", "template_path", "write_deck", "Emu"]
