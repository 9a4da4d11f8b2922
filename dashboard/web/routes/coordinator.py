"""The coordinator's pages (plain Flask, behind the login): upload a period's
reports, see what was loaded and what was rejected and why, download the
template and the rejected rows, and the follow-up XLSX round trip.

Every form carries a CSRF token; the checks themselves are in
``web.security``. With no login configured these pages only say how to
configure one (``security.install``'s guard answers before any of them)."""

from __future__ import annotations

import datetime as dt
import errno
import logging
import os
import re
import secrets
import time
from pathlib import Path

import pandas as pd
from flask import Response, abort, redirect, request, send_file

from queries import access, loads
from queries.db import DatabaseMissing

from ...analysis.workspace import for_database
from ...core.config import Settings
from ...core.formatting import fmt_number
from ...core.i18n import render, t, tn
from ...export.tables import CSV_MIME, XLSX_MIME, Sheet, csv_bytes, rejected_rows, template_xlsx, xlsx_bytes
from ...imports.budget import Budget, ImportStopped, classify, run_job
from ...imports.jobs import FollowupJob, Outcome, ReportsJob, import_followup, import_reports
from ...imports.reports import MULTI_VALUED, TEMPLATE_COLUMNS, template_lists
from ...imports.tables import ImportFileError
from ...reporting import intake
from ..links import with_lang
from ..security import MAX_UPLOAD, NOT_CONFIGURED_STATUS
from ..throttle import LoginThrottle
from . import auth, report
from .pages import link, page, render_page, request_lang

log = logging.getLogger(__name__)
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


def _render(template: str, title: str, lang: str, status: int = 200, **context) -> Response:
    return render_page(template, title, lang, status, user=auth.current_user(), **context)


def _loads(lang: str) -> list[tuple]:
    """The latest loads as the table's rows."""
    return [
        (
            pd.Timestamp(r.loaded_at).strftime("%-d.%-m.%Y %H:%M"),
            t(f"load.{r.kind}", lang),
            r.origin,
            fmt_number(r.rows_read, lang),
            fmt_number(r.rows_loaded, lang),
            fmt_number(r.rows_rejected, lang),
            r.loaded_by or "",
        )
        for r in loads.latest_loads(access.cursor()).itertuples()
    ]


def _reporting(lang: str) -> dict:
    """The reporting form as the coordinator sees it: its address, who may use it, what waits."""
    settings = Settings.from_env()
    store = for_database(settings.db_path)
    active = report.modes(settings)
    pending = store.pending_count()
    if pending:
        intake.mover(settings.db_path, store, settings.report_intake_seconds).kick()
    open_links = sum(1 for row in store.report_links() if row["revoked_at"] is None)
    return {
        "address": request.host_url.rstrip("/") + link("/report", lang),
        "county_hint": settings.report_county,
        "modes": ", ".join(t(f"coord.report.mode.{m}", lang) for m in active),
        "pending": tn("coord.report.pending", pending, lang) if pending else t("coord.report.none_pending", lang),
        "has_pending": bool(pending),
        "links": tn("coord.report.links", open_links, lang) if "link" in active else "",
    }


def _home(lang: str) -> Response:
    vocab = access.vocabulary()
    return _render(
        "coordinator.html",
        t("coord.title", lang),
        lang,
        counties=[(code, vocab.label("county", code, lang)) for code in vocab.codes("county")],
        loads=_loads(lang),
        max_upload_mb=MAX_UPLOAD // 2**20,
        reporting=_reporting(lang),
    )


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
    summary = t(
        "coord.result",
        lang,
        read=tn("coord.rows_read", outcome.rows_read, lang),
        loaded=tn("coord.rows_loaded", outcome.loaded, lang),
        rejected=tn("coord.rows_rejected", len(rejected), lang),
    )
    notes = [note.message(lang) for note in outcome.notes]
    name = None
    if len(rejected):
        try:
            name = _save_rejected(rejected, fmt, lang)
        except OSError as exc:  # a full disk after the import was stored: say what was done all the same
            log.error("rejected rows of %s not saved: %s", outcome.source, exc)
            full = exc.errno in (errno.ENOSPC, errno.EDQUOT)
            error = t("security.disk_full", lang) if full else f"({exc.strerror or exc.__class__.__name__})"
            notes.append(t("coord.rejected_not_saved", lang, error=error))
    return _render(
        "import_result.html",
        t(title_key, lang),
        lang,
        source=outcome.source,
        summary=summary,
        encoding=t("import.note.encoding", lang, encoding=outcome.encoding) if outcome.encoding else None,
        notes=notes,
        changes=None if outcome.changes is None else _changes_text(outcome.changes, lang),
        rejected=[(r["rivi"], r["virheet"]) for r in rejected.head(50).to_dict("records")],
        rejected_name=name,
        rejected_label=t("coord.rejected_download_xlsx" if fmt == "xlsx" else "coord.rejected_download", lang),
    )


def _error(message: str, lang: str, status: int = 400, changed: bool = False) -> Response:
    after = t("import.stopped.maybe_changed" if changed else "coord.nothing_changed", lang)
    return _render(
        "message.html",
        t("coord.upload", lang),
        lang,
        status,
        message=f"{message} {after}",
        back=True,
        tone="danger",
        message_id="import-error",
    )


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
    except OSError as exc:  # before the import ran: the upload's own file, starting the import's process
        log.exception("upload not imported")
        stopped = ImportStopped(classify(exc), error=exc.__class__.__name__)
        return _error(
            t("coord.file_rejected", lang, reason=stopped.message(lang)), lang, STOPPED_STATUS[stopped.reason]
        )
    return _result(title_key, outcome, lang)


def _attachment(data: bytes, mimetype: str, filename: str) -> Response:
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _login_page(lang: str, target: str, message: str = "", status: int = 200) -> Response:
    return _render("login.html", t("coord.login", lang), lang, status, configured=True, target=target, message=message)


def register(server, throttle: LoginThrottle) -> None:
    @server.route("/login", methods=["GET", "POST"])
    def login():
        lang = request_lang()
        target = auth.safe_next(request.values.get("next"))
        if not auth.configured():
            return _render("login.html", t("coord.login", lang), lang, NOT_CONFIGURED_STATUS, configured=False)
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
            return _home(lang)
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
                lang=lang,
            )

        return _import_upload("coord.upload", job, import_reports)

    @server.route("/coordinator/report-intake", methods=["POST"])
    def coordinator_report_intake():
        """Move the reporting form's waiting reports into the database now (one new version)."""
        lang = request_lang()
        settings = Settings.from_env()
        moved = intake.move_pending(settings.db_path, for_database(settings.db_path))
        text = t(
            "cli.report_intake",
            lang,
            stored=tn("cli.report_intake.stored", moved.stored, lang),
            rejected=tn("cli.report_intake.rejected", moved.rejected, lang),
        )
        return _render(
            "message.html", t("coord.report.title", lang), lang, message=text, back=True, tone="success",
            message_id="intake-result",
        )  # fmt: skip

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
                lang=request_lang(),
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
                (name, (t("template.required", lang) if required else "") + str(render(text, lang)))
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
                    titles=(t("template.sheet", lang), t("template.notes_sheet", lang)),
                ),
                XLSX_MIME,
                "sosiaalisen_raportoinnin_pohja.xlsx",
            )
        abort(404)
