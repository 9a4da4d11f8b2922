"""The coordinator's workbench: a period's half-year analysis at ``/coordinator/analysis?county=09
&from=2024-09-01&to=2024-12-31`` (behind the coordinator's login, like every ``/coordinator`` page).

Three pages (the review queue, the phenomena, publishing) drawn by Jinja templates
(``templates/workbench_*.html``) and one small script (``assets/workbench.js``). Flask rather than
Dash because every click here changes data: each change is a plain POST form with its CSRF token
(Dash's callback route is the one route exempt from CSRF, because it only reads), it works without
the script (the form posts and the page comes back), and the script only makes it quicker: it sends
the same form in the background, saves text as it is typed, updates the parts of the page that
changed, and gives the keyboard shortcuts. No inline script, so the Content-Security-Policy holds.

Every change route answers the script with JSON (``Accept: application/json``) and a plain form
with a redirect back to the page (303). Scalar fields carry the version the page showed
(``base_version``): an edit of a field somebody else changed meanwhile is refused with 409 and
says who changed what (:class:`~dashboard.analysis.workspace.EditConflict`), nothing applied.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import uuid
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from flask import jsonify, redirect, request
from werkzeug.wrappers import Response

from queries import access
from queries import analysis as q
from queries.db import DatabaseMissing

from ...analysis import publish, review, screening
from ...analysis.workspace import (
    ANALYSIS_FIELDS,
    KINDS,
    EditConflict,
    NotFound,
    Period,
    Workspace,
    WorkspaceError,
    workspace_path,
)
from ...core.config import Settings
from ...core.i18n import t, tn
from .. import workbench as wb
from . import auth
from .pages import message_page, render_page, request_lang

_stores: dict[Path, Workspace] = {}
_stores_lock = threading.Lock()
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def store() -> Workspace:
    """The workspace beside the served database, one object per process (connections per thread)."""
    path = workspace_path(Settings.from_env().db_path)
    with _stores_lock:
        found = _stores.get(path)
        if found is None:
            found = _stores[path] = Workspace(path)
        return found


class BadInput(Exception):
    """A change request that does not fit (unknown code, missing field, too long a text): 400."""

    def __init__(self, key: str, **values):
        self.key, self.values = key, values
        super().__init__(key)


def _user() -> str:
    return auth.current_user() or "?"


def _wants_json() -> bool:
    return "application/json" in (request.headers.get("Accept") or "")


def _place(lang: str) -> tuple[wb.Place | None, list[str]]:
    vocab = access.vocabulary()
    period, problems = wb.parse_period(request.args, vocab.codes("county"))
    return (wb.Place(period, lang) if period else None), problems


def open_draft(con, ws: Workspace, period: Period, by: str, create: bool = False) -> None:
    """A period with a published analysis and no draft opens its draft from the published one (so
    its reviews and phenomena are there to revise); ``create`` makes an empty draft otherwise."""
    if ws.draft(period) is not None:
        return
    published = q.published_draft(con, *period.key)
    if published is not None:
        ws.open_from_published(period, published, by)
    elif create:
        ws.ensure_analysis(period, by)


def _period_ids(con, ws: Workspace, period: Period) -> set[str]:
    # The reporting form's reports that wait to be moved into the database (branch `form`) are
    # reports of the period too: review.period_frame gives them once that branch is merged.
    frame_of = getattr(review, "period_frame", None)
    frame = frame_of(con, ws, period) if frame_of else q.period_reports(con, *period.key)
    return set(frame["report_id"].astype(str))


# ---- reading the posted form ------------------------------------------------------------------


def _text(name: str, limit: int, required: bool = False) -> str:
    value = request.form.get(name)
    if value is None and not required:
        return ""
    value = CONTROL.sub("", (value or "").replace("\r\n", "\n"))
    if required and not value.strip():
        raise BadInput("workbench.missing", field=name)
    if len(value) > limit:
        raise BadInput("workbench.too_long", max=limit)
    return value


def _version() -> int:
    raw = request.form.get("base_version", "")
    if not raw.isdigit() or len(raw) > 12:
        raise BadInput("workbench.missing", field="base_version")
    return int(raw)


def _choice(name: str, allowed, required: bool = True) -> str | None:
    value = request.form.get(name)
    if value in allowed:
        return value
    if value in (None, "") and not required:
        return None
    raise BadInput("workbench.bad_value", field=name)


def _flag(name: str) -> bool:
    value = request.form.get(name)
    if value in ("1", "true", "on"):
        return True
    if value in ("0", "false", "off", "", None):
        return False
    raise BadInput("workbench.bad_value", field=name)


def _codes(name: str, allowed) -> list[str]:
    values = request.form.getlist(name)
    if len(values) > 500 or any(v not in allowed for v in values):
        raise BadInput("workbench.bad_value", field=name)
    return list(dict.fromkeys(values))


def _back(place: wb.Place) -> str:
    target = request.form.get("back") or ""
    if target.startswith(wb.BASE) and auth.safe_next(target, "") == target:
        return target
    return place.href()


# ---- answering --------------------------------------------------------------------------------


def _saved(place: wb.Place, **payload) -> Response:
    if _wants_json():
        now = wb.fmt_when(dt.datetime.now(dt.UTC), place.lang)
        return jsonify(ok=True, saved=t("workbench.saved_at", place.lang, when=now), **payload)
    return redirect(payload.get("go") or _back(place), 303)


def _refused(status: int, message: str, lang: str, place: wb.Place | None = None, **payload) -> Response:
    if _wants_json():
        response = jsonify(ok=False, message=message, **payload)
        response.status_code = status
        return response
    back = _back(place) if place is not None else wb.BASE + ("?lang=" + lang if lang != "fi" else "")
    return render_page(
        "workbench_message.html", t("workbench.title", lang), lang, status, user=auth.current_user(),
        message=message, back=back,
    )  # fmt: skip


def _conflict(exc: EditConflict, place: wb.Place) -> Response:
    lang = place.lang
    fields: list[dict[str, Any]] = [
        {
            "field": c.field,
            "label": t(f"workbench.field.{c.field}", lang),
            "yours": c.yours,
            "theirs": c.theirs,
            "by": c.changed_by,
            "at": wb.fmt_when(c.changed_at, lang),
        }
        for c in exc.conflicts
    ]
    who = ", ".join(dict.fromkeys(f["by"] for f in fields))
    message = t("analysis.conflict", lang, who=who, fields=", ".join(f["label"] for f in fields))
    return _refused(409, message, lang, place, conflict=True, version=exc.version, fields=fields)


def change(work: Callable) -> Callable:
    """A change route: the period from the query string, the draft opened, the coordinator named;
    ``work(place, con, ws, by)`` returns the JSON payload (or a Response). Refusals in the user's
    language: 400 for what does not fit, 404 for what is not there, 409 for an edit conflict, 422
    for a privacy refusal."""

    @wraps(work)
    def route():
        lang = request_lang()
        place = None
        try:
            place, _ = _place(lang)
            if place is None:
                return _refused(400, t("workbench.bad_period", lang), lang)
            con, ws, by = access.cursor(), store(), _user()
            open_draft(con, ws, place.period, by, create=True)
            result = work(place, con, ws, by)
        except DatabaseMissing:
            return _refused(503, t("error.no_database", lang, path=str(Settings.from_env().db_path)), lang)
        except BadInput as exc:
            return _refused(400, t(exc.key, lang, **exc.values), lang, place)
        except EditConflict as exc:
            return _conflict(exc, place)
        except review.PrivacyUnresolved as exc:
            return _refused(
                422, tn("workbench.refused_publishable", len(exc.hits), lang), lang, place, privacy=True,
                hits=[h.hit_id for h in exc.hits],
            )  # fmt: skip
        except NotFound:
            return _refused(404, t("workbench.not_found", lang), lang, place)
        except WorkspaceError as exc:
            key = "workbench.needs_report" if "at least one" in str(exc) else "workbench.refused"
            return _refused(400, t(key, lang), lang, place)
        if isinstance(result, Response):
            return result
        return _saved(place, **(result or {}))

    return route


# ---- the pages ----------------------------------------------------------------------------------


def _page(template: str, place: wb.Place | None, title: str, status: int = 200, **context) -> Response:
    return render_page(
        template, title, place.lang if place else request_lang(), status, user=auth.current_user(), **context
    )


def _header(place: wb.Place, vocab, tab: str, queue: wb.Queue, draft) -> dict:
    lang = place.lang
    count = len(draft.phenomena) if draft else 0
    return {
        "place": place,
        "page": tab,
        "period_label": wb.period_label(place, vocab),
        "choose_href": f"{wb.BASE}" + ("?lang=" + lang if lang != "fi" else ""),
        "tabs": [
            {
                "key": "review",
                "href": place.href(),
                "label": t("workbench.tab.review", lang),
                "badge": review.progress_text(queue.done, queue.total, lang),
                "current": tab == "review",
            },
            {
                "key": "phenomena",
                "href": place.href(page="/phenomena"),
                "label": t("workbench.tab.phenomena", lang),
                "badge": tn("workbench.n_phenomena", count, lang),
                "current": tab == "phenomena",
            },
            {
                "key": "publish",
                "href": place.href(page="/publish"),
                "label": t("workbench.tab.publish", lang),
                "badge": "",
                "current": tab == "publish",
            },
        ],  # fmt: skip
        "strings": {
            key: t(f"workbench.js.{key}", lang)
            for key in ("saving", "saved", "failed", "offline", "theirs", "mine", "unsaved", "refresh_failed", "login")
        },
    }


def _title(header: dict) -> str:
    return f"{t('workbench.title', header['place'].lang)}: {header['period_label']}"


def _load(lang: str, tab: str):
    """The period, its data and the open draft for a page; or a page that says what is wrong."""
    place, problems = _place(lang)
    vocab = access.vocabulary()
    if place is None:
        con = access.cursor()
        return None, _page(
            "workbench_choose.html",
            None,
            t("workbench.title", lang),
            400 if problems else 200,
            counties=wb.choices(con, vocab, lang),
            problems=[t(p, lang, max=wb.MAX_DAYS) for p in problems],
        )
    con, ws = access.cursor(), store()
    open_draft(con, ws, place.period, _user())
    queue = wb.Queue.of(con, ws, place.period)
    draft = ws.draft(place.period)
    return (place, vocab, con, ws, queue, draft, _header(place, vocab, tab, queue, draft)), None


def _guarded(page: Callable) -> Callable:
    @wraps(page)
    def route(*args, **kwargs):
        lang = request_lang()
        try:
            return page(lang, *args, **kwargs)
        except DatabaseMissing:
            return message_page(
                t("workbench.title", lang), t("error.no_database", lang, path=str(Settings.from_env().db_path)),
                lang, 503, back=False, user=auth.current_user(),
            )  # fmt: skip

    return route


def register(server) -> None:
    base = wb.BASE

    @server.route(base)
    @_guarded
    def workbench_review(lang: str):
        loaded, page = _load(lang, "review")
        if page is not None:
            return page
        place, vocab, con, ws, queue, draft, header = loaded
        wanted = request.args.get("report")
        index = queue.index(wanted)
        if index is None and queue.items:
            index = 0
        item = queue.items[index] if index is not None else None
        return _page(
            "workbench_review.html",
            place,
            _title(header),
            404 if wanted and queue.index(wanted) is None else 200,
            header=header,
            progress=wb.progress(queue, lang),
            queue=wb.queue_rows(queue, place, item.report_id if item else None, vocab),
            report=wb.report_view(con, ws, place, queue, item, vocab, draft.phenomena if draft else [])
            if item
            else None,
            nav=wb.neighbours(queue, place, index) if item else None,
            missing=bool(wanted and queue.index(wanted) is None),
            here=place.href(report=item.report_id) if item else place.href(),
        )

    @server.route(base + "/phenomena")
    @_guarded
    def workbench_phenomena(lang: str):
        loaded, page = _load(lang, "phenomena")
        if page is not None:
            return page
        place, vocab, con, ws, queue, draft, header = loaded
        preselect = set(request.args.getlist("reports")[:500])
        return _page(
            "workbench_phenomena.html",
            place,
            _title(header),
            header=header,
            data=wb.phenomena_page(con, ws, place, queue, vocab, preselect, request.args.get("edit")),
            new_id=uuid.uuid4().hex,
            here=place.href(page="/phenomena", edit=request.args.get("edit")),
        )

    @server.route(base + "/publish")
    @_guarded
    def workbench_publish_page(lang: str):
        loaded, page = _load(lang, "publish")
        if page is not None:
            return page
        place, vocab, con, ws, queue, draft, header = loaded
        done = request.args.get("published", "")
        return _page(
            "workbench_publish.html",
            place,
            _title(header),
            header=header,
            data=wb.publish_page(con, ws, place, queue, vocab),
            done=t("workbench.just_published", lang, revision=done) if done.isdigit() and len(done) < 6 else "",
            here=place.href(page="/publish"),
        )

    # ---- review ----------------------------------------------------------------------------

    def _report(con, ws, place) -> str:
        report_id = request.form.get("report", "")
        if report_id not in _period_ids(con, ws, place.period):
            raise NotFound(report_id)
        return report_id

    @server.route(base + "/reviewed", methods=["POST"], endpoint="workbench_reviewed")
    @change
    def reviewed(place, con, ws, by):
        report_id = _report(con, ws, place)
        value = _flag("reviewed")
        version = ws.update_review(place.period.county, report_id, {"reviewed": value}, _version(), by)
        go = _back(place) if value else None
        return {"version": version, "go": go}

    @server.route(base + "/note", methods=["POST"], endpoint="workbench_note")
    @change
    def note(place, con, ws, by):
        report_id = _report(con, ws, place)
        text = _text("note", wb.LIMITS["note"])
        return {"version": ws.update_review(place.period.county, report_id, {"note": text}, _version(), by)}

    @server.route(base + "/publishable", methods=["POST"], endpoint="workbench_publishable")
    @change
    def publishable(place, con, ws, by):
        report_id = _report(con, ws, place)
        value = _flag("publishable")
        reason = _text("override_reason", wb.LIMITS["reason"]).strip() or None
        version = review.set_publishable(
            con, ws, place.period, report_id, value, by, base_version=_version(), override_reason=reason
        )
        # An override resolves the report's hits: leadership may read it now (if it is publishable).
        screening.refresh(Settings.from_env().db_path, con, ws, place.period.county, [report_id])
        return {"version": version}

    @server.route(base + "/label", methods=["POST"], endpoint="workbench_label")
    @change
    def label(place, con, ws, by):
        report_id = _report(con, ws, place)
        dimension = _choice("dimension", ("theme", "support_need"))
        codes = access.vocabulary().codes(dimension)
        code = _choice("code", codes)
        decision = _choice("decision", ("accepted", "rejected", "none"))
        source = "suggestion" if request.form.get("source") == "suggestion" else "manual"
        reason = _text("reason", wb.LIMITS["reason"])
        ws.decide_label(
            place.period.county,
            report_id,
            dimension,
            code,
            None if decision == "none" else decision,
            by,
            source,
            reason,
        )
        return {}

    @server.route(base + "/hit", methods=["POST"], endpoint="workbench_hit")
    @change
    def hit(place, con, ws, by):
        report_id = _report(con, ws, place)
        action = _choice("action", ("dismiss", "allow", "restore"))
        hit_id = request.form.get("hit", "")
        items = {i.report_id: i for i in review.items_for(con, ws, place.period)}
        found = next((h for h in items[report_id].hits if h.hit_id == hit_id), None) if report_id in items else None
        if found is None:
            raise NotFound(hit_id)
        if action == "restore":
            ws.restore_hit(place.period.county, report_id, hit_id, by)
        else:
            review.dismiss_hit(ws, place.period.county, report_id, found, by, allow_everywhere=action == "allow")
        # What the import's screen holds back changes at once (a word allowed: in the whole county).
        scope = None if action == "allow" else [report_id]
        screening.refresh(Settings.from_env().db_path, con, ws, place.period.county, scope)
        return {}

    @server.route(base + "/support", methods=["POST"], endpoint="workbench_support")
    @change
    def support(place, con, ws, by):
        """A report supports a phenomenon (or no longer does), from the review page or a phenomenon's card."""
        report_id = _report(con, ws, place)
        pid = _phenomenon(ws, place)
        present = _flag("present")
        if "quoted" in request.form:
            ws.add_report(pid, report_id, by)
            ws.set_quoted(pid, report_id, _flag("quoted"), by)
        elif present:
            ws.add_report(pid, report_id, by)
        else:
            ws.remove_report(pid, report_id, by)
        return {}

    # ---- phenomena -------------------------------------------------------------------------------

    def _phenomenon(ws, place) -> str:
        pid = request.form.get("phenomenon", "")
        if pid not in {p.phenomenon_id for p in ws.phenomena(place.period, include_deleted=True)}:
            raise NotFound(pid)
        return pid

    @server.route(base + "/phenomenon/new", methods=["POST"], endpoint="workbench_new_phenomenon")
    @change
    def new_phenomenon(place, con, ws, by):
        kind = _choice("kind", KINDS)
        title = _text("title", wb.LIMITS["title"], required=True).strip()
        body = _text("body", wb.LIMITS["body"])
        vocab = access.vocabulary()
        groups = _codes("target_group", vocab.codes("target_group"))
        themes = _codes("theme", vocab.codes("theme"))
        needs = _codes("support_need", vocab.codes("support_need"))
        unit = _choice("service_unit", vocab.codes("service_unit"), required=False)
        reports = _codes("report", _period_ids(con, ws, place.period))
        if not reports:
            raise BadInput("workbench.needs_report")
        if kind != "key_theme" and not groups and not unit:
            raise BadInput("workbench.needs_section")
        given = request.form.get("phenomenon_id", "")
        pid = given if re.fullmatch(r"[0-9a-f]{32}", given) else None
        pid = ws.create_phenomenon(
            place.period, kind, title, reports, by, body=body, target_groups=groups, themes=themes,
            support_needs=needs, service_unit=unit, phenomenon_id=pid,
        )  # fmt: skip
        go = place.href(page="/phenomena", anchor=f"p-{pid}", edit=pid)
        return {"phenomenon": pid, "go": go}

    @server.route(base + "/phenomenon/edit", methods=["POST"], endpoint="workbench_edit_phenomenon")
    @change
    def edit_phenomenon(place, con, ws, by):
        pid = _phenomenon(ws, place)
        name = _choice("field", ("title", "body", "kind", "service_unit", "deleted", "position"))
        value: object
        if name == "title":
            value = _text("value", wb.LIMITS["title"], required=True).strip()
        elif name == "body":
            value = _text("value", wb.LIMITS["body"])
        elif name == "kind":
            value = _choice("value", KINDS)
        elif name == "service_unit":
            value = _choice("value", access.vocabulary().codes("service_unit"), required=False)
        elif name == "deleted":
            value = int(_flag("value"))
        else:
            value = _position(ws, place, pid)
        version = ws.update_phenomenon(pid, {name: value}, _version(), by)
        return {"version": version}

    def _position(ws, place, pid) -> float:
        """'up' or 'down': one step among the phenomena of its kind in its section (the section it
        is edited in: its own service unit's, else its first target group's)."""
        move = _choice("value", ("up", "down"))
        every = ws.phenomena(place.period)
        current = next(p for p in every if p.phenomenon_id == pid)

        def section(p) -> tuple:
            return (p.kind, p.service_unit or "", "" if p.service_unit else (p.target_groups or [""])[0])

        same = [p for p in every if section(p) == section(current)]
        index = next(i for i, p in enumerate(same) if p.phenomenon_id == pid)
        if move == "up":
            if index == 0:
                return current.position
            before = same[index - 2].position if index >= 2 else same[index - 1].position - 2
            return (before + same[index - 1].position) / 2
        if index == len(same) - 1:
            return current.position
        after = same[index + 2].position if index + 2 < len(same) else same[index + 1].position + 2
        return (same[index + 1].position + after) / 2

    @server.route(base + "/phenomenon/label", methods=["POST"], endpoint="workbench_phenomenon_label")
    @change
    def phenomenon_label(place, con, ws, by):
        pid = _phenomenon(ws, place)
        dimension = _choice("dimension", ("target_group", "theme", "support_need"))
        code = _choice("code", access.vocabulary().codes(dimension))
        ws.set_phenomenon_label(pid, dimension, code, _flag("present"), by)
        return {}

    # ---- the analysis' own texts and publishing ---------------------------------------------------

    @server.route(base + "/text", methods=["POST"], endpoint="workbench_text")
    @change
    def analysis_text(place, con, ws, by):
        name = _choice("field", ANALYSIS_FIELDS)
        value = _text("value", wb.LIMITS["title" if name == "title" else "intro"])
        return {"version": ws.update_analysis(place.period, {name: value}, _version(), by)}

    @server.route(base + "/county-intro", methods=["POST"], endpoint="workbench_county_intro")
    @change
    def county_intro(place, con, ws, by):
        value = _text("value", wb.LIMITS["intro"])
        return {"version": ws.update_county_intro(place.period.county, value, _version(), by)}

    @server.route(base + "/publish", methods=["POST"], endpoint="workbench_publish")
    @change
    def publish_now(place, con, ws, by):
        lang = place.lang
        draft = ws.draft(place.period)
        if draft is None or not draft.phenomena:
            return _refused(422, t("workbench.publish_empty", lang), lang, place)
        try:
            done = publish.publish(Settings.from_env().db_path, ws, place.period, by)
        except publish.PublishRefused as exc:
            return _refused(
                422,
                t("workbench.publish_refused", lang) + " " + " ".join(p.text(lang) for p in exc.problems),
                lang,
                place,
                problems=[p.text(lang) for p in exc.problems],
            )
        go = place.href(page="/publish", published=str(done.revision))
        return {"revision": done.revision, "go": go}
