"""The coordinator's pages (plain Flask, behind the login): upload a period's
reports, see what was loaded and what was rejected and why, download the
template and the rejected rows, and the follow-up XLSX round trip.

Every form carries a CSRF token; the checks themselves are in
``web.security``. With no login configured these pages only say how to
configure one (``security.install``'s guard answers before any of them)."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
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
from ...core.formatting import fmt_date, fmt_number
from ...core.i18n import lazy_t, render, t, tn
from ...export.tables import CSV_MIME, XLSX_MIME, Sheet, csv_bytes, rejected_rows, template_xlsx, xlsx_bytes
from ...imports.budget import Budget, ImportStopped, classify, run_job
from ...imports.jobs import (
    FollowupJob,
    IndicatorsJob,
    Outcome,
    ReportsJob,
    import_followup,
    import_indicator_files,
    import_reports,
)
from ...imports.mapping import IGNORE, clean_name, mapping_toml, missing_targets, save_mapping
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
KEPT_UPLOAD = re.compile(r"[0-9a-f]{24}(-[0-9]{1,2})?")  # a file waiting for its next step
MAX_MAPPED_COLUMNS = 500  # the reader reads no more cells a row
MAX_LISTED_CHANGES = 200  # reports listed by the follow-up's result
MAX_INDICATOR_FILES = 40  # files of one indicator upload (saved Sotkanet responses: 2 per indicator + regions)
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


def mappings_dir() -> Path:
    """The saved column mappings (TOML), beside the database."""
    return Settings.from_env().db_path.parent / "mappings"


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
    for path in [*folder.glob("hylatyt-*"), *folder.glob("tuonti-*")]:
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


def _keep_upload(data: bytes, token: str | None = None) -> str:
    """An uploaded file kept for its next step (its columns mapped, its preview confirmed),
    privately, a day at most, under a random token (or ``token``: the further files of one upload)."""
    folder = uploads_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    remove_old_rejected(folder)
    token = token or secrets.token_hex(12)
    descriptor = os.open(folder / f"tuonti-{token}", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    return token


def _kept_upload(token: str) -> bytes:
    path = uploads_dir() / f"tuonti-{token}"
    if not KEPT_UPLOAD.fullmatch(token) or not path.is_file():
        abort(404)
    return path.read_bytes()


def _field_label(name: str, lang: str) -> str:
    required = TEMPLATE_COLUMNS[name][0]
    label = t(f"map.target.{name}", lang)
    return t("map.required", lang, field=label) if required else label


def _mapping_page(
    outcome: Outcome,
    token: str,
    lang: str,
    county: str | None,
    sheet: str | None,
    choices: dict[int, str] | None = None,
    mapping_name: str = "",
    preview: dict | None = None,
    previewed: str = "",
    problem: str = "",
    status: int = 200,
) -> Response:
    """The file's columns, the field chosen (or suggested) for each, and the preview when there is one."""
    inspection = outcome.inspection
    assert inspection is not None
    columns = inspection.columns
    if choices is not None:
        for i, column in enumerate(columns):
            chosen = choices.get(i, IGNORE)
            if chosen != column.target:
                column.target, column.basis = chosen, "chosen"
    vocab = access.vocabulary()
    missing = missing_targets([c.target for c in columns], county)
    return _render(
        "import_mapping.html",
        t("map.title", lang),
        lang,
        status,
        source=inspection.source,
        rows=tn("map.rows", inspection.rows, lang),
        token=token,
        sheet=sheet,
        columns=columns,
        targets=[(name, _field_label(name, lang)) for name in TEMPLATE_COLUMNS],
        bases={
            key: t(f"map.basis.{key}", lang)
            for key in ("saved", "template", "header", "values", "header_values", "chosen")
        },
        saved=inspection.saved,
        counties=[(code, vocab.label("county", code, lang)) for code in vocab.codes("county")],
        county=county or "",
        mapping_name=mapping_name,
        missing=", ".join(t(f"map.target.{name}", lang) for name in missing),
        preview=preview,
        previewed=previewed,
        problem=problem,
    )


