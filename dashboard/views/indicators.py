"""The indicator view's data and chart catalogue: time series of the region
against its county and the country (one per chosen indicator), a ranking of
the county's municipalities, a tile map of the counties and the split by
sex. Every chart names the indicator, unit, source, licence and update date;
small values are suppressed in the query layer."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import pandas as pd

from queries import access, codes
from queries import indicators as q

from ..charts import indicators as figures
from ..charts.style import Typography
from ..core.config import CODES_DIR, LANGUAGES, Settings
from ..core.filters import IndicatorChoices, IndicatorFilter
from ..core.formatting import fmt_date, fmt_number
from ..core.i18n import t, tn
from ..core.vocabulary import Vocabulary
from .catalogue import Catalogue, Chart, Column, Drawing, Native, Rendered, Table, chart_rows, number_format
from .links import linked_order, theme_links

KIND_KEYS = {"sotkanet": "ind.kind.sotkanet", "local": "ind.kind.local", "synthetic": "ind.kind.synthetic"}
KIND_RANK = {"sotkanet": 0, "local": 1, "synthetic": 2}


def hidden_text(threshold: int, lang: str = "fi") -> str:
    """A suppressed value as every view, slide and download shows it: 'alle 5 henkilöä',
    'färre än 5 personer', 'fewer than 5 people'."""
    return tn("ind.hidden", threshold, lang)


def with_unit(name: str, unit: str) -> str:
    """'Name (unit)', unless the name already says its unit ('…, % asukkaista',
    '… / 1000 asukasta')."""

    def compact(text: str) -> str:
        return re.sub(r"[\s,.\u00a0]+", "", text.lower())

    return name if not unit or compact(unit) in compact(name) else f"{name} ({unit})"


def indicator_catalogue(lang: str) -> pd.DataFrame:
    """Every indicator with its ``name`` and ``unit`` in ``lang``: THL's first, then
    the counties' own, then synthetic; by name within each. The query is
    language-free (read once per database version); the labels are picked here, once per
    language and version (callers read the frame, never change it)."""
    lang = lang if lang in LANGUAGES else "fi"
    return access.cached(f"indicator-catalogue-{lang}", lambda _: _catalogue(lang))


def _catalogue(lang: str) -> pd.DataFrame:
    frame = access.cached("indicators", q.indicator_list)
    labelled = frame.drop(columns=[f"{part}_{code}" for part in ("name", "unit") for code in LANGUAGES]).assign(
        name=frame[f"name_{lang}"], unit=frame[f"unit_{lang}"], _kind=[KIND_RANK.get(k, 3) for k in frame["kind"]]
    )
    return labelled.sort_values(["_kind", "name"], kind="stable").drop(columns="_kind").reset_index(drop=True)


def loaded_kinds() -> list[str]:
    """The sources (kinds) that have indicators with values, in the order of ``KIND_KEYS``:
    the source filter offers only these."""
    choices = indicator_choices()
    kinds = dict(zip(indicator_catalogue("fi")["indicator_id"], indicator_catalogue("fi")["kind"]))
    present = {kinds.get(i) for i in choices.indicators if choices.regions.get(i)}
    return [kind for kind in KIND_KEYS if kind in present]


def first_of_kind(choices: IndicatorChoices, kind: str, region: str) -> str | None:
    """The most relevant indicator of a source for the region (else of the source at all)."""
    kinds = dict(zip(indicator_catalogue("fi")["indicator_id"], indicator_catalogue("fi")["kind"]))
    of_kind = [i for i in choices.indicators if kinds.get(i) == kind and choices.regions.get(i)]
    return next((i for i in of_kind if choices.covers(i, region)), of_kind[0] if of_kind else None)


def region_table() -> pd.DataFrame:
    return access.cached("regions", codes.regions)


def county_codes() -> frozenset[str]:
    """The codes of the regions at the county level (once per database version)."""

    def compute(_) -> frozenset[str]:
        regions = region_table()
        return frozenset(regions.loc[regions["level"] == "county", "code"].tolist())

    return access.cached("county-codes", compute)


def indicator_choices() -> IndicatorChoices:
    """What the data holds, the indicators in order of relevance: THL's first, then
    the counties' own, then synthetic; within each, those linked to a theme
    (``data/theme_indicators.csv``, in the file's order) first."""
    listed = access.cached("indicators", q.indicator_list)
    return relevance_order(
        access.cached("indicator-choices", q.choices),
        linked_order(theme_links()),
        dict(zip(listed["indicator_id"], listed["kind"])),
    )


def relevance_order(choices: IndicatorChoices, linked: list[str], kinds: dict[str, str]) -> IndicatorChoices:
    position = {indicator: k for k, indicator in enumerate(linked)}
    given = {indicator: k for k, indicator in enumerate(choices.indicators)}
    order = sorted(
        choices.indicators, key=lambda i: (KIND_RANK.get(kinds.get(i, ""), 3), position.get(i, len(position)), given[i])
    )
    return replace(choices, indicators=tuple(order))


@dataclass
class IndicatorContext:
    """The indicator view for one filter: the filter as given (with its
    problems), the filter with defaults filled in, and what follows from it."""

    given: IndicatorFilter
    flt: IndicatorFilter
    vocab: Vocabulary
    mark: tuple[int, int] | None = None  # years to shade on the series (a report period)
    raw_query: str = ""  # the query string as the link gave it
    choices: IndicatorChoices | None = None  # what the data holds (read when first needed)

    @classmethod
    def from_query(cls, query: str | None) -> IndicatorContext:
        vocab = access.vocabulary()
        raw = query if isinstance(query, str) else ""
        given = IndicatorFilter.from_query(raw, vocab)
        choices = indicator_choices()
        return cls(given=given, flt=given.resolve(choices), vocab=vocab, raw_query=raw, choices=choices)

    @property
    def lang(self) -> str:
        return self.flt.lang

    @property
    def problems(self) -> tuple:
        """What of the query string could not be used."""
        return self.given.problems

    @cached_property
    def available(self) -> IndicatorChoices:
        return self.choices or indicator_choices()

    def notices(self) -> list[str]:
        """What the view shows other than the link asked for, and why: a year or
        sex the indicator has no data for, a region it has no values near."""
        given, flt, first = self.given, self.flt, self.first
        if not first:
            return []
        name = self.meta(first)["name"]
        out = []
        if given.region and flt.region and given.region[0] != flt.region[0]:
            out.append(
                t(
                    "ind.notice.region",
                    self.lang,
                    indicator=name,
                    region=self.name(given.region[0]),
                    shown=self.name(flt.region[0]),
                )
            )
        if given.year and given.year != flt.year:
            out.append(
                t(
                    "ind.notice.year",
                    self.lang,
                    indicator=name,
                    year=given.year[0],
                    shown=flt.year[0] if flt.year else "–",
                )
            )
        if given.sex and given.sex != flt.sex:
            out.append(t("ind.notice.sex", self.lang, indicator=name))
        return out

    @property
    def single(self) -> bool:
        """The first indicator is one published figure: one year, one region."""
        first = self.first
        if not first:
            return False
        return len(self.available.years.get(first, ())) == 1 and len(self.available.regions.get(first, ())) == 1

    @property
    def has_ranking(self) -> bool:
        """The county has municipalities with values of the first indicator (in some year)."""
        if not self.first or not self.county or self.single:
            return False
        have = self.available.regions.get(self.first, frozenset())
        return any(self.available.parents.get(code) == self.county for code in have)

    @property
    def has_map(self) -> bool:
        """Two or more counties have values of the first indicator (in some year)."""
        if not self.first or self.single:
            return False
        have = self.available.regions.get(self.first, frozenset())
        return len(have & county_codes()) > 1

    @property
    def has_sex_split(self) -> bool:
        first = self.first
        if not first:
            return False
        return self.available.has_split(first)

    @cached_property
    def threshold(self) -> int:
        return Settings.from_env().suppress_below

    @property
    def hidden(self) -> str:
        """What a suppressed value says: that it is hidden and why ('alle 5 henkilöä'), not a
        number ('< 5 %' read as 'under five percent')."""
        return hidden_text(self.threshold, self.lang)

    @property
    def protected(self) -> str:
        return figures.PROTECTED

    @cached_property
    def regions(self) -> pd.DataFrame:
        return region_table().set_index("code")

    @property
    def region(self) -> str:
        return self.flt.region[0]

    @property
    def year(self) -> int | None:
        return self.flt.year[0] if self.flt.year else None

    @property
    def sex(self) -> str:
        return self.flt.sex[0]

    def name(self, code: str) -> str:
        return self.regions.loc[code, f"name_{self.lang}"] if code in self.regions.index else code

    @cached_property
    def level(self) -> str:
        return self.regions.loc[self.region, "level"] if self.region in self.regions.index else "country"

    @cached_property
    def county(self) -> str | None:
        if self.level == "county":
            return self.region
        if self.level == "municipality":
            parent = self.regions.loc[self.region, "parent_code"]
            return parent if isinstance(parent, str) else None
        return None

    @property
    def compare(self) -> list[str]:
        """The region, its county (for a municipality) and the whole country."""
        out = [self.region]
        if self.level == "municipality" and self.county:
            out.append(self.county)
        if self.region != "FI":
            out.append("FI")
        return out

    @cached_property
    def catalogue(self) -> pd.DataFrame:
        return indicator_catalogue(self.lang).set_index("indicator_id")

    def meta(self, indicator: str) -> dict:
        return {"indicator_id": indicator, **self.catalogue.loc[indicator].to_dict()}

    @property
    def first(self) -> str | None:
        return self.flt.indicator[0] if self.flt.indicator else None

    @property
    def chosen(self) -> str:
        """The first indicator, for what is drawn only when there is one (the ranking, the map,
        the split by sex, a local collection's profile)."""
        if not self.first:
            raise LookupError("no indicator chosen")
        return self.first

    def caption(self) -> str:
        return self.flt.caption(self.vocab)

    def source(self, meta: dict, n: int | None = None) -> str:
        lang = self.lang
        parts = [t("meta.source", lang) + ": " + self.source_name(meta)]
        if isinstance(meta.get("licence"), str) and meta["licence"]:
            parts.append(meta["licence"])
        if meta.get("data_updated") is not None and not pd.isna(meta["data_updated"]):
            parts.append(t("ind.updated", lang, date=fmt_date(pd.Timestamp(meta["data_updated"]).date(), lang)))
        if n:
            parts.append(f"n = {fmt_number(n, lang)}")
        return " · ".join(parts)

    def source_name(self, meta: dict) -> str:
        """Who produced the figures. A citation stays as the data gives it; the
        synthetic demo's Finnish description is said in the view's language."""
        if bool(meta.get("synthetic")) and meta.get("kind") == "synthetic" and self.lang != "fi":
            return t("ind.source.synthetic", self.lang)
        return str(meta["source"])

    def value_text(self, value, suppressed, decimals: int, secondary=False) -> str:
        """The value as shown: "alle 5 henkilöä" for a small value, ".." for one hidden to protect
        a small one (a complement), "–" for none."""
        if figures.is_set(suppressed):
            return self.protected if figures.is_set(secondary) else self.hidden
        if value is None or pd.isna(value):
            return "–"
        return fmt_number(float(value), self.lang, decimals)

    def collection(self) -> list[str]:
        """The first indicator's local collection (the indicators loaded with the same source:
        one survey, one client-data compilation), or [] for an indicator that is not local."""
        first = self.first
        if not first:
            return []
        catalogue = indicator_catalogue(self.lang)
        meta = self.meta(first)
        if meta.get("kind") != "local":
            return []
        return catalogue[(catalogue["kind"] == "local") & (catalogue["source"] == meta["source"])][
            "indicator_id"
        ].tolist()

    def profile(self) -> Table | None:
        """Every figure of the first indicator's local collection in one table (the view shows
        one at a time): the figure, its value with its unit, n, the region and the year."""
        ids = self.collection()
        if len(ids) < 2:
            return None
        flt = IndicatorFilter(indicator=tuple(ids), sex=("total",), lang=self.lang)
        data = self.query("profile", (tuple(ids), self.threshold), lambda cur: q.table(cur, flt, self.threshold))
        order = {indicator: k for k, indicator in enumerate(ids)}
        data = data.assign(_order=[order.get(i, len(order)) for i in data["indicator_id"]]).sort_values(
            ["_order", "region_code", "year"]
        )
        lang, rows = self.lang, []
        for r in data.itertuples():
            meta = self.meta(r.indicator_id)
            unit = self.unit(meta)
            value = self.value_text(r.value, r.suppressed, int(meta["decimals"]), getattr(r, "secondary", False))
            if not r.suppressed and value != "–" and unit:
                value = f"{value} %" if unit == "%" else f"{value} {unit}"
            n = fmt_number(int(r.n), lang) if r.n is not None and not pd.isna(r.n) else "–"
            rows.append((str(meta["name"]), value, n, self.name(r.region_code), str(int(r.year))))
        columns = (
            Column(t("ind.profile.figure", lang)),
            Column(t("table.value", lang), "figure"),
            Column("n", "figure"),
            Column(t("ind.region", lang)),
            Column(t("ind.year", lang)),
        )
        return Table(columns=columns, rows=tuple(rows))

    def query(self, name: str, key: tuple, compute):
        return access.memo(f"ind-{name}", key, compute)

    @property
    def synthetic(self) -> bool:
        return any(bool(self.meta(i)["synthetic"]) for i in self.flt.indicator)

    def unit(self, meta: dict) -> str:
        """The unit's label in the view's language (from the units code list)."""
        return str(meta["unit"])

    def note(self, meta: dict) -> str | None:
        """The indicator's description: written in Finnish in the data, so only the
        Finnish view shows it."""
        description = meta.get("description")
        return description if self.lang == "fi" and isinstance(description, str) and description else None


def _rows(
    ctx: IndicatorContext,
    indicator: str,
    data: pd.DataFrame,
    category: str,
    series: str | None = None,
    sex: str | None = None,
) -> pd.DataFrame:
    """An indicator chart's rows: every value it shows with its key (indicator,
    region, year, sex). ``category`` and ``series`` name the key that the bars or
    points stand for ('year', 'region' or 'sex')."""

    def key(part: str | None, codes: bool) -> list:
        if part is None:
            return [""] * len(data)
        if part == "year":
            return [str(int(y)) for y in data["year"]]
        if part == "sex":
            return list(data["sex"]) if codes else [t(f"ind.sex.{s}", ctx.lang) for s in data["sex"]]
        return list(data["region_code"]) if codes else [ctx.name(code) for code in data["region_code"]]

    return chart_rows(
        category=key(category, False),
        category_code=key(category, True),
        series=key(series, False),
        series_code=key(series, True),
        value=data["value"],
        suppressed=data["suppressed"],
        secondary=data["secondary"] if "secondary" in data else False,
        n=data["n"] if "n" in data else None,
        indicator_id=indicator,
        region_code=data["region_code"],
        year=[int(y) for y in data["year"]],
        sex=data["sex"] if "sex" in data else sex or ctx.sex,
    )


def _series(ctx: IndicatorContext, name: str, style: Typography) -> Rendered:
    index = int(name.split("-")[1])
    indicator = ctx.flt.indicator[index]
    lang, meta = ctx.lang, ctx.meta(indicator)
    decimals = int(meta["decimals"])
    compare = ctx.compare
    data = ctx.query(
        "series",
        (indicator, tuple(compare), ctx.sex, ctx.threshold),
        lambda cur: q.series(cur, indicator, compare, ctx.sex, ctx.threshold),
    )
    n = int(data["n"].dropna().max()) if data["n"].notna().any() else None
    lines = [(ctx.name(code), data[data["region_code"] == code]) for code in compare]
    sex_label = t(f"ind.sex.{ctx.sex}", lang)
    present = [(label, part) for label, part in lines if not part.empty]
    caption = f"{' – '.join(label for label, _ in present) or ctx.name(ctx.region)} · {sex_label}"
    years = sorted({int(y) for y in data["year"]})
    unit = ctx.unit(meta)
    single = len(years) == 1 and len(present) == 1
    source = ctx.source(meta, None if single else n)  # a single figure shows its n beside the number
    drawing = Drawing(name, str(meta["name"]), caption, source, ctx.note(meta))
    if single:
        row = present[0][1].iloc[0]
        value = ctx.value_text(row["value"], row["suppressed"], decimals, row.get("secondary"))
        if row["suppressed"]:
            shown = value  # 'alle 5 henkilöä' (or '..'): no unit after it
        else:
            shown = f"{value} %" if unit == "%" else f"{value} {unit}".strip()
        label = f"{present[0][0]} · {years[0]}" + (f" · n = {fmt_number(n, lang)}" if n else "")
        figure = figures.single_figure(shown, label, drawing.text, style)
    else:
        figure = figures.line_series(lines, drawing.text, unit, decimals, lang, ctx.hidden, style, mark=ctx.mark)
    # The table: a column per region with data, in the order of the region codes.
    codes = sorted(code for code in compare if not data[data["region_code"] == code].empty)
    texts = {
        (r.region_code, int(r.year)): ctx.value_text(r.value, r.suppressed, decimals, r.secondary)
        for r in data.itertuples()
    }
    columns = [Column(t("ind.year", lang))] + [Column(ctx.name(code)) for code in codes]
    rows = [tuple([str(year)] + [texts.get((code, year), "–") for code in codes]) for year in years]
    if not present:
        alt = t("ind.no_data_chart", lang)
    else:
        last = years[-1]
        values = [
            f"{label} {ctx.value_text(*_value_at(part, last)[:2], decimals, _value_at(part, last)[2])}"
            for label, part in present
        ]
        alt = t("ind.series_alt", lang, year=last, values=", ".join(values), unit=unit)
    return drawing.done(
        figure,
        Table(tuple(columns), tuple(rows)),
        alt,
        # The years in order; the lines in the order drawn: the region, its county, the country.
        rows=lambda: _rows(ctx, indicator, data.sort_values("year", kind="stable"), "year", "region"),
        native=Native("lines", number_format(decimals), lines=tuple(compare)),
        empty=not present,
    )


def _value_at(part: pd.DataFrame, year: int) -> tuple[Any, bool, bool]:
    """(value, suppressed, secondary) of ``year``."""
    match = part[part["year"] == year]
    if match.empty:
        return None, False, False
    secondary = figures.is_set(match["secondary"].iloc[0]) if "secondary" in match else False
    return match["value"].iloc[0], bool(match["suppressed"].iloc[0]), secondary


def _shown(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows a chart shows as a value or as 'alle 5 henkilöä' (not the areas without data)."""
    return frame[frame["value"].notna() | frame["suppressed"].fillna(False).astype(bool)]


def ranked_by_value(frame: pd.DataFrame, name) -> pd.DataFrame:
    """The ranking's rows named (``name(code)``) and ordered: the municipalities
    first, then the county and the country; each by value, largest first (no value
    last), ties by name."""
    named = frame.assign(
        name=[name(code) for code in frame["region_code"]], _level=(frame["level"] != "municipality").astype(int)
    )
    return (
        named.sort_values(["_level", "value", "name"], ascending=[True, False, True], na_position="last", kind="stable")
        .drop(columns="_level")
        .reset_index(drop=True)
    )


def _ranking(ctx: IndicatorContext, name: str, style: Typography) -> Rendered:
    lang, first = ctx.lang, ctx.chosen
    meta = ctx.meta(first)
    decimals = int(meta["decimals"])
    county, year = ctx.county, ctx.year
    drawing = Drawing(
        name,
        t("ind.ranking", lang, indicator=meta["name"]),
        f"{ctx.name(county) if county else ''} · {year} · {t(f'ind.sex.{ctx.sex}', lang)}",
        ctx.source(meta),
    )
    if not county or year is None:
        rank = pd.DataFrame(columns=["region_code", "name", "level", "value", "suppressed", "secondary", "n"])
    else:
        rank = ranked_by_value(
            ctx.query(
                "ranking",
                (first, county, year, ctx.sex, ctx.threshold),
                lambda cur: q.ranking(cur, first, county, year, ctx.sex, ctx.threshold),
            ),
            ctx.name,
        )
    municipalities = rank[rank["level"] == "municipality"]
    has = municipalities["value"].notna().any() or municipalities["suppressed"].fillna(False).astype(bool).any()
    figure = figures.ranking(
        rank if has else rank.iloc[0:0],
        drawing.text,
        ctx.unit(meta),
        decimals,
        lang,
        ctx.hidden,
        highlight=ctx.region if ctx.level == "municipality" else None,
        style=style,
    )
    table = Table(
        (Column(t("ind.region", lang)), Column(t("table.value", lang))),
        tuple((r.name, ctx.value_text(r.value, r.suppressed, decimals, r.secondary)) for r in rank.itertuples()),
    )
    ranked = municipalities.dropna(subset=["value"])
    if has and not ranked.empty:
        alt = t(
            "ind.ranking_alt",
            lang,
            top=ranked.iloc[0]["name"],
            top_value=ctx.value_text(ranked.iloc[0]["value"], False, decimals),
            low=ranked.iloc[-1]["name"],
            low_value=ctx.value_text(ranked.iloc[-1]["value"], False, decimals),
        )
    else:
        alt = t("ind.no_data_chart", lang)

    def rows() -> pd.DataFrame:
        # The bars in the chart's order (largest first, the county and the country at their place).
        shown = _shown(figures.ranking_rows(rank)) if has else rank.iloc[0:0]
        return _rows(ctx, first, shown.assign(year=year), "region")

    # As on the screen: the chosen municipality darker, the county and the country in their grey.
    native = Native(
        "bars",
        number_format(decimals),
        name=str(meta["name"]),
        selected=(ctx.region,) if ctx.level == "municipality" else (),
        colours=tuple(
            (code, figures.REFERENCE_COLOURS[level])
            for code, level in zip(rank["region_code"], rank["level"])
            if level in figures.REFERENCE_COLOURS
        ),
    )
    return drawing.done(figure, table, alt, rows=rows, native=native, empty=not has)


def _map(ctx: IndicatorContext, name: str, style: Typography) -> Rendered:
    lang, first, year = ctx.lang, ctx.chosen, ctx.year
    meta = ctx.meta(first)
    decimals = int(meta["decimals"])
    counties = (
        ctx.query(
            "counties",
            (first, year, ctx.sex, ctx.threshold),
            lambda cur: q.county_values(cur, first, year, ctx.sex, ctx.threshold),
        )
        if year is not None
        else pd.DataFrame(columns=["region_code", "value", "suppressed", "secondary"])
    )
    counties = counties.assign(name=[ctx.name(code) for code in counties["region_code"]])
    has = counties["value"].notna().any()
    shown = counties.dropna(subset=["value"]).sort_values("value", ascending=False)
    where = f"{t('ind.counties', lang)} · {year} · {t(f'ind.sex.{ctx.sex}', lang)} · "
    # On a slide the counties are ranked as bars (tile labels would be too small to read on a
    # shared screen): the ten largest, and the chosen county wherever it ranks.
    on_slide = has and not style.framed
    caption = where + (
        t("ind.top_counties", lang, n=SLIDE_BARS, total=len(shown)) if on_slide else t("ind.map_scale", lang)
    )
    drawing = Drawing(name, t("ind.map", lang, indicator=meta["name"]), caption, ctx.source(meta))
    if not has:
        figure = figures.empty(drawing.text, t("ind.no_data_chart", lang), style)
    elif not on_slide:
        figure = figures.tile_map(
            counties,
            county_tiles(lang),
            drawing.text,
            ctx.unit(meta),
            decimals,
            lang,
            ctx.hidden,
            t("ind.no_data_tile", lang),
            highlight=ctx.county,
            style=style,
        )
    else:
        top = shown.head(SLIDE_BARS)
        if ctx.county and ctx.county not in set(top["region_code"]):
            top = pd.concat([top, shown[shown["region_code"] == ctx.county]])
        figure = figures.ranking(
            top.assign(level="municipality"),
            drawing.text,
            ctx.unit(meta),
            decimals,
            lang,
            ctx.hidden,
            highlight=ctx.county,
            style=style,
        )
    table = Table(
        (Column(t("ind.region", lang)), Column(t("table.value", lang))),
        tuple((r.name, ctx.value_text(r.value, r.suppressed, decimals, r.secondary)) for r in counties.itertuples()),
    )
    alt = (
        tn(
            "ind.map_alt",
            len(shown),
            lang,
            top=shown.iloc[0]["name"],
            top_value=ctx.value_text(shown.iloc[0]["value"], False, decimals),
        )
        if has
        else t("ind.no_data_chart", lang)
    )

    # On a slide: the ten largest, then the chosen county wherever it ranks, then the rest (kept in
    # the chart's data, not drawn); the suppressed counties ('< 5') last.
    top_codes = list(shown["region_code"].head(SLIDE_BARS))
    chosen_below = bool(ctx.county) and ctx.county in set(shown["region_code"]) and ctx.county not in top_codes

    def rows() -> pd.DataFrame:
        # Largest first; the suppressed counties ('alle 5 henkilöä') last, kept in the data but not drawn.
        hidden = counties[counties["value"].isna() & counties["suppressed"].fillna(False).astype(bool)]
        if not has:
            return _rows(ctx, first, counties.iloc[0:0].assign(year=year), "region")
        first_rows = shown.head(SLIDE_BARS)
        chosen = shown[shown["region_code"] == ctx.county] if chosen_below else shown.iloc[0:0]
        rest = shown.iloc[SLIDE_BARS:]
        rest = rest[rest["region_code"] != ctx.county] if chosen_below else rest
        ordered = pd.concat([first_rows, chosen, rest, hidden])
        return _rows(ctx, first, ordered.assign(year=year), "region")

    native = Native(
        "bars",
        number_format(decimals),
        drawn=min(len(shown), SLIDE_BARS + int(chosen_below)),
        name=str(meta["name"]),
        selected=(ctx.county,) if ctx.county else (),
    )
    return drawing.done(figure, table, alt, rows=rows, native=native, empty=not has)


SLIDE_BARS = 10


def county_tiles(lang: str) -> pd.DataFrame:
    """code, row, col and the tile's label in ``lang`` (a '|' in the data breaks the line)."""
    tiles = access.cached("county-tiles", lambda cur: pd.read_csv(CODES_DIR / "county_tiles.csv", dtype={"code": str}))
    column = f"short_{lang}" if f"short_{lang}" in tiles else "short_fi"
    return tiles.assign(short=[str(label).replace("|", "<br>") for label in tiles[column]])


def _by_sex(ctx: IndicatorContext, name: str, style: Typography) -> Rendered:
    lang, first = ctx.lang, ctx.chosen
    meta = ctx.meta(first)
    decimals = int(meta["decimals"])
    drawing = Drawing(name, t("ind.by_sex", lang, indicator=meta["name"]), ctx.name(ctx.region), ctx.source(meta))
    split = ctx.query(
        "sex", (first, ctx.region, ctx.threshold), lambda cur: q.by_sex(cur, first, ctx.region, ctx.threshold)
    )
    labels = {s: t(f"ind.sex.{s}", lang) for s in ("male", "female")}
    if split.empty:
        figure = figures.empty(drawing.text, t("ind.no_sex_split", lang), style)
    else:
        figure = figures.sex_split(split, drawing.text, ctx.unit(meta), decimals, lang, labels, ctx.hidden, style)
    years = sorted({int(y) for y in split["year"]})
    rows = []
    for year in years:
        row = [str(year)]
        for sex in ("male", "female"):
            match = split[(split["year"] == year) & (split["sex"] == sex)]
            row.append(
                ctx.value_text(
                    match["value"].iloc[0], match["suppressed"].iloc[0], decimals, match["secondary"].iloc[0]
                )
                if not match.empty
                else "–"
            )
        rows.append(tuple(row))
    table = Table((Column(t("ind.year", lang)), Column(labels["male"]), Column(labels["female"])), tuple(rows))
    alt = t("ind.sex_alt", lang, region=drawing.caption) if years else t("ind.no_sex_split", lang)
    return drawing.done(
        figure,
        table,
        alt,
        rows=lambda: _rows(ctx, first, split.assign(region_code=ctx.region), "year", "sex"),
        native=Native("bars_grouped", lines=("male", "female")),
        empty=split.empty,
    )


def _series_instances(ctx: IndicatorContext) -> list[str]:
    return [f"series-{i}" for i in range(len(ctx.flt.indicator))]


INDICATORS = Catalogue(
    "indicators",
    [
        Chart("series", _series, instances_of=_series_instances),
        Chart("ranking", _ranking, instances_of=lambda ctx: ["ranking"] if ctx.has_ranking else []),
        Chart("map", _map, instances_of=lambda ctx: ["map"] if ctx.has_map else []),
        Chart("sex", _by_sex, instances_of=lambda ctx: ["sex"] if ctx.has_sex_split else []),
    ],
    context=IndicatorContext,
)
