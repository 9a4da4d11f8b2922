"""Settings read from the environment, once per call (never cached at import)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_ROOT / "data"
CODES_DIR = DATA_DIR / "codes"
DEMO_DIR = DATA_DIR / "demo"
LANGUAGES = ("fi", "sv", "en")  # the one list of UI languages; Finnish first


@dataclass(frozen=True)
class Settings:
    db_path: Path
    host: str
    port: int
    language: str
    suppress_below: int
    demo_notice: bool
    https: bool = False  # served over HTTPS: Secure cookies and HSTS
    trusted_proxies: int = 0  # reverse proxies in front whose X-Forwarded-For/-Proto to trust
    ratelimit_storage: str = "memory://"  # Flask-Limiter storage (shared storage for several hosts)
    # The reporting form (/report, issue 20): who may report, and where submissions go.
    report_access: tuple[str, ...] = ()  # 'open', 'login', 'link' (any of them), 'closed'; () = open on the demo
    report_county: str | None = None  # the county of a one-county installation's form
    reporter_password: str | None = None  # the shared reporter password (login mode)
    reporter_htpasswd: str | None = None  # htpasswd file of reporters (login mode), not the coordinator's
    report_rate: str = "30 per 10 minutes"  # sent reports per address, and per unit link
    report_intake_seconds: float = 30.0  # a submission reaches the database within this (0: at publishing / CLI)
    public_url: str | None = None  # the address users reach the app at (the links the CLI prints)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        lang = env.get("DASHBOARD_LANG", "fi")
        try:
            port = int(env.get("DASHBOARD_PORT", "8050"))
        except ValueError:
            port = 8050
        try:
            suppress = max(0, int(env.get("DASHBOARD_SUPPRESS_BELOW", "5")))
        except ValueError:
            suppress = 5
        try:
            proxies = max(0, min(5, int(env.get("DASHBOARD_TRUSTED_PROXIES", "0"))))
        except ValueError:
            proxies = 0
        db = Path(env.get("DASHBOARD_DB", str(DATA_DIR / "dashboard.duckdb")))
        if not db.is_absolute():
            db = (Path.cwd() / db).resolve()
        return cls(
            db_path=db,
            host=env.get("DASHBOARD_HOST", "127.0.0.1"),
            port=port,
            language=lang if lang in LANGUAGES else "fi",
            suppress_below=suppress,
            demo_notice=env.get("DASHBOARD_DEMO_NOTICE", "auto") != "off",
            https=env.get("DASHBOARD_HTTPS", "0").strip().lower() in ("1", "true", "yes"),
            trusted_proxies=proxies,
            ratelimit_storage=env.get("DASHBOARD_RATELIMIT_STORAGE", "").strip() or "memory://",
            report_access=_report_access(env.get("DASHBOARD_REPORT_ACCESS", "")),
            report_county=env.get("DASHBOARD_REPORT_COUNTY", "").strip() or None,
            reporter_password=env.get("DASHBOARD_REPORTER_PASSWORD") or None,
            reporter_htpasswd=env.get("DASHBOARD_REPORTER_HTPASSWD", "").strip() or None,
            report_rate=env.get("DASHBOARD_REPORT_RATE", "").strip() or "30 per 10 minutes",
            report_intake_seconds=_seconds(env.get("DASHBOARD_REPORT_INTAKE_SECONDS"), 30.0),
            public_url=env.get("DASHBOARD_PUBLIC_URL", "").strip().rstrip("/") or None,
        )


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


def _seconds(raw: str | None, default: float) -> float:
    try:
        value = float(raw) if raw not in (None, "") else default
    except ValueError:
        return default
    return max(0.0, min(value, 24 * 3600.0)) if value == value else default
