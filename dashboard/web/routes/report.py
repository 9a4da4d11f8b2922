"""The reporting form, ``/report`` (issue 20): social workers report what they see,
in Finnish, Swedish or English, on a phone or a desktop, with a keyboard only
and without JavaScript (``assets/report.js`` only adds the live privacy warning,
a kept draft and a guard against double clicks).

- **Who may report** is configuration (:class:`~dashboard.core.config.Settings`):
  ``open``, ``login`` (the reporter login, :mod:`.reporters`), ``link`` (per-unit
  links, :mod:`dashboard.reporting.links`), several of them, or ``closed``; unset,
  the demo's form is open and any other database's closed.
- **The county** comes from the unit link, else ``?county=``, else
  ``DASHBOARD_REPORT_COUNTY``; without one the page asks for it first.
- **Checks**: the import's own (:mod:`dashboard.reporting.form`), each beside its
  field with what was typed kept; the privacy screen warns and asks the reporter
  to confirm having checked; CSRF as on every form; at most ``DASHBOARD_REPORT_RATE``
  sent forms per address and per unit link; a posted form of at most 512 kB.
- **Durable at "kiitos"**: the workspace commits the submission (full sync) before
  the page answers; the form's id makes a double click or a replay one report; a
  submission that cannot be stored says so and keeps the text in the page.
- **The receipt**: a private link (shown on the answer, as a link and a download;
  only its hash is kept) to what came of the report; a wrong link shows nothing and
  wrong links are throttled per address.
"""

from __future__ import annotations

import ipaddress
import logging
import sqlite3
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Blueprint, Response, jsonify, redirect, request, session
from flask_limiter import Limiter
from flask_wtf.csrf import CSRFError
from limits import parse as parse_rate
from werkzeug.wrappers import Response as WerkzeugResponse

from queries import access
from queries.db import DatabaseMissing

from ...analysis import review
from ...analysis.workspace import Workspace, WorkspaceError, for_database
from ...core.config import Settings
from ...core.formatting import fmt_date, fmt_number
from ...core.i18n import t
from ...imports.reports import MAX_TEXT, Resolver
from ...reporting import form, intake, links, receipt, tokens
from ..delivery import BOOTSTRAP_CSS
from . import auth, reporters
from .pages import language_links, link, render_page, request_lang

log = logging.getLogger(__name__)

RECEIPT_FAILURES = parse_rate("20 per 15 minutes")  # wrong receipt links per address
LOGIN_FAILURES = parse_rate("10 per 15 minutes")  # wrong reporter passwords per address
SCREEN_RATE = parse_rate("300 per 10 minutes")  # live privacy checks per address
DEFAULT_RATE = "30 per 10 minutes"
# Reports waiting for the intake at most (each at most three texts of 20 000 characters): beyond it a
# form is refused with 503 and its text kept, so a flood cannot fill the disk before anyone looks.
MAX_WAITING = 5000
LINK_SESSION = "report_link"
PATHS = ("/report",)


def _store(settings: Settings) -> Workspace:
    return for_database(settings.db_path)


def _address() -> str:
    """What the form's limits count under: the client's address, an IPv6 address by its /64 (one
    subscriber's network: a client that has one has 2^64 addresses to step through, each with
    limits of its own)."""
    return address_key(request.remote_addr)


def address_key(remote: str | None) -> str:
    try:
        address = ipaddress.ip_address((remote or "").split("%", 1)[0])
    except ValueError:
        return remote or "-"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def _rate(settings: Settings):
    try:
        return parse_rate(settings.report_rate)
    except ValueError:
        return parse_rate(DEFAULT_RATE)


def _login_keys(settings: Settings, user: str) -> list[tuple[str, ...]]:
    """What a failed reporter login counts against: a user of the reporters' htpasswd file by
    name and address (another user's failures at the same office address never refuse them), the
    shared password, whose user name is free, by address."""
    keys: list[tuple[str, ...]] = []
    if settings.reporter_htpasswd:
        keys.append(("user", user.casefold(), _address()))
    if settings.reporter_password or not keys:
        keys.append(("password", _address()))
    return keys


