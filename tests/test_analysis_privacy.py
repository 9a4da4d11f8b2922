"""Privacy screening: identity codes with their check character and century
signs, phone numbers, e-mail, addresses and names, with spans to highlight."""

from __future__ import annotations

import csv

import pytest

from dashboard.analysis import privacy as p
from dashboard.core.config import CODES_DIR
from dashboard.demo import texts


@pytest.fixture(scope="module")
def ctx():
    with open(CODES_DIR / "regions.csv", encoding="utf-8") as f:
        names = [n for r in csv.DictReader(f) for n in (r["name_fi"], r["name_sv"])]
    return p.Context(places=p.places_from(names))


def kinds(text, ctx, field="observation"):
    return [(h.kind, h.text, h.reason) for h in p.screen_text(text, field, ctx)]


@pytest.mark.parametrize(
    "code",
    # The Digital and Population Data Services Agency's examples of the century signs of 2023,
    # and the classic '-' and 'A'.
    ["010594Y9021", "020594X903P", "030594W903B", "050594U903M", "010516B903X", "020516C903K", "030516D9037",
     "010501E9032", "020503F9037", "020504A902E", "131052-308T"],
)  # fmt: skip
def test_identity_codes_with_every_century_sign(code, ctx):
    assert p.personal_id_check(code) == (True, True)
    text = f"Asiakkaan tunnus on {code} ja asia on kesken."
    (hit,) = p.screen_text(text, "observation", ctx)
    assert (hit.kind, hit.reason, text[hit.start : hit.end]) == ("personal_id", "check_ok", code)


def test_identity_code_with_a_wrong_check_character_is_still_flagged_and_says_so(ctx):
    assert p.personal_id_check("131052-308U") == (True, False)
    assert kinds("tunnus 131052-308U", ctx) == [("personal_id", "131052-308U", "check_mismatch")]


def test_strings_that_are_not_identity_codes(ctx):
    assert p.personal_id_check("310252-308T") == (False, False)  # 31.2. is no date
    assert p.personal_id_check("131052G308T") == (False, False)  # G is no century sign
    assert kinds("Raportteja tehtiin 1.9.–31.12.2024 yhteensä 40; 2017 kohtaamista.", ctx) == []


@pytest.mark.parametrize(
    "number", ["040 123 4567", "040-1234567", "0401234567", "+358 40 123 4567", "+358401234567", "09 1234 5678"]
)
def test_phone_numbers(number, ctx):
    assert kinds(f"Soita numeroon {number} arkisin.", ctx) == [("phone", number, "pattern")]


def test_email_and_addresses(ctx):
    got = kinds("Yhteys liisa.k@example.fi tai käynti Rauhankadulla 5 B 12, 15110 Lahti.", ctx)
    assert got == [
        ("email", "liisa.k@example.fi", "pattern"),
        ("address", "Rauhankadulla 5 B 12", "street"),
        ("address", "15110 Lahti", "postal_code"),
    ]
    assert kinds("Asiakas asuu Kirkkotie 3:ssa.", ctx)[0][:2] == ("address", "Kirkkotie 3")


def test_names_inside_a_sentence_but_not_places_services_or_sentence_starts(ctx):
    text = "Heinolassa asiakas Matti Virtanen kertoi, että Lahdessa ja Padasjoella Kelan asiointi on vaikeaa."
    assert kinds(text, ctx) == [("name", "Matti", "common_name"), ("name", "Virtanen", "common_name")]
    # An unknown capitalised word inside a sentence; at a sentence start it is not flagged.
    assert kinds("Perheen kanssa työskentelee Zyrgonia nyt.", ctx) == [("name", "Zyrgonia", "unknown_word")]
    assert kinds("Zyrgonia ei ole tavannut ketään.", ctx) == []
    # A full name starting a sentence is a name all the same.
    assert [k for k, *_ in kinds("Matti Virtanen soitti.", ctx)] == ["name", "name"]
    assert kinds("Teams-tapaamiset ja THL:n HYTE-ryhmä toimivat, Päijät-Hämeessä myös.", ctx) == []


def test_spans_highlight_exactly_the_hits(ctx):
    text = "Asiakas Matti soitti numerosta 040 123 4567."
    hits = p.screen_text(text, "client_voice", ctx)
    pieces = p.highlight_spans(text, hits)
    assert "".join(piece for piece, _ in pieces) == text
    assert [piece for piece, hit in pieces if hit] == ["Matti", "040 123 4567"]
    assert all(h.field == "client_voice" for h in hits)


def test_hit_ids_are_stable_and_dismissals_and_allowed_terms_resolve_them(ctx):
    text = "Kävijöitä ohjataan Tuulikki-kotiin ja Zyrgoniaan; Zyrgonia auttaa."
    first = p.screen_report({"observation": text}, ctx)
    again = p.screen_report({"observation": text}, ctx)
    assert [h.hit_id for h in first] == [h.hit_id for h in again] and len({h.hit_id for h in first}) == len(first)
    names = [h for h in first if h.kind == "name"]
    assert names
    assert p.unresolved(first, dismissed=[names[0].hit_id]) == first[1:]
    assert not p.unresolved(names, allowed=[h.text for h in names])


def test_the_demo_texts_raise_no_false_alarm(ctx):
    """A screen that flags every report teaches the coordinator to click it away."""
    found = [
        h.text
        for pool in (texts.OBSERVATIONS, texts.CLIENT_VOICES, texts.PROPOSALS)
        for t in pool
        for h in p.screen_text(t.text, "observation", ctx)
    ]
    # The one name planted in a non-publishable report of Päijät-Häme autumn 2024, nothing else.
    assert found == ["Matti"]
