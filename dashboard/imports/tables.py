"""Reading a user's table file (CSV in any common dialect, or XLSX) into rows
of strings, with the row numbers a spreadsheet user sees."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import gc
import io
import re
import time
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
from openpyxl import load_workbook

from ..core.xml_text import xml_safe

MAX_ROWS = 200_000
MAX_VALUE_ROWS = 20_000_000  # indicator values: a national collection is millions of rows
MAX_BLANK_ROWS = 10_000  # empty rows skipped in a file (a forged sheet can claim a million)
MAX_COLUMNS = 500  # cells read per row
MAX_UNPACKED = 64 * 1024 * 1024  # bytes an XLSX may unpack to (a real report file is a few MB)
MAX_ZIP_MEMBERS = 2_000
MAX_SECONDS = 20  # reading one file; gunicorn gives a request 60 s
DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"[A-Z]{1,3}[0-9]{1,7}(?::[A-Z]{1,3}([0-9]{1,7}))?\"")


class ImportFileError(ValueError):
    """The file as a whole cannot be read; nothing was loaded."""


@dataclass
class Table:
    header: list[str]  # as written in the file
    rows: list[tuple[int, list[str]]]  # (row number in the file, cells)
    source: str
    kind: str = "csv"  # "csv" or "xlsx": what the file was


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A cell our own CSV exports neutralised against formulas ("'=...", see
# dashboard.export.tables): the apostrophe is ours, not the user's.
NEUTRALISED = re.compile(r"'(?=[=+\-@\t\n])")


@contextlib.contextmanager
def bulk():
    """Pause Python's cycle collector while a file's rows are built: with
    hundreds of thousands of new objects it otherwise rescans them all again
    and again (a third of a 100 000-row import). Nothing here makes cycles."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def clean_cell(value: object) -> str:
    """A cell as text without control characters (Excel's Alt+Enter exports a
    vertical tab in some tools): vertical tabs and carriage returns become
    line breaks, other control characters and the characters XML cannot hold
    (U+FFFE, U+FFFF, ...) go; newlines and tabs stay. The
    apostrophe our CSV exports put before a formula character is removed, so
    a downloaded file imports back as it was."""
    text = "" if value is None else str(value)
    if text.isprintable():  # the usual cell: no control characters
        return text[1:] if text[:1] == "'" and NEUTRALISED.match(text) else text
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n").replace("\x0c", "\n")
    text = xml_safe(CONTROL.sub("", text))  # U+FFFE, U+FFFF, lone surrogates: no XML file could hold them
    return text[1:] if NEUTRALISED.match(text) else text


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


def _read_csv(data: bytes, source: str, max_rows: int = MAX_ROWS) -> Table:
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
        with bulk():
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
                if len(rows) > max_rows:
                    raise ImportFileError(f"tiedostossa on yli {max_rows} riviä")
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


