"""Who may send a report when the form is behind the reporter login
(``DASHBOARD_REPORT_ACCESS=login``): a shared reporter password
(``DASHBOARD_REPORTER_PASSWORD``, any user name) or the users of a reporter
htpasswd file (``DASHBOARD_REPORTER_HTPASSWD``, bcrypt entries: ``htpasswd -B``).

Separate from the coordinator's login: a reporter's session opens only the form,
and a coordinator's session does not count as a reporter's. The session (the
app's signed cookie) carries an HMAC of the credential it was opened with, so
changing the password or removing the user ends it; it expires after
``SESSION_HOURS``. Every wrong password costs one bcrypt check when a file is
configured (an unknown user is checked against a dummy hash), so the timing
tells nothing about which users exist.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from functools import lru_cache
from pathlib import Path

import bcrypt
from flask import current_app, session

from ...core.config import Settings

SESSION_KEY = "reporter"
SESSION_HOURS = 12  # a working day with some slack
BCRYPT = ("$2y$", "$2b$", "$2a$")


def configured(settings: Settings) -> bool:
    return bool(settings.reporter_password or settings.reporter_htpasswd)


def _entry(settings: Settings, user: str) -> str | None:
    """The user's bcrypt entry in the reporter htpasswd file (other schemes are refused)."""
    if not settings.reporter_htpasswd or not user:
        return None
    try:
        lines = Path(settings.reporter_htpasswd).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for line in lines:
        name, _, stored = line.strip().partition(":")
        if name == user:
            return stored if stored.startswith(BCRYPT) else None
    return None


@lru_cache(maxsize=1)
def _dummy() -> bytes:
    return bcrypt.hashpw(secrets.token_bytes(16), bcrypt.gensalt(rounds=12))


def _bcrypt_ok(stored: bytes, password: str) -> bool:
    try:
        return bcrypt.checkpw(password.encode("utf-8"), stored)
    except ValueError:
        return False


def check(settings: Settings, user: str, password: str) -> str | None:
    """'password' or 'htpasswd' when the credentials are right, else None."""
    shared = settings.reporter_password
    if shared and hmac.compare_digest(
        hashlib.sha256(password.encode("utf-8")).digest(), hashlib.sha256(shared.encode("utf-8")).digest()
    ):
        return "password"
    if not settings.reporter_htpasswd:
        return None
    stored = _entry(settings, user)
    if stored is None:
        _bcrypt_ok(_dummy(), password)  # as long as a known user's check
        return None
    return "htpasswd" if _bcrypt_ok(stored.replace("$2y$", "$2b$", 1).encode("ascii"), password) else None


def _stamp(settings: Settings, via: str, user: str) -> str | None:
    credential = settings.reporter_password if via == "password" else _entry(settings, user)
    if not credential:
        return None
    secret = current_app.secret_key
    secret = secret.encode() if isinstance(secret, str) else secret
    if not secret:  # the app factory always sets one
        return None
    key = hmac.new(secret, b"tilannekuva reporter stamp", hashlib.sha256).digest()
    return hmac.new(key, f"{via}\x00{user}\x00{credential}".encode(), hashlib.sha256).hexdigest()


def log_in(settings: Settings, user: str, via: str) -> None:
    session[SESSION_KEY] = {"user": user, "via": via, "since": int(time.time()), "stamp": _stamp(settings, via, user)}


def log_out() -> None:
    session.pop(SESSION_KEY, None)


def current(settings: Settings) -> str | None:
    """The logged-in reporter's user name, or None."""
    if not configured(settings):
        return None
    data = session.get(SESSION_KEY)
    if not isinstance(data, dict):
        return None
    user, via, since, stamp = (data.get(k) for k in ("user", "via", "since", "stamp"))
    if not (isinstance(user, str) and isinstance(via, str) and isinstance(stamp, str) and isinstance(since, int)):
        return None
    if not 0 <= time.time() - since <= SESSION_HOURS * 3600:
        return None
    expected = _stamp(settings, via, user)
    return user if expected and hmac.compare_digest(expected, stamp) else None
