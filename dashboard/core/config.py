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
    heavy_slots: int = 2  # large downloads and decks built at once on this host (one per worker process)
    export_cache_bytes: int = 1024 * 2**20  # built download files kept beside the database
    require_login: bool = False  # the leadership views and downloads need the coordinator's login too

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
        try:
            slots = max(1, min(64, int(env.get("DASHBOARD_HEAVY_SLOTS", "2"))))
        except ValueError:
            slots = 2
        try:
            cache_mb = max(0, int(env.get("DASHBOARD_EXPORT_CACHE_MB", "1024")))
        except ValueError:
            cache_mb = 1024
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
            heavy_slots=slots,
            export_cache_bytes=cache_mb * 2**20,
            require_login=env.get("DASHBOARD_REQUIRE_LOGIN", "0").strip().lower() in ("1", "true", "yes"),
        )
