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
SHARE_MEDIA = ("slides", "tables")  # where shares are shown: slides and decks; the screen's tables and charts
SHARE_DECIMALS = {"slides": 0, "tables": 1}  # the county's rounding rule by default: 77 % on a slide, 77,5 % in a table


def _decimals(value: str | None, default: int) -> int:
    """0, 1 or 2 decimals of a share (anything else: the default)."""
    value = (value or "").strip()
    return int(value) if value in ("0", "1", "2") else default


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
    share_decimals_slides: int = SHARE_DECIMALS["slides"]  # decimals of a share on slides and in decks
    share_decimals_tables: int = SHARE_DECIMALS["tables"]  # decimals of a share in tables and on the screen

    @staticmethod
    def share_decimals(medium: str, env: dict[str, str] | None = None) -> int:
        """``DASHBOARD_SHARE_DECIMALS_SLIDES`` / ``_TABLES``: how many decimals a share gets
        (read alone: the charts ask on every draw, and the whole settings cost ~0.1 ms)."""
        env = os.environ if env is None else env
        name = "slides" if medium == "slides" else "tables"
        return _decimals(env.get(f"DASHBOARD_SHARE_DECIMALS_{name.upper()}"), SHARE_DECIMALS[name])

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
            share_decimals_slides=cls.share_decimals("slides", env),
            share_decimals_tables=cls.share_decimals("tables", env),
        )
