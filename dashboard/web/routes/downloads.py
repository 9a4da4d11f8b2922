"""Download routes. They take the same query string as the views and read the
same contexts and chart catalogues, so a download always matches what the
view shows.

A query string with anything that cannot be used (unknown codes, bad dates,
too many values) gets 400 and a plain-text explanation: a download never
silently widens to more rows than the link asked for. Large tables stream.
"""

from __future__ import annotations

import datetime as dt
import gzip
import os
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path

import pandas as pd
from flask import Response, request, send_file

from queries import access
from queries import analysis as qa
from queries import reports as q
from queries.access import DatabaseMissing

from ...charts.indicators import is_set
from ...charts.style import share_decimals
from ...core.config import Settings
from ...core.filters import Problem, lang_of
from ...core.formatting import fmt_number
from ...core.i18n import t, tn
from ...export import heavy
from ...export.chapter import DOCX_MIME, chapter_bytes
from ...export.deck import PPTX_MIME, deck_bytes
from ...export.tables import CSV_MIME, XLSX_MIME, Sheet, csv_stream, xlsx_file
from ...export.xlsx_stream import write_streamed_xlsx
from ...views import analysis as va
from ...views.catalogue import DOWNLOAD, Catalogue
from ...views.chapter import chapter
from ...views.indicators import INDICATORS, IndicatorContext
from ...views.registry import VIEWS, View
from ...views.reports import REPORTS, ReportContext
from ...views.slides import split_query
from . import auth

# The report table's columns: (frame column, header key).
REPORT_COLUMNS = [
    ("report_id", "col.report_id"),
    ("submitted_on", "col.submitted_on"),
    ("county", "col.county"),
    ("service_unit", "col.service_unit"),
    ("areas", "col.areas"),
    ("target_groups", "col.target_groups"),
    ("themes", "col.themes"),
    ("observation_type", "col.observation_type"),
    ("publishable", "col.publishable"),
    ("observation", "col.observation"),
    ("client_voice", "col.client_voice"),
    ("proposal", "col.proposal"),
    ("followup_status", "col.followup_status"),
    ("handled_in", "col.handled_in"),
    ("forwarded_to", "col.forwarded_to"),
    ("followup_action", "col.followup_action"),
]
WIDE = {
    "observation",
    "client_voice",
    "proposal",
    "areas",
    "target_groups",
    "themes",
    "handled_in",
    "forwarded_to",
    "followup_action",
}
INDICATOR_COLUMNS = [
    "indicator_id",
    "indicator",
    "unit",
    "source",
    "licence",
    "region_code",
    "region",
    "level",
    "year",
    "sex",
    "value",
    "n",
]


def plain(status: int, text: str) -> Response:
    return Response(text + "\n", status=status, mimetype="text/plain")


def refusal(problems: tuple[Problem, ...], lang: str) -> Response:
    """400 with every reason the query string could not be used."""
    lines = [t("warning.heading", lang) + ":"] + ["- " + p.message(lang) for p in problems]
    return plain(400, "\n".join(lines))


def query_string() -> str:
    return request.query_string.decode("utf-8", "replace")


def slug(*parts: str) -> str:
    """'raportit', 'Päijät-Häme', '2024-09-01' -> 'raportit_paijat-hame_2024-09-01'."""
    out = []
    for part in parts:
        text = unicodedata.normalize("NFKD", str(part))
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
        text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
        if text:
            out.append(text[:40])
    return "_".join(out)[:150] or "lataus"


def report_filename(context: ReportContext, kind: str) -> str:
    flt, vocab = context.flt, context.vocab
    counties = [vocab.label("county", c, "fi") for c in flt.county[:2]] or ["kaikki"]
    period = [d.isoformat() for d in (flt.date_from, flt.date_to) if d] or ["koko-aika"]
    return slug(kind, *counties, *period)