@dataclass(frozen=True)
class Reporter:
    via: str  # 'open', 'login' or 'link'
    user: str | None = None
    link: dict | None = None


def modes(settings: Settings) -> tuple[str, ...]:
    """The access modes in force: as configured; unset, open on the demo and closed otherwise."""
    if settings.report_access:
        return settings.report_access
    try:
        return ("open",) if access.is_demo() else ("closed",)
    except DatabaseMissing:
        return ("closed",)


def who(settings: Settings, store: Workspace, active: tuple[str, ...]) -> Reporter | None:
    """Who is reporting, by the first mode that lets this request in (a unit link, the reporter
    login, the open form), or None."""
    if "link" in active:
        found = links.open_link(store, session.get(LINK_SESSION))
        if found is not None:
            return Reporter("link", link=found)
        session.pop(LINK_SESSION, None)
    if "login" in active:
        user = reporters.current(settings)
        if user:
            return Reporter("login", user=user)
    if "open" in active:
        return Reporter("open")
    return None


def _shell(lang: str, path: str, pairs: list[tuple[str, str]], reporter: Reporter | None = None) -> dict:
    """The report pages' shell: no leadership menu (a reporter needs none), the language
    switch to this page, and the reporter's logout."""
    return {
        "bootstrap_css": BOOTSTRAP_CSS,
        "menu": [],
        "languages": language_links(lang, path, pairs),
        "user": None,
        "reporter": reporter.user if reporter is not None and reporter.via == "login" else None,
    }


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _page(template: str, title: str, lang: str, status: int = 200, shell: dict | None = None, **context) -> Response:
    shell = shell or _shell(lang, request.path, [(k, v) for k, v in request.args.items(multi=True)])
    return _no_store(render_page(template, title, lang, status, shell_context=shell, **context))


def _message(title: str, text: str, lang: str, status: int, tone: str = "info", **context) -> Response:
    return _page("report_message.html", title, lang, status, message=text, tone=tone, **context)


# ---- the form page ---------------------------------------------------------------------------


def _county(settings: Settings, reporter: Reporter) -> str | None:
    vocab = access.vocabulary()
    if reporter.link is not None:
        return reporter.link["county"]
    asked = (request.form.get("county") if request.method == "POST" else None) or request.args.get("county")
    if isinstance(asked, str) and vocab.knows("county", asked):
        return asked
    if settings.report_county and vocab.knows("county", settings.report_county):
        return settings.report_county
    return None


def _access_note(reporter: Reporter, lang: str, demo: bool) -> str:
    if reporter.link is not None:
        return t("report.access.link", lang, label=reporter.link.get("label") or reporter.link["link_id"])
    if reporter.via == "login":
        return t("report.access.login", lang, user=reporter.user)
    return t("report.access.open_demo" if demo else "report.access.open", lang)


def _form_action(county: str, lang: str, reporter: Reporter) -> str:
    return link("/report", lang, county="" if reporter.via == "link" else county)


def _labels(lang: str) -> dict[str, str]:
    return {name: t(f"report.field.{name}", lang) for name in form.FIELDS}


