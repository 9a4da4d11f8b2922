"""Settings read from the environment, once per call (never cached at import).

:class:`Settings` is the one reader of ``os.environ`` in the app: every
variable README's "Configuration" lists is read and parsed here, so a test
sets the environment and the next call sees it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_ROOT / "data"
CODES_DIR = DATA_DIR / "codes"
DEMO_DIR = DATA_DIR / "demo"
DEMO_SCALES = ("demo", "national")  # build-demo --scale: the demo counties, or every county
LANGUAGES = ("fi", "sv", "en")  # the one list of UI languages; Finnish first
SHARE_MEDIA = ("slides", "tables")  # where shares are shown: slides and decks; the screen's tables and charts
SHARE_DECIMALS = {"slides": 0, "tables": 1}  # the county's rounding rule by default: 77 % on a slide, 77,5 % in a table
SOTKANET_BASE_URL = "https://sotkanet.fi/rest/1.1"


def _decimals(value: str | None, default: int) -> int:
    """0, 1 or 2 decimals of a share (anything else: the default)."""
    value = (value or "").strip()
    return int(value) if value in ("0", "1", "2") else default


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes")


def _int(value: str | None, default: int, low: int, high: int | None = None) -> int:
    try:
        number = max(low, int(value)) if value is not None else default
    except ValueError:
        return default
    return min(high, number) if high is not None else number


def _positive_seconds(value: str | None, default: float) -> float:
    try:
        number = float(value) if value not in (None, "") else default
    except ValueError:
        return default
    return number if number > 0 else default


def _environment() -> MutableMapping[str, str]:
    return os.environ


def environment_now() -> dict[str, str]:
    """This process's environment as it is now, to hand to a child process (``adopt_environment``)."""
    return dict(_environment())


def adopt_environment(environment: Mapping[str, str]) -> None:
    """Make ``environment`` this process's own: a child forked from a long-lived server
    (an import's, see ``imports.budget``) runs with its caller's settings of the moment."""
    current = _environment()
    current.clear()
    current.update(environment)


def _language(value: str | None) -> str:
    lang = (value or "fi").strip().lower()
    return lang if lang in LANGUAGES else "fi"


def _path(value: str | None) -> Path | None:
    return Path(value) if value and value.strip() else None


