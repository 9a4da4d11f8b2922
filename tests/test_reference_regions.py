"""Our municipality codes and county memberships, checked against Statistics
Finland's 2025 classification (vendored in tests/fixtures/reference, with its source)."""

import csv

from dashboard.core.config import CODES_DIR
from dashboard.imports.reports import norm


def reference_rows(reference_dir) -> list[dict]:
    with open(reference_dir / "municipalities_2025.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_every_municipality_with_its_county(con, reference_dir):
    reference = {r["municipality_code"]: r for r in reference_rows(reference_dir)}
    ours = con.execute(
        "SELECT code, name_fi, name_sv, name_en, parent_code FROM regions WHERE level = 'municipality'"
    ).fetchall()
    assert {r[0] for r in ours} == set(reference)
    assert len(ours) == 308
    for code, fi, sv, en, county in ours:
        ref = reference[code]
        assert len(code) == 3 and code.isdigit()
        assert ref["municipality_name_fi"] == fi, code
        assert ref["municipality_name_sv"].strip() == sv, code
        assert en == fi, code  # English uses the Finnish name
        assert ref["hyvinvointialue_code"] == county, code
    assert dict((code, county) for code, *_, county in ours)["091"] == "90"  # Helsinki is its own area


def test_county_codes_match_reference(con, reference_dir):
    reference = {r["hyvinvointialue_code"] for r in reference_rows(reference_dir)}
    ours = {r[0] for r in con.execute("SELECT code FROM regions WHERE level = 'county'").fetchall()}
    assert ours == reference
    assert all(len(code) == 2 and code.isdigit() for code in ours)


def test_names_resolve_to_one_municipality(con):
    """An import matches names forgivingly: no two municipalities may share a name."""
    seen: dict[str, str] = {}
    for code, fi, sv, en in con.execute(
        "SELECT code, name_fi, name_sv, name_en FROM regions WHERE level = 'municipality'"
    ).fetchall():
        for name in {norm(fi), norm(sv), norm(en)}:
            assert seen.setdefault(name, code) == code, (name, code, seen[name])


def test_county_tiles_cover_every_county_once(con):
    with open(CODES_DIR / "county_tiles.csv", encoding="utf-8") as f:
        tiles = list(csv.DictReader(f))
    counties = {r[0] for r in con.execute("SELECT code FROM regions WHERE level = 'county'").fetchall()}
    assert sorted(t["code"] for t in tiles) == sorted(counties)
    positions = [(t["row"], t["col"]) for t in tiles]
    assert len(set(positions)) == len(positions)