def attachment(body, mimetype: str, filename: str) -> Response:
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def send(
    header: list[str],
    rows,
    fmt: str,
    lang: str,
    filename: str,
    sheet: str,
    meta: list[tuple[str, str]],
    formats: dict[int, str] | None = None,
    wrap: tuple[int, ...] = (),
    widths: dict[int, float] | None = None,
):
    if fmt == "csv":
        return attachment(csv_stream(header, rows, lang), CSV_MIME, filename + ".csv")
    handle = xlsx_file([Sheet(sheet, header, rows, formats or {}, widths or {}, wrap)], meta, t("meta.sheet", lang))
    return send_file(handle, mimetype=XLSX_MIME, as_attachment=True, download_name=filename + ".xlsx")


def report_meta(context: ReportContext, n: int) -> list[tuple[str, str]]:
    lang = context.lang
    meta = [
        (t("meta.caption", lang), context.caption()),
        (t("meta.exported", lang), dt.datetime.now().strftime("%-d.%-m.%Y %H:%M")),
        (t("meta.source", lang), context.source),
        (t("meta.rows", lang), str(n)),
        (t("meta.filters", lang), context.flt.to_query() or "–"),
        (t("meta.privacy", lang), t("meta.privacy_text", lang)),
    ]
    if context.demo:
        meta.append((t("meta.demo", lang), t("demo.notice", lang)))
    return meta


def report_context():
    try:
        context = ReportContext.from_query(query_string())
    except DatabaseMissing:
        return None, plain(503, t("error.no_database", "fi", path=str(access.database().path)))
    if context.problems:
        return None, refusal(context.problems, context.lang)
    return context, None


LIGHT_ROWS = 5_000  # a report table this small is built for each request (well under a second)


def busy(error: heavy.Busy, lang: str) -> Response:
    """503 with Retry-After, in the user's language."""
    key = "download.building" if error.building else "download.busy"
    response = plain(503, t(key, lang, seconds=error.retry_after))
    response.headers["Retry-After"] = str(error.retry_after)
    return response


def _cursor_and_version(db):
    """A cursor of its own and the identity of the database version it reads."""
    for _ in range(5):
        before = db.version()
        cursor = db.new_cursor()
        if db.version() == before:
            return cursor, before
    return cursor, db.version()


def download_reports(fmt: str):
    """The report table as CSV (written by DuckDB) or XLSX (rows streamed as XML),
    in constant memory. A table of more than :data:`LIGHT_ROWS` rows is built
    once per database version and filter in a heavy slot and served from the file."""
    context, error = report_context()
    if error:
        return error
    lang, total = context.lang, context.total
    if total > q.MAX_ROWS:
        return plain(413, tn("download.too_many", total, lang, max=fmt_number(q.MAX_ROWS, lang)))
    header = [t(key, lang) for _, key in REPORT_COLUMNS]
    settings = Settings.from_env()
    db = access.database()
    cursor, identity = _cursor_and_version(db)
    sql, params = q.export_sql(
        context.flt, context.vocab, lang, t("value.yes", lang), t("value.no", lang), for_csv=fmt == "csv"
    )

    def build(path: Path) -> None:
        if fmt == "csv":
            q.write_csv(cursor, sql, params, header, path)
            return
        wrap = tuple(i for i, (col, _) in enumerate(REPORT_COLUMNS) if col in WIDE)
        widths: dict[int, float] = {
            i: (50 if col in ("observation", "client_voice", "proposal") else 28)
            for i, (col, _) in enumerate(REPORT_COLUMNS)
            if col in WIDE
        }
        sheet = Sheet(t("nav.reports", lang), header, q.batches(cursor, sql, params), {1: "d.m.yyyy"}, widths, wrap)
        kinds = ["date" if col == "submitted_on" else "text" for col, _ in REPORT_COLUMNS]
        write_streamed_xlsx(path, sheet, kinds, report_meta(context, total), t("meta.sheet", lang))

    folder = heavy.folder_for(db.path)
    name = report_filename(context, "raportit") + "." + fmt
    mimetype = CSV_MIME if fmt == "csv" else XLSX_MIME
    if total <= LIGHT_ROWS:
        handle, temporary = tempfile.mkstemp(suffix="." + fmt, dir=folder)
        os.close(handle)
        try:
            build(Path(temporary))
            stream = open(temporary, "rb")  # noqa: SIM115 - closed by the response
        finally:
            os.unlink(temporary)  # the open file stays readable until the response closes it
        return send_file(stream, mimetype=mimetype, as_attachment=True, download_name=name)
    try:
        path = heavy.cached_file(
            folder,
            heavy.version_tag(identity),
            heavy.file_key("reports", fmt, lang, context.flt.to_query()),
            "." + fmt + (".gz" if fmt == "csv" else ""),
            gzipped(build, folder) if fmt == "csv" else build,
            settings.heavy_slots,
            settings.export_cache_bytes,
        )
    except heavy.Busy as refused:
        return busy(refused, lang)
    if fmt == "csv":
        return send_gzipped(path, mimetype, name)
    return send_file(path, mimetype=mimetype, as_attachment=True, download_name=name, conditional=True)


