"""The pages outside Dash (login, coordinator, error pages) as Jinja templates in
``dashboard/web/templates/`` (autoescaped): the same menu, a language switch that
keeps the page, and the logout form. No inline scripts, so the
Content-Security-Policy holds."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Response, render_template, request
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from ...core.config import LANGUAGES, default_language
from ...core.i18n import t, tn
from ...views.registry import VIEWS
from ..delivery import BOOTSTRAP_CSS


def request_lang() -> str:
    """The language of this request: ``lang`` in the URL, then in the posted
    form (never parsed here when the body is too large), else the default."""
    lang = request.args.get("lang")
    if lang is None and request.method == "POST":
        try:
            lang = request.form.get("lang")
        except HTTPException:  # an over-large or broken body: its own error page follows
            lang = None
    return lang if lang in LANGUAGES else default_language()


def link(path: str, lang: str, **params: str) -> str:
    """``path`` with ``params`` and the language (the default language needs no parameter)."""
    pairs = [(k, v) for k, v in params.items() if v]
    if lang != default_language():
        pairs.append(("lang", lang))
    return path + ("?" + urlencode(pairs) if pairs else "")


def csrf_field() -> Markup:
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(generate_csrf())


def _languages(lang: str, same_page: bool) -> list[dict]:
    """Links to this page in each language (a page that answered a POST links
    to the coordinator's page instead: a POST cannot be repeated by a link)."""
    if same_page:
        base = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
        path = request.path
    else:
        base, path = [], "/coordinator"
    items = []
    for code in LANGUAGES:
        pairs = base + ([("lang", code)] if code != default_language() else [])
        href = path + ("?" + urlencode(pairs) if pairs else "")
        items.append({"code": code, "href": href, "title": t(f"lang.{code}", code), "current": code == lang})
    return items


def shell(lang: str, user: str | None = None, active: str = "/coordinator") -> dict:
    """What ``templates/base.html`` draws around a page: the registry's menu, the language switch, the user."""
    languages = link("", lang).lstrip("?")  # what a Flask page carries to the views: the language
    return {
        "bootstrap_css": BOOTSTRAP_CSS,
        "menu": [
            {"href": view.link(languages), "label": t(view.label, lang), "active": view.path == active}
            for view in VIEWS.menu()
        ],
        "languages": _languages(lang, request.method == "GET" or request.path == "/login"),
        "user": user,
    }


def language_links(lang: str, path: str, pairs: list[tuple[str, str]]) -> list[dict]:
    """The language switch's links to ``path`` with ``pairs`` in each language."""
    items = []
    for code in LANGUAGES:
        query = [(k, v) for k, v in pairs if k != "lang"] + ([("lang", code)] if code != default_language() else [])
        href = path + ("?" + urlencode(query) if query else "")
        items.append({"code": code, "href": href, "title": t(f"lang.{code}", code), "current": code == lang})
    return items


def render_page(
    template: str,
    title: str,
    lang: str,
    status: int = 200,
    user: str | None = None,
    active: str = "/coordinator",
    shell_context: dict | None = None,
    **context,
) -> Response:
    """A page from ``dashboard/web/templates/`` (Jinja, autoescaped) in the shell of ``base.html``
    (or ``shell_context``: a page with a menu or language links of its own).
    Templates call ``t(key, lang)``, ``tn(key, n, lang)`` and ``link(path, lang)`` as the code does."""
    html = render_template(
        template,
        title=title,
        lang=lang,
        shell=shell_context or shell(lang, user, active),
        t=t,
        tn=tn,
        link=link,
        csrf_token=generate_csrf,
        **context,
    )
    return Response(html, status=status, mimetype="text/html")


def page(
    title: str, body, lang: str, status: int = 200, user: str | None = None, active: str = "/coordinator"
) -> Response:
    """A whole page around ``body`` (text, escaped, or Markup); ``user`` (the logged-in
    coordinator) gets the logout form."""
    return render_page("base.html", title, lang, status, user, active, body=body)


def message_page(
    title: str, message: str, lang: str, status: int, back: bool = True, user: str | None = None, tone: str = "danger"
) -> Response:
    """An error or notice page with the app's own words, in the user's language."""
    return render_page(
        "message.html", title, lang, status, user, message=message, back=back, tone=tone, message_id="page-message"
    )
