"""The whole XLSX read inside the import's 20 s deadline (issue 21): besides the shared strings and
the rows, the styles part streams under the same deadline (only what reading values needs: which
styles are dates), an oversized styles part is refused before it is parsed with a clear message,
and every other part openpyxl parses whole when it opens a workbook is bounded. Each file is
crafted here, small on disk."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook

from dashboard.imports import tables
from dashboard.imports.tables import ImportFileError, read_table

XF = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'


def workbook(date_cell: bool = True) -> bytes:
    """A report file of two rows, its second row's date a real Excel date (styled as one)."""
    book = Workbook()
    sheet = book.active
    sheet.append(["raportin_tunniste", "pvm", "havainto"])
    sheet.append(["R-1", dt.datetime(2024, 9, 15) if date_cell else "15.9.2024", "Havainto"])
    sheet["B2"].number_format = "d.m.yyyy"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def replaced(data: bytes, name: str, change) -> bytes:
    """``data`` with the part ``name`` changed by ``change(bytes) -> bytes`` (added if missing)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as small, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as big:
        names = small.namelist()
        for member in names:
            part = small.read(member)
            big.writestr(member, change(part) if member == name else part)
        if name not in names:
            big.writestr(name, change(b""))
    return out.getvalue()


def with_cell_styles(data: bytes, count: int, tail: bytes = b"") -> bytes:
    """``count`` more cell styles in the styles part (``tail`` after its end)."""

    def change(styles: bytes) -> bytes:
        return styles.replace(b"</cellXfs>", XF * count + b"</cellXfs>").replace(
            b"</styleSheet>", b"</styleSheet>" + tail
        )

    return replaced(data, "xl/styles.xml", change)


def unpacked(data: bytes, name: str) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.getinfo(name).file_size


def test_an_oversized_styles_part_is_refused_before_it_is_parsed_with_a_clear_message():
    # 300 000 cell styles: 18 MB unpacked in a 60 kB file (openpyxl took about 2 s per MB to build them).
    data = with_cell_styles(workbook(), 300_000, tail=b"<broken>")
    assert len(data) < 100_000 and unpacked(data, "xl/styles.xml") > tables.MAX_STYLES_BYTES
    with pytest.raises(ImportFileError) as refused:
        read_table("muotoilut.xlsx", data=data)
    fi, sv = refused.value.message("fi"), refused.value.message("sv")
    assert "muotoiluosa (xl/styles.xml) purkautuu 18 megatavuun; enintään 16 Mt hyväksytään" in fi, fi
    assert "CSV" in fi and "formatdel" in sv


def test_the_styles_part_streams_under_the_read_deadline(monkeypatch):
    # Under the size limit but many styles, and broken XML after them: the read stops at the
    # deadline (here already passed) instead of parsing to the end.
    data = with_cell_styles(workbook(), 100_000, tail=b"<broken>")
    assert unpacked(data, "xl/styles.xml") < tables.MAX_STYLES_BYTES
    monkeypatch.setattr(tables, "MAX_SECONDS", 0)
    with pytest.raises(ImportFileError) as refused:
        read_table("muotoilut.xlsx", data=data)
    assert "tiedoston lukeminen kesti yli 0 s" in refused.value.message("fi")


def test_dates_still_read_as_dates_and_a_workbook_with_many_styles_reads():
    table = read_table("raportit.xlsx", data=workbook())
    assert table.rows == [(2, ["R-1", "2024-09-15", "Havainto"])]
    # 50 000 extra styles (3 MB) read within the deadline, the date still a date.
    assert read_table("raportit.xlsx", data=with_cell_styles(workbook(), 50_000)).rows[0][1][1] == "2024-09-15"
    # A date typed as text stays the text the import parses.
    assert read_table("raportit.xlsx", data=workbook(date_cell=False)).rows[0][1][1] == "15.9.2024"


def test_every_other_part_parsed_whole_is_bounded():
    # Document properties of 2 MB (openpyxl parses them when it opens the workbook).
    data = replaced(
        workbook(),
        "docProps/custom.xml",
        lambda _: b'<?xml version="1.0"?><Properties>' + b"<x>" + b"a" * 2_000_000 + b"</x></Properties>",
    )
    assert len(data) < 50_000
    with pytest.raises(ImportFileError) as refused:
        read_table("ominaisuudet.xlsx", data=data)
    fi = refused.value.message("fi")
    assert "osa docProps/custom.xml on liian suuri (1\u00a0953 kt; enintään 1\u00a0024 kt)" in fi, fi
    # Images and the drawings of ordinary sheets are never parsed: a large one is no reason to refuse.
    picture = replaced(workbook(), "xl/media/image1.png", lambda _: b"\x89PNG" + b"\0" * 3_000_000)
    assert read_table("kuva.xlsx", data=picture).rows[0][1][0] == "R-1"


def test_a_chart_sheets_parts_are_bounded_too():
    """A chart sheet is the one place a read-only open parses drawings and charts."""
    from openpyxl.chart import BarChart, Reference

    book = Workbook()
    sheet = book.active
    sheet.append(["raportin_tunniste", "pvm", "havainto"])
    sheet.append(["R-1", "15.9.2024", "Havainto"])
    chart = BarChart()
    chart.add_data(Reference(sheet, min_col=1, min_row=1, max_row=2))
    book.create_chartsheet("Kaavio").add_chart(chart)
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    assert read_table("kaavio.xlsx", data=data).rows[0][1][0] == "R-1"  # a chart sheet as such is fine
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        chart_part = next(n for n in archive.namelist() if n.startswith("xl/charts/"))
    padded = replaced(data, chart_part, lambda xml: xml.replace(b"</chartSpace>", b" " * 1_500_000 + b"</chartSpace>"))
    with pytest.raises(ImportFileError) as refused:
        read_table("kaavio.xlsx", data=padded)
    assert f"osa {chart_part} on liian suuri" in refused.value.message("fi")
