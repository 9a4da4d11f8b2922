"""The coordinator's pages (plain Flask, behind the login): upload a period's
reports, see what was loaded and what was rejected and why, download the
template and the rejected rows, and the follow-up XLSX round trip.

Every form carries a CSRF token; the checks themselves are in
``web.security``. With no login configured these pages only say how to
configure one (``security.install``'s guard answers before any of them)."""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import time
from pathlib import Path

import pandas as pd
from flask import Response, abort, redirect, request, send_file
from markupsafe import Markup, escape

from queries import access, loads
from queries.db import DatabaseMissing

from ...core.config import Settings
from ...core.formatting import fmt_number
from ...core.i18n import t
from ...export.tables import CSV_MIME, XLSX_MIME, Sheet, csv_bytes, rejected_rows, template_xlsx, xlsx_bytes
from ...imports.budget import Budget, ImportStopped, run_job
from ...imports.jobs import FollowupJob, Outcome, ReportsJob, import_followup, import_reports
from ...imports.reports import MULTI_VALUED, TEMPLATE_COLUMNS, template_lists
from ...imports.tables import ImportFileError
from ..security import MAX_UPLOAD, NOT_CONFIGURED_STATUS
from ..throttle import LoginThrottle
from . import auth
from .pages import csrf_field, link, page, request_lang, with_lang

UPLOADS: Path | None = None  # tests may point this elsewhere; default: beside the database
REJECTED_HOURS = 24  # rejected-row files are removed after this
REJECTED_NAME = re.compile(r"hylatyt-[0-9a-f]{24}\.(csv|xlsx)")
# Follow-up field -> its column header key, in the sheet's order.
FOLLOWUP_FIELDS = (
    ("publishable", "col.publishable"),
    ("highlight", "coord.col.highlight"),
    ("followup_status", "col.followup_status"),
    ("handled_in", "col.handled_in"),
    ("forwarded_to", "col.forwarded_to"),
    ("followup_action", "col.followup_action"),
)


def uploads_dir() -> Path:
    return UPLOADS or Settings.from_env().db_path.parent / "uploads"


def _page(title: str, body, lang: str, status: int = 200) -> Response:
    return page(title, body, lang, status, user=auth.current_user())


def _counties_select(lang: str) -> str:
    vocab = access.vocabulary()
    options = "".join(
        f'<option value="{escape(c)}">{escape(vocab.label("county", c, lang))}</option>' for c in vocab.codes("county")
    )
    return (
        f'<label class="form-label fw-semibold" for="county">{escape(t("coord.county", lang))}</label>'
        f'<select class="form-select" id="county" name="county"><option value="">{escape(t("coord.county_from_file", lang))}</option>'
        f"{options}</select>"
    )