def _form_page(
    settings: Settings,
    reporter: Reporter,
    county: str,
    lang: str,
    entry: form.Entry | None = None,
    errors: dict[str, list[str]] | None = None,
    warnings: list[form.Warning] | None = None,
    notice: tuple[str, str] | None = None,
    status: int = 200,
    form_id: str | None = None,
) -> Response:
    vocab = access.vocabulary()
    offered = form.choices(vocab, county, lang)
    if entry is None:
        unit = reporter.link.get("service_unit") if reporter.link else None
        # The date as a reporter types it, 1.9.2024, in every language (the field is text, not type=date).
        entry = form.Entry(pvm=fmt_date(form.today(), "fi"), palvelutehtava=unit or "")
    errors = errors or {}
    warnings = warnings or []
    labels = _labels(lang)
    by_field: dict[str, list[form.Warning]] = {}
    for w in warnings:
        by_field.setdefault(w.field, []).append(w)
    title = t("report.title", lang)
    if errors:
        title = t("report.title_errors", lang, title=title)
    pairs = [("county", county)] if reporter.via != "link" else []
    return _page(
        "report_form.html",
        title,
        lang,
        status,
        shell=_shell(lang, "/report", pairs, reporter),
        offered=offered,
        entry=entry,
        errors=errors,
        error_list=[(name, errors[name]) for name in ("", *form.FIELDS) if name in errors],
        labels=labels,
        helps={name: t(f"report.help.{name}", lang) for name in form.FIELDS},
        warnings=by_field,
        digest=form.digest(warnings) if warnings else "",
        notice=notice,
        form_id=form_id or tokens.new_form_id(),
        county=county,
        action=_form_action(county, lang, reporter),
        access_note=_access_note(reporter, lang, access.is_demo()),
        max_text=fmt_number(MAX_TEXT, lang),
        max_text_raw=MAX_TEXT,
        kind_label=lambda kind: t(f"report.hit.{kind}", lang),
    )


def _county_page(lang: str, reporter: Reporter) -> Response:
    vocab = access.vocabulary()
    counties = sorted(((c, vocab.label("county", c, lang)) for c in vocab.codes("county")), key=lambda p: p[1])
    return _page(
        "report_county.html",
        t("report.title", lang),
        lang,
        shell=_shell(lang, "/report", [], reporter),
        counties=counties,
        access_note=_access_note(reporter, lang, access.is_demo()),
    )


def _closed(settings: Settings, active: tuple[str, ...], lang: str) -> Response | WerkzeugResponse:
    if "login" in active and reporters.configured(settings):
        return redirect(link("/report/login", lang, next=request.full_path.rstrip("?")))
    if "link" in active:
        return _message(t("report.title", lang), t("report.closed.link", lang), lang, 403)
    if "login" in active:
        return _message(t("report.title", lang), t("report.closed.no_login", lang), lang, 403, tone="warning")
    return _message(t("report.title", lang), t("report.closed", lang), lang, 403, tone="warning")


def _context_ok(settings: Settings, lang: str):
    """(reporter, county, store) or the response that answers instead."""
    store = _store(settings)
    active = modes(settings)
    reporter = who(settings, store, active)
    if reporter is None:
        return _closed(settings, active, lang)
    county = _county(settings, reporter)
    if county is None:
        return _county_page(lang, reporter)
    return reporter, county, store


def _screening(store: Workspace, county: str):
    """The coordinator's screening context; without the workspace (it cannot be read just now)
    the county's allowed words are left out: more warnings, never fewer."""
    try:
        return review.screening_context(access.cursor(), store, county)
    except (sqlite3.Error, OSError):
        return review.screening_context(access.cursor(), None, county)


def _resolver() -> Resolver:
    return access.cached("report.resolver", Resolver.from_database)


# ---- the answer ---------------------------------------------------------------------------------


def _receipt_url(token: str) -> str:
    return request.host_url.rstrip("/") + "/report/receipt/" + token


def _thanks(
    lang: str, reporter: Reporter, county: str, submission, form_id: str, replay: bool, warnings: int
) -> Response:
    token = tokens.receipt_token(form_id)
    received = receipt.received_at(submission)
    response = _page(
        "report_thanks.html",
        t("report.thanks.title", lang),
        lang,
        shell=_shell(lang, "/report", [("county", county)] if reporter.via != "link" else [], reporter),
        url=_receipt_url(token),
        path="/report/receipt/" + token,
        open_link=link("/report/receipt/" + token, lang),
        download_link=link("/report/receipt/" + token + "/kuitti.txt", lang),
        received=t("report.when", lang, date=fmt_date(received.date(), lang), time=received.strftime("%H.%M")),
        replay=replay,
        again=link("/report", lang, county="" if reporter.via == "link" else county),
        warned=warnings,
    )
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _same_origin() -> bool:
    """The request came from a page of this site (Origin, else Referer)."""
    source = request.headers.get("Origin") or request.headers.get("Referer") or ""
    parts = urlsplit(source)
    return bool(parts.netloc) and parts.netloc == request.host


