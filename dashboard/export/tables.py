"""CSV and XLSX writers: a table (header + rows, possibly streamed) plus its
caption, source and notes. No Flask here.

Safe by construction: a text cell that a spreadsheet would read as a formula
(``= + - @``, a tab or a carriage return first) gets a leading apostrophe in
CSV, and XLSX cells are written as strings, never formulas (OWASP "CSV
injection"). Numbers stay numbers. Characters XML cannot hold are dropped,
never an error.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from ..core.formatting import fmt_date
from ..core.i18n import t
from ..core.xml_text import xml_safe

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"  # werkzeug adds "; charset=utf-8" (once)


def cell_value(value):
    """A DataFrame value as a spreadsheet value: dates as dates, missing as empty."""
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value
    if value is None or (not isinstance(value, (str, bool, dt.date)) and pd.isna(value)):
        return ""
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return value.item()
    return value


def neutral_text(text: str) -> str:
    """Text that no spreadsheet evaluates: a leading apostrophe before formula characters."""
    return "'" + text if text.startswith(FORMULA_START) else text


def clean_text(text: str) -> str:
    """Without the characters XML cannot hold (control characters, U+FFFE, U+FFFF, ...)."""
    return xml_safe(text)


def csv_text(value, lang: str) -> str:
    value = cell_value(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, dt.date):
        return fmt_date(value, lang)
    if isinstance(value, float):
        return (str(int(value)) if value.is_integer() else repr(value)).replace(".", ",")
    if isinstance(value, int):
        return str(value)
    return neutral_text(clean_text(str(value)))


def csv_stream(header: list[str], rows: Iterable[list], lang: str) -> Iterator[bytes]:
    """UTF-8 with BOM, semicolons, CRLF: what Finnish Excel opens directly. Rows are
    written as they come, so a long table never sits in memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_text(h, lang) for h in header])
    buffer.seek(0)
    chunk = "\ufeff" + buffer.read()
    buffer.seek(0)
    buffer.truncate()
    yield chunk.encode("utf-8")
    for i, row in enumerate(rows, start=1):
        writer.writerow([csv_text(v, lang) for v in row])
        if i % 500 == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    rest = buffer.getvalue()
    if rest:
        yield rest.encode("utf-8")


def csv_bytes(header: list[str], rows: Iterable[list], lang: str) -> bytes:
    return b"".join(csv_stream(header, rows, lang))


@dataclass
class Sheet:
    title: str
    header: list[str]
    rows: Iterable[list]
    formats: dict[int, str] = field(default_factory=dict)  # column index -> number format
    widths: dict[int, float] = field(default_factory=dict)  # column index -> width (else from the header)
    wrap: tuple[int, ...] = ()  # columns whose long text wraps
    choices: dict[int, list[str]] = field(default_factory=dict)  # column index -> its drop-down list (strict)


def _xlsx_cell(sheet, value, fmt: str | None, wrap: bool):
    value = cell_value(value)
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=clean_text(value))
        cell.data_type = "s"  # a string, never a formula
    else:
        cell = WriteOnlyCell(sheet, value=value)
    if fmt and not isinstance(value, str):
        cell.number_format = fmt
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def write_xlsx(sheets: list[Sheet], meta: list[tuple[str, str]], meta_title: str, target) -> None:
    """Each sheet as a real Excel table (filters, stripes, frozen header), then a
    sheet of caption, export time, source and notes. Written in openpyxl's
    write-only mode: memory stays flat however many rows there are."""
    workbook = Workbook(write_only=True)
    for index, spec in enumerate(sheets, start=1):
        sheet = workbook.create_sheet(clean_text(spec.title)[:31] or f"Taulukko{index}")
        for col, name in enumerate(spec.header):
            width = spec.widths.get(col, max(10, min(60, len(str(name)) + 4)))
            sheet.column_dimensions[get_column_letter(col + 1)].width = width
        sheet.freeze_panes = "A2"
        header = [_xlsx_cell(sheet, name, None, False) for name in spec.header]
        for cell in header:
            cell.font = Font(bold=True)
        sheet.append(header)
        count = 0
        for row in spec.rows:
            sheet.append([_xlsx_cell(sheet, v, spec.formats.get(i), i in spec.wrap) for i, v in enumerate(row)])
            count += 1
        if not count:
            sheet.append(["" for _ in spec.header])
        for col, names in spec.choices.items():
            _choice_list(sheet, col, names, max(2, count + 1))
        last = get_column_letter(max(1, len(spec.header)))
        table = Table(displayName=f"Taulukko{index}", ref=f"A1:{last}{max(2, count + 1)}")
        names = _unique([clean_text(str(h)) or f"Sarake{i + 1}" for i, h in enumerate(spec.header)])
        table.tableColumns = [TableColumn(id=i + 1, name=name) for i, name in enumerate(names)]
        table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
        with warnings.catch_warnings():  # openpyxl always warns in write-only mode; the columns are set above
            warnings.filterwarnings("ignore", "In write-only mode", UserWarning)
            sheet.add_table(table)
    info = workbook.create_sheet(clean_text(meta_title)[:31])
    info.column_dimensions["A"].width = 24
    info.column_dimensions["B"].width = 100
    for key, value in meta:
        first = _xlsx_cell(info, key, None, False)
        first.font = Font(bold=True)
        info.append([first, _xlsx_cell(info, value, None, True)])
    workbook.save(target)


