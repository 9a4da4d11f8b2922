"""The app's access to data: one lazily opened read-only database per process
(so after gunicorn forks), a cursor per thread, and per-worker caches keyed
by the database version. Nothing opens at import."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from dashboard.core.config import Settings
from dashboard.core.vocabulary import Vocabulary

from . import codes
from .db import DatabaseMissing, ReadOnlyDatabase

T = TypeVar("T")
MEMO_SIZE = 256  # results of per-filter queries kept per worker

_lock = threading.Lock()
_database: ReadOnlyDatabase | None = None
_cache: dict[str, tuple[tuple, object]] = {}
_memo: OrderedDict[tuple, object] = OrderedDict()

__all__ = ["DatabaseMissing", "database", "cursor", "cached", "memo", "vocabulary", "is_demo", "reset"]


def database() -> ReadOnlyDatabase:
    global _database
    with _lock:
        settings = Settings.from_env()
        if _database is None or _database.path != settings.db_path:
            _database = ReadOnlyDatabase(settings.db_path)
            _cache.clear()
            _memo.clear()
        return _database


def reset() -> None:
    """Forget the open database and every cached result (tests point the app elsewhere)."""
    global _database
    with _lock:
        _database = None
        _cache.clear()
        _memo.clear()


def cursor():
    """This thread's cursor on the current database version."""
    return database().cursor()


def cached(name: str, compute: Callable[..., T]) -> T:
    """``compute(cursor)`` once per database version."""
    db = database()
    version = db.version()
    hit = _cache.get(name)
    if hit is not None and hit[0] == version:
        return hit[1]  # type: ignore[return-value]
    value = compute(db.cursor())
    with _lock:
        _cache[name] = (version, value)
    return value


def memo(name: str, key: object, compute: Callable[..., T]) -> T:
    """``compute(cursor)`` once per database version and ``key`` (a filter's
    key), kept in a bounded per-worker LRU: one filter change computes each
    aggregate once, however many outputs show it."""
    db = database()
    full = (name, db.version(), key)
    with _lock:
        if full in _memo:
            _memo.move_to_end(full)
            return _memo[full]  # type: ignore[return-value]
    value = compute(db.cursor())
    with _lock:
        _memo[full] = value
        while len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)
    return value


def vocabulary() -> Vocabulary:
    return cached("vocabulary", codes.vocabulary)


def is_demo() -> bool:
    return cached("is_demo", codes.is_synthetic)
