"""The coordinator's pages (plain Flask, behind the login): upload a period's
reports, see what was loaded and what was rejected and why, download the
template and the rejected rows, and the follow-up XLSX round trip."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
from flask import Response, abort, redirect, request, send_file, session
from markupsafe import Markup, escape

from queries import access, loads
from queries.db import DatabaseMissing, write_new_version

from ...core.config import Settings
from ...core.i18n import t
from ...export.tables import CSV_MIME, XLSX_MIME, Sheet, csv_bytes, xlsx_bytes
from ...imports.followup import parse_followup, store_followup
from ...imports.reports import TEMPLATE_COLUMNS, Mapping, Resolver, parse_reports, store_reports
from ...imports.tables import ImportFileError, read_table
from . import auth

MAX_UPLOAD = 20 * 1024 * 1024
UPLOADS: Path | None = None  # tests may point this elsewhere; default: beside the database


def uploads_dir() -> Path:
    return UPLOADS or Settings.from_env().db_path.parent / "uploads"


def _lang() -> str:
    lang = request.args.get("lang") or request.form.get("lang") or "fi"
    return lang if lang in ("fi", "sv", "en") else "fi"


def page(title: str, body, lang: str, status: int = 200) -> Response:
    user = auth.current_user()
    body = body if isinstance(body, Markup) else escape(body)
    nav = (f'<a class="nav-link px-3" href="/">{escape(t("nav.overview", lang))}</a>'
           f'<a class="nav-link px-3" href="/reports">{escape(t("nav.reports", lang))}</a>'
           f'<a class="nav-link px-3" href="/indicators">{escape(t("nav.indicators", lang))}</a>'
           f'<a class="nav-link px-3" href="/phenomena">{escape(t("nav.phenomena", lang))}</a>'
           f'<a class="nav-link px-3 active" href="/coordinator">{escape(t("coord.title", lang))}</a>')
    logout = (f'<a class="btn btn-outline-secondary btn-sm" href="/logout">{escape(t("coord.logout", lang))} '
              f'({escape(user)})</a>') if user else ""
    html = f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} · {escape(t("app.title", lang))}</title>
<link rel="stylesheet" href="/vendor/bootstrap/css/bootstrap.min.css"><link rel="stylesheet" href="/assets/app.css">
</head><body>
<header><nav class="navbar bg-white border-bottom app-navbar" aria-label="{escape(t("nav.main", lang))}">
<div class="container-fluid gap-3"><a class="visually-hidden-focusable skip-link" href="#main">{escape(t("nav.skip", lang))}</a>
<span class="navbar-brand brand-name">{escape(t("app.title", lang))}</span><div class="d-flex">{nav}</div>{logout}</div></nav></header>
<main id="main" class="container py-4" tabindex="-1"><h1 class="h2">{escape(title)}</h1>{body}</main></body></html>"""
    return Response(html, status=status, mimetype="text/html")


def _counties_select(lang: str) -> str:
    vocab = access.vocabulary()
    options = "".join(f'<option value="{escape(c)}">{escape(vocab.label("county", c, lang))}</option>'
                      for c in vocab.codes("county"))
    return (f'<label class="form-label fw-semibold" for="county">{escape(t("coord.county", lang))}</label>'
            f'<select class="form-select" id="county" name="county"><option value="">{escape(t("coord.county_from_file", lang))}</option>'
            f"{options}</select>")


