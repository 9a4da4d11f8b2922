"""Reading a user's table file (CSV in any common dialect, or XLSX) into rows
of strings, with the row numbers a spreadsheet user sees."""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import gc
import io
import re
import threading
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
from openpyxl import load_workbook
from openpyxl.reader import excel as openpyxl_excel
from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.xml.constants import ARC_STYLE, SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse as openpyxl_iterparse  # defusedxml's when installed

from ..core.config import LANGUAGES
from ..core.formatting import fmt_number
from ..core.i18n import LazyText, lazy_t, lazy_tn, render
from ..core.xml_text import xml_safe

MAX_ROWS = 200_000
MAX_VALUE_ROWS = 20_000_000  # indicator values: a national collection is millions of rows
MAX_BLANK_ROWS = 10_000  # empty rows skipped in a file (a forged sheet can claim a million)
MAX_COLUMNS = 500  # cells read per row
MAX_UNPACKED = 64 * 1024 * 1024  # bytes an XLSX may unpack to (a real report file is a few MB)
# The styles part is read as it streams, under the read's deadline (``_number_styles``); a real one is
# tens of kB, one of Excel's 64 000 cell styles about 4 MB.
MAX_STYLES_BYTES = 16 * 1024 * 1024
# The other parts openpyxl parses whole when it opens a workbook (the manifest, relationships, the
# workbook, properties, chart sheets): each a few kB in a real file; bounded so their parsing fits
# the deadline (about 2 s per MB here).
MAX_PART_BYTES = 1024 * 1024
MAX_PARTS_BYTES = 2 * 1024 * 1024
MAX_ZIP_MEMBERS = 2_000
MAX_SECONDS = 20  # reading one file, from opening the workbook to its last row
MAX_CELL_CHARS = 100_000  # one cell: five times the longest report text the import takes
MAX_CHARS = 64_000_000  # text in one file, counted cell by cell as it is read (a shared string every time it is used)
MAX_FILE_BYTES = 256 * 1024 * 1024  # a table file read whole (an upload is at most 20 MB)
DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"[A-Z]{1,3}[0-9]{1,7}(?::[A-Z]{1,3}([0-9]{1,7}))?\"")


def numbers(value: int) -> dict[str, str]:
    """A limit in a message, written as each language writes numbers (64 000 000, 64,000,000)."""
    return {lang: fmt_number(value, lang) for lang in LANGUAGES}


class ImportFileError(ValueError):
    """The file as a whole cannot be read; nothing was loaded. Raised with a ``lazy_t(...)``
    message (or a plain text): ``message(lang)`` says why in the reader's language, ``str()`` in Finnish."""

    def message(self, lang: str = "fi") -> str:
        return str(render(self.args[0], lang)) if self.args else ""


@dataclass
class Table:
    header: list[str]  # as written in the file
    rows: list[tuple[int, list[str]]]  # (row number in the file, cells)
    source: str
    kind: str = "csv"  # "csv" or "xlsx": what the file was
    encoding: str = ""  # how a CSV was decoded: "UTF-8", "UTF-8 (BOM)", "Windows-1252", "UTF-8 + Windows-1252"
    notes: list[LazyText] = field(default_factory=list)  # warnings, said in the reader's language


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


# A valid UTF-8 sequence of two to four bytes (RFC 3629): what an UTF-8 file's ä, ö and € are made of.
UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
MAX_LISTED = 10  # row numbers listed in a warning


def _cp1252(byte: int) -> str:
    """A byte as Windows-1252 reads it (its five unassigned bytes as Latin-1 does)."""
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


@dataclass
class Decoded:
    text: str
    encoding: str
    odd_lines: list[int]  # lines that hold bytes of the other encoding (the first MAX_LISTED)
    odd_count: int = 0


ASCII = bytes(range(128))
STRAY_HANDLER = "tilannekuva-stray-cp1252"
_strays = threading.local()


def _stray_as_cp1252(error: UnicodeError) -> tuple[str, int]:
    """Decoding UTF-8: a byte that is not UTF-8 is read as Windows-1252, and where it was is noted."""
    if not isinstance(error, UnicodeDecodeError):  # registered for decoding only
        raise error
    positions = getattr(_strays, "positions", None)
    if positions is not None and len(positions) < MAX_LISTED * 4:
        positions.append(error.start)
    return "".join(_cp1252(b) for b in error.object[error.start : error.end]), error.end


