"""The WHERE clauses of the filter objects, rendered from the one table map
(:mod:`queries.schema`): parameterised SQL, never a value formatted into it.

The filters (``dashboard.core.filters``) say what the user chose; this module
says where that lives in the database.
"""

from __future__ import annotations

from dashboard.core.filters import LIST_PARAMS, IndicatorFilter, ReportFilter
from dashboard.core.search import normalise, query_words

from .schema import REPORT_DIMENSIONS
from .visibility import cleared, text_visible


def report_where(flt: ReportFilter, alias: str = "r") -> tuple[str, dict[str, object]]:
    """A WHERE clause over ``reports AS {alias}`` and its named parameters.

    Within one dimension values are alternatives (OR); dimensions combine
    with AND. The text search and the client-voice filter match only
    publishable reports' texts (or the report id), so they never reveal
    anything about unpublished texts.
    """
    clauses: list[str] = []
    params: dict[str, object] = {}

    def names(prefix: str, codes: tuple[str, ...]) -> str:
        keys = []
        for i, code in enumerate(codes):
            key = f"{prefix}_{i}"
            params[key] = code
            keys.append("$" + key)
        return ", ".join(keys)

    for field, (_, dimension) in LIST_PARAMS.items():
        codes = getattr(flt, field)
        if not codes:
            continue
        place = REPORT_DIMENSIONS[dimension]
        if place.linked:
            clauses.append(
                f"EXISTS (SELECT 1 FROM {place.table} x WHERE x.report_key = {alias}.report_key "
                f"AND x.{place.column} IN ({names(field, codes)}))"
            )
        else:
            clauses.append(f"{alias}.{place.column} IN ({names(field, codes)})")
    if flt.date_from:
        clauses.append(f"{alias}.submitted_on >= $date_from")
        params["date_from"] = flt.date_from
    if flt.date_to:
        clauses.append(f"{alias}.submitted_on <= $date_to")
        params["date_to"] = flt.date_to
    if flt.client_voice:  # a hidden text counts only where it is shown (queries.visibility)
        clauses.append(f"({text_visible(alias)} AND coalesce({alias}.client_voice, '') <> '')")
    if flt.text:
        clause, text_params = search_clause(flt.text, alias)
        clauses.append(clause)
        params.update(text_params)
    if flt.evidence:
        # Exactly the reports leadership may open behind one bullet of the published analysis
        # (queries.analysis.reports_for): publishable, their texts cleared by the privacy screen.
        clauses.append(
            "EXISTS (SELECT 1 FROM analysis_phenomenon_reports ev "
            "LEFT JOIN report_reviews evr ON evr.report_key = ev.report_key "
            f"WHERE ev.report_key = {alias}.report_key AND ev.phenomenon_id = $evidence "
            f"AND {cleared(alias, 'evr')})"
        )
        params["evidence"] = flt.evidence
    return (" AND ".join(clauses) or "TRUE"), params


def _like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_clause(query: str, alias: str = "r") -> tuple[str, dict[str, object]]:
    """SQL over ``reports AS {alias}``: the report id contains the query, or
    (reports whose texts leadership may read only: ``queries.visibility``) every query word is in
    the report's search index
    (``reports.search_text``, see ``dashboard.core.search``) in one of its forms,
    or, for a word no dictionary knows, as the start of an indexed word."""
    params: dict[str, object] = {"q_id": "%" + _like(normalise(query)) + "%"}
    words = []
    for i, word in enumerate(query_words(query)):
        alternatives = []
        for j, form in enumerate(sorted(word.forms)):
            params[f"q_{i}_{j}"] = f" {form} "
            alternatives.append(f"contains({alias}.search_text, $q_{i}_{j})")
        if word.prefix:
            params[f"q_{i}_start"] = f" {word.prefix}"
            alternatives.append(f"contains({alias}.search_text, $q_{i}_start)")
        words.append("(" + " OR ".join(alternatives) + ")")
    text = f"({text_visible(alias)} AND {' AND '.join(words)})" if words else "FALSE"
    return f"(lower({alias}.report_id) LIKE $q_id ESCAPE '\\' OR {text})", params


def indicator_where(flt: IndicatorFilter, alias: str = "v") -> tuple[str, dict[str, object]]:
    """A WHERE clause over ``indicator_values AS {alias}`` without the sex
    (suppression needs both sexes of a region and year; see
    ``queries.indicators``) and its named parameters."""
    clauses: list[str] = []
    params: dict[str, object] = {}
    for column, values, prefix in (
        ("indicator_id", flt.indicator, "i"),
        ("region_code", flt.region, "r"),
        ("year", flt.year, "y"),
    ):
        if values:
            keys = {f"{prefix}{k}": value for k, value in enumerate(values)}
            params.update(keys)
            clauses.append(f"{alias}.{column} IN ({', '.join('$' + k for k in keys)})")
    return (" AND ".join(clauses) or "TRUE"), params
