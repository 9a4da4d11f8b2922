"""Download routes. They take the same query string as the views and run the
same queries, so a download always matches what the view shows.

A query string with anything that cannot be used (unknown codes, bad dates,
too many values) gets 400 and a plain-text explanation: a download never
silently widens to more rows than the link asked for.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd
from flask import Response, request

from . import services
from .db import DatabaseMissing
from .filters import ReportFilter
from .formatting import fmt_date
from .i18n import t

REPORT_COLUMNS = [
    ("report_id", "col.report_id"), ("submitted_on", "col.submitted_on"), ("county", "col.county"),
    ("service_unit", "col.service_unit"), ("areas", "col.areas"), ("target_groups", "col.target_groups"),
    ("themes", "col.themes"), ("observation_type", "col.observation_type"), ("publishable", "col.publishable"),
    ("observation", "col.observation"), ("client_voice", "col.client_voice"), ("proposal", "col.proposal"),
    ("followup_status", "col.followup_status"), ("handled_in", "col.handled_in"),
    ("forwarded_to", "col.forwarded_to"), ("followup_action", "col.followup_action"),
]
SUMMARY_DIMENSIONS = [("observation_type", "chart.types"), ("theme", "chart.themes"),
                      ("target_group", "chart.target_groups"), ("area", "chart.areas"), ("service_unit", "chart.units")]
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plain(status: int, text: str) -> Response:
    return Response(text + "\n", status=status, mimetype="text/plain; charset=utf-8")


def _refusal(flt) -> Response:
    """400 with every reason the query string could not be used."""
    lines = [t("warning.heading", flt.lang) + ":"] + ["- " + p.message(flt.lang) for p in flt.problems]
    return _plain(400, "\n".join(lines))


def _filter_or_error():
    try:
        vocab = services.vocabulary()
    except DatabaseMissing:
        return None, None, _plain(503, t("error.no_database", "fi", path=str(services.database().path)))
    flt = ReportFilter.from_query(request.query_string.decode("utf-8", "replace"), vocab)
    if flt.problems:
        return None, None, _refusal(flt)
    return flt, vocab, None


def _cell(value):
    """A DataFrame value as a spreadsheet cell: dates as dates, missing as empty."""
    if isinstance(value, pd.Timestamp):
        return value.date()
    if value is None or (not isinstance(value, (str, bool)) and pd.isna(value)):
        return ""
    return value


def _rows(frame, lang: str) -> list[list]:
    out = []
    for record in frame.to_dict("records"):
        row = []
        for column, _ in REPORT_COLUMNS:
            value = _cell(record.get(column))
            if column == "publishable":
                value = t("value.yes", lang) if value else t("value.no", lang)
            row.append(value)
        out.append(row)
    return out


def _metadata(flt: ReportFilter, vocab, n: int) -> list[tuple[str, str]]:
    lang = flt.lang
    meta = [
        (t("meta.caption", lang), flt.caption(vocab, n)),
        (t("meta.exported", lang), dt.datetime.now().strftime("%-d.%-m.%Y %H:%M")),
        (t("meta.source", lang), t("source.reports_demo" if services.is_demo() else "source.reports", lang)),
        (t("meta.rows", lang), str(n)),
        (t("meta.filters", lang), flt.to_query() or "–"),
        (t("meta.privacy", lang), t("meta.privacy_text", lang)),
    ]
    if services.is_demo():
        meta.append((t("meta.demo", lang), t("demo.notice", lang)))
    return meta


def csv_response(header: list[str], rows: list[list], filename: str, lang: str) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([fmt_date(v, lang) if isinstance(v, dt.date) else
                         (str(v).replace(".", ",") if isinstance(v, float) else v) for v in row])
    data = "\ufeff" + buffer.getvalue()
    return Response(data.encode("utf-8"), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def xlsx_response(sheets: list[tuple[str, list[str], list[list], dict]], meta: list[tuple[str, str]],
                  meta_title: str, filename: str) -> Response:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.table import Table, TableStyleInfo

    workbook = Workbook()
    workbook.remove(workbook.active)
    for index, (title, header, rows, formats) in enumerate(sheets, start=1):
        sheet = workbook.create_sheet(title[:31])
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        last_col = get_column_letter(len(header))
        ref = f"A1:{last_col}{max(2, len(rows) + 1)}"
        if not rows:
            sheet.append([""] * len(header))
        table = Table(displayName=f"Taulukko{index}", ref=ref)
        table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
        sheet.add_table(table)
        sheet.freeze_panes = "A2"
        for col_index, name in enumerate(header, start=1):
            letter = get_column_letter(col_index)
            longest = max([len(str(name))] + [min(len(str(r[col_index - 1] or "")), 60) for r in rows[:500]])
            sheet.column_dimensions[letter].width = max(10, min(60, longest + 2))
            fmt = formats.get(col_index - 1)
            if fmt:
                for cell in sheet[letter][1:]:
                    cell.number_format = fmt
            if longest > 50:
                for cell in sheet[letter][1:]:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    info = workbook.create_sheet(meta_title[:31])
    for key, value in meta:
        info.append([key, value])
    info.column_dimensions["A"].width = 24
    info.column_dimensions["B"].width = 100
    for row in info.iter_rows():
        row[0].font = Font(bold=True)
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return Response(buffer.getvalue(), mimetype=XLSX_MIME,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _summary_rows(flt, vocab, cur) -> list[list]:
    from queries import reports as q

    rows = []
    for dimension, key in SUMMARY_DIMENSIONS:
        frame = q.counts_by(cur, flt, dimension, vocab, flt.lang)
        for record in frame.to_dict("records"):
            rows.append([t(key, flt.lang), record["label"], int(record["count"]), round(float(record["share"]), 4)])
    return rows


INDICATOR_COLUMNS = ["indicator_id", "indicator", "unit", "source", "licence", "region_code", "region", "level",
                     "year", "sex", "value", "n"]


def _indicator_download(fmt: str):
    from queries.indicators import table

    from .config import Settings
    from .filters import IndicatorFilter

    try:
        vocab = services.vocabulary()
    except DatabaseMissing:
        return _plain(503, t("error.no_database", "fi", path=str(services.database().path)))
    flt = IndicatorFilter.from_query(request.query_string.decode("utf-8", "replace"), vocab)
    if flt.problems:
        return _refusal(flt)
    lang = flt.lang
    threshold = Settings.from_env().suppress_below
    frame = table(services.database().cursor(), flt.indicator, flt.region, flt.year, flt.sex, threshold, lang)
    header = [t(f"col.{c}", lang) for c in INDICATOR_COLUMNS]
    rows = []
    for record in frame.to_dict("records"):
        row = []
        for column in INDICATOR_COLUMNS:
            value = record.get(column)
            if column == "value" and record["suppressed"]:
                value = f"< {threshold}"
            elif column in ("sex", "level") and isinstance(value, str):
                value = t(f"ind.sex.{value}" if column == "sex" else f"level.{value}", lang)
            row.append(_cell(value))
        rows.append(row)
    names = [vocab.label("indicator", i, lang) for i in flt.indicator] or [t("ind.kind.all", lang)]
    caption = " · ".join([", ".join(names)] + ([", ".join(vocab.label("region", r, lang) for r in flt.region)]
                                               if flt.region else []) + ([", ".join(map(str, flt.year))] if flt.year else []))
    sources = sorted({f"{r['source']}" + (f" ({r['licence']})" if isinstance(r["licence"], str) and r["licence"] else "")
                      for r in frame.to_dict("records")})
    meta = [
        (t("meta.caption", lang), caption),
        (t("meta.exported", lang), dt.datetime.now().strftime("%-d.%-m.%Y %H:%M")),
        (t("meta.source", lang), "; ".join(sources) or "–"),
        (t("meta.rows", lang), str(len(rows))),
        (t("meta.filters", lang), flt.to_query() or "–"),
        (t("meta.privacy", lang), t("ind.privacy", lang, k=threshold)),
    ]
    if frame["source"].astype(str).str.contains("ynteettinen").any():
        meta.append((t("meta.demo", lang), t("ind.synthetic", lang)))
    stamp = dt.date.today().isoformat()
    if fmt == "csv":
        return csv_response(header, rows, f"indikaattorit-{stamp}.csv", lang)
    return xlsx_response([(t("nav.indicators", lang), header, rows, {})], meta, t("meta.sheet", lang),
                         f"indikaattorit-{stamp}.xlsx")


def register(server) -> None:
    @server.route("/download/indicators.<fmt>")
    def download_indicators(fmt: str):
        if fmt not in ("csv", "xlsx"):
            return _plain(404, "csv tai xlsx")
        return _indicator_download(fmt)

    @server.route("/download/reports.<fmt>")
    def download_reports(fmt: str):
        from queries import reports as q

        if fmt not in ("csv", "xlsx"):
            return _plain(404, "csv tai xlsx")
        flt, vocab, error = _filter_or_error()
        if error:
            return error
        frame = q.report_table(services.database().cursor(), flt, vocab, flt.lang)
        header = [t(key, flt.lang) for _, key in REPORT_COLUMNS]
        rows = _rows(frame, flt.lang)
        stamp = dt.date.today().isoformat()
        if fmt == "csv":
            return csv_response(header, rows, f"raportit-{stamp}.csv", flt.lang)
        return xlsx_response([(t("nav.reports", flt.lang), header, rows, {1: "d.m.yyyy"})],
                             _metadata(flt, vocab, len(rows)), t("meta.sheet", flt.lang), f"raportit-{stamp}.xlsx")

    @server.route("/download/summary.<fmt>")
    def download_summary(fmt: str):
        if fmt not in ("csv", "xlsx"):
            return _plain(404, "csv tai xlsx")
        flt, vocab, error = _filter_or_error()
        if error:
            return error
        from queries import reports as q

        cur = services.database().cursor()
        rows = _summary_rows(flt, vocab, cur)
        n = q.count_reports(cur, flt)
        header = [t("col.dimension", flt.lang), t("table.value", flt.lang), t("table.count", flt.lang), t("table.share", flt.lang)]
        stamp = dt.date.today().isoformat()
        if fmt == "csv":
            return csv_response(header, rows, f"raporttien-yhteenveto-{stamp}.csv", flt.lang)
        return xlsx_response([(t("col.summary", flt.lang), header, rows, {3: "0.0 %"})],
                             _metadata(flt, vocab, n), t("meta.sheet", flt.lang), f"raporttien-yhteenveto-{stamp}.xlsx")
