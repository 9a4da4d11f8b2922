"""Which reports' free texts leadership may read, as SQL over ``reports AS {r}``
(one place, so the reading pane, the search, the downloads, the slides, the deck
and the wellbeing-report chapter cannot disagree):

- :func:`text_visible` — the report is publishable (the county's file, or the
  coordinator's published decision) and no unresolved privacy hit holds it back
  (``HELD``): neither one the screen found at import
  (``report_screening.unresolved``, ``dashboard.analysis.screening``) nor one
  open at publishing (``report_reviews.privacy_unresolved``).
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


# The reports an unresolved privacy hit holds back: one the screen found when the texts were imported
# (``report_screening``, kept up to date by the coordinator's decisions in the workbench) or one that
# was open when the period's analysis was published (``report_reviews``). Uncorrelated, so DuckDB
# hashes the few held keys once (a correlated EXISTS per report doubled a whole-country count's time).
HELD = (
    "SELECT hs.report_key FROM report_screening hs WHERE hs.unresolved > 0 "
    "UNION ALL SELECT hv.report_key FROM report_reviews hv WHERE hv.privacy_unresolved > 0"
)


def text_visible(alias: str = "r") -> str:
    """The report's texts may be shown to leadership: publishable and not held back by a hit (report
    keys are never NULL, so NOT IN is exact)."""
    return f"({alias}.publishable AND {alias}.report_key NOT IN ({HELD}))"


def cleared(alias: str = "r", review: str = "rv") -> str:
    """With ``report_reviews AS {review}`` joined: the report is publishable and its current
    texts are the ones the privacy screen cleared."""
    return (
        f"{text_visible(alias)} AND {review}.report_key IS NOT NULL AND {review}.privacy_unresolved = 0 "
        f"AND {review}.screened_hash = {text_hash(alias)}"
    )
