"""Importing indicator values (a county's own collections, the demo's synthetic
indicators): every row loaded or rejected with its row number and every reason,
the same whichever way the file is read."""

import duckdb
import pandas as pd
import pytest
from openpyxl import Workbook

from dashboard.imports.indicators import parse_indicator_files, store_indicators
from dashboard.imports.tables import read_columns, read_table
from queries.db import write_new_version

META = (
    "indicator_id;source;name_fi;name_sv;name_en;unit;decimals\r\n"
    "local-a;Oma keruu;Asiakkaat;Klienter;Clients;henkilöä;0\r\n"
    "local-b;Oma keruu;Osuus;Andel;Share;%;1\r\n"
)
VALUES = [
    "indicator_id;region_code;year;sex;value;abs_value;n",  # line 1
    "local-a;09;2024;total;120;120;",  # 2 ok
    "local-a;398;2024;;1 234,5;;40",  # 3 ok: sex defaults to total, spaces and decimal comma
    "",  # 4 blank
    "local-x;09;2024;total;1;;",  # 5 unknown indicator
    "local-b;999;2024;female;5,5;;",  # 6 unknown region
    "local-b;09;20x4;other;abc;1.2.3;n",  # 7 bad year, sex, value, abs_value, n
    "local-a;09;2024;total;121;121;",  # 8 same key as line 2
    ";;;;;;",  # 9 blank (only separators)
    "local-b;09;2023;male;nan;;",  # 10 not a finite number
    "local-b;09;2023;female;\u00a012,0\u00a0;3;7.9",  # 11 ok: no-break spaces, n truncated
]
EXPECTED_REJECTED = {
    5: ["tuntematon indikaattori: local-x"],
    6: ["tuntematon aluekoodi: 999"],
    7: [
        "tuntematon sukupuoli: other",
        "virheellinen vuosi: 20x4",
        "virheellinen luku sarakkeessa value: abc",
        "virheellinen luku sarakkeessa abs_value: 1.2.3",
        "virheellinen luku sarakkeessa n: n",
    ],
    8: ["sama indikaattori, alue, vuosi ja sukupuoli toiseen kertaan"],
    10: ["virheellinen luku sarakkeessa value: nan"],
}
REGIONS = {"FI", "09", "398"}


def write(tmp_path, lines, name="arvot.csv", quote_first=False):
    (tmp_path / "meta.csv").write_text(META, encoding="utf-8")
    rows = list(lines)
    if quote_first:  # a quoted cell sends the file to the exact (csv module) reader
        rows[1] = rows[1].replace("local-a", '"local-a"', 1)
    path = tmp_path / name
    path.write_bytes(("\ufeff" + "\r\n".join(rows) + "\r\n").encode("utf-8"))
    return tmp_path / "meta.csv", path


def outcome(parsed):
    def plain(x):
        return None if pd.isna(x) else x.item() if hasattr(x, "item") else x

    values = {
        (r.indicator_id, r.region_code, plain(r.year), r.sex): (plain(r.value), plain(r.abs_value), plain(r.n))
        for r in parsed.values.to_pandas().itertuples()
    }
    rejected = {int(r["rivi"]): r["virheet"].split("; ") for r in parsed.rejected.to_dict("records")}
    return values, rejected


def test_rows_are_loaded_or_rejected_with_their_row_number_and_every_reason(tmp_path):
    meta, values = write(tmp_path, VALUES)
    parsed = parse_indicator_files(meta, values, REGIONS)
    got, rejected = outcome(parsed)
    assert rejected == EXPECTED_REJECTED
    assert got == {
        ("local-a", "09", 2024, "total"): (120.0, 120.0, None),
        ("local-a", "398", 2024, "total"): (1234.5, None, 40),
        ("local-b", "09", 2023, "female"): (12.0, 3.0, 7),
    }
    assert parsed.rows_read == 8 == parsed.loaded + len(parsed.rejected)  # blank rows are not rows
    # The rejected rows keep the user's own cells, to fix and re-import.
    row7 = parsed.rejected.set_index("rivi").loc[7]
    assert (row7["year"], row7["value"], row7["n"]) == ("20x4", "abc", "n")


def test_quoted_and_xlsx_files_give_the_same_result(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    fast = outcome(parse_indicator_files(*write(tmp_path / "a", VALUES), REGIONS))
    exact = outcome(parse_indicator_files(*write(tmp_path / "b", VALUES, quote_first=True), REGIONS))
    assert fast == exact
    workbook = Workbook()
    sheet = workbook.active
    for line in VALUES:
        sheet.append(line.split(";") if line else [])
    workbook.save(tmp_path / "arvot.xlsx")
    (tmp_path / "meta.csv").write_text(META, encoding="utf-8")
    assert outcome(parse_indicator_files(tmp_path / "meta.csv", tmp_path / "arvot.xlsx", REGIONS)) == fast


@pytest.mark.parametrize(
    "text",
    [
        "a;b\n1;2\n\n3;4\n",  # blank line
        "\n\na;b\r\n1;2\r\n;\r\n3;4",  # blank lines before the header, a row of separators, no final newline
        "a,b\n1,2\n  \n3,4\n",  # a line of spaces
        'a;b\n1;"2\n2"\n3;4\n',  # a quoted line break: one row over two lines
        "a;b\n1\n3;4;5\n",  # short and long rows
    ],
)
def test_column_reader_numbers_rows_like_the_row_reader(tmp_path, text):
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode("utf-8"))
    rows = read_table(path)
    columns = read_columns(path)
    assert columns.lines.tolist() == [n for n, _ in rows.rows]
    assert columns.header == rows.header
    width = len(rows.header)
    expected = [(cells + [""] * width)[:width] for _, cells in rows.rows]
    assert [list(r.values()) for r in columns.cells.to_pylist()] == expected


def test_store_replaces_an_indicators_values(demo_db, tmp_path):
    path = tmp_path / "db.duckdb"
    path.write_bytes(demo_db.read_bytes())
    meta, values = write(tmp_path, VALUES[:3])
    for _ in range(2):
        parsed = parse_indicator_files(meta, values, REGIONS)
        write_new_version(path, lambda con, parsed=parsed: store_indicators(con, parsed))
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM indicator_values WHERE indicator_id = 'local-a'").fetchone()[0] == 2
        assert con.execute("SELECT rows_loaded FROM loads ORDER BY load_id DESC LIMIT 1").fetchone()[0] == 2