def _preview(outcome: Outcome, lang: str) -> dict:
    """What a file would do, as the mapping page shows it."""
    vocab = access.vocabulary()

    def names(dimension: str, codes: list[str]) -> str:
        return "; ".join(vocab.label(dimension, code, lang) for code in codes)

    summary = t(
        "map.preview_summary",
        lang,
        read=tn("coord.rows_read", outcome.rows_read, lang),
        added=tn("map.would_add", outcome.added, lang),
        updated=tn("map.would_update", outcome.updated, lang),
        rejected=tn("map.would_reject_n", len(outcome.rejected), lang),
    )
    yes, no = (t("map.yes", lang), t("map.no", lang))
    sample = [
        (
            row["id"],
            fmt_date(row["date"], lang),
            vocab.label("service_unit", row["service_unit"], lang),
            names("area", row["areas"]),
            names("target_group", row["target_groups"]),
            names("theme", row["themes"]),
            vocab.label("observation_type", row["observation_type"], lang),
            yes if row["publishable"] else no,
        )
        for row in outcome.sample
    ]
    return {
        "summary": summary,
        "notes": [note.message(lang) for note in outcome.notes],
        "sample": sample,
        "warnings": outcome.warnings[:50],
        "rejected": [(r["rivi"], r["virheet"]) for r in outcome.rejected.head(50).to_dict("records")],
    }


def _changes_text(changes: dict[str, int], lang: str) -> str:
    parts = [
        f"{t(key, lang)} {fmt_number(changes[field], lang)}" for field, key in FOLLOWUP_FIELDS if changes.get(field)
    ]
    return t("coord.changed", lang, changes=", ".join(parts)) if parts else t("coord.unchanged", lang)


def _result(
    title_key: str, outcome: Outcome, lang: str, saved_as: str | None = None, summary: str | None = None
) -> Response:
    rejected = outcome.rejected
    fmt = "xlsx" if outcome.kind == "xlsx" else "csv"
    loaded = tn("coord.rows_loaded", outcome.added, lang)
    if outcome.updated:  # a re-import: the reports that were there already are updated, not added
        loaded = t("coord.loaded_updated", lang, loaded=loaded, updated=tn("coord.rows_updated", outcome.updated, lang))
    summary = summary or t(
        "coord.result",
        lang,
        read=tn("coord.rows_read", outcome.rows_read, lang),
        loaded=loaded,
        rejected=tn("coord.rows_rejected", len(rejected), lang),
    )
    mapping_note = None
    if saved_as:
        mapping_note = t("map.saved_as", lang, name=saved_as)
    elif outcome.mapping_used:
        mapping_note = t("map.used", lang, name=outcome.mapping_used)
    field_names = dict(FOLLOWUP_FIELDS)
    changed = [
        (county, report, ", ".join(t(field_names[f], lang) for f in fields if f in field_names))
        for county, report, fields in outcome.changed_reports[:MAX_LISTED_CHANGES]
    ]
    vocab = access.vocabulary()
    changed = [(vocab.label("county", county, lang), report, fields) for county, report, fields in changed]
    more = len(outcome.changed_reports) - len(changed)
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
        changed_reports=changed,
        changed_more=tn("coord.changed_more", more, lang) if more > 0 else "",
        warnings=outcome.warnings[:200],
        mapping_note=mapping_note,
        # Texts the privacy screen holds back until the coordinator resolves the hits in the workbench.
        held=tn("coord.held_for_privacy", outcome.held, lang) if outcome.held else None,
        lines=outcome.extra.get("lines", []),
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


def _safe_name(name: str) -> str:
    return re.sub(r"[^\w.\- ]", "_", Path(name).name)[:120] or "tiedosto"


