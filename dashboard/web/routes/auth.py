"""Who may use the coordinator's pages.

A password from DASHBOARD_COORDINATOR_PASSWORD, or users from an htpasswd
file (DASHBOARD_HTPASSWD; bcrypt or {SHA} entries). With neither, nobody
gets in: the pages only say how to configure a login. Leadership views need
no login unless DASHBOARD_REQUIRE_LOGIN=1.

Sessions are signed with DASHBOARD_SECRET_KEY, else with a random key made
once and kept beside the database (mode 0600) so every gunicorn worker
agrees; never with anything derived from the password. A session names the
credential it was opened with (an HMAC of it), so changing the password or
removing a user from the htpasswd file ends the user's sessions, and it
expires after SESSION_HOURS.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import re
import secrets
import time
from pathlib import Path
from urllib.parse import urlsplit

import bcrypt
from flask import current_app, session

from ...core.config import Settings
from ...views.registry import VIEWS

COORDINATOR_PREFIXES = ("/coordinator",)
OPEN_PATHS = ("/login", "/logout", "/vendor/", "/assets/", "/_dash-component-suites/", "/_favicon")
KEY_FILE = ".tilannekuva-session-key"
SESSION_HOURS = 8
# A same-site path: one leading slash, then only characters a URL path or
# query carries as such (no whitespace or control characters, no backslash).
SAFE_PATH = re.compile(r"/(?![/\\])[A-Za-z0-9\-._~/?#&=%+,;:@!$'()*\[\]]{0,2000}")

log = logging.getLogger(__name__)


def configured() -> bool:
    settings = Settings.from_env()
    return bool(settings.coordinator_password or settings.htpasswd)


# ---- the session key ---------------------------------------------------------------


def _read_key(path: Path) -> bytes | None:
    text = path.read_text(encoding="ascii").strip()
    if len(text) < 32:
        return None
    if path.stat().st_mode & 0o077:
        log.warning("%s can be read by other users; chmod 600 it", path)
    return text.encode("ascii")


def key_from_file(path: Path) -> bytes:
    """The key in ``path``, made there first if missing. Race-free: the key is
    written to a private temporary file and hard-linked into place, which
    fails if another worker was first; everyone then reads the one file."""
    try:
        key = _read_key(path)
        if key:
            return key
        raise ValueError(f"{path} is too short to be a key")
    except FileNotFoundError:
        pass
    temporary = path.with_name(f"{path.name}.{os.getpid()}-{secrets.token_hex(6)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another worker made it first: use that one
    finally:
        temporary.unlink(missing_ok=True)
    key = _read_key(path)
    if not key:
        raise ValueError(f"{path} is too short to be a key")
    return key


def secret_key() -> bytes:
    """DASHBOARD_SECRET_KEY, else the key file beside the database. If that
    cannot be written, a random key for this process only (logins then hold
    only within one worker: set DASHBOARD_SECRET_KEY)."""
    settings = Settings.from_env()
    if settings.secret_key:
        return settings.secret_key.encode()
    path = settings.db_path.parent / KEY_FILE
    try:
        return key_from_file(path)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        log.warning(
            "session key file %s unusable (%s); using a key of this process only. Set DASHBOARD_SECRET_KEY.", path, exc
        )
        return secrets.token_hex(32).encode()


# ---- credentials --------------------------------------------------------------------


def _htpasswd_entry(user: str) -> str | None:
    path = Settings.from_env().htpasswd
    if not path or not user:
        return None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    for line in lines:
        name, _, stored = line.strip().partition(":")
        if name == user and stored:
            return stored
    return None


def _htpasswd_ok(stored: str, password: str) -> bool:
    if stored.startswith("{SHA}"):
        digest = base64.b64encode(hashlib.sha1(password.encode()).digest()).decode()
        return hmac.compare_digest(stored[5:], digest)
    if stored.startswith(("$2y$", "$2b$", "$2a$")):
        try:
            return bcrypt.checkpw(password.encode(), stored.replace("$2y$", "$2b$", 1).encode())
        except ValueError:
            return False
    return False  # other schemes (apr1, crypt) are not accepted


def _credential(via: str, user: str) -> str | None:
    """What the session is bound to: the password, or the user's htpasswd entry."""
    if via == "password":
        return Settings.from_env().coordinator_password
    if via == "htpasswd":
        return _htpasswd_entry(user)
    return None


def check(user: str, password: str) -> str | None:
    """How the user authenticated ('password' or 'htpasswd'), or None."""
    expected = Settings.from_env().coordinator_password
    if expected and hmac.compare_digest(password.encode(), expected.encode()):
        return "password"
    stored = _htpasswd_entry(user)
    if stored and _htpasswd_ok(stored, password):
        return "htpasswd"
    return None


def _stamp(via: str, user: str) -> str | None:
    credential = _credential(via, user)
    if credential is None:
        return None
    key = current_app.secret_key
    key = key.encode() if isinstance(key, str) else key
    return hmac.new(key, f"{via}\x00{user}\x00{credential}".encode(), hashlib.sha256).hexdigest()


def log_in(user: str, via: str) -> None:
    session.clear()
    session.update(user=user, via=via, since=int(time.time()), stamp=_stamp(via, user))


def log_out() -> None:
    session.clear()


def current_user() -> str | None:
    """The logged-in coordinator, or None: no credentials configured, no
    session, an expired one, or one whose credential has changed."""
    if not configured():
        return None
    user, via, since, stamp = (session.get(k) for k in ("user", "via", "since", "stamp"))
    if not all(isinstance(v, str) for v in (user, via, stamp)) or not isinstance(since, int):
        return None
    if not 0 <= time.time() - since <= SESSION_HOURS * 3600:
        return None
    expected = _stamp(via, user)
    return user if expected and hmac.compare_digest(expected, stamp) else None


# ---- where a login may lead ------------------------------------------------------------


def safe_next(target: object, default: str = "/coordinator") -> str:
    """``target`` when it is a path of this site, else ``default``: never a
    redirect off-site (``//evil``, ``/\\evil``, ``/\\t/evil`` that browsers
    read as ``//evil``) and never a header with a line break."""
    if not isinstance(target, str) or not SAFE_PATH.fullmatch(target):
        return default
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else default


def login_required_for(path: str) -> bool:
    if path.startswith(OPEN_PATHS):
        return False
    if path.startswith(COORDINATOR_PREFIXES):
        return True
    if any(path == view.path or path.startswith(view.path + "/") for view in VIEWS if view.login):
        return True  # a view the registry puts behind the login
    return Settings.from_env().require_login
