"""Which reports' free texts leadership may read, as SQL over ``reports AS {r}``
(one place, so the reading pane, the search, the downloads, the slides, the deck
and the wellbeing-report chapter cannot disagree):

- :func:`text_visible` — the coordinator marked the report publishable and the
  privacy screen recorded no unresolved hit for it at publishing
  (``report_reviews.privacy_unresolved``). A report nobody has screened yet (a
  period without an analysis) is shown when publishable, as before.
- :func:`cleared` — stricter, for the reports behind a published analysis' bullet
  ("n raporttia"): publishable, screened at publishing with no unresolved hit, and
  its texts still the ones screened (a text changed since is not cleared).

Strings only, nothing runs SQL here."""

from __future__ import annotations

# md5 of a report's three texts: what a privacy clearance is for.
TEXT_HASH = (
    "md5(coalesce({r}.observation, '') || chr(31) || coalesce({r}.client_voice, '') || chr(31) "
    "|| coalesce({r}.proposal, ''))"
)


def text_hash(alias: str = "r") -> str:
    return TEXT_HASH.format(r=alias)


def text_visible(alias: str = "r") -> str:
    """The report's texts may be shown to leadership."""
    return (
        f"({alias}.publishable AND NOT EXISTS (SELECT 1 FROM report_reviews hv "
        f"WHERE hv.report_key = {alias}.report_key AND hv.privacy_unresolved > 0))"
    )


def cleared(alias: str = "r", review: str = "rv") -> str:
    """With ``report_reviews AS {review}`` joined: the report is publishable and its current
    texts are the ones the privacy screen cleared."""
    return (
        f"{alias}.publishable AND {review}.report_key IS NOT NULL AND {review}.privacy_unresolved = 0 "
        f"AND {review}.screened_hash = {text_hash(alias)}"
    )
