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


@pytest.fixture(params=["simplemma", "voikko"])
def analyser(request, monkeypatch):
    from dashboard.core import lemmas, search

    if request.param == "voikko" and not lemmas.has_voikko():
        pytest.skip("Voikko is not installed (Debian: python3-libvoikko voikko-fi)")
    if request.param == "simplemma":
        monkeypatch.setattr(lemmas, "_voikko", lambda: None)
    search.clear_caches()
    yield request.param
    monkeypatch.undo()
    search.clear_caches()


def test_base_forms_of_words_the_dictionary_lacks(analyser):
    from dashboard.core.lemmas import base_forms, knows

    assert "kouluakäymättömyys" in base_forms("kouluakäymättömyyttä")
    assert "ruoka-apu" in base_forms("ruoka-apua")  # a hyphenated word inflects in its last part
    assert "barn" in base_forms("barnen")  # not Finnish: Swedish
    assert knows("asumisen") and knows("sote-palveluihin") and not knows("sirkkulanpuistossa")
    assert base_forms("x" * 61) == ("x" * 61,)  # no word is that long: not analysed


def test_compound_parts_with_and_without_voikko(analyser):
    assert {"palvelu", "mielenterveys"} <= set(compound_parts("mielenterveyspalvelu"))
    assert {"tuki", "asuminen"} <= set(compound_parts("asumistuki"))
    assert compound_parts("yksinäisyys") == ()  # yksinä|isyys is no compound
    if analyser == "voikko":
        assert "työ" in compound_parts("sosiaalityö")  # Voikko's parts are real: short ones count
