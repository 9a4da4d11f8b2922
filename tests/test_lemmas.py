"""The shared lemmatiser: inflected forms meet at one base form, compounds by their parts."""

import pytest

from dashboard.core.lemmas import compound_parts, lemma, lemmas


@pytest.mark.parametrize(
    ("form", "base"),
    [
        ("asumisen", "asuminen"),
        ("mielenterveyden", "mielenterveys"),
        ("ikääntyneet", "ikääntynyt"),
        ("asumistuen", "asumistuki"),
        ("kouluakäymättömyyteen", "kouluakäymättömyys"),
        ("päihteiden", "päihde"),
        ("lasten", "lapsi"),
        ("häädön", "häätö"),
        ("velkojen", "velka"),
    ],
)
def test_inflected_forms_meet_at_the_base_form(form, base):
    assert lemma(form) == base
    assert lemma(base) == base


def test_compounds_are_found_by_their_parts():
    assert "palvelu" in lemmas("mielenterveyspalvelujen")
    assert "mielenterveys" in compound_parts("mielenterveyspalvelu")
    assert "erhe" not in compound_parts("lapsiperhe")  # lapsip|erhe is no compound
    assert {"vuokra", "asunto"} <= set(lemmas("vuokra-asunnon"))


def test_swedish_words_have_their_own_lemmas():
    assert lemma("barnen", "sv") == "barn"
