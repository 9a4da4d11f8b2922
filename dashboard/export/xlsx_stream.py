"""A large table as XLSX in constant memory and without Python per cell.

openpyxl writes everything a workbook needs except the bulk of the rows: the
styles, the Excel table with its columns, the frozen header, the sheet of
caption, source and notes (:func:`dashboard.export.tables.write_xlsx`, given
one template row). The rows themselves are written as XML from Arrow record
batches with vectorised string operations (pyarrow.compute), straight into
the zip entry of the sheet, and the table's range is set to the rows written.

Safe as the other writers: every text is an inline string (never a formula),
characters XML cannot hold are removed before (``queries.reports``), and
``& < >`` and carriage returns are escaped here.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from openpyxl.utils import get_column_letter

from .tables import Sheet, write_xlsx

SHEET = "xl/worksheets/sheet1.xml"
TABLE = "xl/tables/table1.xml"
EXCEL_EPOCH_DAYS = 25_569  # 1970-01-01 as an Excel date serial
TEMPLATE = {"text": "x", "date": dt.date(2000, 1, 1), "number": 1}


def _escaped(text: pa.Array) -> pa.Array:
    for raw, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;")):
        text = pc.replace_substring(text, raw, entity)
    return text


def _cells(batch: pa.RecordBatch, kinds: list[str], styles: dict[int, str], rows: pa.Array) -> pa.Array:
    """One string per row: the row's XML."""
    parts: list[pa.Array | str] = ['<row r="', rows, '">']
    for index, kind in enumerate(kinds):
        column = batch.column(index)
        letter = get_column_letter(index + 1)
        style = f' s="{styles[index]}"' if index in styles else ""
        if kind == "date":
            days = pc.cast(pc.cast(column, pa.date32()), pa.int32())
            serial = pc.cast(pc.add(pc.cast(days, pa.int64()), EXCEL_EPOCH_DAYS), pa.string())
            cell = pc.binary_join_element_wise(f'<c r="{letter}', rows, f'"{style}><v>', serial, "</v></c>", "")
        elif kind == "number":
            cell = pc.binary_join_element_wise(
                f'<c r="{letter}', rows, f'"{style} t="n"><v>', pc.cast(column, pa.string()), "</v></c>", ""
            )
        else:
            text = pc.cast(column, pa.string())
            text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
            cell = pc.binary_join_element_wise(
                f'<c r="{letter}', rows, f'"{style} t="inlineStr"><is><t xml:space="preserve">', _escaped(text),
                "</t></is></c>", "",
            )  # fmt: skip
        parts.append(pc.fill_null(cell, ""))
    parts.append("</row>")
    return pc.binary_join_element_wise(*parts, "")


def _joined(strings: pa.Array) -> memoryview:
    """The strings of an Arrow string array one after another, without a copy per string."""
    strings = strings.cast(pa.large_string())
    offsets = np.frombuffer(strings.buffers()[1], dtype=np.int64)[strings.offset : strings.offset + len(strings) + 1]
    return memoryview(strings.buffers()[2])[offsets[0] : offsets[-1]]


def write_streamed_xlsx(
    target: Path | str, sheet: Sheet, kinds: list[str], meta: list[tuple[str, str]], meta_title: str
) -> int:
    """Write ``sheet`` (its ``rows`` are Arrow record batches, columns in header
    order, ``kinds`` saying text, date or number) and the notes sheet to
    ``target``. Returns the number of rows written."""
    batches: Iterable[pa.RecordBatch] = sheet.rows
    template = Sheet(sheet.title, sheet.header, [[TEMPLATE[k] for k in kinds]], sheet.formats, sheet.widths, sheet.wrap)
    skeleton = io.BytesIO()
    write_xlsx([template], meta, meta_title, skeleton)
    with zipfile.ZipFile(skeleton) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    xml = parts.pop(SHEET).decode("utf-8")
    start = xml.index('<row r="2"')
    end = xml.index("</row>", start) + len("</row>")
    styles = {int(_column_index(letter)): s for letter, s in re.findall(r'<c r="([A-Z]+)2" s="(\d+)"', xml[start:end])}
    count = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        with out.open(SHEET, "w", force_zip64=True) as stream:
            stream.write(xml[:start].encode("utf-8"))
            for batch in batches:
                if not batch.num_rows:
                    continue
                rows = pc.cast(pa.array(np.arange(count + 2, count + 2 + batch.num_rows)), pa.string())
                stream.write(_joined(_cells(batch, kinds, styles, rows)))
                count += batch.num_rows
            if not count:
                stream.write(b'<row r="2"/>')  # a table needs a row below its header
            stream.write(xml[end:].encode("utf-8"))
        last = get_column_letter(max(1, len(sheet.header)))
        parts[TABLE] = parts[TABLE].replace(
            f'ref="A1:{last}2"'.encode(), f'ref="A1:{last}{max(2, count + 1)}"'.encode()
        )
        for name, data in parts.items():
            out.writestr(name, data)
    return count


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1
