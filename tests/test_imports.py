"""Importing the coordinator's files: every kind, broken ones too. Every row is
loaded or rejected with its reasons; a file that cannot be read changes nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook, load_workbook

from dashboard.__main__ import main
from dashboard.imports.followup import parse_followup, store_followup
from dashboard.imports.reports import Resolver, read_reports_file, store_reports
from dashboard.imports.tables import ImportFileError, read_table
from queries import loads
from queries.db import write_new_version

HEADER = [
    "raportin_tunniste",
    "pvm",
    "hyvinvointialue",
    "palvelutehtava",
    "alue",
    "kohderyhma",
    "teema",
    "havainnon_tyyppi",
    "havainto",
    "asiakkaan_aani",
    "ratkaisuehdotus",
    "julkaistava",
]
GOOD = [
    [
        "T-1",
        "2.1.2026",
        "Päijät-Häme",
        "Työikäisten sosiaalipalvelut",
        "Lahti; Heinola",
        "Työikäiset",
        "Asuminen",
        "kielteinen",
        "Häätöuhat ovat lisääntyneet.",
        "",
        "Asumisneuvontaa lisää.",
        "kyllä",
    ],
    [
        "T-2",
        "2026-01-05",
        "09",
        "lapsiperhepalvelut",
        "Koko hyvinvointialue",
        "lapset, nuoret ja perheet\nTyöikäiset",
        "",
        "myönteinen",
        "Perhetyö toimii.",
        "Hyvä että autettiin.",
        "",
        "ei",
    ],
    [
        "T-3",
        "7.1.2026 14:32",
        "Päijät-Hämeen hyvinvointialue",
        "Etsivä sosiaalityö",
        "Lahtis; Valtakunnallinen ilmiö",
        "päihde- ja riippuvuustyö",
        "mental_health; Mielenterveys",
        "Neutraali",
        "Ruokajakelu.",
        "",
        "",
        "KYLLÄ",
    ],
]


@pytest.fixture()
def db(db_copy):
    return db_copy


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_csv(path: Path, rows, delimiter=";", encoding="utf-8-sig", header=HEADER) -> Path:
    import csv

    with open(path, "w", encoding=encoding, newline="") as f:
        writer = csv.writer(f, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows, sheet: str | None = None, header=HEADER) -> Path:
    book = Workbook()
    ws = book.active
    if sheet:
        book.create_sheet("Ohje").append(["tämä ei ole data"])
        ws.title = sheet
        book.move_sheet(sheet, offset=1)  # the data is not on the first sheet
    ws.append(header)
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def run_import(path: Path, db: Path, **kwargs):
    def work(con):
        parsed = read_reports_file(path, Resolver.from_database(con), **kwargs)
        store_reports(con, parsed, loaded_by="testi")
        return parsed

    return write_new_version(db, work)


def report(db: Path, report_id: str):
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute(
            "SELECT county_code, submitted_on, service_unit, observation_type, publishable, observation "
            "FROM reports WHERE report_id = $i",
            {"i": report_id},
        ).fetchone()
        links = {
            table: sorted(
                r[0]
                for r in con.execute(
                    f"SELECT {col} FROM {table} JOIN reports USING (report_key) WHERE report_id = $i", {"i": report_id}
                ).fetchall()
            )
            for table, col in (
                ("report_areas", "area_code"),
                ("report_target_groups", "target_group"),
                ("report_themes", "theme"),
            )
        }
    return row, links


@pytest.mark.parametrize("kind", ["semicolon-bom", "comma-utf8", "cp1252", "xlsx", "xlsx-named-sheet"])
def test_every_file_kind_loads_the_same_reports(kind, db, tmp_path):
    if kind == "semicolon-bom":
        path, kwargs = write_csv(tmp_path / "r.csv", GOOD), {}
    elif kind == "comma-utf8":
        path, kwargs = write_csv(tmp_path / "r.csv", GOOD, delimiter=",", encoding="utf-8"), {}
    elif kind == "cp1252":
        path, kwargs = write_csv(tmp_path / "r.csv", GOOD, encoding="cp1252"), {}
    elif kind == "xlsx":
        path, kwargs = write_xlsx(tmp_path / "r.xlsx", GOOD), {}
    else:
        path, kwargs = write_xlsx(tmp_path / "r.xlsx", GOOD, sheet="Vastaukset"), {"sheet": "Vastaukset"}
    parsed = run_import(path, db, **kwargs)
    assert (parsed.rows_read, parsed.loaded, parsed.rejected_count) == (3, 3, 0)
    row, links = report(db, "T-1")
    assert row[0] == "09" and str(row[1]) == "2026-01-02" and row[3] == "negative" and row[4] is True
    assert links["report_areas"] == ["111", "398"] and links["report_themes"] == ["housing"]
    row, links = report(db, "T-2")
    assert links["report_areas"] == ["09"] and links["report_target_groups"] == ["children_families", "working_age"]
    assert links["report_themes"] == [] and row[4] is False
    row, links = report(db, "T-3")
    assert str(row[1]) == "2026-01-07" and links["report_areas"] == ["398", "national"]
    assert links["report_themes"] == ["mental_health"]


def test_county_from_the_command_line(db, tmp_path):
    rows = [[r[0], r[1], "", *r[3:]] for r in GOOD]
    parsed = run_import(write_csv(tmp_path / "r.csv", rows), db, county="Päijät-Häme")
    assert parsed.loaded == 3


def test_bad_rows_are_quarantined_with_every_reason(db, tmp_path):
    bad = [
        GOOD[0],
        [
            "T-9",
            "",
            "Päijät-Häme",
            "Työikäisten sosiaalipalvelut",
            "Lahti",
            "Työikäiset",
            "",
            "kielteinen",
            "x",
            "",
            "",
            "kyllä",
        ],
        [
            "T-10",
            "31.2.2025",
            "Päijät-Häme",
            "Työikäisten sosiaalipalvelut",
            "Lahtti",
            "Työikäiset",
            "Avaruus",
            "kielteinen",
            "x",
            "",
            "",
            "kyllä",
        ],
        [
            "T-1",
            "2.1.2026",
            "Päijät-Häme",
            "Työikäisten sosiaalipalvelut",
            "Lahti",
            "Työikäiset",
            "",
            "kielteinen",
            "kaksoiskappale",
            "",
            "",
            "kyllä",
        ],
        ["", "2.1.2026", "Narnia", "Tuntematon yksikkö", "Lahti", "Marsilaiset", "", "huono", "", "", "", "ehkä"],
    ]
    path = write_csv(tmp_path / "r.csv", bad)
    parsed = run_import(path, db)
    assert parsed.rows_read == 5 and parsed.loaded == 1 and parsed.rejected_count == 4
    assert parsed.loaded + parsed.rejected_count == parsed.rows_read
    reasons = dict(zip(parsed.rejected["rivi"], parsed.rejected["virheet"]))
    assert reasons[3] == "puuttuva pakollinen tieto: pvm"
    assert "virheellinen päivämäärä: 31.2.2025" in reasons[4] and "tuntematon alue: Lahtti" in reasons[4]
    assert "tuntematon teema: Avaruus" in reasons[4]
    assert reasons[5] == "sama raportin_tunniste kuin rivillä 2"
    for expected in (
        "raportin_tunniste",
        "tuntematon hyvinvointialue: Narnia",
        "tuntematon palvelutehtävä",
        "tuntematon kohderyhmä: Marsilaiset",
        "tuntematon havainnon tyyppi: huono",
        "havainto",
        "julkaistava-sarakkeen arvo",
    ):
        assert expected in reasons[6]
    # The rejected rows keep the original cells, so the file can be fixed and re-imported.
    assert list(parsed.rejected.columns[2:]) == HEADER


def test_cli_writes_the_rejected_rows(db, tmp_path, capsys):
    duplicate = list(GOOD[0])
    duplicate[8] = '=HYPERLINK("http://evil.example")'
    path = write_csv(tmp_path / "vastaukset.csv", [GOOD[0], duplicate])
    assert main(["import-reports", str(path)]) == 3  # rows rejected, the others loaded
    out = capsys.readouterr().out
    assert "2 riviä luettu, 1 tuotu, 1 hylätty" in out
    rejected = read_table(tmp_path / "vastaukset_hylatyt.csv")
    assert rejected.header[:2] == ["rivi", "virheet"] and len(rejected.rows) == 1
    assert rejected.rows[0][1][rejected.header.index("havainto")] == '\'=HYPERLINK("http://evil.example")'
    # An Excel file gets its rejected rows back as Excel, the formula-like text as text.
    assert main(["import-reports", str(write_xlsx(tmp_path / "vastaukset.xlsx", [GOOD[0], ["", *GOOD[0][1:]]]))]) == 3
    book = load_workbook(tmp_path / "vastaukset_hylatyt.xlsx")
    assert [c.value for c in book.worksheets[0][1]][:3] == ["rivi", "virheet", "raportin_tunniste"]
    assert book.worksheets[0]["B2"].value == "puuttuva pakollinen tieto: raportin_tunniste"


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "tyhjä"),
        (b"\n\n\n", "tyhjä"),
        (b"just one line without separators\n", "otsikkoriviä"),
        (b"PK\x03\x04 this is not a real xlsx", "Excel-tiedostoa ei voitu avata"),
        (b"\x00\x01\x02binary", "ei ole CSV"),
        (b"havainto;pvm\nx;1.1.2025\n", "pakollisia sarakkeita"),
    ],
)
def test_unreadable_files_are_rejected_whole_and_change_nothing(db, tmp_path, content, message):
    path = tmp_path / "r.csv"
    path.write_bytes(content)
    before = digest(db)
    with pytest.raises(ImportFileError, match=message):
        run_import(path, db)
    assert digest(db) == before


def test_reimport_changes_nothing_and_a_correction_updates_by_id(db, tmp_path):
    path = write_csv(tmp_path / "r.csv", GOOD)
    run_import(path, db)
    with duckdb.connect(str(db), read_only=True) as con:
        count = con.execute("SELECT count(*) FROM reports").fetchone()[0]
        snapshot = con.execute("SELECT * EXCLUDE (load_id) FROM reports ORDER BY report_id").fetchall()
    run_import(path, db)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM reports").fetchone()[0] == count
        assert con.execute("SELECT * EXCLUDE (load_id) FROM reports ORDER BY report_id").fetchall() == snapshot
    corrected = [list(r) for r in GOOD]
    corrected[0][8] = "Korjattu havainto."
    corrected[0][4] = "Heinola"
    run_import(write_csv(tmp_path / "r2.csv", corrected), db)
    row, links = report(db, "T-1")
    assert row[5] == "Korjattu havainto." and links["report_areas"] == ["111"]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM reports").fetchone()[0] == count
        assert (
            con.execute(
                "SELECT count(*) FROM report_areas JOIN reports USING (report_key) WHERE report_id = 'T-1'"
            ).fetchone()[0]
            == 1
        )
        last_load = con.execute(
            "SELECT origin, rows_read, rows_loaded, loaded_by FROM loads WHERE kind = 'reports' "
            "ORDER BY load_id DESC LIMIT 1"
        ).fetchone()
        assert last_load == ("r2.csv", 3, 3, "testi")


def test_mapping_file_renames_another_forms_columns_and_values(db, tmp_path):
    mapping = tmp_path / "webropol.toml"
    mapping.write_text(
        """
