"""The one registry of views, the way ``dash.page_registry`` works: each view
declares its path, its menu label, how its context is made from a query
string, its layout, its chart catalogues (in order), its slide sequence, its
downloads and its deck. The menus (Dash's navbar and the Flask pages' shell),
the router, ``/present/<view>``, the deck routes, the download menus and the
command line (``python -m dashboard deck``) all read :data:`VIEWS`.

Adding a view is one entry here plus its modules; a view only half
registered fails at import (:class:`Registry` checks its entries) or in
``tests/test_registry.py``. The registry lives in the views layer so that
the web and the command line can both read it without an import back up: a
Dash view names its layout by module path (``"module:function"``, as
``gunicorn app:server`` does), and only the web layer resolves it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from .catalogue import Catalogue
from .indicators import INDICATORS, IndicatorContext
from .phenomena import PHENOMENA, PhenomenonContext
from .reports import OVERVIEW, REPORTS, ReportContext
from .slides import Deck, indicator_deck, phenomenon_deck, report_deck

DASH, FLASK = "dash", "flask"  # what draws a view: a Dash layout, or Flask routes of its own
PRESENT_ROOT = "reports"  # the view /present shows (the others: /present/<view>)

Pairs = list[tuple[str, str]]


@dataclass(frozen=True)
class Download:
    path: str  # '/download/summary.csv'; the view's query string is added
    label: str  # the menu item's UI string key


REPORT_DOWNLOADS = (
    Download("/download/reports.csv", "download.reports_csv"),
    Download("/download/reports.xlsx", "download.reports_xlsx"),
    Download("/download/summary.csv", "download.summary_csv"),
    Download("/download/summary.xlsx", "download.summary_xlsx"),
    Download("/download/chapter.docx", "download.chapter"),
)
INDICATOR_DOWNLOADS = (
    Download("/download/indicators.csv", "download.indicators_csv"),
    Download("/download/indicators.xlsx", "download.indicators_xlsx"),
)

# What travels with the user from view to view through the menu.
CARRIED = ("county", "from", "to", "lang")


def carried(pairs: Pairs) -> Pairs:
    """The county, period and language (an indicator view's region counts as
    its county when it is one)."""
    out = [(k, v) for k, v in pairs if k in CARRIED]
    if not any(k == "county" for k, _ in out):
        out += [("county", v) for k, v in pairs if k == "region" and len(v) == 2 and v.isdigit()][:1]
    return out


def carried_to_indicators(pairs: Pairs) -> Pairs:
    """The language, and the county as the indicator view's region (when there is one county)."""
    pairs = carried(pairs)
    counties = [v for k, v in pairs if k == "county"]
    return [(k, v) for k, v in pairs if k == "lang"] + ([("region", counties[0])] if len(counties) == 1 else [])


def language_only(pairs: Pairs) -> Pairs:
    return [(k, v) for k, v in pairs if k == "lang"]


def county_and_language(pairs: Pairs) -> Pairs:
    """The reporting form's: the language, and the county when there is one (the form is one county's)."""
    counties = [v for k, v in carried(pairs) if k == "county"]
    return [(k, v) for k, v in pairs if k == "lang"] + ([("county", counties[0])] if len(counties) == 1 else [])


@dataclass(frozen=True)
class View:
    name: str
    path: str
    label: str  # the menu label's UI string key (also the page's name)
    context: Callable[[str | None], Any] | None = None  # the view's context from a query string
    layout: str | None = None  # a Dash view's layout, "module:function", called with the context
    catalogues: tuple[Catalogue, ...] = ()  # its charts, in the order the page shows them
    slides: Callable[[Any], Deck] | None = None  # its slide sequence (/present, the deck)
    slides_of: str | None = None  # or: it presents another view's slides
    deck: str | None = None  # the deck's name: /download/<deck>.pptx
    downloads: tuple[Download, ...] = ()  # the download menu (the deck is added to it)
    menu: bool = True  # in the leadership menu
    login: bool = False  # behind the coordinator's login
    served_by: str = DASH
    carry: Callable[[Pairs], Pairs] = carried  # what its menu link keeps of the current view's query

    def context_for(self, query: str | None) -> Any:
        """The view's context for a query string (a view with charts or slides has a context
        factory: :meth:`Registry.problems` checks it)."""
        if self.context is None:
            raise LookupError(f"view {self.name!r} has no context")
        return self.context(query)

    def deck_for(self, context: Any) -> Deck:
        """The view's slides for its context (a view that presents has them: see ``presentation``)."""
        if self.slides is None:
            raise LookupError(f"view {self.name!r} has no slides")
        return self.slides(context)

    def link(self, query: str = "") -> str:
        """This view's address from a view that shows ``query``, with what travels along."""
        encoded = urlencode(self.carry(parse_qsl((query or "").lstrip("?"))))
        return self.path + ("?" + encoded if encoded else "")