def _loads_table(lang: str) -> str:
    frame = loads.latest_loads(access.cursor())
    head = "".join(
        f'<th scope="col">{escape(t(k, lang))}</th>'
        for k in (
            "coord.col.time",
            "coord.col.kind",
            "coord.col.file",
            "coord.col.read",
            "coord.col.loaded",
            "coord.col.rejected",
            "coord.col.by",
        )
    )
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{escape(str(v))}</td>"
            for v in (
                pd.Timestamp(r.loaded_at).strftime("%-d.%-m.%Y %H:%M"),
                t(f"load.{r.kind}", lang),
                r.origin,
                fmt_number(r.rows_read, lang),
                fmt_number(r.rows_loaded, lang),
                fmt_number(r.rows_rejected, lang),
                r.loaded_by or "",
            )
        )
        + "</tr>"
        for r in frame.itertuples()
    )
    return (
        f'<table class="table table-sm bg-white"><caption>{escape(t("coord.loads", lang))}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )


def _home(lang: str) -> str:
    csrf = csrf_field()
    return f"""
<p class="lead-text">{escape(t("coord.lead", lang))}</p>
<div class="row g-4">
<section class="col-lg-6"><div class="report-card">
<h2 class="h4">{escape(t("coord.upload", lang))}</h2>
<form method="post" action="{escape(link("/coordinator/upload", lang))}" enctype="multipart/form-data" id="upload-form">
{csrf}<input type="hidden" name="lang" value="{lang}">
<div class="mb-3"><label class="form-label fw-semibold" for="file">{escape(t("coord.file", lang))}</label>
<input class="form-control" type="file" id="file" name="file" accept=".csv,.xlsx,.txt" required aria-describedby="file-help">
<div class="form-text" id="file-help">{escape(t("coord.file_help", lang))} {escape(t("coord.max_size", lang, max=MAX_UPLOAD // 2**20))}</div></div>
<div class="mb-3">{_counties_select(lang)}</div>
<div class="mb-3"><label class="form-label fw-semibold" for="sheet">{escape(t("coord.sheet", lang))}</label>
<input class="form-control" type="text" id="sheet" name="sheet" maxlength="100"></div>
<div class="mb-3"><label class="form-label fw-semibold" for="mapping">{escape(t("coord.mapping", lang))}</label>
<input class="form-control" type="file" id="mapping" name="mapping" accept=".toml"></div>
<button class="btn btn-primary" type="submit">{escape(t("coord.import", lang))}</button>
</form>
<p class="mt-3 mb-0">{escape(t("coord.template", lang))}:
<a href="{escape(link("/download/template.xlsx", lang))}">{escape(t("coord.template_xlsx", lang))}</a> ·
<a href="/download/template.csv">{escape(t("coord.template_csv", lang))}</a></p>
</div></section>
<section class="col-lg-6"><div class="report-card">
<h2 class="h4">{escape(t("coord.followup", lang))}</h2>
<p>{escape(t("coord.followup_lead", lang))}</p>
<p><a class="btn btn-outline-primary" href="{escape(link("/coordinator/followup.xlsx", lang))}">{escape(t("coord.followup_download", lang))}</a></p>
<form method="post" action="{escape(link("/coordinator/followup", lang))}" enctype="multipart/form-data" id="followup-form">
{csrf}<input type="hidden" name="lang" value="{lang}">
<div class="mb-3"><label class="form-label fw-semibold" for="followup-file">{escape(t("coord.followup_file", lang))}</label>
<input class="form-control" type="file" id="followup-file" name="file" accept=".xlsx,.csv" required></div>
<button class="btn btn-primary" type="submit">{escape(t("coord.followup_upload", lang))}</button>
</form></div></section>
</div>
<section class="mt-4">{_loads_table(lang)}</section>"""


# ---- rejected rows: kept behind the login, removed after a day ------------------------


def remove_old_rejected(folder: Path, hours: float = REJECTED_HOURS) -> None:
    cutoff = time.time() - hours * 3600
    for path in folder.glob("hylatyt-*"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            continue  # removed by another worker meanwhile


def _save_rejected(frame: pd.DataFrame, fmt: str, lang: str) -> str:
    """The rejected rows in the uploaded file's format, in a private folder
    beside the database; returns the token of their link."""
    folder = uploads_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    remove_old_rejected(folder)
    data = rejected_rows(frame, fmt, lang)
    token = secrets.token_hex(12)
    descriptor = os.open(folder / f"hylatyt-{token}.{fmt}", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    return f"{token}.{fmt}"


def _changes_text(changes: dict[str, int], lang: str) -> str:
    parts = [
        f"{t(key, lang)} {fmt_number(changes[field], lang)}" for field, key in FOLLOWUP_FIELDS if changes.get(field)
    ]
    return t("coord.changed", lang, changes=", ".join(parts)) if parts else t("coord.unchanged", lang)


def _result(title_key: str, outcome: Outcome, lang: str) -> Response:
    rejected = outcome.rejected
    fmt = "xlsx" if outcome.kind == "xlsx" else "csv"
    summary = t("coord.result", lang, read=outcome.rows_read, loaded=outcome.loaded, rejected=len(rejected))
    body = Markup('<p class="view-caption" id="import-result" role="status">{}: {}</p>').format(outcome.source, summary)
    if outcome.encoding:
        body += Markup('<p id="import.note.encoding">{}</p>').format(t("import.note.encoding", lang, encoding=outcome.encoding))
    for key, values in outcome.notes:
        body += Markup('<div class="alert alert-warning import-note" role="alert">{}</div>').format(
            t(key, lang, **values)
        )
    if outcome.changes is not None:
        body += Markup('<p id="followup-changes">{}</p>').format(_changes_text(outcome.changes, lang))
    if len(rejected):
        name = _save_rejected(rejected, fmt, lang)
        preview = rejected.head(50)
        rows = "".join(
            f"<tr><td>{escape(str(r['rivi']))}</td><td>{escape(str(r['virheet']))}</td></tr>"
            for r in preview.to_dict("records")
        )
        label = t("coord.rejected_download_xlsx" if fmt == "xlsx" else "coord.rejected_download", lang)
        body += Markup(
            f'<p><a class="btn btn-outline-primary" id="rejected-link" href="/coordinator/rejected/{name}">'
            f"{escape(label)}</a></p>"
            f'<table class="table table-sm bg-white" id="rejected-table"><caption>{escape(t("coord.rejected", lang))}</caption>'
            f'<thead><tr><th scope="col">{escape(t("coord.row", lang))}</th><th scope="col">{escape(t("coord.reasons", lang))}</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>"
        )
    body += Markup('<p><a href="{}">{}</a></p>').format(link("/coordinator", lang), t("coord.back", lang))
    return _page(t(title_key, lang), body, lang)


def _error(message: str, lang: str, status: int = 400, changed: bool = False) -> Response:
    after = t("import.stopped.maybe_changed" if changed else "coord.nothing_changed", lang)
    body = Markup(
        '<div class="alert alert-danger" role="alert" id="import-error">{} {}</div><p><a href="{}">{}</a></p>'
    ).format(message, after, link("/coordinator", lang), t("coord.back", lang))
    return _page(t("coord.upload", lang), body, lang, status=status)


# What an import stopped by its budget or the machine answers: the file asked too much (413),
# the disk is full (507), or something nobody foresaw (500); always the app's own page.
STOPPED_STATUS = {"memory": 413, "time": 413, "disk": 507, "crashed": 500}


def _upload(field: str, lang: str) -> tuple[str, bytes] | None:
    storage = request.files.get(field)
    if storage is None or not storage.filename:
        return None
    data = storage.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise ImportFileError(t("coord.too_large", lang, max=MAX_UPLOAD // 2**20))
    name = re.sub(r"[^\w.\- ]", "_", Path(storage.filename).name)[:120] or "tiedosto"
    return name, data


def _import_upload(title_key: str, make_job, func) -> Response:
    """Run the import of the uploaded file (``func(make_job(name, data, budget))``)
    in a child process under the import budget; show what was loaded and
    rejected, or why nothing was. The rejected rows come back in the format
    that was uploaded."""
    lang = request_lang()
    try:
        upload = _upload("file", lang)
        if upload is None:
            raise ImportFileError(t("coord.no_file", lang))
        budget = Budget.from_settings()
        outcome = run_job(func, make_job(*upload, budget), budget)
    except ImportFileError as exc:
        return _error(t("coord.file_rejected", lang, reason=exc.message(lang)), lang)
    except ImportStopped as exc:
        return _error(
            t("coord.file_rejected", lang, reason=exc.message(lang)),
            lang,
            STOPPED_STATUS.get(exc.reason, 500),
            exc.changed,
        )
    return _result(title_key, outcome, lang)


def _attachment(data: bytes, mimetype: str, filename: str) -> Response:
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _login_page(lang: str, target: str, message: str = "", status: int = 200) -> Response:
    alert = (
        Markup('<div class="alert alert-danger" role="alert" id="login-message">{}</div>').format(message)
        if message
        else ""
    )
    body = alert + Markup(f"""<form method="post" action="{escape(link("/login", lang))}" class="report-card login-form">
{csrf_field()}<input type="hidden" name="next" value="{escape(target)}"><input type="hidden" name="lang" value="{lang}">
<div class="mb-3"><label class="form-label fw-semibold" for="user">{escape(t("coord.user", lang))}</label>
<input class="form-control" id="user" name="user" autocomplete="username" maxlength="100"></div>
<div class="mb-3"><label class="form-label fw-semibold" for="password">{escape(t("coord.password", lang))}</label>
<input class="form-control" id="password" name="password" type="password" autocomplete="current-password" required></div>
<button class="btn btn-primary" type="submit">{escape(t("coord.login", lang))}</button></form>""")
    return _page(t("coord.login", lang), body, lang, status)


def register(server, throttle: LoginThrottle) -> None:
    @server.route("/login", methods=["GET", "POST"])
    def login():
        lang = request_lang()
        target = auth.safe_next(request.values.get("next"))
        if not auth.configured():
            return _page(
                t("coord.login", lang),
                Markup('<div class="alert alert-info" role="alert" id="login-message">{}</div>').format(
                    t("security.not_configured", lang)
                ),
                lang,
                NOT_CONFIGURED_STATUS,
            )
        if request.method == "POST":
            user = (request.form.get("user") or "").strip()[:100] or "koordinaattori"
            device = throttle.device(user)
            keys = throttle.keys(user, device)
            wait = throttle.wait(keys)
            if wait:  # the password is not checked: the answer says nothing about it
                response = _login_page(lang, target, t("security.throttled", lang), 429)
                response.headers["Retry-After"] = str(wait)
                return response
            via = auth.check(user, request.form.get("password") or "")
            if via:
                auth.log_in(user, via)
                response = redirect(with_lang(target, lang))  # the language chosen on the login page
                throttle.remember(response, user, device)
                return response
            throttle.failed(keys)
            return _login_page(lang, target, t("coord.login_failed", lang), 401)
        return _login_page(lang, target)

    @server.route("/logout", methods=["POST"])
    def logout():
        lang = request_lang()
        auth.log_out()
        return redirect(link("/", lang))

    @server.route("/coordinator")
    def coordinator_home():
        lang = request_lang()
        try:
            return _page(t("coord.title", lang), Markup(_home(lang)), lang)
        except DatabaseMissing:
            return _page(
                t("coord.title", lang), t("error.no_database", lang, path=str(Settings.from_env().db_path)), lang, 503
            )

    @server.route("/coordinator/upload", methods=["POST"])
    def coordinator_upload():
        lang = request_lang()

        def job(name: str, data: bytes, budget: Budget) -> ReportsJob:
            mapping = _upload("mapping", lang)
            return ReportsJob(
                db_path=Settings.from_env().db_path,
                name=name,
                data=data,
                sheet=(request.form.get("sheet") or "").strip()[:100] or None,
                county=(request.form.get("county") or "").strip() or None,
                mapping=mapping[1] if mapping else None,
                mapping_name=mapping[0] if mapping else "mapping.toml",
                loaded_by=auth.current_user(),
                memory_limit=budget.duckdb_memory,
            )

        return _import_upload("coord.upload", job, import_reports)

    @server.route("/coordinator/rejected/<name>")
    def coordinator_rejected(name: str):
        if not REJECTED_NAME.fullmatch(f"hylatyt-{name}"):
            abort(404)
        folder = uploads_dir()
        if folder.is_dir():
            remove_old_rejected(folder)
        path = folder / f"hylatyt-{name}"
        if not path.is_file():
            abort(404)
        xlsx = name.endswith(".xlsx")
        return send_file(
            path,
            mimetype=XLSX_MIME if xlsx else CSV_MIME,
            as_attachment=True,
            download_name="hylatyt_rivit.xlsx" if xlsx else "hylatyt_rivit.csv",
        )

    @server.route("/coordinator/followup.xlsx")
    def coordinator_followup_export():
        lang = request_lang()
        frame = loads.followup_sheet(access.cursor())
        rows = [[None if pd.isna(v) else v for v in row] for row in frame.itertuples(index=False)]
        meta = [
            (t("meta.exported", lang), dt.datetime.now().strftime("%-d.%-m.%Y %H:%M")),
            (t("coord.instructions", lang), t("coord.followup_instructions", lang)),
        ]
        wide = {i for i, c in enumerate(frame.columns) if c in ("havainto", "asiakkaan_aani", "ratkaisuehdotus")}
        data = xlsx_bytes(
            [Sheet(t("coord.followup_sheet", lang), list(frame.columns), rows, {}, {i: 50 for i in wide}, tuple(wide))],
            meta,
            t("meta.sheet", lang),
        )
        return _attachment(data, XLSX_MIME, f"seuranta-{dt.date.today().isoformat()}.xlsx")

    @server.route("/coordinator/followup", methods=["POST"])
    def coordinator_followup_import():
        def job(name: str, data: bytes, budget: Budget) -> FollowupJob:
            return FollowupJob(
                db_path=Settings.from_env().db_path,
                name=name,
                data=data,
                loaded_by=auth.current_user(),
                memory_limit=budget.duckdb_memory,
            )

        return _import_upload("coord.followup", job, import_followup)

    @server.route("/download/template.<fmt>")
    def download_template(fmt: str):
        header = list(TEMPLATE_COLUMNS)
        if fmt == "csv":
            return _attachment(csv_bytes(header, [], "fi"), CSV_MIME, "sosiaalisen_raportoinnin_pohja.csv")
        if fmt == "xlsx":
            lang = request_lang()
            notes = [
                (name, ("pakollinen. " if required else "") + text)
                for name, (required, text) in TEMPLATE_COLUMNS.items()
            ]
            try:
                lists = template_lists(access.vocabulary(), lang)
            except DatabaseMissing:
                lists = {}
            return _attachment(
                template_xlsx(
                    header,
                    notes,
                    lists,
                    t("coord.template_lists", lang),
                    t("coord.template_prompt", lang),
                    MULTI_VALUED,
                ),
                XLSX_MIME,
                "sosiaalisen_raportoinnin_pohja.xlsx",
            )
        abort(404)
