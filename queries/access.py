"""The app's access to data: one lazily opened read-only database per process
(so after gunicorn forks), a cursor per thread, and per-worker caches keyed
by the database version. Nothing opens at import."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar, cast

import duckdb
import pandas as pd

from dashboard.core.config import Settings
from dashboard.core.vocabulary import Vocabulary

from . import codes, columnar
from .db import DatabaseMissing, ReadOnlyDatabase
from .reports import CountFrames

T = TypeVar("T")
MEMO_SIZE = 256  # results of per-filter queries kept per worker
MEMO_BYTES = 64 * 1024 * 1024  # and at most this much of them

_lock = threading.Lock()
_database: ReadOnlyDatabase | None = None
_cache: dict[str, tuple[tuple, object]] = {}
_memo: OrderedDict[tuple, tuple[object, int]] = OrderedDict()
_memo_bytes = 0
_columns_lock = threading.Lock()  # one thread loads the columns; the others wait for them
_warming = False  # whether this process has started loading the columns in the background

__all__ = [
    "DatabaseMissing",
    "database",
    "cursor",
    "cached",
    "memo",
    "memo_has",
    "vocabulary",
    "is_demo",
    "reset",
    "columns",
]


def database() -> ReadOnlyDatabase:
    global _database
    with _lock:
        path, memory = Settings.database()
        if _database is None or _database.path != path:
            _database = ReadOnlyDatabase(path, memory)
            _cache.clear()
            _clear_memo()
        return _database


def reset() -> None:
    """Forget the open database and every cached result (tests point the app elsewhere)."""
    global _database
    with _lock:
        _database = None
        _cache.clear()
        _clear_memo()


def cursor():
    """This thread's cursor on the current database version."""
    return database().cursor()


def cached(name: str, compute: Callable[..., T]) -> T:
    """``compute(cursor)`` once per database version."""
    db = database()
    version = db.version()
    hit = _cache.get(name)
    if hit is not None and hit[0] == version:
        return cast(T, hit[1])  # what ``compute`` made for this name: one cache holds many types
    value = compute(db.cursor())
    with _lock:
        _cache[name] = (version, value)
    return value


def size_of(value: object) -> int:
    """Bytes a memoised result holds, roughly (DataFrames by their columns)."""
    if isinstance(value, CountFrames):
        return value.size()
    if isinstance(value, pd.DataFrame):
        return int(value.memory_usage(index=False, deep=len(value) <= 1_000).sum()) + 256
    if isinstance(value, (tuple, list)):
        return sum(size_of(v) for v in value) + 64
    if isinstance(value, dict):
        return sum(size_of(v) for v in value.values()) + 64
    if hasattr(value, "__dataclass_fields__"):
        return sum(size_of(getattr(value, f)) for f in value.__dataclass_fields__) + 64
    return 64


def _clear_memo() -> None:
    global _memo_bytes
    _memo.clear()
    _memo_bytes = 0


def memo(name: str, key: object, compute: Callable[..., T]) -> T:
    """``compute(cursor)`` once per database version and ``key`` (a filter's
    key), kept in a per-worker LRU bounded by entries and by bytes: one filter
    change computes each aggregate once, however many outputs show it."""
    global _memo_bytes
    db = database()
    full = (name, db.version(), key)
    with _lock:
        if full in _memo:
            _memo.move_to_end(full)
            return cast(T, _memo[full][0])  # what ``compute`` made for this key (many types in one memo)
    value = compute(db.cursor())
    _keep(full, value)
    return value


def _keep(full: tuple, value: object) -> None:
    global _memo_bytes
    size = size_of(value)
    with _lock:
        if full not in _memo and size <= MEMO_BYTES // 4:  # a huge result is not kept
            _memo[full] = (value, size)
            _memo_bytes += size
            while len(_memo) > MEMO_SIZE or _memo_bytes > MEMO_BYTES:
                _, (_, dropped) = _memo.popitem(last=False)
                _memo_bytes -= dropped


def prime(compute: Callable[..., dict[tuple[str, object], object]]) -> None:
    """Store several :func:`memo` results computed together: ``compute(cursor)`` gives
    {(name, key): value}, each kept as ``memo(name, key, ...)`` would keep it (one
    statement answering what several would have asked)."""
    db = database()
    version = db.version()
    for (name, key), value in compute(db.cursor()).items():
        _keep((name, version, key), value)


def memo_has(name: str, key: object) -> bool:
    """Whether :func:`memo` holds ``name`` for ``key`` on the current database version."""
    db = database()
    with _lock:
        return (name, db.version(), key) in _memo


def columns() -> columnar.Reports:
    """The reports as columns in memory (``queries.columnar``), loaded once per worker and
    database version on first use (after the fork): an import makes a new version."""
    with _columns_lock:
        return cached("columns", columnar.load)


def warm() -> None:
    """Start loading the columns in the background, once per process (a web worker calls this on
    each request; only the first starts the load): the worker's first filter change then finds them
    loaded instead of loading them itself (~0.1 s at national scale, ~1 s at 1 M reports)."""
    global _warming
    with _lock:
        if _warming:
            return
        _warming = True

    def load() -> None:
        try:
            columns()
        except (DatabaseMissing, duckdb.Error, OSError):
            pass  # the first change loads them (and reports what is wrong) as it would have

    threading.Thread(target=load, name="columns-warm-up", daemon=True).start()


def vocabulary() -> Vocabulary:
    return cached("vocabulary", codes.vocabulary)


def is_demo() -> bool:
    return cached("is_demo", codes.is_synthetic)
