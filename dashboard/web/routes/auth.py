"""Who may use the coordinator's pages.

A password from DASHBOARD_COORDINATOR_PASSWORD, or users from an htpasswd
file (DASHBOARD_HTPASSWD; bcrypt entries only). With neither, nobody gets in:
the pages only say how to configure a login. Leadership views need no login
unless DASHBOARD_REQUIRE_LOGIN=1.

Sessions are signed with DASHBOARD_SECRET_KEY, else with a random key made
once and kept beside the database (mode 0600) so every gunicorn worker
agrees; never with anything derived from the password. A key file is used
only when this service's user owns it and nobody else may read or write it
(a key planted in a shared folder would let its author sign sessions). With
a login configured, a key that cannot be had stops the app at start-up with
the reason, instead of each worker signing with a key of its own (logins
would then fail on every other request).

A session carries a random id and a stamp: an HMAC, under a key derived from
the server's secret, of the id and the credential the session was opened
with, so changing the password or removing a user from the htpasswd file
ends the user's sessions. Logging out records the id (``revocations``), so a
copy of the cookie saved before opens nothing; sessions expire after
SESSION_HOURS.

Every wrong password costs one bcrypt check, the same as a right one: an
unknown user name is checked against a dummy hash of the file's own cost,
so the answer's timing does not tell which users exist.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
import stat
import time
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import bcrypt
from flask import current_app, session
from limits.storage import storage_from_string

from ...core.config import Settings
from ...views.registry import VIEWS
from .. import revocations

COORDINATOR_PREFIXES = ("/coordinator",)
OPEN_PATHS = ("/login", "/logout", "/vendor/", "/assets/", "/_dash-component-suites/", "/_favicon")
KEY_FILE = ".tilannekuva-session-key"
SESSION_HOURS = 8
BCRYPT_PREFIXES = ("$2y$", "$2b$", "$2a$")
DEFAULT_COST = 12  # the dummy hash's cost when the file has no bcrypt entry to copy
# A same-site path: one leading slash, then only characters a URL path or
# query carries as such (no whitespace or control characters, no backslash).
SAFE_PATH = re.compile(r"/(?![/\\])[A-Za-z0-9\-._~/?#&=%+,;:@!$'()*\[\]]{0,2000}")

log = logging.getLogger(__name__)


class StartupError(RuntimeError):
    """The app cannot serve logins safely as configured; the message says why and what to do."""


def configured() -> bool:
    settings = Settings.from_env()
    return bool(settings.coordinator_password or settings.htpasswd)


# ---- the session key ---------------------------------------------------------------


class UntrustedKey(ValueError):
    """A key file this service must not trust (someone else could know the key)."""


def _read_key(path: Path) -> bytes | None:
    """The key in ``path`` (None if too short), if this service owns the file
    and no other user may read or write it; else :class:`UntrustedKey`."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)  # a symbolic link is not a key file
    with os.fdopen(descriptor, "rb") as handle:
        st = os.fstat(handle.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise UntrustedKey(f"{path} is not a regular file")
        if st.st_uid != os.geteuid():
            raise UntrustedKey(f"{path} belongs to user id {st.st_uid}, not to this service (user id {os.geteuid()})")
        if st.st_mode & 0o077:
            raise UntrustedKey(f"other users may read or write {path} (mode {stat.S_IMODE(st.st_mode):o})")
        text = handle.read(4096).decode("ascii").strip()
    return text.encode("ascii") if len(text) >= 32 else None


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
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
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


def key_path() -> Path:
    return Settings.from_env().db_path.parent / KEY_FILE


def secret_key() -> bytes:
    """DASHBOARD_SECRET_KEY, else the key file beside the database. If that
    cannot be had: with a login configured, :class:`StartupError` (a key of
    each process would make logins fail on every other worker); without one
    nothing is signed that matters, so a key of this process only."""
    settings = Settings.from_env()
    if settings.secret_key:
        return settings.secret_key.encode()
    path = key_path()
    try:
        return key_from_file(path)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        if configured():
            raise StartupError(
                f"The session key file {path} cannot be used: {exc}. Remove it and let the app make a new one "
                "in a folder only this service can write (the database's folder), or set DASHBOARD_SECRET_KEY "
                "(the same on every worker and host)."
            ) from exc
        log.warning(
            "session key file %s unusable (%s); no login is configured, so a key of this process is used", path, exc
        )
        return secrets.token_hex(32).encode()


def _server_secret() -> bytes:
    key = current_app.secret_key
    if key is None:  # the app factory always sets one
        raise RuntimeError("the app has no secret key")
    return key.encode() if isinstance(key, str) else key


# ---- logged-out sessions --------------------------------------------------------------


@lru_cache(maxsize=8)
def _revocations_for(storage_uri: str, folder: str):
    if storage_uri.startswith("memory://"):  # one process's memory: the file every worker of the host reads
        return revocations.FileRevocations(Path(folder) / revocations.FILE_NAME)
    return revocations.StorageRevocations(storage_from_string(storage_uri))


def revocation_store():
    settings = Settings.from_env()
    return _revocations_for(settings.ratelimit_storage, str(settings.db_path.parent))


# ---- credentials --------------------------------------------------------------------


def _htpasswd_lines() -> list[tuple[str, str]]:
    path = Settings.from_env().htpasswd
    if not path:
        return []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    found = []
    for line in lines:
        name, _, stored = line.strip().partition(":")
        if name and stored:
            found.append((name, stored))
    return found


def _htpasswd_entry(user: str) -> str | None:
    """The user's bcrypt entry; None for an unknown user and for entries of
    other schemes ({SHA}, apr1, crypt), which are refused (see start-up)."""
    if not user:
        return None
    for name, stored in _htpasswd_lines():
        if name == user:
            return stored if stored.startswith(BCRYPT_PREFIXES) else None
    return None


def _cost(entries: list[tuple[str, str]]) -> int:
    costs = [int(s[4:6]) for _, s in entries if s.startswith(BCRYPT_PREFIXES) and s[4:6].isdigit()]
    return max(costs) if costs else DEFAULT_COST


@lru_cache(maxsize=8)
def _dummy_hash(cost: int) -> bytes:
    """A bcrypt hash of a random password at ``cost``: what an unknown user's
    password is checked against, so that it takes as long as a known one's."""
    return bcrypt.hashpw(secrets.token_bytes(16), bcrypt.gensalt(rounds=max(4, min(cost, 31))))


def _bcrypt_ok(stored: bytes, password: str) -> bool:
    try:
        return bcrypt.checkpw(password.encode("utf-8"), stored)
    except ValueError:
        return False


def check(user: str, password: str) -> str | None:
    """How the user authenticated ('password' or 'htpasswd'), or None."""
    settings = Settings.from_env()
    expected = settings.coordinator_password
    if expected and hmac.compare_digest(
        hashlib.sha256(password.encode("utf-8")).digest(), hashlib.sha256(expected.encode("utf-8")).digest()
    ):
        return "password"
    if not settings.htpasswd:
        return None
    stored = _htpasswd_entry(user)
    if stored is None:  # unknown user or a refused scheme: the same one bcrypt check as for a known user
        _bcrypt_ok(_dummy_hash(_cost(_htpasswd_lines())), password)
        return None
    return "htpasswd" if _bcrypt_ok(stored.replace("$2y$", "$2b$", 1).encode("ascii"), password) else None


def weak_htpasswd_users() -> list[tuple[str, str]]:
    """Users whose htpasswd entry is refused: (user, scheme)."""
    weak = []
    for name, stored in _htpasswd_lines():
        if not stored.startswith(BCRYPT_PREFIXES):
            weak.append(
                (name, "{SHA}" if stored.startswith("{SHA}") else stored.split("$")[1] if "$" in stored else "crypt")
            )
    return weak


def _credential(via: str, user: str) -> str | None:
    """What the session is bound to: the password, or the user's htpasswd entry."""
    if via == "password":
        return Settings.from_env().coordinator_password
    if via == "htpasswd":
        return _htpasswd_entry(user)
    return None


def _stamp(via: str, user: str, session_id: str) -> str | None:
    """An HMAC of the session's id and credential under a key derived from the
    server's secret (never from anything a reader of the files alone knows)."""
    credential = _credential(via, user)
    if credential is None:
        return None
    key = hmac.new(_server_secret(), b"tilannekuva session stamp", hashlib.sha256).digest()
    return hmac.new(key, f"{via}\x00{user}\x00{session_id}\x00{credential}".encode(), hashlib.sha256).hexdigest()


def log_in(user: str, via: str) -> None:
    session.clear()
    session_id = secrets.token_urlsafe(18)
    session.update(user=user, via=via, since=int(time.time()), sid=session_id, stamp=_stamp(via, user, session_id))


def log_out() -> None:
    """End the session here and everywhere a copy of its cookie is kept."""
    session_id, since = session.get("sid"), session.get("since")
    if isinstance(session_id, str) and isinstance(since, int):
        revocation_store().revoke(session_id, since + SESSION_HOURS * 3600)
    session.clear()


def current_user() -> str | None:
    """The logged-in coordinator, or None: no credentials configured, no
    session, an expired or logged-out one, or one whose credential has changed."""
    if not configured():
        return None
    user, via, since, session_id, stamp = (session.get(k) for k in ("user", "via", "since", "sid", "stamp"))
    if not (
        isinstance(user, str)
        and isinstance(via, str)
        and isinstance(session_id, str)
        and isinstance(stamp, str)
        and isinstance(since, int)
    ):
        return None
    if not 0 <= time.time() - since <= SESSION_HOURS * 3600:
        return None
    expected = _stamp(via, user, session_id)
    if not expected or not hmac.compare_digest(expected, stamp):
        return None
    return None if revocation_store().is_revoked(session_id) else user


# ---- start-up ---------------------------------------------------------------------------


def startup_checks() -> bytes | None:
    """With a login configured: the session key (or :class:`StartupError`),
    a place to record logouts (or :class:`StartupError`), and warnings about
    refused htpasswd entries and files others may read or write. Returns the
    key, or None when no login is configured (the key is then made on first use)."""
    if not configured():
        return None
    key = secret_key()
    store = revocation_store()
    try:
        store.check_writable()
    except OSError as exc:
        raise StartupError(
            f"Logouts cannot be recorded ({exc}). The folder of the database must be writable by this service, "
            "or DASHBOARD_RATELIMIT_STORAGE must point at a shared store (Redis, Memcached)."
        ) from exc
    for user, scheme in weak_htpasswd_users():
        log.warning(
            "htpasswd user %r has a %s entry, which is refused (unsalted or weak hashes are cracked offline in "
            "seconds); set a bcrypt password: htpasswd -B %s %s",
            user,
            scheme,
            Settings.from_env().htpasswd,
            user,
        )
    htpasswd = Settings.from_env().htpasswd
    if htpasswd and htpasswd.exists() and htpasswd.stat().st_mode & 0o004:
        log.warning("every user of this machine may read %s (its password hashes): chmod 640 or 600 it", htpasswd)
    database = Settings.from_env().db_path
    folder = database.parent
    if folder.is_dir() and folder.stat().st_mode & 0o002 and not folder.stat().st_mode & stat.S_ISVTX:
        log.warning("every user of this machine may write to %s, where the session key and the database live", folder)
    if database.exists() and database.stat().st_mode & 0o004:
        log.warning("every user of this machine may read %s (every hidden text): chmod 600 it", database)
    return key


# ---- where a login may lead ------------------------------------------------------------


def safe_next(target: object, default: str = "/coordinator") -> str:
    """``target`` when it is a path of this site, else ``default``: never a
    redirect off-site (``//evil``, ``/\\evil``, ``/\\t/evil`` that browsers
    read as ``//evil``) and never a header with a line break."""
    if not isinstance(target, str) or not SAFE_PATH.fullmatch(target):
        return default
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else default


def is_report_path(path: str) -> bool:
    """The reporting form's pages: they have access modes of their own (``routes.report``),
    never the coordinator's login (``/reports``, the leadership view, is not one of them)."""
    return path == "/report" or path.startswith("/report/")


def login_required_for(path: str) -> bool:
    if path.startswith(OPEN_PATHS) or is_report_path(path):
        return False
    if path.startswith(COORDINATOR_PREFIXES):
        return True
    if any(path == view.path or path.startswith(view.path + "/") for view in VIEWS if view.login):
        return True  # a view the registry puts behind the login
    return Settings.from_env().require_login