def gzipped(build, folder: Path):
    """``build`` followed by gzip: a large CSV is compressed once when it is built, not on
    every download (compressing 45 MB per request would hold a worker for seconds)."""

    def build_and_compress(path: Path) -> None:
        handle, plain_name = tempfile.mkstemp(suffix=".csv", dir=folder)
        os.close(handle)
        try:
            build(Path(plain_name))
            with open(plain_name, "rb") as source, open(path, "wb") as target:
                with gzip.GzipFile(fileobj=target, mode="wb", compresslevel=6, mtime=0) as packed:
                    shutil.copyfileobj(source, packed, 1024 * 1024)
        finally:
            os.unlink(plain_name)

    return build_and_compress


def send_gzipped(path: Path, mimetype: str, name: str) -> Response:
    """The built file as it is, ``Content-Encoding: gzip``, to a client that takes gzip (every
    browser); unpacked on the fly for one that does not."""
    if request.accept_encodings["gzip"]:
        response = send_file(path, mimetype=mimetype, as_attachment=True, download_name=name, conditional=True)
        response.headers["Content-Encoding"] = "gzip"
        response.vary.add("Accept-Encoding")
        return response

    def unpacked():
        with gzip.open(path, "rb") as source:
            while chunk := source.read(1024 * 1024):
                yield chunk

    return attachment(unpacked(), mimetype, name)


def excel_percent(decimals: int) -> str:
    """Excel's number format of a share with ``decimals`` decimals: '0 %', '0.0 %'."""
    return "0" + ("." + "0" * decimals if decimals else "") + " %"


def summary_rows(context: ReportContext, catalogue: Catalogue) -> list[list]:
    """Every chart of the catalogue in the download, its rows: chart, value, series, count, share."""
    rows = []
    for rendered in catalogue.rendered(context, DOWNLOAD):
        long = rendered.long
        for category, series, value, share in zip(long["category"], long["series"], long["value"], long["share"]):
            rows.append([rendered.title, category, series, int(value), None if pd.isna(share) else round(share, 4)])
    return rows


def analysis_sheet(context: ReportContext) -> Sheet | None:
    """The period's published analysis as rows: phenomenon, kind, target group (or section), themes,
    the supporting reports leadership may open (their ids) and their count."""
    analysis = context.analysis
    if analysis is None:
        return None
    lang, vocab = context.lang, context.vocab
    ids = access.memo(
        "report-ids", tuple(sorted(analysis.report_keys())), lambda cur: qa.report_ids(cur, analysis.report_keys())
    )

    def row(item, section: str) -> list:
        keys = sorted(item.report_keys, key=lambda k: ids.get(k, ""))
        return [
            va.item_text(item)
            if item.kind != "key_theme"
            else item.title + (": " + "; ".join(item.bullets) if item.bullets else ""),
            va.kind_heading(item.kind, lang),
            section,
            "; ".join(vocab.label("theme", code, lang) for code in item.themes),
            "; ".join(ids[k] for k in keys if k in ids),
            len(keys),
        ]

    def groups(item) -> str:
        return "; ".join(vocab.label("target_group", code, lang) for code in item.target_groups)

    rows = [row(item, groups(item)) for item in analysis.key_themes]
    rows += [
        row(item, va.section_label(context, section)) for section in va.sections(context) for item in section.items()
    ]
    header = [
        t("col.phenomenon", lang),
        t("col.kind", lang),
        t("col.section", lang),
        t("col.themes", lang),
        t("col.report_ids", lang),
        t("table.count", lang),
    ]
    return Sheet(t("col.analysis", lang), header, rows, widths={0: 70, 1: 30, 2: 28, 3: 40, 4: 40}, wrap=(0, 3, 4))


