"""The app's access to data: one lazily opened read-only database per process
and the vocabulary cached per database version. Nothing opens at import."""

from __future__ import annotations

import threading

from .config import Settings
from .db import ReadOnlyDatabase
from .filters import Vocabulary

_lock = threading.Lock()
_database: ReadOnlyDatabase | None = None
_cache: dict[tuple, object] = {}


def database() -> ReadOnlyDatabase:
    global _database
    with _lock:
        settings = Settings.from_env()
        if _database is None or _database.path != settings.db_path:
            _database = ReadOnlyDatabase(settings.db_path)
            _cache.clear()
        return _database


def cached(name: str, compute):
    """``compute(cursor)`` once per database version."""
    db = database()
    key = (name, db.version())
    if key not in _cache:
        value = compute(db.cursor())
        with _lock:
            for old in [k for k in _cache if k[0] == name]:
                del _cache[old]
            _cache[key] = value
    return _cache[key]


def vocabulary() -> Vocabulary:
    from queries.codes import vocabulary as load

    return cached("vocabulary", load)


def is_demo() -> bool:
    from queries.codes import is_synthetic

    return cached("is_demo", is_synthetic)