[columns]
"Vastaajan tunniste" = "raportin_tunniste"
"Vastausaika" = "pvm"
"Yksikkö" = "palvelutehtava"
"Kunta" = "alue"
"Asiakasryhmä" = "kohderyhma"
"Havainnon laatu" = "havainnon_tyyppi"
"Mitä havaitsit?" = "havainto"
[values.havainnon_tyyppi]
"Huolestuttava ilmiö" = "kielteinen"
"Hyvä käytäntö" = "myönteinen"
""",
        encoding="utf-8",
    )
    header = [
        "Vastaajan tunniste",
        "Vastausaika",
        "Yksikkö",
        "Kunta",
        "Asiakasryhmä",
        "Havainnon laatu",
        "Mitä havaitsit?",
    ]
    rows = [
        [
            "W-1",
            "3.2.2026",
            "Vammaispalvelut",
            "Hollola",
            "Vammaiset",
            "Huolestuttava ilmiö",
            "Kuljetukset eivät toimi.",
        ],
        ["W-2", "4.2.2026", "Vammaispalvelut", "Asikkala", "Vammaiset", "Hyvä käytäntö", "Tukitiimi toimii."],
    ]
    path = write_csv(tmp_path / "webropol.csv", rows, header=header)
    parsed = run_import(path, db, county="09", mapping_path=mapping)
    assert parsed.loaded == 2, parsed.rejected.to_dict("records")
    assert report(db, "W-1")[0][3] == "negative" and report(db, "W-2")[0][3] == "positive"


def test_followup_round_trip(db, tmp_path):
    with duckdb.connect(str(db), read_only=True) as con:
        frame = loads.followup_sheet(con)
    target = frame.iloc[0]["raportin_tunniste"]
    path = tmp_path / "seuranta.xlsx"
    book = Workbook()
    ws = book.active
    ws.append(list(frame.columns))
    for row in frame.head(3).itertuples(index=False):
        ws.append(list(row))
    ws.cell(row=2, column=list(frame.columns).index("julkaistava") + 1, value="ei")
    ws.cell(row=2, column=list(frame.columns).index("seurannan_tila") + 1, value="Toimenpide käynnistetty")
    ws.cell(row=2, column=list(frame.columns).index("toimenpide") + 1, value="Asumisneuvonta Heinolaan")
    unknown = {"raportin_tunniste": "EI-OLE", "julkaistava": "kyllä", "seurannan_tila": "käsitelty"}
    ws.append([unknown.get(column, "") for column in frame.columns])
    book.save(path)

    def work(con):
        parsed = parse_followup(read_table(path), Resolver.from_database(con), loads.report_keys(con))
        store_followup(con, parsed, "testi")
        return parsed

    parsed = write_new_version(db, work)
    assert parsed.rows_read == 4 and len(parsed.updates) == 3 and len(parsed.rejected) == 1
    assert "tuntematon raportin_tunniste: EI-OLE" in parsed.rejected.iloc[0]["virheet"]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute(
            "SELECT publishable, followup_status, followup_action FROM reports WHERE report_id = $i", {"i": target}
        ).fetchone() == (False, "action", "Asumisneuvonta Heinolaan")


def test_template_downloads_are_empty_files_with_the_headers(client):
    import io

    book = load_workbook(io.BytesIO(client.get("/download/template.xlsx").data))
    assert [c.value for c in book.worksheets[0][1]][:3] == ["raportin_tunniste", "pvm", "hyvinvointialue"]
    assert book.worksheets[0].max_row <= 2
    text = client.get("/download/template.csv").data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("raportin_tunniste;pvm;hyvinvointialue")


def full_report(db: Path, county: str, report_id: str):
    """Every stored column of one report and its links."""
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute(
            "SELECT * EXCLUDE (load_id) FROM reports WHERE county_code = $c AND report_id = $i",
            {"c": county, "i": report_id},
        ).fetchone()
        links = [
            sorted(
                r[0]
                for r in con.execute(
                    f"SELECT x.{col} FROM {table} x JOIN reports r USING (report_key) WHERE r.county_code = $c "
                    "AND r.report_id = $i",
                    {"c": county, "i": report_id},
                ).fetchall()
            )
            for table, col in (
                ("report_areas", "area_code"),
                ("report_target_groups", "target_group"),
                ("report_themes", "theme"),
            )
        ]
    return row, links


def test_a_colliding_id_from_another_county_leaves_the_first_countys_report_as_it_was(db, tmp_path):
    before = full_report(db, "09", "PH-2021-001")
    assert before[0] is not None
    kainuu = [
        [
            "PH-2021-001",
            "3.2.2026",
            "Kainuu",
            "Työikäisten sosiaalipalvelut",
            "Kajaani",
            "Työikäiset",
            "Asuminen",
            "kielteinen",
            "Kainuun havainto samalla tunnisteella.",
            "",
            "",
            "kyllä",
        ]
    ]
    parsed = run_import(write_csv(tmp_path / "kainuu.csv", kainuu), db)
    assert parsed.loaded == 1, parsed.rejected.to_dict("records")
    assert full_report(db, "09", "PH-2021-001") == before
    row, links = full_report(db, "20", "PH-2021-001")
    assert row is not None and "Kainuun havainto" in str(row) and links[0] == ["205"]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM reports WHERE report_id = 'PH-2021-001'").fetchone()[0] == 2
    # The follow-up sheet tells the two apart by county; without the county an id shared by two is refused.
    with duckdb.connect(str(db), read_only=True) as con:
        keys = loads.report_keys(con)
        resolver = Resolver.from_database(con)
    from dashboard.imports.tables import Table

    sheet = Table(header=["raportin_tunniste", "julkaistava"], rows=[(2, ["PH-2021-001", "ei"])], source="s.csv")
    parsed = parse_followup(sheet, resolver, keys)
    assert "usealla hyvinvointialueella" in parsed.rejected.iloc[0]["virheet"]


def test_a_reimport_without_followup_columns_updates_the_report_and_keeps_its_followup(db, tmp_path):
    full = HEADER + ["seurannan_tila", "kasitelty", "valitetty", "toimenpide", "nosto"]
    first = [[*GOOD[0], "Toimenpide käynnistetty", "HYTE-ryhmä 3/2026", "Lahden kaupunki", "Asumisneuvonta", "kyllä"]]
    run_import(write_csv(tmp_path / "eka.csv", first, header=full), db)
    # The form tool's next export: no follow-up columns, no julkaistava, a corrected text.
    header = [h for h in HEADER if h != "julkaistava"]
    corrected = [[v for h, v in zip(HEADER, GOOD[0]) if h != "julkaistava"]]
    corrected[0][header.index("havainto")] = "Korjattu: häätöuhat ovat lisääntyneet."
    parsed = run_import(write_csv(tmp_path / "toka.csv", corrected, header=header), db)
    assert (parsed.loaded, parsed.rejected_count) == (1, 0)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute(
            "SELECT observation, publishable, highlight, followup_status, handled_in, forwarded_to, followup_action "
            "FROM reports WHERE report_id = 'T-1'"
        ).fetchone() == (
            "Korjattu: häätöuhat ovat lisääntyneet.",
            True,
            True,
            "action",
            "HYTE-ryhmä 3/2026",
            "Lahden kaupunki",
            "Asumisneuvonta",
        )
    # And through the command line, which crashed on this path before.
    assert main(["import-reports", str(tmp_path / "toka.csv")]) == 0


def test_control_characters_are_cleaned_at_import(db, tmp_path):
    row = list(GOOD[0])
    row[8] = "Ensimmäinen rivi\x0btoinen rivi\x01\x02 ja\tsarkain"  # Alt+Enter as some tools export it
    run_import(write_csv(tmp_path / "r.csv", [row]), db)
    with duckdb.connect(str(db), read_only=True) as con:
        text = con.execute("SELECT observation FROM reports WHERE report_id = 'T-1'").fetchone()[0]
    assert text == "Ensimmäinen rivi\ntoinen rivi ja\tsarkain"


def test_unknown_names_get_the_nearest_valid_names(db, tmp_path):
    row = list(GOOD[0])
    row[4], row[5], row[6], row[7], row[2] = (
        "Lahtti; Heinolaa",
        "Nuoret",
        "asuminen ja asunnottomuus",
        "kielteine",
        "Päijät-Hämme",
    )
    parsed = run_import(write_csv(tmp_path / "r.csv", [row]), db)
    reasons = parsed.rejected.iloc[0]["virheet"]
    assert "tuntematon hyvinvointialue: Päijät-Hämme (tarkoititko: Päijät-Häme?)" in reasons
    assert "tuntematon alue: Lahtti (tarkoititko: Lahti?)" in reasons
    assert "tuntematon alue: Heinolaa (tarkoititko: Heinola?)" in reasons
    assert "tuntematon kohderyhmä: Nuoret (tarkoititko: Lapset, nuoret ja perheet?)" in reasons
    assert "tuntematon havainnon tyyppi: kielteine (tarkoititko: Kielteinen?)" in reasons
    # Nothing near: no guess.
    row[5] = "Marsilaiset"
    reasons = run_import(write_csv(tmp_path / "r2.csv", [row]), db).rejected.iloc[0]["virheet"]
    assert "tuntematon kohderyhmä: Marsilaiset" in reasons and "Marsilaiset (tarkoititko" not in reasons


def test_our_own_csv_neutralisation_imports_back_as_the_text_it_was(db, tmp_path):
    from dashboard.export.tables import csv_bytes
    from dashboard.imports.tables import clean_cell

    texts = ['=HYPERLINK("http://x")', "+358 40 123", "-2+3", "@SUM(1)", "- luettelo", "'lainaus'"]
    data = csv_bytes(["raportin_tunniste", "havainto"], [[str(i), t] for i, t in enumerate(texts)], "fi")
    table = read_table(tmp_path / "x.csv", data=data)
    assert [row[1] for _, row in table.rows] == ["'" + t for t in texts[:5]] + ["'lainaus'"]
    assert [clean_cell(row[1]) for _, row in table.rows] == texts