def download_summary(fmt: str):
    context, error = report_context()
    if error:
        return error
    lang = context.lang
    header = [
        t("col.dimension", lang),
        t("table.value", lang),
        t("col.series", lang),
        t("table.count", lang),
        t("table.share", lang),
    ]
    rows = summary_rows(context, REPORTS)
    filename = report_filename(context, "kaavioiden-luvut")
    meta = report_meta(context, context.total)
    extra = analysis_sheet(context) if fmt == "xlsx" else None
    if extra is None:
        return send(
            header,
            rows,
            fmt,
            lang,
            filename,
            t("col.summary", lang),
            meta,
            {4: excel_percent(share_decimals())},
            widths={0: 34, 1: 50},
        )
    sheets = [Sheet(t("col.summary", lang), header, rows, {4: excel_percent(share_decimals())}, {0: 34, 1: 50}), extra]
    handle = xlsx_file(sheets, meta, t("meta.sheet", lang))
    return send_file(handle, mimetype=XLSX_MIME, as_attachment=True, download_name=filename + ".xlsx")


def download_chapter():
    """The wellbeing-report chapter (DOCX) of the view's filter."""
    context, error = report_context()
    if error:
        return error
    try:  # matplotlib draws every chart: heavy work, in a heavy slot like the deck
        with heavy.heavy_slot(heavy.folder_for(access.database().path), Settings.from_env().heavy_slots):
            data = chapter_bytes(chapter(context))
    except heavy.Busy as refused:
        return busy(refused, context.lang)
    return attachment(data, DOCX_MIME, report_filename(context, "hyvinvointikertomus") + ".docx")


def indicator_rows(context: IndicatorContext) -> pd.DataFrame:
    """What the view's charts show, one row per indicator, region, year and sex."""
    key = ["indicator_id", "region_code", "year", "sex"]
    frames = [r.long[key + ["value", "suppressed", "secondary", "n"]] for r in INDICATORS.rendered(context, DOWNLOAD)]
    frames = [frame for frame in frames if not frame.empty]
    if not frames:
        return pd.DataFrame(columns=INDICATOR_COLUMNS + ["suppressed", "secondary"])
    data = pd.concat(frames, ignore_index=True).drop_duplicates(key)
    data["year"] = data["year"].astype("int64")
    data["n"] = [None if pd.isna(n) else int(n) for n in data["n"]]
    lang = context.lang
    regions = context.regions
    meta = {i: context.meta(i) for i in data["indicator_id"].unique()}
    data["indicator"] = [meta[i]["name"] for i in data["indicator_id"]]
    data["unit"] = [meta[i]["unit"] for i in data["indicator_id"]]
    data["source"] = [meta[i]["source"] for i in data["indicator_id"]]
    data["licence"] = [meta[i]["licence"] if isinstance(meta[i]["licence"], str) else "" for i in data["indicator_id"]]
    data["region"] = [context.name(code) for code in data["region_code"]]
    data["level"] = [regions.loc[code, "level"] if code in regions.index else "" for code in data["region_code"]]
    order = {"country": 0, "county": 1, "municipality": 2}
    data["_level"] = [order.get(level, 3) for level in data["level"]]
    data = data.sort_values(["indicator", "_level", "region", "year", "sex"]).drop(columns="_level")
    data["level"] = [t(f"level.{lv}", lang) if lv else "" for lv in data["level"]]
    return data