codecs.register_error(STRAY_HANDLER, _stray_as_cp1252)


def decode(data: bytes) -> Decoded:
    """The text of a CSV file: UTF-8 (with or without BOM) or Windows-1252,
    and which it was. A UTF-8 file with a few stray Windows-1252 bytes (one
    row pasted from an old file) is read as UTF-8 with those bytes read as
    Windows-1252, and the lines that hold them are named, instead of reading
    the whole file as Windows-1252 and garbling every ä of it. Linear time."""
    bom = data.startswith(b"\xef\xbb\xbf")
    body = data[3:] if bom else data
    try:
        return Decoded(body.decode("utf-8"), "UTF-8 (BOM)" if bom else "UTF-8", [])
    except UnicodeDecodeError:
        pass
    # Bytes that are not UTF-8, and the bytes of valid UTF-8 sequences (counted in C, not match by match).
    stray = len(body) - len(body.decode("utf-8", "ignore").encode("utf-8"))
    in_sequences = len(body.translate(None, ASCII)) - stray
    if bom or in_sequences > stray:  # UTF-8 with stray bytes
        _strays.positions = []
        text = body.decode("utf-8", STRAY_HANDLER)
        where = _strays.positions
        listed = sorted({body.count(b"\n", 0, at) + 1 for at in where})[:MAX_LISTED]
        return Decoded(text, "UTF-8 + Windows-1252", listed, stray)
    lines: set[int] = set()
    for match in UTF8_SEQUENCE.finditer(body) if in_sequences else ():
        lines.add(body.count(b"\n", 0, match.start()) + 1)
        if len(lines) > MAX_LISTED:
            break
    try:
        text = body.decode("cp1252")
    except UnicodeDecodeError:  # one of its five unassigned bytes
        text = "".join(_cp1252(b) for b in body)
    return Decoded(text, "Windows-1252", sorted(lines)[:MAX_LISTED], len(lines) and in_sequences // 2)


def _decode_notes(decoded: Decoded) -> list[LazyText]:
    if not decoded.odd_count:
        return []
    rows = ", ".join(str(n) for n in decoded.odd_lines) + (" …" if decoded.odd_count > len(decoded.odd_lines) else "")
    key = "import.note.mixed_utf8" if decoded.encoding.startswith("UTF-8") else "import.note.mixed_cp1252"
    return [lazy_tn(key, decoded.odd_count, rows=rows)]


def _too_long_cell(number: int, header: list[str] | None, cells: list[str]) -> ImportFileError:
    index = next(i for i, c in enumerate(cells) if len(c) > MAX_CELL_CHARS)
    column = header[index] if header and index < len(header) and header[index].strip() else str(index + 1)
    return ImportFileError(
        lazy_t("import.file.cell_too_long", row=number, column=column[:60], max=numbers(MAX_CELL_CHARS))
    )


def _read_csv(data: bytes, source: str, max_rows: int = MAX_ROWS, max_chars: int | None = MAX_CHARS) -> Table:
    decoded = decode(data)
    text = decoded.text
    if not text.strip():
        raise ImportFileError(lazy_t("import.file.empty"))
    if max_chars is not None and len(text) > max_chars:
        row = text.count("\n", 0, max_chars) + 1
        raise ImportFileError(lazy_t("import.file.too_many_chars", max=numbers(max_chars), row=row))
    first_line = text.lstrip("\r\n").splitlines()[0]
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    delimiter = max(counts, key=counts.__getitem__)
    if counts[delimiter] == 0:
        raise ImportFileError(lazy_t("import.file.no_delimiter"))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    try:
        with bulk():
            for record in reader:
                line = reader.line_num
                if sum(map(len, record)) > MAX_CELL_CHARS and max(map(len, record)) > MAX_CELL_CHARS:
                    raise _too_long_cell(line, header, record)
                if header is None:
                    if not any(c.strip() for c in record):
                        continue
                    header = record
                    continue
                if not any(c.strip() for c in record):
                    continue
                rows.append((line, record))
                if len(rows) > max_rows:
                    raise ImportFileError(lazy_t("import.file.too_many_rows", max=max_rows))
    except csv.Error as exc:
        raise ImportFileError(lazy_t("import.file.csv_unreadable", error=str(exc))) from exc
    if header is None:
        raise ImportFileError(lazy_t("import.file.no_header"))
    return Table(header=header, rows=rows, source=source, encoding=decoded.encoding, notes=_decode_notes(decoded))


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
                raise ImportFileError(lazy_t("import.file.xlsx_parts", count=len(members)))
            unpacked = sum(m.file_size for m in members)
            if unpacked > MAX_UNPACKED:
                raise ImportFileError(
                    lazy_t("import.file.xlsx_too_big", size=unpacked // 2**20, max=MAX_UNPACKED // 2**20)
                )
            _check_parts(members)
            for member in members:
                if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                    with archive.open(member) as handle:
                        found = DIMENSION.search(handle.read(4096))
                    if found and found.group(1) and int(found.group(1)) > max_rows + 1:
                        raise ImportFileError(
                            lazy_t("import.file.too_many_rows_counted", max=max_rows, count=int(found.group(1)) - 1)
                        )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError) as exc:
        raise ImportFileError(lazy_t("import.file.xlsx_unopenable", error=exc.__class__.__name__)) from exc


def _parsed_whole(name: str, chart_sheets: bool) -> bool:
    """A part openpyxl parses in one piece when it opens a workbook read-only (the sheets and the
    shared strings stream under the deadline, the styles too: ``_number_styles``; images, drawings
    and comments of ordinary sheets are not read at all)."""
    return (
        name == "[Content_Types].xml"
        or name.endswith(".rels")
        or name == "xl/workbook.xml"
        or name.startswith("docProps/")
        or name.startswith("xl/chartsheets/")
        or (chart_sheets and name.startswith(("xl/drawings/", "xl/charts/")))
    )


def _check_parts(members: list[zipfile.ZipInfo]) -> None:
    """Refuse, before anything is parsed, a part whose parsing could outlast the read's deadline."""
    mb = 2**20
    chart_sheets = any(m.filename.startswith("xl/chartsheets/") for m in members)
    whole = 0
    for member in members:
        if member.filename == ARC_STYLE and member.file_size > MAX_STYLES_BYTES:
            raise ImportFileError(
                lazy_t("import.file.xlsx_styles_too_big", size=-(-member.file_size // mb), max=MAX_STYLES_BYTES // mb)
            )
        if _parsed_whole(member.filename, chart_sheets):
            whole += member.file_size
            if member.file_size > MAX_PART_BYTES or whole > MAX_PARTS_BYTES:
                raise ImportFileError(
                    lazy_t(
                        "import.file.xlsx_part_too_big",
                        part=member.filename,
                        size=numbers(member.file_size // 1024),
                        max=numbers(MAX_PART_BYTES // 1024),
                    )
                )


def _size_from_the_head(self) -> None:
    """``ReadOnlyWorksheet._get_size`` that stops where the sheet's data starts.

    openpyxl looks for the ``<dimension>`` element with the parser's *end*
    events, so on a sheet without one it parses every row before it stops at
    the end of ``<sheetData>``: opening a workbook of a million rows took a
    minute before a single row was read. The dimension comes before the data
    in every valid sheet, so looking at start events up to ``<sheetData>``
    finds the same answer."""
    source = self._get_source()
    try:
        for _event, element in openpyxl_iterparse(source, events=("start",)):
            if element.tag == DIMENSION_TAG:
                bounds = SheetDimension.from_tree(element).boundaries
                if bounds is not None:
                    self._min_column, self._min_row, self._max_column, self._max_row = bounds
                return
            if element.tag == DATA_TAG:
                return
    finally:
        source.close()


ReadOnlyWorksheet._get_size = _size_from_the_head

SHARED_STRING, TEXT, RUN = (f"{{{SHEET_MAIN_NS}}}{tag}" for tag in ("si", "t", "r"))
_opening = threading.local()  # the deadline of the workbook this thread is opening


class _Overdue(Exception):
    """Opening a workbook passed its deadline (not a ValueError: openpyxl rewraps those)."""


def _shared_strings(xml_source) -> list[str]:
    """openpyxl's ``read_string_table`` within the read's deadline, and twice as fast.

    A workbook's shared strings are all read when it is opened, before any row:
    a 150 kB file can hold millions of them (they compress 400-fold), which took
    openpyxl a minute and a half. Each string is its plain text or its rich-text
    runs joined (phonetic hints left out), as openpyxl reads it."""
    deadline = getattr(_opening, "deadline", None)
    strings: list[str] = []
    for _event, node in openpyxl_iterparse(xml_source):
        if node.tag != SHARED_STRING:
            continue
        parts = []
        for child in node:
            if child.tag == TEXT:
                parts.append(child.text or "")
            elif child.tag == RUN:
                parts.extend(text.text or "" for text in child.iterfind(TEXT))
        strings.append("".join(parts).replace("x005F_", ""))
        node.clear()
        if deadline is not None and len(strings) % 1000 == 0 and time.monotonic() > deadline:
            raise _Overdue
    return strings


openpyxl_excel.read_string_table = _shared_strings
_apply_stylesheet = openpyxl_excel.apply_stylesheet
XF, NUM_FMT, CELL_XFS = (f"{{{SHEET_MAIN_NS}}}{tag}" for tag in ("xf", "numFmt", "cellXfs"))


def _number_styles(archive, workbook):
    """openpyxl's ``apply_stylesheet`` for a workbook :func:`_read_xlsx` opens: of the styles part
    only what reading values needs (which cell styles are dates or durations), streamed and within
    the read's deadline. openpyxl builds every font, fill and style as an object (about 2 s per MB:
    a forged 60 MB part would take two minutes); elsewhere (no deadline set) it still does."""
    deadline = getattr(_opening, "deadline", None)
    if deadline is None:
        return _apply_stylesheet(archive, workbook)
    try:
        source = archive.open(ARC_STYLE)
    except KeyError:
        return workbook
    custom: dict[int, str] = {}
    cell_formats: list[int] = []
    depth = 0  # inside <cellXfs> (the cell styles; <cellStyleXfs> holds the named ones)
    with source:
        for seen, (event, node) in enumerate(openpyxl_iterparse(source, events=("start", "end")), start=1):
            if event == "start":
                if node.tag == CELL_XFS:
                    depth += 1
                elif node.tag == XF and depth:
                    cell_formats.append(int(node.get("numFmtId") or 0))
                elif node.tag == NUM_FMT:
                    custom[int(node.get("numFmtId") or 0)] = node.get("formatCode") or ""
            else:
                if node.tag == CELL_XFS:
                    depth -= 1
                node.clear()
            if seen % 1000 == 0 and time.monotonic() > deadline:
                raise _Overdue
    codes = [custom[f] if f in custom else builtin_format_code(f) for f in cell_formats]
    workbook._date_formats = {i for i, code in enumerate(codes) if is_date_format(code)}
    workbook._timedelta_formats = {i for i, code in enumerate(codes) if is_timedelta_format(code)}
    return workbook


openpyxl_excel.apply_stylesheet = _number_styles


def _slow(seconds: int) -> ImportFileError:
    return ImportFileError(lazy_t("import.file.too_slow", seconds=seconds))


def _read_xlsx(
    data: bytes, source: str, sheet: str | None, max_rows: int = MAX_ROWS, max_chars: int | None = MAX_CHARS
) -> Table:
    check_xlsx_archive(data, max_rows)
    # The deadline covers opening the workbook too: its shared strings and its styles, however
    # many, are read within it (``_shared_strings``, ``_number_styles``); every other part opening
    # parses is small (``check_xlsx_archive``), so the whole read fits the deadline.
    deadline = _opening.deadline = time.monotonic() + MAX_SECONDS
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _Overdue as exc:
        raise _slow(MAX_SECONDS) from exc
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ImportFileError(lazy_t("import.file.xlsx_unopenable", error=exc.__class__.__name__)) from exc
    finally:
        _opening.deadline = None
    try:
        if time.monotonic() > deadline:
            raise _slow(MAX_SECONDS)
        if sheet is not None:
            if sheet not in workbook.sheetnames:
                raise ImportFileError(
                    lazy_t("import.file.no_sheet", sheet=sheet, sheets=", ".join(workbook.sheetnames))
                )
            worksheet = workbook[sheet]
        else:
            worksheet = workbook.worksheets[0]
        header: list[str] | None = None
        rows: list[tuple[int, list[str]]] = []
        total = 0  # characters read so far: a shared string counts every time a cell uses it
        # Rows as long as their own last cell, not as wide as the sheet claims.
        worksheet.reset_dimensions()
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            if number % 100 == 0 and time.monotonic() > deadline:
                raise _slow(MAX_SECONDS)
            if number > max_rows + MAX_BLANK_ROWS:
                raise ImportFileError(lazy_t("import.file.too_many_rows", max=max_rows))
            cells = [_cell_text(v) for v in values[:MAX_COLUMNS]]
            length = sum(map(len, cells))
            if length > MAX_CELL_CHARS and max(map(len, cells)) > MAX_CELL_CHARS:
                raise _too_long_cell(number, header, cells)
            total += length
            if max_chars is not None and total > max_chars:
                raise ImportFileError(lazy_t("import.file.too_many_chars", max=numbers(max_chars), row=number))
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = cells
                continue
            rows.append((number, cells))
            if len(rows) > max_rows:
                raise ImportFileError(lazy_t("import.file.too_many_rows", max=max_rows))
    except ImportFileError:
        raise
    except Exception as exc:  # a sheet that is not a table, broken or forbidden XML (entities, DTDs)
        raise ImportFileError(lazy_t("import.file.xlsx_unreadable", error=exc.__class__.__name__)) from exc
    finally:
        workbook.close()
    if header is None:
        raise ImportFileError(lazy_t("import.file.no_header"))
    while header and not header[-1].strip():
        header.pop()
    return Table(header=header, rows=rows, source=source, kind="xlsx")


def _file_bytes(path: Path, data: bytes | None, max_bytes: int | None = MAX_FILE_BYTES) -> bytes:
    if data is None:
        try:
            if max_bytes is not None and path.stat().st_size > max_bytes:
                raise ImportFileError(lazy_t("import.file.too_large", max=numbers(max_bytes // 2**20)))
            data = path.read_bytes()
        except OSError as exc:
            raise ImportFileError(lazy_t("import.file.unreadable", error=exc.strerror)) from exc
    if max_bytes is not None and len(data) > max_bytes:
        raise ImportFileError(lazy_t("import.file.too_large", max=numbers(max_bytes // 2**20)))
    if not data or data.isspace():
        raise ImportFileError(lazy_t("import.file.empty"))
    if data[:4] != b"PK\x03\x04" and path.suffix.lower() in (".xlsx", ".xlsm"):
        raise ImportFileError(lazy_t("import.file.not_xlsx"))
    if data[:4] != b"PK\x03\x04" and b"\x00" in data[:4096]:
        raise ImportFileError(lazy_t("import.file.not_table"))
    return data


def read_table(
    path: Path | str,
    sheet: str | None = None,
    data: bytes | None = None,
    name: str | None = None,
    max_rows: int = MAX_ROWS,
    max_chars: int | None = MAX_CHARS,
) -> Table:
    """Read CSV or XLSX (by content, not only by the file name). No cell may
    hold more than ``MAX_CELL_CHARS`` characters and the file no more than
    ``max_chars`` in all, counted as the cells are read."""
    path = Path(path)
    data = _file_bytes(path, data, MAX_FILE_BYTES if max_chars is not None else None)
    source = name or path.name
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data, source, sheet, max_rows, max_chars)
    return _read_csv(data, source, max_rows, max_chars)


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
    columns: list[list[str]] = [[] for _ in range(width)]
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
    if found is None and not _is_utf8(raw):  # Windows-1252 (or stray bytes of it), as the row reader reads it
        found = _arrow_columns(decode(raw).text.encode("utf-8"), source, max_rows)
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
    delimiter = max(counts, key=counts.__getitem__)
    if counts[delimiter] == 0 or not header_line.replace(delimiter, "").strip():
        return None  # the exact reader skips blank-looking rows and says what is wrong
    header = header_line.split(delimiter)
    names = [f"c{i}" for i in range(len(header))]
    lines = filled[1:] + 1
    if len(lines) > max_rows:
        raise ImportFileError(lazy_t("import.file.too_many_rows", max=max_rows))
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
    data = _file_bytes(path, data, None)  # millions of values: bounded by rows, not by characters
    source = name or path.name
    if data[:4] != b"PK\x03\x04":
        fast = _fast_csv_columns(data, source, max_rows)
        if fast is not None:
            return fast
    return _columns_of(read_table(path, data=data, name=source, max_rows=max_rows, max_chars=None))
