"""The coordinator login: a password from DASHBOARD_COORDINATOR_PASSWORD, or
users from an htpasswd file (DASHBOARD_HTPASSWD; bcrypt or {SHA} entries).
Leadership views need no login unless DASHBOARD_REQUIRE_LOGIN=1."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from pathlib import Path

import bcrypt
from flask import redirect, request, session

COORDINATOR_PREFIXES = ("/coordinator",)
OPEN_PATHS = ("/login", "/logout", "/vendor/", "/assets/", "/_dash-component-suites/", "/_favicon")


def configured() -> bool:
    return bool(os.environ.get("DASHBOARD_COORDINATOR_PASSWORD") or os.environ.get("DASHBOARD_HTPASSWD"))


def secret_key() -> bytes:
    """Stable across gunicorn workers: from DASHBOARD_SECRET_KEY, else derived
    from the configured credentials."""
    explicit = os.environ.get("DASHBOARD_SECRET_KEY")
    if explicit:
        return explicit.encode()
    material = os.environ.get("DASHBOARD_COORDINATOR_PASSWORD", "")
    path = os.environ.get("DASHBOARD_HTPASSWD")
    if path and Path(path).exists():
        material += Path(path).read_text(encoding="utf-8")
    return hashlib.sha256(("tilannekuva-session|" + material).encode()).digest()


def _htpasswd_ok(path: Path, user: str, password: str) -> bool:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return False
    for line in lines:
        name, _, stored = line.strip().partition(":")
        if name != user or not stored:
            continue
        if stored.startswith("{SHA}"):
            digest = base64.b64encode(hashlib.sha1(password.encode()).digest()).decode()
            return hmac.compare_digest(stored[5:], digest)
        if stored.startswith(("$2y$", "$2b$", "$2a$")):
            return bcrypt.checkpw(password.encode(), stored.replace("$2y$", "$2b$", 1).encode())
        return False  # other schemes (apr1, crypt) are not accepted
    return False


def check(user: str, password: str) -> bool:
    expected = os.environ.get("DASHBOARD_COORDINATOR_PASSWORD")
    if expected and hmac.compare_digest(password.encode(), expected.encode()):
        return True
    path = os.environ.get("DASHBOARD_HTPASSWD")
    return bool(path and user and _htpasswd_ok(Path(path), user, password))


def current_user() -> str | None:
    return session.get("user")


def login_required_for(path: str) -> bool:
    if path.startswith(OPEN_PATHS):
        return False
    if path.startswith(COORDINATOR_PREFIXES):
        return True
    return os.environ.get("DASHBOARD_REQUIRE_LOGIN", "0") in ("1", "true", "yes")


def install(server) -> None:
    server.secret_key = secret_key()
    server.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")

    @server.before_request
    def guard():
        if not login_required_for(request.path) or current_user():
            return None
        if request.path.startswith(("/_dash", "/download")):
            return ("Kirjautuminen vaaditaan.\n", 401, {"Content-Type": "text/plain; charset=utf-8"})
        return redirect("/login?next=" + request.full_path.rstrip("?"))