def download_indicators(fmt: str):
    try:
        context = IndicatorContext.from_query(query_string())
    except DatabaseMissing:
        return plain(503, t("error.no_database", "fi", path=str(access.database().path)))
    lang = context.lang
    if context.given.problems:
        return refusal(context.given.problems, lang)
    data = indicator_rows(context)
    header = [t(f"col.{col}", lang) for col in INDICATOR_COLUMNS]
    decimals = {i: int(context.meta(i)["decimals"]) for i in context.flt.indicator}
    rows = []
    for record in data.to_dict("records"):
        row = []
        for col in INDICATOR_COLUMNS:
            value = record.get(col)
            if col == "value":
                if is_set(record.get("suppressed")):
                    value = context.protected if is_set(record.get("secondary")) else context.hidden
                elif value is not None and not pd.isna(value) and decimals.get(record["indicator_id"], 1) == 0:
                    value = int(round(float(value)))
            elif col == "sex":
                value = t(f"ind.sex.{value}", lang)
            elif col in ("year", "n") and value is not None and not pd.isna(value):
                value = int(value)
            row.append(value)
        rows.append(row)
    sources = sorted(
        {f"{r['source']}" + (f" ({r['licence']})" if r["licence"] else "") for r in data.to_dict("records")}
    )
    names = [context.meta(i)["name"] for i in context.flt.indicator]
    meta = [
        (t("meta.caption", lang), context.caption()),
        (t("col.indicator", lang), "; ".join(names) or "–"),
        (t("meta.exported", lang), dt.datetime.now().strftime("%-d.%-m.%Y %H:%M")),
        (t("meta.source", lang), "; ".join(sources) or "–"),
        (t("meta.rows", lang), str(len(rows))),
        (t("meta.filters", lang), context.flt.to_query() or "–"),
        (t("meta.privacy", lang), tn("ind.privacy", context.threshold, lang)),
    ]
    if context.synthetic:
        meta.append((t("meta.demo", lang), t("ind.synthetic", lang)))
    region = context.name(context.region)
    filename = slug("indikaattorit", *(context.flt.indicator[:1]), region, str(context.year or ""))
    return send(header, rows, fmt, lang, filename, t("nav.indicators", lang), meta, widths={1: 50, 3: 30, 6: 24})


def download_deck(view: View):
    """The presentation as PowerPoint: the same slides as /present/<view>."""
    query, _ = split_query(query_string())
    if view.login and not auth.current_user():
        return plain(401, t("security.login_needed", lang_of(query)))
    try:
        context = view.context_for(query)
        if context.problems:
            return refusal(context.problems, lang_of(query))
        with heavy.heavy_slot(heavy.folder_for(access.database().path), Settings.from_env().heavy_slots):
            deck = view.deck_for(context)
            data = deck_bytes(deck)
    except DatabaseMissing:
        return plain(503, t("error.no_database", "fi", path=str(access.database().path)))
    except heavy.Busy as refused:
        return busy(refused, lang_of(query))
    name = slug("esitys", view.name, deck.subtitle.split(" · ")[0], *[p for p in deck.subtitle.split(" · ")[1:2]])
    return attachment(data, PPTX_MIME, name + ".pptx")


def register(server) -> None:
    routes = {"reports": download_reports, "summary": download_summary, "indicators": download_indicators}

    @server.route("/download/<name>.<fmt>")
    def download(name: str, fmt: str):
        deck = VIEWS.with_deck(name)
        if deck is not None and fmt == "pptx":
            return download_deck(deck)
        if name == "chapter" and fmt == "docx":
            return download_chapter()
        if name not in routes or fmt not in ("csv", "xlsx"):
            return plain(
                404,
                "csv tai xlsx: /download/reports, /download/summary, /download/indicators; pptx: /download/deck; "
                "docx: /download/chapter",
            )
        return routes[name](fmt)
