"""The wellbeing-report chapter as DOCX (python-docx): Word's own heading styles (so
the chapter drops into the regional report's outline and table of contents), bullets
in the List Bullet style, native tables with a header row, each chart as an image
(:mod:`dashboard.export.images`) with its alt text, numbered caption and source, and
the client quotes in the Quote style. The content is :func:`dashboard.views.chapter.chapter`."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor

from ..views.chapter import Bullets, Chapter, FigureBlock, Heading, Paragraph, Quote, TableBlock
from .images import WIDTH_IN, chart_png
from .tables import clean_text

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
GREY = RGBColor(0x4B, 0x55, 0x63)
LANGUAGE_TAGS = {"fi": "fi-FI", "sv": "sv-FI", "en": "en-GB"}


def _text(value: str) -> str:
    return clean_text(str(value))


def _language(document, lang: str) -> None:
    """The document's language (Word's spelling check and screen readers read it)."""
    styles = document.styles.element
    rpr = styles.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr is None:
        return
    tag = rpr.find(qn("w:lang"))
    if tag is None:
        tag = rpr.makeelement(qn("w:lang"), {})
        rpr.append(tag)
    tag.set(qn("w:val"), LANGUAGE_TAGS.get(lang, "fi-FI"))


def _note(paragraph, note: str) -> None:
    if note:
        run = paragraph.add_run(f" ({_text(note)})")
        run.font.size, run.font.color.rgb = Pt(9), GREY


def _table(document, block: TableBlock) -> None:
    caption = document.add_paragraph(_text(block.caption), style="Caption")
    caption.paragraph_format.keep_with_next = True
    table = document.add_table(rows=1, cols=len(block.header))
    table.style = "Light List Accent 1" if "Light List Accent 1" in [s.name for s in document.styles] else "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for j, header in enumerate(block.header):
        cell = table.rows[0].cells[j]
        cell.text = _text(header)
        for run in cell.paragraphs[0].runs:
            run.font.bold = True
    # The header row repeats on every page (and tells screen readers it is one).
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(tr_pr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"}))
    for row in block.rows:
        cells = table.add_row().cells
        for j, value in enumerate(row):
            cells[j].text = _text(value)
            if j in block.numeric:
                cells[j].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
    document.add_paragraph()


def _figure(document, block: FigureBlock, lang: str) -> None:
    png = chart_png(block.rendered, lang)
    if png is not None:
        document.add_picture(io.BytesIO(png), width=Inches(WIDTH_IN))
        picture = document.paragraphs[-1]
        picture.paragraph_format.keep_with_next = True
        # Alt text for screen readers: the chart's one-sentence summary.
        for doc_pr in picture._p.iter(qn("wp:docPr")):
            doc_pr.set("descr", _text(block.rendered.alt_text))
            doc_pr.set("title", _text(block.rendered.title))
    caption = document.add_paragraph(_text(block.caption), style="Caption")
    source = caption.add_run(" " + _text(block.source))
    source.font.color.rgb = GREY
    if png is None:
        document.add_paragraph(_text(block.rendered.alt_text))
    _table(document, block.table)


def write_chapter(chapter: Chapter, target) -> None:
    document = Document()
    _language(document, chapter.lang)
    document.core_properties.title = _text(chapter.title)
    document.core_properties.language = LANGUAGE_TAGS.get(chapter.lang, "fi-FI")
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    for block in chapter.blocks:
        if isinstance(block, Heading):
            document.add_heading(_text(block.text), level=block.level)
        elif isinstance(block, Paragraph):
            paragraph = document.add_paragraph()
            run = paragraph.add_run(_text(block.text))
            run.bold = block.strong or None
            _note(paragraph, block.note)
            if block.strong:
                paragraph.paragraph_format.keep_with_next = True
        elif isinstance(block, Bullets):
            for text, note in block.items:
                paragraph = document.add_paragraph(_text(text), style="List Bullet")
                _note(paragraph, note)
        elif isinstance(block, Quote):
            paragraph = document.add_paragraph(f"”{_text(block.text)}”", style="Quote")
            if block.source:
                source = paragraph.add_run(f" – {_text(block.source)}")
                source.italic = False
                source.font.size, source.font.color.rgb = Pt(9), GREY
        elif isinstance(block, TableBlock):
            _table(document, block)
        elif isinstance(block, FigureBlock):
            _figure(document, block, chapter.lang)
    document.save(target)


def chapter_bytes(chapter: Chapter) -> bytes:
    buffer = io.BytesIO()
    write_chapter(chapter, buffer)
    return buffer.getvalue()


__all__ = ["DOCX_MIME", "chapter_bytes", "write_chapter"]