def _loads_table(lang: str) -> str:
    frame = loads.latest_loads(access.cursor())
    head = "".join(f'<th scope="col">{escape(t(k, lang))}</th>' for k in (
        "coord.col.time", "coord.col.kind", "coord.col.file", "coord.col.read", "coord.col.loaded",
        "coord.col.rejected", "coord.col.by"))
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in (
            pd.Timestamp(r.loaded_at).strftime("%-d.%-m.%Y %H:%M"), t(f"load.{r.kind}", lang), r.origin, r.rows_read, r.rows_loaded,
            r.rows_rejected, r.loaded_by)) + "</tr>"
        for r in frame.itertuples())
    return (f'<table class="table table-sm bg-white"><caption>{escape(t("coord.loads", lang))}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")


def _home(lang: str) -> str:
    return f"""
<p class="lead-text">{escape(t("coord.lead", lang))}</p>
<div class="row g-4">
<section class="col-lg-6"><div class="report-card">
<h2 class="h4">{escape(t("coord.upload", lang))}</h2>
<form method="post" action="/coordinator/upload" enctype="multipart/form-data" id="upload-form">
<input type="hidden" name="lang" value="{lang}">
<div class="mb-3"><label class="form-label fw-semibold" for="file">{escape(t("coord.file", lang))}</label>
<input class="form-control" type="file" id="file" name="file" accept=".csv,.xlsx,.txt" required>
<div class="form-text">{escape(t("coord.file_help", lang))}</div></div>
<div class="mb-3">{_counties_select(lang)}</div>
<div class="mb-3"><label class="form-label fw-semibold" for="sheet">{escape(t("coord.sheet", lang))}</label>
<input class="form-control" type="text" id="sheet" name="sheet" maxlength="100"></div>
<div class="mb-3"><label class="form-label fw-semibold" for="mapping">{escape(t("coord.mapping", lang))}</label>
<input class="form-control" type="file" id="mapping" name="mapping" accept=".toml"></div>
<button class="btn btn-primary" type="submit">{escape(t("coord.import", lang))}</button>
</form>
<p class="mt-3 mb-0">{escape(t("coord.template", lang))}:
<a href="/download/template.xlsx">{escape(t("coord.template_xlsx", lang))}</a> ·
<a href="/download/template.csv">{escape(t("coord.template_csv", lang))}</a></p>
</div></section>
<section class="col-lg-6"><div class="report-card">
<h2 class="h4">{escape(t("coord.followup", lang))}</h2>
<p>{escape(t("coord.followup_lead", lang))}</p>
<p><a class="btn btn-outline-primary" href="/coordinator/followup.xlsx">{escape(t("coord.followup_download", lang))}</a></p>
<form method="post" action="/coordinator/followup" enctype="multipart/form-data" id="followup-form">
<input type="hidden" name="lang" value="{lang}">
<div class="mb-3"><label class="form-label fw-semibold" for="followup-file">{escape(t("coord.followup_file", lang))}</label>
<input class="form-control" type="file" id="followup-file" name="file" accept=".xlsx,.csv" required></div>
<button class="btn btn-primary" type="submit">{escape(t("coord.followup_upload", lang))}</button>
</form></div></section>
</div>
<section class="mt-4">{_loads_table(lang)}</section>"""


def _save_rejected(frame: pd.DataFrame) -> str:
    folder = uploads_dir()
    folder.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(12)
    frame.to_csv(folder / f"hylatyt-{token}.csv", sep=";", index=False, encoding="utf-8-sig")
    return token


def _result(title_key: str, source: str, read: int, loaded: int, rejected: pd.DataFrame, lang: str) -> Response:
    summary = t("coord.result", lang, read=read, loaded=loaded, rejected=len(rejected))
    body = f'<p class="view-caption" id="import-result" role="status">{escape(source)}: {escape(summary)}</p>'
    if len(rejected):
        token = _save_rejected(rejected)
        preview = rejected.head(50)
        rows = "".join(f"<tr><td>{escape(str(r['rivi']))}</td><td>{escape(str(r['virheet']))}</td></tr>"
                       for r in preview.to_dict("records"))
        body += (f'<p><a class="btn btn-outline-primary" id="rejected-link" href="/coordinator/rejected/{token}.csv">'
                 f'{escape(t("coord.rejected_download", lang))}</a></p>'
                 f'<table class="table table-sm bg-white" id="rejected-table"><caption>{escape(t("coord.rejected", lang))}</caption>'
                 f'<thead><tr><th scope="col">{escape(t("coord.row", lang))}</th><th scope="col">{escape(t("coord.reasons", lang))}</th></tr></thead>'
                 f"<tbody>{rows}</tbody></table>")
    body += f'<p><a href="/coordinator?{urlencode({"lang": lang})}">{escape(t("coord.back", lang))}</a></p>'
    return page(t(title_key, lang), Markup(body), lang)


def _error(message: str, lang: str) -> Response:
    body = (f'<div class="alert alert-danger" role="alert" id="import-error">{escape(message)} '
            f'{escape(t("coord.nothing_changed", lang))}</div>'
            f'<p><a href="/coordinator?{urlencode({"lang": lang})}">{escape(t("coord.back", lang))}</a></p>')
    return page(t("coord.upload", lang), Markup(body), lang, status=400)


def _upload(field: str) -> tuple[str, bytes] | None:
    storage = request.files.get(field)
    if storage is None or not storage.filename:
        return None
    data = storage.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise ImportFileError(f"tiedosto on yli {MAX_UPLOAD // (1024 * 1024)} Mt")
    name = re.sub(r"[^\w.\- ]", "_", Path(storage.filename).name)[:120] or "tiedosto"
    return name, data


def _import_upload(title_key: str, load, sheet: str | None = None) -> Response:
    """Read the uploaded file and run ``load(table, con)`` in one transaction on
    a new database version; show what was loaded and rejected, or why nothing was."""
    lang = _lang()
    try:
        upload = _upload("file")
        if upload is None:
            raise ImportFileError(t("coord.no_file", lang))
        name, data = upload
        table = read_table(Path(name), sheet=sheet, data=data, name=name)
        source, read, loaded, rejected = write_new_version(Settings.from_env().db_path, lambda con: load(table, con))
    except ImportFileError as exc:
        return _error(t("coord.file_rejected", lang, reason=str(exc)), lang)
    return _result(title_key, source, read, loaded, rejected, lang)


def _attachment(data: bytes, mimetype: str, filename: str) -> Response:
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def register(server) -> None:
    auth.install(server)
    server.config["MAX_CONTENT_LENGTH"] = MAX_UPLOAD * 2

    @server.route("/login", methods=["GET", "POST"])
    def login():
        lang = _lang()
        target = request.values.get("next") or "/coordinator"
        if not target.startswith("/") or target.startswith("//"):
            target = "/coordinator"
        message = ""
        if not auth.configured():
            message = t("coord.login_not_configured", lang)
        elif request.method == "POST":
            user = (request.form.get("user") or "").strip()[:100] or "koordinaattori"
            if auth.check(user, request.form.get("password") or ""):
                session.clear()
                session["user"] = user
                return redirect(target)
            message = t("coord.login_failed", lang)
        alert = f'<div class="alert alert-danger" role="alert">{escape(message)}</div>' if message else ""
        body = f"""{alert}<form method="post" class="report-card" style="max-width:28rem">
<input type="hidden" name="next" value="{escape(target)}"><input type="hidden" name="lang" value="{lang}">
<div class="mb-3"><label class="form-label fw-semibold" for="user">{escape(t("coord.user", lang))}</label>
<input class="form-control" id="user" name="user" autocomplete="username"></div>
<div class="mb-3"><label class="form-label fw-semibold" for="password">{escape(t("coord.password", lang))}</label>
<input class="form-control" id="password" name="password" type="password" autocomplete="current-password" required></div>
<button class="btn btn-primary" type="submit">{escape(t("coord.login", lang))}</button></form>"""
        return page(t("coord.login", lang), Markup(body), lang, status=401 if message and request.method == "POST" else 200)

    @server.route("/logout")
    def logout():
        session.clear()
        return redirect("/")

    @server.route("/coordinator")
    def coordinator_home():
        lang = _lang()
        try:
            return page(t("coord.title", lang), Markup(_home(lang)), lang)
        except DatabaseMissing:
            return page(t("coord.title", lang), t("error.no_database", lang, path=str(Settings.from_env().db_path)), lang, 503)

    @server.route("/coordinator/upload", methods=["POST"])
    def coordinator_upload():
        def load(table, con):
            mapping_upload = _upload("mapping")
            mapping = Mapping.from_bytes(mapping_upload[1], mapping_upload[0]) if mapping_upload else Mapping()
            county = (request.form.get("county") or "").strip() or None
            parsed = parse_reports(table, Resolver.from_database(con), county=county, mapping=mapping)
            store_reports(con, parsed, loaded_by=auth.current_user())
            return parsed.source, parsed.rows_read, parsed.loaded, parsed.rejected

        return _import_upload("coord.upload", load, sheet=(request.form.get("sheet") or "").strip() or None)

    @server.route("/coordinator/rejected/<token>.csv")
    def coordinator_rejected(token: str):
        if not re.fullmatch(r"[0-9a-f]{24}", token):
            abort(404)
        path = uploads_dir() / f"hylatyt-{token}.csv"
        if not path.exists():
            abort(404)
        return send_file(path, mimetype="text/csv", as_attachment=True, download_name="hylatyt_rivit.csv")

    @server.route("/coordinator/followup.xlsx")
    def coordinator_followup_export():
        lang = _lang()
        frame = loads.followup_sheet(access.cursor())
        rows = [[None if pd.isna(v) else v for v in row] for row in frame.itertuples(index=False)]
        meta = [(t("meta.exported", lang), dt.datetime.now().strftime("%-d.%-m.%Y %H:%M")),
                (t("coord.instructions", lang), t("coord.followup_instructions", lang))]
        wide = {i for i, c in enumerate(frame.columns) if c in ("havainto", "asiakkaan_aani", "ratkaisuehdotus")}
        data = xlsx_bytes([Sheet(t("coord.followup_sheet", lang), list(frame.columns), rows, {},
                                 {i: 50 for i in wide}, tuple(wide))], meta, t("meta.sheet", lang))
        return _attachment(data, XLSX_MIME, f"seuranta-{dt.date.today().isoformat()}.xlsx")

    @server.route("/coordinator/followup", methods=["POST"])
    def coordinator_followup_import():
        def load(table, con):
            parsed = parse_followup(table, Resolver.from_database(con), loads.report_keys(con), loads.followup_values(con))
            store_followup(con, parsed, loaded_by=auth.current_user())
            return parsed.source, parsed.rows_read, len(parsed.updates), parsed.rejected

        return _import_upload("coord.followup", load)

    @server.route("/download/template.<fmt>")
    def download_template(fmt: str):
        header = list(TEMPLATE_COLUMNS)
        if fmt == "csv":
            return _attachment(csv_bytes(header, [], "fi"), CSV_MIME, "sosiaalisen_raportoinnin_pohja.csv")
        if fmt == "xlsx":
            notes = [(name, ("pakollinen. " if required else "") + text) for name, (required, text) in TEMPLATE_COLUMNS.items()]
            return _attachment(xlsx_bytes([Sheet("Raportit", header, [])], notes, "Ohjeet"), XLSX_MIME,
                               "sosiaalisen_raportoinnin_pohja.xlsx")
        abort(404)
