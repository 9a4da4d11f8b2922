"""What protects every request and response of the app, in one place:

- the coordinator's pages are closed unless a login is configured, and then
  open only to a logged-in coordinator (``routes.auth``);
- every state-changing request carries a CSRF token (Flask-WTF); Dash's own
  callback route changes no data and is the one exemption;
- failed logins are throttled per user name and address (``throttle``), and
  forwarded addresses are believed only from the reverse proxy's address;
- session cookies are HttpOnly, SameSite=Lax, Secure over HTTPS, signed
  with a key no one can derive;
- every response says nosniff, a Content-Security-Policy that Dash works
  with, a Referrer-Policy, and no framing by other sites;
- over-large bodies, missing tokens and throttled logins get the app's own
  page in the user's language.
"""

from __future__ import annotations

import errno
import ipaddress
import logging
import threading

import dash
from dash.exceptions import DependencyException
from flask import Response, redirect, request
from flask.sessions import SecureCookieSessionInterface
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix

from ..core.config import Settings
from ..core.i18n import t
from . import callback_requests
from .routes import auth
from .routes.pages import link, message_page, request_lang
from .throttle import LoginThrottle

log = logging.getLogger(__name__)
UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_PREFIX",
    "HTTP_FORWARDED",
)
NOT_CONFIGURED_STATUS = 403
MAX_UPLOAD = 20 * 1024 * 1024  # one uploaded file
MAX_BODY = MAX_UPLOAD + 1024 * 1024  # a whole request: the file, a mapping file and the form


class TrustedProxies:
    """``X-Forwarded-*`` believed only from the reverse proxy: a request whose
    connection comes from one of ``addresses`` (addresses or networks) goes
    through werkzeug's ProxyFix for ``count`` proxies; from anywhere else
    (the port reached directly) the forwarded headers are dropped, so they
    cannot pick the address the login throttle counts."""

    def __init__(self, app, count: int, addresses: tuple[str, ...]):
        self.app = app
        self.fixed = ProxyFix(app, x_for=count, x_proto=count, x_host=count)
        self.networks = []
        for address in addresses:
            try:
                self.networks.append(ipaddress.ip_network(address.strip(), strict=False))
            except ValueError as exc:
                raise auth.StartupError(f"DASHBOARD_PROXY_ADDRESSES: {address!r} is not an address or network") from exc

    def _from_proxy(self, peer: str) -> bool:
        try:
            address = ipaddress.ip_address(peer.split("%", 1)[0])
        except ValueError:
            return False
        mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:10.0.0.1 is 10.0.0.1
        return any((mapped or address) in network for network in self.networks)

    def __call__(self, wsgi_env, start_response):
        if self._from_proxy(wsgi_env.get("REMOTE_ADDR", "")):
            return self.fixed(wsgi_env, start_response)
        for header in FORWARDED_HEADERS:
            wsgi_env.pop(header, None)
        return self.app(wsgi_env, start_response)


class KeyedSessions(SecureCookieSessionInterface):
    """Flask's signed cookie sessions with the key loaded on first use (so
    building the app writes nothing; see ``auth.secret_key``)."""

    def get_signing_serializer(self, app):
        if not app.secret_key:
            app.secret_key = auth.secret_key()
        return super().get_signing_serializer(app)


def content_security_policy(script_hashes: list[str]) -> str:
    """Scripts only from this site plus the hashes of Dash's own inline
    scripts; styles may be inline (Plotly and Dash set them at run time)."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src " + " ".join(["'self'", *script_hashes]),
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'self'",
        ]
    )


def cache_control(login_required: bool) -> str:
    """What a page, callback, slide or download may be kept as. Behind a login
    the figures are private data: no cache anywhere may keep them. Without a
    login they are public, but they change with every load: a cache may keep
    them only if it asks again each time (``no-cache``), so nobody sees
    yesterday's figures; downloads carry Last-Modified and ETag for that."""
    return "private, no-store" if login_required else "no-cache"


DATA_PATHS = ("/download/", "/present", "/_dash-update-component", "/_dash-layout")


def _carries_data(response: Response) -> bool:
    """A page, a callback's answer, a slide show or a download (not a script,
    style sheet or image, which keep the caching Dash and ``delivery`` give them)."""
    return request.path.startswith(DATA_PATHS) or response.mimetype == "text/html"


def _plain(text: str, status: int) -> Response:
    return Response(text + "\n", status=status, mimetype="text/plain")


def _wants_text() -> bool:
    """Dash's and the downloads' requests get plain text; pages get a page."""
    return request.path.startswith(("/_dash", "/download"))