def _indicator_uploads(lang: str) -> list[tuple[str, bytes]]:
    """The files of an indicator upload, in all no more than the upload limit."""
    files, total = [], 0
    for storage in request.files.getlist("files")[: MAX_INDICATOR_FILES + 1]:
        if not storage.filename:
            continue
        data = storage.read(MAX_UPLOAD + 1 - total)
        total += len(data)
        if total > MAX_UPLOAD:
            raise ImportFileError(t("coord.too_large", lang, max=MAX_UPLOAD // 2**20))
        files.append((_safe_name(storage.filename), data))
    if not files:
        raise ImportFileError(t("coord.no_file", lang))
    if len(files) > MAX_INDICATOR_FILES:
        raise ImportFileError(t("ind.too_many_files", lang, max=MAX_INDICATOR_FILES))
    return files


def _indicator_summary(outcome: Outcome, lang: str, preview: bool) -> str:
    if preview:
        return t(
            "ind.preview_summary",
            lang,
            read=tn("coord.rows_read", outcome.rows_read, lang),
            loaded=tn("ind.would_load", outcome.loaded, lang),
            rejected=tn("map.would_reject_n", len(outcome.rejected), lang),
        )
    return t(
        "coord.result",
        lang,
        read=tn("coord.rows_read", outcome.rows_read, lang),
        loaded=tn("coord.rows_loaded", outcome.loaded, lang),
        rejected=tn("coord.rows_rejected", len(outcome.rejected), lang),
    )


def _upload(field: str, lang: str) -> tuple[str, bytes] | None:
    storage = request.files.get(field)
    if storage is None or not storage.filename:
        return None
    data = storage.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise ImportFileError(t("coord.too_large", lang, max=MAX_UPLOAD // 2**20))
    name = re.sub(r"[^\w.\- ]", "_", Path(storage.filename).name)[:120] or "tiedosto"
    return name, data


def _import_upload(title_key: str, make_job, func, upload: tuple[str, bytes] | None = None, then=None) -> Response:
    """Run the import of the uploaded file (``func(make_job(name, data, budget))``)
    in a child process under the import budget; show what was loaded and
    rejected, or why nothing was. The rejected rows come back in the format
    that was uploaded. ``upload`` is a file kept from an earlier step (else the
    request's), ``then(outcome, upload)`` draws the page instead of the result."""
    lang = request_lang()
    try:
        upload = upload or _upload("file", lang)
        if upload is None:
            raise ImportFileError(t("coord.no_file", lang))
        budget = Budget.from_settings()
        outcome = run_job(func, make_job(*upload, budget), budget)
        if then is not None:
            return then(outcome, upload)
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
        sheet = (request.form.get("sheet") or "").strip()[:100] or None
        county = (request.form.get("county") or "").strip()[:10] or None

        def job(name: str, data: bytes, budget: Budget) -> ReportsJob:
            mapping = _upload("mapping", lang)
            return ReportsJob(
                db_path=Settings.from_env().db_path,
                name=name,
                data=data,
                sheet=sheet,
                county=county,
                mapping=mapping[1] if mapping else None,
                mapping_name=mapping[0] if mapping else "mapping.toml",
                loaded_by=auth.current_user(),
                memory_limit=budget.duckdb_memory,
                lang=lang,
                mappings_dir=mappings_dir(),
                ask_mapping=mapping is None,
            )

        def then(outcome: Outcome, upload: tuple[str, bytes]) -> Response:
            if outcome.inspection is None:
                return _result("coord.upload", outcome, lang)
            # Columns of its own that no saved mapping fits: map them in the browser.
            return _mapping_page(outcome, _keep_upload(upload[1]), lang, county, sheet)

        return _import_upload("coord.upload", job, import_reports, then=then)

    @server.route("/coordinator/map/<token>", methods=["POST"])
    def coordinator_map(token: str):
        """The mapping page's form: preview the file with the chosen columns, or import it
        with them (and save them under the name given)."""
        lang = request_lang()
        data = _kept_upload(token)
        form = request.form
        name = re.sub(r"[^\w.\- ]", "_", Path(form.get("name") or "").name)[:120] or "tiedosto"
        sheet = (form.get("sheet") or "").strip()[:100] or None
        county = (form.get("county") or "").strip()[:10] or None
        header = [form.get(f"h-{i}", "")[:500] for i in range(MAX_MAPPED_COLUMNS) if f"h-{i}" in form]
        choices = {
            i: value
            for i in range(len(header))
            if (value := form.get(f"col-{i}", IGNORE)) in TEMPLATE_COLUMNS or value == IGNORE
        }
        mapping_name = clean_name(form.get("mapping_name") or "")
        toml = mapping_toml(header, choices, mapping_name, county, auth.current_user() or "")
        columns_chosen = mapping_toml(header, choices)  # without the time: what the preview was made with
        # What the preview was made with (the columns and the county): an import needs a preview of the same.
        fingerprint = hashlib.sha256(columns_chosen.split(b"[columns]")[1] + (county or "").encode()).hexdigest()[:16]
        doubled = sorted({c for c in choices.values() if c and list(choices.values()).count(c) > 1})
        wants_import = form.get("action") == "import" and form.get("previewed") == fingerprint and not doubled
        problem = (
            t("map.doubled", lang, fields=", ".join(t(f"map.target.{c}", lang) for c in doubled)) if doubled else ""
        )

        def job(file_name: str, file_data: bytes, budget: Budget) -> ReportsJob:
            return ReportsJob(
                db_path=Settings.from_env().db_path,
                name=file_name,
                data=file_data,
                sheet=sheet,
                county=county,
                mapping=toml,
                mapping_name=f"{mapping_name or 'mapping'}.toml",
                loaded_by=auth.current_user(),
                memory_limit=budget.duckdb_memory,
                lang=lang,
                preview=not wants_import,
                inspect=not wants_import,
            )

        def then(outcome: Outcome, upload: tuple[str, bytes]) -> Response:
            if not wants_import:
                complete = not missing_targets(list(choices.values()), county) and not doubled
                return _mapping_page(
                    outcome,
                    token,
                    lang,
                    county,
                    sheet,
                    choices,
                    mapping_name,
                    _preview(outcome, lang) if complete else None,
                    fingerprint if complete else "",
                    problem,
                )
            saved, note = None, None
            if mapping_name:
                try:
                    save_mapping(mappings_dir(), mapping_name, toml)
                    saved = mapping_name
                except OSError as exc:  # the reports are stored all the same: say so, and that the mapping is not
                    log.error("mapping %s not saved: %s", mapping_name, exc)
                    note = lazy_t("map.not_saved", name=mapping_name, error=exc.strerror or exc.__class__.__name__)
            try:
                (uploads_dir() / f"tuonti-{token}").unlink()
            except OSError:
                pass
            if note:
                outcome.notes.append(note)
            return _result("coord.upload", outcome, lang, saved_as=saved)

        return _import_upload("coord.upload", job, import_reports, upload=(name, data), then=then)

    @server.route("/coordinator/indicators", methods=["POST"])
    def coordinator_indicators():
        """Indicator files: checked in the import's child process and previewed; kept to be loaded."""
        lang = request_lang()
        kind = "sotkanet" if request.form.get("kind") == "sotkanet" else "local"
        try:
            files = _indicator_uploads(lang)
        except ImportFileError as exc:
            return _error(t("coord.file_rejected", lang, reason=exc.message(lang)), lang)

        def job(name: str, data: bytes, budget: Budget) -> IndicatorsJob:
            return IndicatorsJob(
                Settings.from_env().db_path, tuple(files), kind, True, auth.current_user(), budget.duckdb_memory, lang
            )

        def then(outcome: Outcome, upload: tuple[str, bytes]) -> Response:
            token = _keep_upload(files[0][1])
            for i, (_, data) in enumerate(files[1:], start=1):
                _keep_upload(data, f"{token}-{i}")
            return _render(
                "indicator_preview.html",
                t("ind.preview_title", lang),
                lang,
                source=outcome.source,
                summary=_indicator_summary(outcome, lang, preview=True),
                lines=outcome.extra.get("lines", []),
                rejected=[(r["rivi"], r["virheet"]) for r in outcome.rejected.head(50).to_dict("records")],
                token=token,
                kind=kind,
                names=[name for name, _ in files],
            )

        return _import_upload("ind.title", job, import_indicator_files, upload=files[0], then=then)

    @server.route("/coordinator/indicators/<token>", methods=["POST"])
    def coordinator_indicators_import(token: str):
        lang = request_lang()
        kind = "sotkanet" if request.form.get("kind") == "sotkanet" else "local"
        names = [
            _safe_name(request.form.get(f"n-{i}", "")) for i in range(MAX_INDICATOR_FILES) if f"n-{i}" in request.form
        ]
        if not names:
            abort(404)
        files = [(names[0], _kept_upload(token))]
        files += [(name, _kept_upload(f"{token}-{i}")) for i, name in enumerate(names[1:], start=1)]

        def job(name: str, data: bytes, budget: Budget) -> IndicatorsJob:
            return IndicatorsJob(
                Settings.from_env().db_path, tuple(files), kind, False, auth.current_user(), budget.duckdb_memory, lang
            )

        def then(outcome: Outcome, upload: tuple[str, bytes]) -> Response:
            for i in range(len(files)):
                try:
                    (uploads_dir() / f"tuonti-{token}{'' if i == 0 else f'-{i}'}").unlink()
                except OSError:
                    pass
            return _result("ind.title", outcome, lang, summary=_indicator_summary(outcome, lang, preview=False))

        return _import_upload("ind.title", job, import_indicator_files, upload=files[0], then=then)

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
        # The sheet's names are Finnish (the import reads fi, sv and en): the lists offer those.
        lists = template_lists(access.vocabulary(), "fi")
        choices = {i: lists[c] for i, c in enumerate(frame.columns) if c in ("julkaistava", "nosto", "seurannan_tila")}
        sheet = Sheet(
            t("coord.followup_sheet", lang), list(frame.columns), rows, {}, {i: 50 for i in wide}, tuple(wide)
        )
        sheet.choices = choices
        data = xlsx_bytes([sheet], meta, t("meta.sheet", lang))
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