def _choice_list(sheet, col: int, names: list[str], last_row: int) -> None:
    """A drop-down list of ``names`` on column ``col`` (rows 2..last_row): Excel refuses any
    other value. The list is written into the rule itself (at most 255 characters, no commas
    in a name), so it needs no sheet of its own and works in write-only mode."""
    names = [clean_text(n) for n in names if n and "," not in n and '"' not in n]
    listed = ",".join(names)
    if not names or len(listed) > 253:
        return
    letter = get_column_letter(col + 1)
    validation = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True, showErrorMessage=True)
    validation.error = listed[:255]
    validation.add(f"{letter}2:{letter}{last_row}")
    sheet.data_validations.append(validation)


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        out.append(name)
    return out


def xlsx_bytes(sheets: list[Sheet], meta: list[tuple[str, str]], meta_title: str) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(sheets, meta, meta_title, buffer)
    return buffer.getvalue()


def xlsx_file(sheets: list[Sheet], meta: list[tuple[str, str]], meta_title: str):
    """The workbook in a temporary file (deleted when closed): large tables are
    written to disk, not held in memory, and streamed from there."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    write_xlsx(sheets, meta, meta_title, handle)
    handle.seek(0)
    return handle


def _text_cell(sheet, row: int, column: int, value: str, bold: bool = False) -> None:
    """A cell of a normal worksheet holding ``value`` as text, never a formula."""
    cell = sheet.cell(row=row, column=column, value=clean_text(str(value)))
    cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)


def template_xlsx(
    header: list[str],
    notes: list[tuple[str, str]],
    lists: dict[str, list[str]],
    lists_title: str,
    prompt: str,
    multi_valued: tuple[str, ...] = (),
    rows: int = 2000,
    titles: tuple[str, str] = ("Raportit", "Ohjeet"),
) -> bytes:
    """The empty import template: the header row, a drop-down list (data
    validation) on each column that has valid names in ``lists`` (kept on a
    hidden sheet), and a sheet of notes. Columns in ``multi_valued`` take
    several ``;``-separated values, so their list is a suggestion; the other
    columns refuse anything not on their list. ``titles`` names the data sheet and the notes' sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = clean_text(titles[0])[:31]
    for col, name in enumerate(header, start=1):
        _text_cell(sheet, 1, col, name, bold=True)
        sheet.column_dimensions[get_column_letter(col)].width = max(14, len(name) + 4)
    sheet.freeze_panes = "A2"
    hidden = workbook.create_sheet(clean_text(lists_title)[:31] or "Listat")
    hidden.sheet_state = "hidden"
    used = [(column, names) for column, names in lists.items() if column in header and names]
    for index, (column, names) in enumerate(used, start=1):
        letter = get_column_letter(index)
        _text_cell(hidden, 1, index, column, bold=True)
        for row, name in enumerate(names, start=2):
            _text_cell(hidden, row, index, name)
        strict = column not in multi_valued
        validation = DataValidation(
            type="list",
            formula1=f"'{hidden.title}'!${letter}$2:${letter}${len(names) + 1}",
            allow_blank=True,
            showErrorMessage=strict,
            showInputMessage=not strict,
            promptTitle=column[:32],
            prompt=prompt[:255],
            errorTitle=column[:32],
            error=(column + ": " + ", ".join(names))[:255],
        )
        target = get_column_letter(header.index(column) + 1)
        validation.add(f"{target}2:{target}{rows + 1}")
        sheet.add_data_validation(validation)
    info = workbook.create_sheet(clean_text(titles[1])[:31])
    info.column_dimensions["A"].width = 24
    info.column_dimensions["B"].width = 100
    for row, (key, value) in enumerate(notes, start=1):
        _text_cell(info, row, 1, key, bold=True)
        _text_cell(info, row, 2, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rejected_rows(frame: pd.DataFrame, fmt: str, lang: str = "fi") -> bytes:
    """An import's rejected rows (row number, reasons, the original cells) to
    fix and import again: XLSX for an XLSX file, else CSV; formula-safe."""
    header = [str(c) for c in frame.columns]
    rows = [[None if pd.isna(v) else v for v in row] for row in frame.itertuples(index=False)]
    if fmt == "xlsx":
        return xlsx_bytes(
            [Sheet(t("coord.rejected_sheet", lang), header, rows, widths={1: 60})],
            [(t("coord.instructions", lang), t("coord.rejected_instructions", lang))],
            t("meta.sheet", lang),
        )
    return csv_bytes(header, rows, "fi")
