"""The deck as PowerPoint (python-pptx): the same slides as the presentation
mode, 16:9, with **native** charts whose data is embedded (editable in
PowerPoint, like a county's own slides), each with alt text; the caption and
source in the footer and the speaker notes. A county's own template
(``data/deck_template.pptx`` or ``DASHBOARD_DECK_TEMPLATE``) replaces the
built-in look: its masters, logo and colours."""

from __future__ import annotations

import io
import re
from pathlib import Path

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

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


class Writer:
    def __init__(self, deck: Deck, template: Path | None):
        self.deck = deck
        self.lang = deck.lang
        self.templated = template is not None
        self.prs = Presentation(str(template)) if template else Presentation()
        if not self.templated:
            self.prs.slide_width, self.prs.slide_height = WIDTH, HEIGHT
        self.width, self.height = self.prs.slide_width, self.prs.slide_height

    # ---- layouts ----------------------------------------------------------------------------
    def _layout(self, names: tuple[str, ...], fallback: int):
        for layout in self.prs.slide_layouts:
            if layout.name in names:
                return layout
        layouts = self.prs.slide_layouts
        return layouts[min(fallback, len(layouts) - 1)]

    def _new_slide(self, title: bool = False):
        if self.templated:
            layout = self._layout(
                ("Title Slide", "Otsikkodia") if title else ("Title Only", "Vain otsikko"), 0 if title else 5
            )
        else:
            layout = self._layout(("Blank", "Tyhjä"), 6)
        return self.prs.slides.add_slide(layout)

    def _title(self, slide, text: str, subtitle: str = "") -> int:
        """The slide's title (in the template's title placeholder when it has one); returns its bottom."""
        top = Emu(int(MARGIN * 0.7))
        if self.templated and slide.shapes.title is not None:
            slide.shapes.title.text = text
            bottom = slide.shapes.title.top + slide.shapes.title.height
        else:
            # One line at 30 pt holds about 50 characters on a 16:9 slide; longer titles get smaller type.
            size = 30 if len(text) <= 50 else 24 if len(text) <= 64 else 20
            box = slide.shapes.add_textbox(MARGIN, top, self.width - 2 * MARGIN, Inches(0.8))
            frame = box.text_frame
            frame.word_wrap = True
            frame.paragraphs[0].alignment = PP_ALIGN.LEFT
            run = frame.paragraphs[0].add_run()
            run.text = text
            run.font.size, run.font.bold, run.font.color.rgb = Pt(size), True, DARK
            bottom = top + Inches(0.8)
        if subtitle:
            box = slide.shapes.add_textbox(MARGIN, bottom, self.width - 2 * MARGIN, Inches(0.45))
            box.text_frame.paragraphs[0].alignment = PP_ALIGN.LEFT
            run = box.text_frame.paragraphs[0].add_run()
            run.text = subtitle
            run.font.size, run.font.color.rgb = Pt(15), GREY
            bottom += Inches(0.45)
        return bottom + Inches(0.1)

    def _footer(self, slide, text: str, number: int, total: int) -> None:
        top = self.height - Inches(0.5)
        box = slide.shapes.add_textbox(MARGIN, top, self.width - 2 * MARGIN - Inches(1), Inches(0.35))
        box.text_frame.word_wrap = True
        run = box.text_frame.paragraphs[0].add_run()
        run.text = text
        run.font.size, run.font.color.rgb = Pt(10), GREY
        box = slide.shapes.add_textbox(self.width - MARGIN - Inches(1), top, Inches(1), Inches(0.35))
        paragraph = box.text_frame.paragraphs[0]
        paragraph.alignment = PP_ALIGN.RIGHT
        run = paragraph.add_run()
        run.text = f"{number}/{total}"
        run.font.size, run.font.bold, run.font.color.rgb = Pt(10), True, GREY

    @staticmethod
    def _notes(slide, text: str) -> None:
        slide.notes_slide.notes_text_frame.text = text

    # ---- content ------------------------------------------------------------------------------
    def _chart(self, slide, rendered: Rendered, left, top, width, height) -> None:
        series = rendered.series if rendered.native is not None else None
        if rendered.empty or (series is not None and not series.shown):
            box = slide.shapes.add_textbox(left, top, width, Inches(1))
            box.text_frame.word_wrap = True
            run = box.text_frame.paragraphs[0].add_run()
            run.text = rendered.alt_text  # says there is nothing to draw, in the chart's terms
            run.font.size, run.font.color.rgb = Pt(20), GREY
            return
        if series is None:
            self._table(slide, rendered, left, top, width, height)
            return
        # The chart's data holds every row (the chart-data download's); the chart draws the first `shown`.
        data = CategoryChartData(number_format=series.number_format)
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
            labels.number_format, labels.number_format_is_linked = series.number_format, False
            labels.font.size = Pt(13)
        if series.kind == "bars":
            chart.category_axis.reverse_order = True  # the largest on top, as on the screen
            chart.value_axis.visible = False  # the bars carry their values
            plot.gap_width = 60
        if series.kind in ("bars", "bars_grouped", "stacked"):
            chart.value_axis.has_major_gridlines = True
            chart.value_axis.major_gridlines.format.line.color.rgb = RGBColor(0xE5, 0xE7, 0xEB)
        chart.has_legend = len(series.lines) > 1
        if chart.has_legend:
            chart.legend.position = XL_LEGEND_POSITION.TOP
            chart.legend.include_in_layout = False
            chart.legend.font.size = Pt(14)
        self._colour(chart, series)

    @staticmethod
    def _colour(chart, series: Series) -> None:
        """Each series in the screen's colour for its code (an observation type, a sex), lines by
        position; a bar the filter chose darker, as on the screen."""
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

    def _texts(self, slide, model: Slide, top) -> None:
        box = slide.shapes.add_textbox(MARGIN, top, self.width - 2 * MARGIN, self.height - top - Inches(0.7))
        frame = box.text_frame
        frame.word_wrap = True
        first = True
        if not model.items:
            frame.paragraphs[0].text = model.empty_text
            return
        for item in model.items:
            paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
            first = False
            if model.kind == "quotes":
                run = paragraph.add_run()
                run.text = f"”{item.text}”"
                run.font.size, run.font.italic, run.font.color.rgb = Pt(20), True, TEXT
            else:
                if item.highlight:
                    star = paragraph.add_run()
                    star.text = "★ "
                    star.font.size, star.font.color.rgb = Pt(18), RGBColor(0xB7, 0x79, 0x1F)
                run = paragraph.add_run()
                run.text = item.text
                run.font.size, run.font.color.rgb = Pt(18), TEXT
                if item.proposal:
                    proposal = frame.add_paragraph()
                    label = proposal.add_run()
                    label.text = t("reading.proposal", self.lang) + ": "
                    label.font.size, label.font.bold, label.font.color.rgb = Pt(15), True, DARK
                    text = proposal.add_run()
                    text.text = item.proposal
                    text.font.size, text.font.color.rgb = Pt(15), DARK
            meta = frame.add_paragraph()
            run = meta.add_run()
            run.text = item.meta
            run.font.size, run.font.color.rgb = Pt(11), GREY
            meta.space_after = Pt(12)

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
            big = frame.paragraphs[0]
            run = big.add_run()
            run.text = fmt_number(value, self.lang)
            run.font.size, run.font.bold, run.font.color.rgb = Pt(40), True, TEXT
            for text, size in ((label, 15), (share or "", 16)):
                if text:
                    paragraph = frame.add_paragraph()
                    run = paragraph.add_run()
                    run.text = text
                    run.font.size, run.font.color.rgb = Pt(size), TEXT
        return top + Inches(1.9)

    def _cover(self, slide, model: Slide) -> None:
        if self.templated and slide.shapes.title is not None:
            slide.shapes.title.text = model.title
            body = [p for p in slide.placeholders if p.placeholder_format.idx == 1]
            lines = [model.subtitle] + ([t("present.demo", self.lang)] if self.deck.demo else [])
            if body:
                body[0].text = "\n".join(lines)
                return
        top = Inches(2.0)
        bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, MARGIN, top, Inches(0.12), Inches(2.6))
        bar.fill.solid()
        bar.fill.fore_color.rgb = ACCENT
        bar.line.fill.background()
        box = slide.shapes.add_textbox(MARGIN + Inches(0.4), top, self.width - 2 * MARGIN - Inches(0.4), Inches(3))
        frame = box.text_frame
        frame.word_wrap = True
        kicker = frame.paragraphs[0].add_run()
        kicker.text = t("slides.kicker", self.lang).upper()
        kicker.font.size, kicker.font.bold, kicker.font.color.rgb = Pt(16), True, ACCENT
        title = frame.add_paragraph().add_run()
        title.text = model.title
        title.font.size, title.font.bold, title.font.color.rgb = Pt(40), True, DARK
        subtitle = frame.add_paragraph().add_run()
        subtitle.text = model.subtitle
        subtitle.font.size, subtitle.font.color.rgb = Pt(22), TEXT
        if self.deck.demo:
            notice = frame.add_paragraph().add_run()
            notice.text = t("present.demo", self.lang)
            notice.font.size, notice.font.color.rgb = Pt(14), RGBColor(0x8A, 0x5A, 0x00)

    # ---- the deck -------------------------------------------------------------------------------
    def write(self, target) -> None:
        total = len(self.deck.slides)
        for number, model in enumerate(self.deck.slides, start=1):
            slide = self._new_slide(title=model.kind == "title")
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
                    n = len(model.charts)
                    gap = Inches(0.3)
                    width = (self.width - 2 * MARGIN - gap * (n - 1)) / n
                    for i, rendered in enumerate(model.charts):
                        left = int(MARGIN + i * (width + gap))
                        chart_top = top
                        if model.kind == "charts":  # several charts: each names itself
                            box = slide.shapes.add_textbox(left, top, int(width), Inches(0.4))
                            run = box.text_frame.paragraphs[0].add_run()
                            run.text = rendered.title
                            run.font.size, run.font.bold, run.font.color.rgb = Pt(14), True, TEXT
                            box.text_frame.word_wrap = True
                            chart_top = top + Inches(0.5)
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
