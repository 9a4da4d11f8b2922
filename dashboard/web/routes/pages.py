"""The plain HTML shell of the pages outside Dash (login, coordinator, error
pages): the same menu, a language switch that keeps the page, and the
logout form. No inline scripts, so the Content-Security-Policy holds."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Response, request
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape
from werkzeug.exceptions import HTTPException

from ...core.config import LANGUAGES, Settings
from ...core.i18n import t
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
    return lang if lang in LANGUAGES else Settings.from_env().language


def link(path: str, lang: str, **params: str) -> str:
    """``path`` with ``params`` and the language (Finnish needs no parameter)."""
    pairs = [(k, v) for k, v in params.items() if v]
    if lang != "fi":
        pairs.append(("lang", lang))
    return path + ("?" + urlencode(pairs) if pairs else "")


def csrf_field() -> Markup:
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(generate_csrf())


def _language_switch(lang: str, same_page: bool) -> str:
    """Links to this page in each language (a page that answered a POST links
    to the coordinator's page instead: a POST cannot be repeated by a link)."""
    if same_page:
        base = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
        path = request.path
    else:
        base, path = [], "/coordinator"
    items = []
    for code in LANGUAGES:
        pairs = base + ([("lang", code)] if code != "fi" else [])
        href = path + ("?" + urlencode(pairs) if pairs else "")
        current = ' aria-current="true"' if code == lang else ""
        items.append(
            f'<li><a class="lang-link{" active" if code == lang else ""}" href="{escape(href)}" '
            f'lang="{code}" title="{escape(t(f"lang.{code}", code))}"{current}>{code.upper()}</a></li>'
        )
    return (
        f'<ul class="lang-switch list-unstyled d-flex gap-2 mb-0" aria-label="{escape(t("nav.language", lang))}">'
        + "".join(items)
        + "</ul>"
    )


def page(
    title: str, body, lang: str, status: int = 200, user: str | None = None, active: str = "/coordinator"
) -> Response:
    """A whole page; ``user`` (the logged-in coordinator) gets the logout form."""
    body = body if isinstance(body, Markup) else escape(body)
    current = ' aria-current="page"'
    languages = link("", lang).lstrip("?")
    nav = "".join(
        f'<a class="nav-link px-3{" active" if view.path == active else ""}" href="{escape(view.link(languages))}"'
        f"{current if view.path == active else ''}>{escape(t(view.label, lang))}</a>"
        for view in VIEWS.menu()
    )
    logout = ""
    if user:
        logout = (
            f'<form method="post" action="/logout" class="mb-0">{csrf_field()}'
            f'<input type="hidden" name="lang" value="{lang}">'
            f'<button class="btn btn-outline-secondary btn-sm" type="submit" id="logout">'
            f"{escape(t('coord.logout', lang))} ({escape(user)})</button></form>"
        )
    switch = _language_switch(lang, request.method == "GET" or request.path == "/login")
    html = f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} · {escape(t("app.title", lang))}</title>
<link rel="stylesheet" href="{BOOTSTRAP_CSS}"><link rel="stylesheet" href="/assets/app.css">
</head><body>
<header><nav class="navbar bg-white border-bottom app-navbar" aria-label="{escape(t("nav.main", lang))}">
<div class="container-fluid gap-3"><a class="visually-hidden-focusable skip-link" href="#main">{escape(t("nav.skip", lang))}</a>
<span class="navbar-brand brand-name">{escape(t("app.title", lang))}</span><div class="d-flex">{nav}</div>
<div class="d-flex align-items-center gap-3">{switch}{logout}</div></div></nav></header>
<main id="main" class="container py-4" tabindex="-1"><h1 class="h2">{escape(title)}</h1>{body}</main></body></html>"""
    return Response(html, status=status, mimetype="text/html")


def message_page(
    title: str, message: str, lang: str, status: int, back: bool = True, user: str | None = None, tone: str = "danger"
) -> Response:
    """An error or notice page with the app's own words, in the user's language."""
    body = Markup('<div class="alert alert-{}" role="alert" id="page-message">{}</div>').format(tone, message)
    if back:
        body += Markup('<p><a href="{}">{}</a></p>').format(link("/coordinator", lang), t("coord.back", lang))
    return page(title, body, lang, status, user)
