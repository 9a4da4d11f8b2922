"""Reading a user's table file (CSV in any common dialect, or XLSX) into rows
of strings, with the row numbers a spreadsheet user sees."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

MAX_ROWS = 200_000


class ImportFileError(ValueError):
    """The file as a whole cannot be read; nothing was loaded."""


@dataclass
class Table:
    header: list[str]             # as written in the file
    rows: list[tuple[int, list[str]]]  # (row number in the file, cells)
    source: str


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_cell(value: object) -> str:
    """A cell as text without control characters (Excel's Alt+Enter exports a
    vertical tab in some tools): vertical tabs and carriage returns become
    line breaks, other control characters go; newlines and tabs stay."""
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n").replace("\x0c", "\n")
    return CONTROL.sub("", text)


def normalise_header(name: str) -> str:
    """'Palvelutehtävä ' -> 'palvelutehtava', 'Asiakkaan ääni' -> 'asiakkaan_aani'."""
    text = unicodedata.normalize("NFKD", str(name).strip().casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\s\-/]+", "_", text).strip("_")


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError("tiedoston merkistöä ei tunnistettu (UTF-8 tai Windows-1252)")


def _read_csv(data: bytes, source: str) -> Table:
    text = _decode(data)
    if not text.strip():
        raise ImportFileError("tiedosto on tyhjä")
    first_line = text.lstrip("\r\n").splitlines()[0]
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    delimiter = max(counts, key=counts.get)
    if counts[delimiter] == 0:
        raise ImportFileError("otsikkoriviä ei löytynyt: sarakkeita ei ole erotettu puolipisteellä tai pilkulla")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    try:
        for record in reader:
            line = reader.line_num
            if header is None:
                if not any(c.strip() for c in record):
                    continue
                header = record
                continue
            if not any(c.strip() for c in record):
                continue
            rows.append((line, record))
            if len(rows) > MAX_ROWS:
                raise ImportFileError(f"tiedostossa on yli {MAX_ROWS} riviä")
    except csv.Error as exc:
        raise ImportFileError(f"CSV-tiedostoa ei voitu lukea: {exc}") from exc
    if header is None:
        raise ImportFileError("tiedostossa ei ole otsikkoriviä")
    return Table(header=header, rows=rows, source=source)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(data: bytes, source: str, sheet: str | None) -> Table:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ImportFileError(f"Excel-tiedostoa ei voitu avata: {exc.__class__.__name__}") from exc
    try:
        if sheet is not None:
            if sheet not in workbook.sheetnames:
                raise ImportFileError(f"välilehteä '{sheet}' ei ole; välilehdet: {', '.join(workbook.sheetnames)}")
            worksheet = workbook[sheet]
        else:
            worksheet = workbook.worksheets[0]
        header: list[str] | None = None
        rows: list[tuple[int, list[str]]] = []
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(v) for v in values]
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = cells
                continue
            rows.append((number, cells))
            if len(rows) > MAX_ROWS:
                raise ImportFileError(f"tiedostossa on yli {MAX_ROWS} riviä")
    finally:
        workbook.close()
    if header is None:
        raise ImportFileError("tiedostossa ei ole otsikkoriviä")
    while header and not header[-1].strip():
        header.pop()
    return Table(header=header, rows=rows, source=source)


def read_table(path: Path | str, sheet: str | None = None, data: bytes | None = None, name: str | None = None) -> Table:
    """Read CSV or XLSX (by content, not only by the file name)."""
    path = Path(path)
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ImportFileError(f"tiedostoa ei voitu lukea: {exc.strerror}") from exc
    source = name or path.name
    if not data.strip():
        raise ImportFileError("tiedosto on tyhjä")
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data, source, sheet)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise ImportFileError("tiedosto ei ole kelvollinen Excel-tiedosto")
    if b"\x00" in data[:4096]:
        raise ImportFileError("tiedosto ei ole CSV- eikä Excel-tiedosto")
    return _read_csv(data, source)
