"""The presentation page is a Jinja template with autoescaping: a report's text
cannot become markup, and the figures' JSON cannot close its script element.
(The slides themselves are tried in Chromium in test_browser_present.py.)"""

from __future__ import annotations

import json
import re

import pytest

HOSTILE = '</p><script>alert("havainto")</script><img src=x onerror=alert(1)>'


@pytest.fixture()
def app_db(db_copy):
    """The demo plus a publishable report, the coordinator's pick, whose texts are markup."""
    from dashboard.imports.reports import Resolver, read_reports_file, store_reports
    from queries.db import write_new_version

    path = db_copy.parent / "markup.csv"
    path.write_text(
        "raportin_tunniste;pvm;hyvinvointialue;palvelutehtava;alue;kohderyhma;teema;havainnon_tyyppi;havainto;"
        "asiakkaan_aani;ratkaisuehdotus;julkaistava;nosto\n"
        f"MERKINTA-1;15.1.2026;Päijät-Häme;Työikäisten sosiaalipalvelut;Lahti;Työikäiset;Asuminen;kielteinen;"
        f"{HOSTILE};{HOSTILE};{HOSTILE};kyllä;kyllä\n",
        encoding="utf-8",
    )
    write_new_version(db_copy, lambda con: store_reports(con, read_reports_file(path, Resolver.from_database(con))))
    return db_copy


def test_a_reports_markup_is_shown_as_text(client):
    response = client.get("/present?county=09&from=2026-01-01&to=2026-01-31")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;havainto&#34;)&lt;/script&gt;" in page  # on the text slides, as text
    assert "<script>alert" not in page and "<img src=x" not in page
    # Only the page's own scripts: the figures' JSON and three files of this site.
    tags = re.findall(r"<script[^>]*>", page)
    assert tags[0] == '<script type="application/json" id="deck-data">' and len(tags) == 4
    assert all(re.fullmatch(r'<script src="/[^"]+\.js">', tag) for tag in tags[1:]), tags


def test_the_figures_json_cannot_close_its_script():
    from dashboard.web.routes.present import script_json

    value = {"title": "</script><!-- & <b>", "n": 3}
    text = str(script_json(value))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == value
