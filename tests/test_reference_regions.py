"""Our municipality codes and county memberships, checked against Statistics
Finland's 2025 classification in ../shared/reference (skipped without it)."""

import csv


def test_municipalities_match_reference(con, reference_dir):
    with open(reference_dir / "municipalities_2025.csv", encoding="utf-8") as f:
        reference = {r["municipality_code"]: r for r in csv.DictReader(f)}
    ours = con.execute(
        "SELECT code, name_fi, name_sv, parent_code FROM regions WHERE level = 'municipality'"
    ).fetchall()
    assert len(ours) == 29
    for code, fi, sv, county in ours:
        ref = reference[code]
        assert ref["municipality_name_fi"] == fi
        assert ref["municipality_name_sv"].strip() == sv
        assert ref["hyvinvointialue_code"] == county, code


def test_county_municipalities_are_complete(con, reference_dir):
    with open(reference_dir / "municipalities_2025.csv", encoding="utf-8") as f:
        reference = list(csv.DictReader(f))
    for county in ("09", "12", "20"):
        expected = {r["municipality_code"] for r in reference if r["hyvinvointialue_code"] == county}
        ours = {r[0] for r in con.execute("SELECT code FROM regions WHERE parent_code = $c", {"c": county}).fetchall()}
        assert ours == expected, county


def test_county_codes_match_reference(con, reference_dir):
    with open(reference_dir / "municipalities_2025.csv", encoding="utf-8") as f:
        reference = {r["hyvinvointialue_code"] for r in csv.DictReader(f)}
    ours = {r[0] for r in con.execute("SELECT code FROM regions WHERE level = 'county'").fetchall()}
    assert ours == reference