def install(app: dash.Dash) -> LoginThrottle:
    """Install everything above on ``app``; returns the login throttle for the login route.
    With a login configured, what logins need is checked now: a session key
    that cannot be had, or nowhere to record logouts, stop the app here with
    the reason (``auth.StartupError``)."""
    server = app.server
    settings = Settings.from_env()
    if settings.trusted_proxies:
        server.wsgi_app = TrustedProxies(server.wsgi_app, settings.trusted_proxies, settings.proxy_addresses)
    key = auth.startup_checks()
    if key:
        server.secret_key = key
    server.session_interface = KeyedSessions()
    server.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.https,
        WTF_CSRF_CHECK_DEFAULT=False,  # checked below, for every route but Dash's callbacks
        WTF_CSRF_TIME_LIMIT=auth.SESSION_HOURS * 3600,
        MAX_CONTENT_LENGTH=MAX_BODY,
    )
    csrf = CSRFProtect(server)
    # Dash's callback route is a POST that only reads (it changes no data);
    # a cross-site form cannot send its JSON body anyway.
    exempt = {app.config.routes_pathname_prefix + "_dash-update-component"}

    @server.before_request
    def guard():
        if not auth.login_required_for(request.path):
            return None
        lang = request_lang()
        if not auth.configured():
            if _wants_text():
                return _plain(t("security.not_configured", lang), NOT_CONFIGURED_STATUS)
            return message_page(
                t("coord.title", lang),
                t("security.not_configured", lang),
                lang,
                NOT_CONFIGURED_STATUS,
                back=False,
                tone="warning",
            )
        if auth.current_user():
            return None
        if _wants_text():
            return _plain(t("security.login_needed", lang), 401)
        if request.method != "GET":
            return message_page(t("coord.login", lang), t("security.login_needed", lang), lang, 401, back=False)
        return redirect(link("/login", lang, next=auth.safe_next(request.full_path.rstrip("?"))))

    @server.before_request
    def check_csrf():
        if request.method in UNSAFE_METHODS and request.endpoint not in exempt:
            csrf.protect()

    @server.before_request
    def check_callback_request():
        """A callback request that does not fit its callback gets 400 (Dash would fail with 500)."""
        if request.endpoint not in exempt:
            return None
        # The cap holds however the body is sent: a declared length is refused at once, a chunked
        # body is read through a stream that stops at the cap (Flask's per-request limit).
        if (request.content_length or 0) > callback_requests.MAX_BODY:
            return _plain("callback request too large", 413)
        request.max_content_length = callback_requests.MAX_BODY + 1  # one byte more tells "too long"
        try:
            body = request.get_data(cache=True)
        except RequestEntityTooLarge:
            body = None
        if body is None or len(body) > callback_requests.MAX_BODY:
            return _plain("callback request too large", 413)
        try:
            callback_requests.check(app.callback_map, request.get_json(silent=True))
        except (callback_requests.BadRequest, RecursionError) as exc:
            return _plain(f"bad callback request: {exc}", 400)
        return None

    limiter = Limiter(  # its storage and moving window count the failed logins (``throttle``)
        get_remote_address,
        app=server,
        storage_uri=settings.ratelimit_storage,
        strategy="moving-window",
        default_limits=[],
        headers_enabled=False,
    )
    serialise_expiry(limiter.limiter.storage)

    policy: list[str] = []

    @server.after_request
    def headers(response: Response) -> Response:
        if not policy:
            policy.append(content_security_policy(list(app.csp_hashes())))
        response.headers.setdefault("Content-Security-Policy", policy[0])
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if settings.https:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        # The coordinator's pages and the reporting form's (a receipt's address is its password).
        if request.path.startswith(("/coordinator", "/login", "/logout")) or auth.is_report_path(request.path):
            response.headers["Cache-Control"] = "no-store"
        elif _carries_data(response):
            response.headers["Cache-Control"] = cache_control(settings.require_login)
        return response

    @server.errorhandler(DependencyException)
    def no_such_script(error):
        """A script path Dash does not serve (Dash raises; a missing file is a 404)."""
        return _plain("404", 404)

    @server.errorhandler(CSRFError)
    def csrf_failed(error):
        lang = request_lang()
        if _wants_text():
            return _plain(t("security.csrf", lang), 400)
        return message_page(t("security.refused", lang), t("security.csrf", lang), lang, 400, user=auth.current_user())

    @server.errorhandler(OSError)
    def disk_full(error: OSError):
        """A full disk wherever it is met (an upload spooled to a temporary file, a write): the
        app's page in the user's language, and for a form that nothing was changed (every write
        replaces the data only in its last step). Any other OSError stays a server error."""
        if error.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise error
        log.error("disk full at %s %s: %s", request.method, request.path, error)
        lang = request_lang()
        message = t("security.disk_full", lang)
        if request.method in UNSAFE_METHODS:
            message += " " + t("coord.nothing_changed", lang)
        if _wants_text():
            return _plain(message, 507)
        return message_page(
            t("security.disk_full_title", lang), message, lang, 507, user=auth.current_user(), tone="danger"
        )

    @server.errorhandler(413)
    def too_large(error):
        lang = request_lang()
        message = t("coord.too_large", lang, max=MAX_UPLOAD // 2**20)
        if _wants_text():
            return _plain(message, 413)
        return message_page(
            t("coord.upload", lang),
            message + " " + t("coord.nothing_changed", lang),
            lang,
            413,
            user=auth.current_user(),
        )

    return LoginThrottle(limiter, secure=settings.https)


def serialise_expiry(storage) -> None:
    """limits' in-memory storage (5.8) restarts its expiry timer without a lock: two requests at
    the same moment can both make a new timer and start the same one twice (``RuntimeError:
    threads can only be started once``: a reporter's form answered with a 500 while 200 reports
    arrived at once, ``test_report_load``). Its restart is made one thread at a time here."""
    restart = getattr(storage, "_MemoryStorage__schedule_expiry", None)
    if restart is None or getattr(restart, "serialised", False):
        return  # another storage (shared, e.g. Redis), or done already
    lock = threading.Lock()

    def serialised() -> None:
        with lock:
            restart()

    serialised.serialised = True  # type: ignore[attr-defined]
    storage._MemoryStorage__schedule_expiry = serialised