@dataclass(frozen=True)
class Settings:
    db_path: Path
    host: str = "127.0.0.1"
    port: int = 8050
    language: str = "fi"  # the views' language when a link names none
    suppress_below: int = 5
    https: bool = False  # served over HTTPS: Secure cookies and HSTS
    trusted_proxies: int = 0  # reverse proxies in front whose X-Forwarded-For/-Proto to trust
    ratelimit_storage: str = "memory://"  # Flask-Limiter storage (shared storage for several hosts)
    coordinator_password: str | None = None  # one password for the coordinator's pages
    htpasswd: Path | None = None  # or a file of coordinator users
    require_login: bool = False  # the leadership views behind the login too
    secret_key: str = ""  # the session signing key ("" = the key file beside the database)
    deck_template: Path | None = None  # the county's PowerPoint template (else data/deck_template.pptx)
    duckdb_memory: str = "256MB"  # DuckDB's memory limit per web worker
    sotkanet_base_url: str = SOTKANET_BASE_URL
    proxy_addresses: tuple[str, ...] = ("127.0.0.1", "::1")  # where a trusted proxy's requests come from
    db_mode: int = 0o600  # the database file and the drafts: private, or 0o640 for a group of readers
    import_memory_mb: int = 2048  # one import (read, check, write) may use this much memory
    import_seconds: float = 55.0  # ... and this long (a reverse proxy often waits 60 s)
    # The reporting form (/report, issue 20): who may report, and where submissions go.
    report_access: tuple[str, ...] = ()  # 'open', 'login', 'link' (any of them), 'closed'; () = open on the demo
    report_county: str | None = None  # the county of a one-county installation's form
    reporter_password: str | None = None  # the shared reporter password (login mode)
    reporter_htpasswd: str | None = None  # htpasswd file of reporters (login mode), not the coordinator's
    report_rate: str = "30 per 10 minutes"  # sent reports per address, and per unit link
    report_intake_seconds: float = 30.0  # a submission reaches the database within this (0: at publishing / CLI)
    public_url: str | None = None  # the address users reach the app at (the links the CLI prints)
    heavy_slots: int = 2  # large downloads and decks built at once on this host (one per worker process)
    export_cache_bytes: int = 1024 * 2**20  # built download files kept beside the database
    share_decimals_slides: int = SHARE_DECIMALS["slides"]  # decimals of a share on slides and in decks
    share_decimals_tables: int = SHARE_DECIMALS["tables"]  # decimals of a share in tables and on the screen

    @staticmethod
    def share_decimals(medium: str, env: Mapping[str, str] | None = None) -> int:
        """``DASHBOARD_SHARE_DECIMALS_SLIDES`` / ``_TABLES``: how many decimals a share gets
        (read alone: the charts ask on every draw, and the whole settings cost ~0.1 ms)."""
        env = _environment() if env is None else env
        if medium == "slides":
            return _decimals(env.get("DASHBOARD_SHARE_DECIMALS_SLIDES"), SHARE_DECIMALS["slides"])
        return _decimals(env.get("DASHBOARD_SHARE_DECIMALS_TABLES"), SHARE_DECIMALS["tables"])

    @staticmethod
    def database(env: Mapping[str, str] | None = None) -> tuple[Path, str]:
        """(``db_path``, ``duckdb_memory``) read alone: every query asks which database is served,
        and the whole settings cost ~0.1 ms."""
        env = _environment() if env is None else env
        db = Path(env.get("DASHBOARD_DB", str(DATA_DIR / "dashboard.duckdb")))
        if not db.is_absolute():
            db = (Path.cwd() / db).resolve()
        return db, env.get("DASHBOARD_DUCKDB_MEMORY", "").strip() or "256MB"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = _environment() if env is None else env
        db, memory = cls.database(env)
        return cls(
            db_path=db,
            host=env.get("DASHBOARD_HOST", "127.0.0.1"),
            port=_int(env.get("DASHBOARD_PORT"), 8050, 0),
            language=_language(env.get("DASHBOARD_LANG")),
            suppress_below=_int(env.get("DASHBOARD_SUPPRESS_BELOW"), 5, 0),
            https=_flag(env.get("DASHBOARD_HTTPS")),
            trusted_proxies=_int(env.get("DASHBOARD_TRUSTED_PROXIES"), 0, 0, 5),
            ratelimit_storage=env.get("DASHBOARD_RATELIMIT_STORAGE", "").strip() or "memory://",
            coordinator_password=env.get("DASHBOARD_COORDINATOR_PASSWORD") or None,
            htpasswd=_path(env.get("DASHBOARD_HTPASSWD")),
            require_login=_flag(env.get("DASHBOARD_REQUIRE_LOGIN")),
            secret_key=env.get("DASHBOARD_SECRET_KEY", "").strip(),
            deck_template=_path(env.get("DASHBOARD_DECK_TEMPLATE")),
            duckdb_memory=memory,
            sotkanet_base_url=(env.get("SOTKANET_BASE_URL", "").strip() or SOTKANET_BASE_URL).rstrip("/"),
            proxy_addresses=tuple(
                a.strip() for a in env.get("DASHBOARD_PROXY_ADDRESSES", "127.0.0.1,::1").split(",") if a.strip()
            ),
            db_mode=0o640 if env.get("DASHBOARD_DB_MODE", "").strip() in ("640", "0640", "0o640") else 0o600,
            import_memory_mb=_int(env.get("DASHBOARD_IMPORT_MEMORY"), 2048, 1),
            import_seconds=_positive_seconds(env.get("DASHBOARD_IMPORT_SECONDS"), 55.0),
            report_access=_report_access(env.get("DASHBOARD_REPORT_ACCESS", "")),
            report_county=env.get("DASHBOARD_REPORT_COUNTY", "").strip() or None,
            reporter_password=env.get("DASHBOARD_REPORTER_PASSWORD") or None,
            reporter_htpasswd=env.get("DASHBOARD_REPORTER_HTPASSWD", "").strip() or None,  # a path, as it is given
            report_rate=env.get("DASHBOARD_REPORT_RATE", "").strip() or "30 per 10 minutes",
            report_intake_seconds=_intake_seconds(env.get("DASHBOARD_REPORT_INTAKE_SECONDS"), 30.0),
            public_url=env.get("DASHBOARD_PUBLIC_URL", "").strip().rstrip("/") or None,
            heavy_slots=_int(env.get("DASHBOARD_HEAVY_SLOTS"), 2, 1, 64),
            export_cache_bytes=_int(env.get("DASHBOARD_EXPORT_CACHE_MB"), 1024, 0) * 2**20,
            share_decimals_slides=cls.share_decimals("slides", env),
            share_decimals_tables=cls.share_decimals("tables", env),
        )


def default_language() -> str:
    """``DASHBOARD_LANG``: the language of a view whose link names none (the same as
    ``Settings.from_env().language``, read alone: links ask for it often)."""
    return _language(_environment().get("DASHBOARD_LANG"))


REPORT_ACCESS_MODES = ("open", "login", "link", "closed")


def _report_access(raw: str) -> tuple[str, ...]:
    """'login,link' -> ('login', 'link'); unknown words are dropped; 'closed' wins over the others;
    a value with no known word closes the form (a typo must not open it)."""
    words = [w.strip().lower() for w in raw.replace(";", ",").split(",") if w.strip()]
    if not words:
        return ()
    modes = tuple(dict.fromkeys(w for w in words if w in REPORT_ACCESS_MODES))
    if not modes or "closed" in modes:
        return ("closed",)
    return modes


def _intake_seconds(raw: str | None, default: float) -> float:
    """Seconds that may be 0 (the form's intake: 0 = only at publishing or from the command line)."""
    try:
        value = float(raw) if raw not in (None, "") else default
    except ValueError:
        return default
    return max(0.0, min(value, 24 * 3600.0)) if value == value else default
