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
    proxy_addresses: tuple[str, ...] = ("127.0.0.1", "::1")  # where a trusted proxy's requests come from
    db_mode: int = 0o600  # the database file and its copies: private, or 0o640 for a group of readers
    import_memory_mb: int = 2048  # one import (read, check, write) may use this much memory
    import_seconds: float = 55.0  # ... and this long (a reverse proxy often waits 60 s)

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
        proxies_at = tuple(
            a.strip() for a in env.get("DASHBOARD_PROXY_ADDRESSES", "127.0.0.1,::1").split(",") if a.strip()
        )
        db_mode = 0o640 if env.get("DASHBOARD_DB_MODE", "").strip() in ("640", "0640", "0o640") else 0o600
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
            proxy_addresses=proxies_at,
            db_mode=db_mode,
            import_memory_mb=_positive(env.get("DASHBOARD_IMPORT_MEMORY"), 2048, int),
            import_seconds=_positive(env.get("DASHBOARD_IMPORT_SECONDS"), 55.0, float),
        )


def _positive(raw: str | None, default, kind):
    try:
        value = kind(raw) if raw not in (None, "") else default
    except ValueError:
        return default
    return value if value > 0 else default
