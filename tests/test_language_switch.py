"""Switching the language re-labels what is already computed: the queries
return codes and the views label them from the vocabulary in memory, so a
view drawn in Finnish and then in Swedish or English runs no query again."""

from __future__ import annotations

import pytest

from dashboard.views.reports import ReportContext
from dashboard.web.callbacks.shell import page
from queries.db import ReadOnlyDatabase

VIEWS = [
    ("/", "county=09&from=2024-09-01&to=2024-12-31"),
    ("/reports", "county=09&from=2024-09-01&to=2024-12-31&target_group=working_age"),
    ("/reports", "theme=housing&q=asunto"),
    ("/indicators", "indicator=demo-toimeentulotuki&region=398"),
    ("/phenomena", "theme=livelihood&county=09"),
]


class CountingCursor:
    """A cursor that notes every statement it runs."""

    def __init__(self, cursor, log: list[str]):
        self._cursor, self._log = cursor, log

    def execute(self, sql, *args, **kwargs):
        self._log.append(" ".join(str(sql).split())[:80])
        self._cursor.execute(sql, *args, **kwargs)
        return self._cursor

    def __getattr__(self, name):
        return getattr(self._cursor, name)


@pytest.fixture()
def statements(db_copy, monkeypatch) -> list[str]:
    log: list[str] = []
    cursor = ReadOnlyDatabase.cursor
    monkeypatch.setattr(ReadOnlyDatabase, "cursor", lambda self: CountingCursor(cursor(self), log))
    return log


def text_of(component) -> str:
    return str(component.to_plotly_json())


def draw(path: str, query: str, lang: str) -> str:
    """The view as the router draws it, and the report grid's first page where it has one."""
    search = f"?{query}&lang={lang}"
    drawn = text_of(page(path, search, lang))
    if path == "/reports":
        context = ReportContext.from_query(search)
        drawn += str(context.table_page(0, 20).to_dict("records"))
        drawn += str(context.table_page(0, 20, "date", descending=True).to_dict("records"))
    return drawn


@pytest.mark.parametrize(("path", "query"), VIEWS)
def test_a_language_switch_runs_no_query(statements, path, query):
    finnish = draw(path, query, "fi")
    assert statements, "the first drawing reads the database"
    statements.clear()
    swedish = draw(path, query, "sv")
    english = draw(path, query, "en")
    assert statements == []
    assert swedish != finnish and english != finnish
    if path != "/indicators":  # the indicator view's labels are the indicators' own names
        assert "rapporter" in swedish and "reports" in english


def test_the_grid_sorted_by_a_name_follows_the_language(statements):
    """Sorting by a name is the one thing a language changes: the order of the names."""
    query = "?from=2024-01-01&to=2024-12-31"
    finnish = ReportContext.from_query(query).table_page(0, 200, "county")
    swedish = ReportContext.from_query(query + "&lang=sv").table_page(0, 200, "county")
    assert list(finnish["county"]) == sorted(finnish["county"])
    assert list(swedish["county"]) == sorted(swedish["county"])
    assert set(finnish["report_id"]) == set(swedish["report_id"])