def register(server, limiter: Limiter) -> None:
    bp = Blueprint("report", __name__)
    strategy = limiter.limiter

    def cap_body():
        """A posted form of the report pages is small: refuse a large one before anything reads it
        (this runs before the CSRF check, which would read the body)."""
        if auth.is_report_path(request.path):
            request.max_content_length = form.MAX_BODY

    server.before_request_funcs.setdefault(None, []).insert(0, cap_body)

    @bp.after_request
    def private(response: Response) -> Response:
        return _no_store(response)

    @bp.route("/report", methods=["GET"])
    def report_form():
        lang = request_lang()
        settings = Settings.from_env()
        try:
            found = _context_ok(settings, lang)
            if isinstance(found, WerkzeugResponse):
                return found
            reporter, county, _store_ = found
            return _form_page(settings, reporter, county, lang)
        except DatabaseMissing:
            return _message(t("report.title", lang), t("report.no_database", lang), lang, 503, tone="danger")
        except (sqlite3.Error, OSError) as exc:
            log.error("the reporting form could not read the workspace: %s", exc)
            return _message(t("report.title", lang), t("report.unavailable", lang), lang, 503, tone="danger")

    @bp.route("/report", methods=["POST"])
    def report_send():
        lang = request_lang()
        settings = Settings.from_env()
        try:
            return _send(settings, lang)
        except DatabaseMissing:
            return _message(t("report.title", lang), t("report.no_database", lang), lang, 503, tone="danger")
        except (sqlite3.Error, OSError) as exc:  # the workspace cannot be read (a unit link cannot be checked)
            log.error("the reporting form could not read the workspace: %s", exc)
            return _message(t("report.title", lang), t("report.unavailable", lang), lang, 503, tone="danger")

    def _send(settings: Settings, lang: str) -> WerkzeugResponse:
        found = _context_ok(settings, lang)
        if isinstance(found, WerkzeugResponse):
            return found
        reporter, county, store = found
        entry = form.Entry.from_form(request.form)
        form_id = request.form.get("form_id")
        if not tokens.valid(form_id):
            notice = ("warning", t("report.error.form_id", lang))
            return _form_page(settings, reporter, county, lang, entry, notice=notice, status=400)
        rate = _rate(settings)
        keys = [("address", _address())] + ([("link", str(reporter.link["link_id"]))] if reporter.link else [])
        if not all(strategy.hit(rate, "report", *key) for key in keys):
            notice = ("danger", t("report.error.rate", lang))
            response = _form_page(settings, reporter, county, lang, entry, notice=notice, status=429, form_id=form_id)
            response.headers["Retry-After"] = "600"
            return response
        offered = form.choices(access.vocabulary(), county, lang)
        errors = form.check(entry, offered, _resolver(), lang)
        warnings = form.screen(entry, _screening(store, county))
        if errors:  # the privacy warnings too: everything to fix at once
            return _form_page(
                settings, reporter, county, lang, entry, errors=errors, warnings=warnings, status=422, form_id=form_id
            )
        if warnings and request.form.get("privacy_ack") != form.digest(warnings):
            notice = ("warning", t("report.privacy.confirm", lang))
            return _form_page(
                settings, reporter, county, lang, entry, warnings=warnings, notice=notice, status=422, form_id=form_id
            )
        meta = {"lang": lang, "via": reporter.via, "privacy_warnings": len(warnings)}
        if reporter.user:
            meta["user"] = reporter.user
        if reporter.link:
            meta["link"] = reporter.link["link_id"]
        receipt_hash = tokens.token_hash(tokens.receipt_token(form_id))
        try:
            if store.pending_count() >= MAX_WAITING and store.submission_by_receipt(receipt_hash) is None:
                # The queue is bounded (a flood from many addresses, the intake not running): refused
                # like a store that cannot be written, the text kept; a form already sent still gets
                # its receipt.
                raise WorkspaceError(f"{MAX_WAITING} reports are waiting for the intake")
            submission = store.submit(
                tokens.idempotency_key(form_id),
                county,
                {"row": entry.row(county), "meta": meta},
                receipt_hash=receipt_hash,
            )
        except (sqlite3.Error, OSError, WorkspaceError) as exc:
            log.error("a report could not be stored: %s", exc)
            notice = ("danger", t("report.error.store", lang))
            response = _form_page(
                settings, reporter, county, lang, entry, warnings=warnings, notice=notice, status=503, form_id=form_id
            )
            response.headers["Retry-After"] = "60"
            return response
        intake.mover(settings.db_path, store, settings.report_intake_seconds).kick()
        return _thanks(lang, reporter, submission.county, submission, form_id, not submission.created, len(warnings))

    @bp.route("/report/screen", methods=["POST"])
    def report_screen():
        """The privacy screen of the texts being written (the form's script asks as the reporter types)."""
        settings = Settings.from_env()
        lang = request_lang()
        if not strategy.hit(SCREEN_RATE, "report-screen", _address()):
            return jsonify({"error": t("report.error.rate", lang)}), 429
        try:
            store = _store(settings)
            reporter = who(settings, store, modes(settings))
            if reporter is None:
                return jsonify({"error": t("report.closed", lang)}), 403
            county = _county(settings, reporter)
            entry = form.Entry.from_form(request.form)
            warnings = form.screen(entry, _screening(store, county or ""))
        except DatabaseMissing:
            return jsonify({"error": t("report.no_database", lang)}), 503
        return jsonify(
            {
                "digest": form.digest(warnings) if warnings else "",
                "warnings": {
                    name: [
                        {"kind": w.kind, "text": w.text, "message": _warning_text(w, lang)}
                        for w in warnings
                        if w.field == name
                    ]
                    for name in form.TEXT_FIELDS
                },
            }
        )

    # ---- unit links ------------------------------------------------------------------------------

    @bp.route("/report/u/<token>")
    def report_link(token: str):
        lang = request_lang()
        settings = Settings.from_env()
        if "link" not in modes(settings):
            return _message(t("report.title", lang), t("report.link.not_in_use", lang), lang, 404)
        if not strategy.test(RECEIPT_FAILURES, "report-token", _address()):
            return _throttled(lang)
        found = links.find(_store(settings), token)
        if found is None:
            strategy.hit(RECEIPT_FAILURES, "report-token", _address())
            return _message(t("report.title", lang), t("report.link.unknown", lang), lang, 404)
        session[LINK_SESSION] = found["link_id"]
        return redirect(link("/report", lang))  # the token leaves the address bar and the history

    # ---- the reporter login ----------------------------------------------------------------------

    @bp.route("/report/login", methods=["GET", "POST"])
    def report_login():
        lang = request_lang()
        settings = Settings.from_env()
        # A path of the form's own (auth.safe_next: no other site, no line break in the header).
        target = auth.safe_next(request.values.get("next"), "/report")
        if not auth.is_report_path(urlsplit(target).path) or "//" in target:
            target = "/report"
        if "login" not in modes(settings) or not reporters.configured(settings):
            return _message(t("report.login.title", lang), t("report.closed.no_login", lang), lang, 404)
        message = ""
        status = 200
        if request.method == "POST":
            user = (request.form.get("user") or "").strip()[:100] or "raportoija"
            keys = _login_keys(settings, user)
            if not all(strategy.test(LOGIN_FAILURES, "report-login", *key) for key in keys):
                return _throttled(lang)
            via = reporters.check(settings, user, request.form.get("password") or "")
            if via:
                reporters.log_in(settings, user, via)
                return redirect(target)
            for key in keys:
                strategy.hit(LOGIN_FAILURES, "report-login", *key)
            message, status = t("report.login.failed", lang), 401
        return _page(
            "report_login.html",
            t("report.login.title", lang),
            lang,
            status,
            shell=_shell(lang, "/report/login", [("next", target)] if target != "/report" else []),
            target=target,
            message=message,
        )

    @bp.route("/report/logout", methods=["POST"])
    def report_logout():
        lang = request_lang()
        reporters.log_out()
        return redirect(link("/report/login", lang))

    # ---- the receipt -----------------------------------------------------------------------------

    def _submission_for(token: str, settings: Settings):
        if not tokens.valid(token):
            return None
        return _store(settings).submission_by_receipt(tokens.token_hash(token))

    def _not_found(lang: str) -> Response:
        strategy.hit(RECEIPT_FAILURES, "receipt", _address())
        return _message(t("report.receipt.title", lang), t("report.receipt.unknown", lang), lang, 404)

    @bp.route("/report/receipt/<token>")
    def report_receipt(token: str):
        lang = request_lang()
        settings = Settings.from_env()
        if not strategy.test(RECEIPT_FAILURES, "receipt", _address()):
            return _throttled(lang)
        submission = _submission_for(token, settings)
        if submission is None:
            return _not_found(lang)
        try:
            view = receipt.build(access.cursor(), _store(settings), submission, access.vocabulary(), lang)
        except DatabaseMissing:
            return _message(t("report.receipt.title", lang), t("report.no_database", lang), lang, 503, tone="danger")
        response = _page(
            "report_receipt.html",
            t("report.receipt.title", lang),
            lang,
            shell=_shell(lang, request.path, []),
            view=view,
            received=t(
                "report.when",
                lang,
                date=fmt_date(view.received_at.date(), lang),
                time=view.received_at.strftime("%H.%M"),
            ),
            fmt_date=lambda d: fmt_date(d, lang),
            download=link(request.path + "/kuitti.txt", lang),
        )
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @bp.route("/report/receipt/<token>/kuitti.txt")
    def report_receipt_file(token: str):
        lang = request_lang()
        settings = Settings.from_env()
        if not strategy.test(RECEIPT_FAILURES, "receipt", _address()):
            return _throttled(lang)
        submission = _submission_for(token, settings)
        if submission is None:
            return _not_found(lang)
        received = receipt.received_at(submission)
        text = t(
            "report.receipt.file",
            lang,
            url=_receipt_url(token),
            when=t("report.when", lang, date=fmt_date(received.date(), lang), time=received.strftime("%H.%M")),
        )
        response = Response(
            text.replace("\n", "\r\n") + "\r\n",
            mimetype="text/plain",
            headers={"Content-Disposition": f'attachment; filename="{t("report.receipt.filename", lang)}"'},
        )
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    def _throttled(lang: str) -> Response:
        response = _message(t("report.title", lang), t("report.throttled", lang), lang, 429, tone="danger")
        response.headers["Retry-After"] = str(15 * 60)
        return response

    # ---- refusals that keep the text -----------------------------------------------------------------

    @bp.errorhandler(CSRFError)
    def expired(error):
        """A form whose CSRF token expired (left open overnight): shown again with what was typed and
        a new token, nothing stored. A form posted from another site only gets the refusal."""
        lang = request_lang()
        settings = Settings.from_env()
        if request.path == "/report" and _same_origin():
            try:
                found = _context_ok(settings, lang)
                if isinstance(found, WerkzeugResponse):
                    return found
                reporter, county, _ = found
                entry = form.Entry.from_form(request.form)
                form_id = request.form.get("form_id")
                notice = ("warning", t("report.error.expired", lang))
                return _form_page(
                    settings, reporter, county, lang, entry, notice=notice, status=400,
                    form_id=form_id if tokens.valid(form_id) else None,
                )  # fmt: skip
            except DatabaseMissing:
                pass
        return _message(t("security.refused", lang), t("security.csrf", lang), lang, 400, tone="danger")

    @bp.errorhandler(413)
    def too_large(error):
        lang = request_lang()
        text = t("report.error.too_large", lang, max=fmt_number(form.MAX_BODY // 1024, lang))
        return _message(t("report.title", lang), text, lang, 413, tone="danger", back=link("/report", lang))

    server.register_blueprint(bp)


def _warning_text(w: form.Warning, lang: str) -> str:
    return t("report.privacy.hit", lang, kind=t(f"report.hit.{w.kind}", lang), text=w.text)