def check_xlsx_archive(data: bytes, max_rows: int = MAX_ROWS) -> None:
    """Refuse an XLSX that would unpack too big or claims too many rows, from
    the zip's central directory and each sheet's declared dimension, before
    anything is parsed (a few MB can unpack to gigabytes). The zip reader
    never unpacks more than a member's declared size, so the sizes hold."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                raise ImportFileError(f"Excel-tiedostossa on liian monta osaa ({len(members)})")
            unpacked = sum(m.file_size for m in members)
            if unpacked > MAX_UNPACKED:
                raise ImportFileError(
                    f"Excel-tiedosto purkautuu {unpacked // 2**20} megatavuun; enintään {MAX_UNPACKED // 2**20} Mt "
                    "hyväksytään. Tallenna vain raportit sisältävä välilehti tai CSV-tiedostona"
                )
            for member in members:
                if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                    with archive.open(member) as handle:
                        found = DIMENSION.search(handle.read(4096))
                    if found and found.group(1) and int(found.group(1)) > max_rows + 1:
                        raise ImportFileError(f"tiedostossa on yli {max_rows} riviä ({int(found.group(1)) - 1})")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError) as exc:
        raise ImportFileError(f"Excel-tiedostoa ei voitu avata: {exc.__class__.__name__}") from exc


def _read_xlsx(data: bytes, source: str, sheet: str | None, max_rows: int = MAX_ROWS) -> Table:
    check_xlsx_archive(data, max_rows)
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
        deadline = time.monotonic() + MAX_SECONDS
        # Rows as long as their own last cell, not as wide as the sheet claims.
        worksheet.reset_dimensions()
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            if number % 1000 == 0 and time.monotonic() > deadline:
                raise ImportFileError(f"tiedoston lukeminen kesti yli {MAX_SECONDS} s; jaa se pienempiin osiin")
            if number > max_rows + MAX_BLANK_ROWS:
                raise ImportFileError(f"tiedostossa on yli {max_rows} riviä")
            cells = [_cell_text(v) for v in values[:MAX_COLUMNS]]
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = cells
                continue
            rows.append((number, cells))
            if len(rows) > max_rows:
                raise ImportFileError(f"tiedostossa on yli {max_rows} riviä")
    except ImportFileError:
        raise
    except Exception as exc:  # a sheet that is not a table, broken or forbidden XML (entities, DTDs)
        raise ImportFileError(f"Excel-tiedostoa ei voitu lukea: {exc.__class__.__name__}") from exc
    finally:
        workbook.close()
    if header is None:
        raise ImportFileError("tiedostossa ei ole otsikkoriviä")
    while header and not header[-1].strip():
        header.pop()
    return Table(header=header, rows=rows, source=source, kind="xlsx")


def _file_bytes(path: Path, data: bytes | None) -> bytes:
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ImportFileError(f"tiedostoa ei voitu lukea: {exc.strerror}") from exc
    if not data or data.isspace():
        raise ImportFileError("tiedosto on tyhjä")
    if data[:4] != b"PK\x03\x04" and path.suffix.lower() in (".xlsx", ".xlsm"):
        raise ImportFileError("tiedosto ei ole kelvollinen Excel-tiedosto")
    if data[:4] != b"PK\x03\x04" and b"\x00" in data[:4096]:
        raise ImportFileError("tiedosto ei ole CSV- eikä Excel-tiedosto")
    return data


def read_table(
    path: Path | str,
    sheet: str | None = None,
    data: bytes | None = None,
    name: str | None = None,
    max_rows: int = MAX_ROWS,
) -> Table:
    """Read CSV or XLSX (by content, not only by the file name)."""
    path = Path(path)
    data = _file_bytes(path, data)
    source = name or path.name
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data, source, sheet, max_rows)
    return _read_csv(data, source, max_rows)


@dataclass
class ColumnTable:
    """A table read column-wise: every cell a string (``pa.Table`` columns ``c0``,
    ``c1``, ...), blank rows left out, and the row number a spreadsheet user
    sees for each row (``lines``)."""

    header: list[str]
    cells: pa.Table
    lines: np.ndarray
    source: str

    def __len__(self) -> int:
        return self.cells.num_rows


def _columns_of(table: Table) -> ColumnTable:
    width = len(table.header)
    columns = [[] for _ in range(width)]
    for _, cells in table.rows:
        for i in range(width):
            columns[i].append(cells[i] if i < len(cells) else "")
    cells = pa.table({f"c{i}": pa.array(col, pa.string()) for i, col in enumerate(columns)})
    return ColumnTable(table.header, cells, np.array([n for n, _ in table.rows], dtype=np.int64), table.source)


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _fast_csv_columns(data: bytes, source: str, max_rows: int) -> ColumnTable | None:
    """The common case read by Arrow: a CSV without quotes, so that every line
    is one row and row numbers follow from the line breaks. None when the
    file needs the exact reader (quotes, lone carriage returns, ragged rows)."""
    raw = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if b'"' in raw or (b"\r" in raw and raw.count(b"\r") != raw.count(b"\r\n")):
        return None
    found = _arrow_columns(raw, source, max_rows)
    if found is None and not _is_utf8(raw):
        try:  # Windows-1252, as the row reader reads it
            found = _arrow_columns(raw.decode("cp1252").encode("utf-8"), source, max_rows)
        except UnicodeDecodeError:
            return None
    return found


def _arrow_columns(raw: bytes, source: str, max_rows: int) -> ColumnTable | None:
    buffer = np.frombuffer(raw, dtype=np.uint8)
    breaks = np.flatnonzero(buffer == 10)
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [len(raw)]))
    ends = ends - ((ends > starts) & (buffer[np.maximum(ends - 1, 0)] == 13))
    filled = np.flatnonzero(ends > starts)
    if not len(filled):
        return None
    first = filled[0]
    try:
        header_line = raw[starts[first] : ends[first]].decode("utf-8")
    except UnicodeDecodeError:
        return None
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    delimiter = max(counts, key=counts.get)
    if counts[delimiter] == 0 or not header_line.replace(delimiter, "").strip():
        return None  # the exact reader skips blank-looking rows and says what is wrong
    header = header_line.split(delimiter)
    names = [f"c{i}" for i in range(len(header))]
    lines = filled[1:] + 1
    if len(lines) > max_rows:
        raise ImportFileError(f"tiedostossa on yli {max_rows} riviä")
    if not len(lines):
        return ColumnTable(header, pa.table({n: pa.array([], pa.string()) for n in names}), lines, source)
    body = pa.py_buffer(raw).slice(int(starts[lines[0] - 1]))  # no copy
    try:
        cells = pa_csv.read_csv(
            pa.BufferReader(body),
            read_options=pa_csv.ReadOptions(column_names=names, block_size=16 << 20),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, quote_char=False, ignore_empty_lines=True),
            convert_options=pa_csv.ConvertOptions(
                column_types={n: pa.string() for n in names}, strings_can_be_null=False
            ),
        )
    except pa.ArrowInvalid:  # a ragged row or bytes that are not UTF-8
        return None
    if cells.num_rows != len(lines):
        return None
    # A row of empty cells (;;;;) is a blank row, as for the exact reader. Only rows
    # whose first cell is empty need a look at the others.
    filled_row = pc.not_equal(pc.utf8_trim_whitespace(cells.column(0)), "")
    if not pc.all(filled_row).as_py():
        for column in cells.columns[1:]:
            filled_row = pc.or_(filled_row, pc.not_equal(pc.utf8_trim_whitespace(column), ""))
        keep = filled_row.to_numpy(zero_copy_only=False)
        cells, lines = cells.filter(filled_row), lines[keep]
    return ColumnTable(header, cells, lines.astype(np.int64), source)


def read_columns(
    path: Path | str, data: bytes | None = None, name: str | None = None, max_rows: int = MAX_VALUE_ROWS
) -> ColumnTable:
    """Read a large CSV or XLSX column-wise, with the same row numbers and the
    same blank-row rule as :func:`read_table` (which it falls back to)."""
    path = Path(path)
    data = _file_bytes(path, data)
    source = name or path.name
    if data[:4] != b"PK\x03\x04":
        fast = _fast_csv_columns(data, source, max_rows)
        if fast is not None:
            return fast
    return _columns_of(read_table(path, data=data, name=source, max_rows=max_rows))
