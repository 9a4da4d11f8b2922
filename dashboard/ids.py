"""Component ids, in one place. Pattern-matching ids let every page declare
which filters and charts it has while one set of callbacks serves them all."""

from dash import ALL

URL = "url"
LANG_STORE = "lang-store"
FILTER_STORE = "filter-store"
PAGE = "page"
NAV = "nav"
FOOTER = "app-footer"

CAPTION = "caption"
WARNINGS = "filter-warnings"
KPIS = "kpis"
DOWNLOADS = "downloads"
READING_LIST = "reading-list"
READING_COUNT = "reading-count"
READING_MORE = "reading-more"
COMPARE_A = "compare-a"
COMPARE_B = "compare-b"
COMPARE_DIMENSION = "compare-dimension"
COMPARE_OUT = "compare-out"
REPORT_GRID = "report-grid"
REPORT_GRID_NOTE = "report-grid-note"


# The indicator view
IND_STORE = "ind-store"
IND_CONTENT = "ind-content"
IND_CAPTION = "ind-caption"
IND_WARNINGS = "ind-warnings"
IND_SOURCE = "ind-source"
# The phenomenon view
PHEN_CONTENT = "phen-content"
PHEN_CAPTION = "phen-caption"


def ind_control(name: str) -> dict:
    """An indicator view dropdown: indicator, region, year or sex."""
    return {"type": "ind-filter", "name": name}


def ind_chart(name: str) -> dict:
    return {"type": "ind-chart", "name": name}


def filter_control(name: str) -> dict:
    """A filter dropdown: name is county, municipality, target_group, theme,
    observation_type, service_unit or period."""
    return {"type": "filter", "name": name}


def filter_input(name: str) -> dict:
    """A filter text input: name is from, to or q (the text search)."""
    return {"type": "filter-input", "name": name}


def action(name: str) -> dict:
    """A button that changes the filter: name is clear."""
    return {"type": "filter-action", "name": name}


def lang_link(lang: str) -> dict:
    return {"type": "lang-link", "name": lang}


def chart(name: str) -> dict:
    """A chart: name is a dimension (theme, target_group, area, observation_type,
    service_unit) or 'trend'."""
    return {"type": "chart", "name": name}


def chart_summary(name: str) -> dict:
    return {"type": "chart-summary", "name": name}


FILTER_ALL = {"type": "filter", "name": ALL}
FILTER_INPUT_ALL = {"type": "filter-input", "name": ALL}
ACTION_ALL = {"type": "filter-action", "name": ALL}
LANG_LINK_ALL = {"type": "lang-link", "name": ALL}
CHART_ALL = {"type": "chart", "name": ALL}
CHART_SUMMARY_ALL = {"type": "chart-summary", "name": ALL}
IND_CONTROL_ALL = {"type": "ind-filter", "name": ALL}
IND_CHART_ALL = {"type": "ind-chart", "name": ALL}
