"""Component ids, in one place. Pattern-matching ids let every page declare
which filters and charts it has while one set of callbacks serves them all."""

from dash import ALL

# The shell
URL = "url"
PAGE = "page"
NAV = "nav"
FOOTER = "app-footer"
LANG_STORE = "lang-store"

# The report views (overview, reports)
CAPTION = "caption"
WARNINGS = "filter-warnings"
KPIS = "kpis"
DEMO_NOTICE = "demo-notice"
DOWNLOADS = "downloads"
PRESENT = "present-link"
READING_LIST = "reading-list"
READING_COUNT = "reading-count"
READING_HEADING = "reading-heading"
COMPARE_SECTION = "compare-section"
COMPARE_HEADING = "compare-heading"
# The comparison's three menus (pattern-matched, so a filter change can read them on the views that have them)
COMPARE_A = {"type": "compare", "name": "a"}
COMPARE_B = {"type": "compare", "name": "b"}
COMPARE_DIMENSION = {"type": "compare", "name": "dimension"}
COMPARE_TABLE = "compare-table"
GRID_SECTION = "report-grid"
GRID_HEADING = "grid-heading"
GRID_NOTE = "report-grid-note"
ANALYSIS_HEADING = "analysis-heading"
GRID_OPEN = "report-grid-open"
GRID_DETAIL = "report-detail"
GRID_DETAIL_HEADING = "report-detail-heading"
# Filters the view has no control for, shown as removable chips (components.filter_chips)
CHIPS = "filter-chips"
CHIPS_LABEL = "filter-chips-label"
# The free date range: the text a user types, its message, the format hint (assets/dates.js)
DATE_TEXT = {"from": "date-from-text", "to": "date-to-text"}
DATE_ERROR = {"from": "date-from-error", "to": "date-to-error"}
DATE_HINT = "date-hint"

# The indicator view
IND_CONTENT = "ind-content"
IND_CAPTION = "ind-caption"
IND_WARNINGS = "ind-warnings"
IND_SOURCE = "ind-source"
IND_DOWNLOADS = "ind-downloads"
IND_DOWNLOADS_BOX = "ind-downloads-box"
IND_SOURCE_NOTE = "ind-source-note"
IND_EMPTY = "ind-empty"
IND_PROFILE = "ind-profile"

# The phenomenon view
PHEN_CONTENT = "phen-content"
PHEN_CAPTION = "phen-caption"
PHEN_TREND = "phen-trend"
PHEN_AREAS = "phen-areas"
PHEN_PROPOSALS = "phen-proposals"
PHEN_INDICATORS = "phen-indicators"


def ind_control(name: str) -> dict:
    """An indicator view dropdown: indicator, region, year or sex."""
    return {"type": "ind-filter", "name": name}


def ind_chart(name: str) -> dict:
    return {"type": "ind-chart", "name": name}


def phen_chart(name: str) -> str | dict:
    """A chart of the phenomenon view (the timeline and the areas keep their plain ids)."""
    return {"timeline": PHEN_TREND, "area": PHEN_AREAS}.get(name) or {"type": "phen-chart", "name": name}


def doc_title(view: str) -> dict:
    """The document title a view wants (WCAG 2.4.2), read by the shell's clientside callback."""
    return {"type": "doc-title", "name": view}


def filter_control(name: str) -> dict:
    """A filter dropdown: name is county, municipality, target_group, theme,
    observation_type, service_unit, followup_status or period."""
    return {"type": "filter", "name": name}


def filter_input(name: str) -> dict:
    """A filter input: name is from, to, q (the text search) or voice (a checkbox)."""
    return {"type": "filter-input", "name": name}


def action(name: str) -> dict:
    """A button that changes the filter: name is clear."""
    return {"type": "filter-action", "name": name}


def lang_link(lang: str) -> dict:
    return {"type": "lang-link", "name": lang}


def nav_link(path: str) -> dict:
    """A menu link; its href carries the county, period and language along."""
    return {"type": "nav-link", "name": path}


def chart(name: str) -> dict:
    """A report chart: its name in the catalogue (dashboard.views.reports.REPORTS)."""
    return {"type": "chart", "name": name}


def chart_summary(name: str) -> dict:
    return {"type": "chart-summary", "name": name}


def view_url(view: str) -> dict:
    """A report view's own location: its search is the view's state (a shell
    location would fire the callbacks of every view on every page)."""
    return {"type": "view-url", "name": view}


def part(name: str) -> dict:
    """A part of a report view that a filter change redraws: caption, warnings,
    kpis, actions, reading, compare, grid, phenomena."""
    return {"type": "part", "name": name}


def html_part(name: str) -> dict:
    """A part of a report view that is ready HTML (components.html_block): a filter change sets its
    markup (caption, warnings, kpis, reading, grid note, analysis)."""
    return {"type": "html-part", "name": name}


def html_parts(view: str) -> dict:
    """A report view's hidden carrier of a filter change's ready HTML: one prop (a JSON object of
    DOM id -> markup) for every html part and chart summary of the view (assets/html-blocks.js)."""
    return {"type": "html-parts", "name": view}


def more(name: str) -> dict:
    return {"type": "more", "name": name}


# The report table: one grid for the page's life. A filter change sets its filter model (the
# filter's query string in a hidden column), which makes it ask for its rows again.
GRID = {"type": "report-grid", "key": "reports"}


FILTER_ALL = {"type": "filter", "name": ALL}
FILTER_INPUT_ALL = {"type": "filter-input", "name": ALL}
ACTION_ALL = {"type": "filter-action", "name": ALL}
LANG_LINK_ALL = {"type": "lang-link", "name": ALL}
NAV_LINK_ALL = {"type": "nav-link", "name": ALL}
CHART_ALL = {"type": "chart", "name": ALL}
CHART_SUMMARY_ALL = {"type": "chart-summary", "name": ALL}
IND_CONTROL_ALL = {"type": "ind-filter", "name": ALL}
IND_CHART_ALL = {"type": "ind-chart", "name": ALL}
GRID_ALL = {"type": "report-grid", "key": ALL}
VIEW_URL_ALL = {"type": "view-url", "name": ALL}
PART_ALL = {"type": "part", "name": ALL}
HTML_PART_ALL = {"type": "html-part", "name": ALL}
HTML_PARTS_ALL = {"type": "html-parts", "name": ALL}
DOC_TITLE_ALL = {"type": "doc-title", "name": ALL}
MORE_ALL = {"type": "more", "name": ALL}
COMPARE_ALL = {"type": "compare", "name": ALL}
IND_URL = {"type": "ind-url", "name": "indicators"}