class Registry:
    """The views, in menu order. Checks its entries when made, so a view only
    half registered (a slide sequence without a deck, a Dash view without a
    layout, two views on one path) fails at import."""

    def __init__(self, views: Sequence[View]):
        self.views = {view.name: view for view in views}
        problems = []
        if len(self.views) != len(views):
            problems.append("two views with one name")
        paths = [view.path for view in views]
        if len(set(paths)) != len(paths):
            problems.append(f"two views on one path: {paths}")
        decks = [view.deck for view in views if view.deck]
        if len(set(decks)) != len(decks):
            problems.append(f"two views with one deck: {decks}")
        for view in views:
            problems += [f"{view.name}: {p}" for p in self._check(view)]
        if problems:
            raise ValueError("the view registry: " + "; ".join(problems))

    def _check(self, view: View) -> list[str]:
        out = []
        if not view.path.startswith("/") or (view.path != "/" and view.path.endswith("/")):
            out.append(f"path {view.path!r}")
        if not view.label:
            out.append("no menu label")
        if view.served_by == DASH:
            if view.context is None:
                out.append("a Dash view without a context")
            if not view.layout or view.layout.count(":") != 1:
                out.append(f"a Dash view without a layout ('module:function'): {view.layout!r}")
        elif view.served_by == FLASK:
            if view.layout or view.catalogues:
                out.append("a Flask view draws its own page: no layout or catalogue here")
        else:
            out.append(f"served by {view.served_by!r}")
        if view.slides and view.slides_of:
            out.append("both slides of its own and another view's")
        if view.slides and not view.deck:
            out.append("slides without a deck")
        if view.deck and not view.slides:
            out.append("a deck without slides")
        if (view.slides or view.slides_of or view.catalogues) and view.context is None:
            out.append("slides or charts without a context")
        if view.slides_of and not (view.slides_of in self.views and self.views[view.slides_of].slides):
            out.append(f"presents {view.slides_of!r}, which has no slides")
        for catalogue in view.catalogues:
            if catalogue.context is None:
                out.append(f"catalogue {catalogue.view} does not say what context it draws from")
        return out

    def __getitem__(self, name: str) -> View:
        return self.views[name]

    def __iter__(self) -> Iterator[View]:
        return iter(self.views.values())

    def __contains__(self, name: object) -> bool:
        return name in self.views

    def get(self, name: str) -> View | None:
        return self.views.get(name)

    def at(self, path: str) -> View | None:
        """The view at ``path`` (a trailing slash is the same path)."""
        path = path.rstrip("/") or "/"
        return next((view for view in self if view.path == path), None)

    def menu(self) -> list[View]:
        """The leadership menu, in order."""
        return [view for view in self if view.menu]

    def presentation(self, name: str) -> View | None:
        """The view whose slides ``name`` presents: itself, the view it names, or none."""
        view = self.views.get(name)
        if view is None:
            return None
        if view.slides_of:
            return self.views[view.slides_of]
        return view if view.slides else None

    def present_path(self, name: str) -> str | None:
        shown = self.presentation(name)
        if shown is None:
            return None
        return "/present" if shown.name == PRESENT_ROOT else f"/present/{shown.name}"

    def deck_path(self, name: str) -> str | None:
        shown = self.presentation(name)
        return f"/download/{shown.deck}.pptx" if shown is not None else None

    def with_deck(self, deck: str) -> View | None:
        """The view whose deck is /download/<deck>.pptx."""
        return next((view for view in self if view.deck == deck), None)


VIEWS = Registry(
    [
        View(
            name="overview",
            path="/",
            label="nav.overview",
            context=ReportContext.from_query,
            layout="dashboard.web.layouts.reports:overview",
            catalogues=(OVERVIEW,),
            slides_of="reports",
            downloads=REPORT_DOWNLOADS,
        ),
        View(
            name="reports",
            path="/reports",
            label="nav.reports",
            context=ReportContext.from_query,
            layout="dashboard.web.layouts.reports:layout",
            catalogues=(REPORTS,),
            slides=report_deck,
            deck="deck",
            downloads=REPORT_DOWNLOADS,
        ),
        View(
            name="indicators",
            path="/indicators",
            label="nav.indicators",
            context=IndicatorContext.from_query,
            layout="dashboard.web.layouts.indicators:layout",
            catalogues=(INDICATORS,),
            slides=indicator_deck,
            deck="deck-indicators",
            downloads=INDICATOR_DOWNLOADS,
            carry=carried_to_indicators,
        ),
        View(
            name="phenomena",
            path="/phenomena",
            label="nav.phenomena",
            context=PhenomenonContext.from_query,
            layout="dashboard.web.layouts.phenomena:layout",
            catalogues=(PHENOMENA,),
            slides=phenomenon_deck,
            deck="deck-phenomena",
            downloads=REPORT_DOWNLOADS,
        ),
        View(
            name="coordinator",
            path="/coordinator",
            label="coord.title",
            login=True,
            served_by=FLASK,
            carry=language_only,
        ),
        # The reporting form (issue 20): social workers', not leadership's, so outside the menu; the
        # coordinator's page gives its address. Its access modes are its own (dashboard.web.routes.report).
        View(
            name="report",
            path="/report",
            label="report.title",
            menu=False,
            served_by=FLASK,
            carry=county_and_language,
        ),
        View(
            name="analysis",
            path="/coordinator/analysis",
            label="workbench.title",
            menu=False,
            login=True,
            served_by=FLASK,
        ),
    ]
)


def deck_for(name: str, query: str) -> tuple[Deck, tuple]:
    """The deck ``name`` presents for a query string, and what of the query string could not be used."""
    shown = VIEWS.presentation(name)
    if shown is None:
        raise KeyError(name)
    context = shown.context_for(query)
    return shown.deck_for(context), context.problems
