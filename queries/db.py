"""Database access.

Readers: one read-only DuckDB connection per process and database version,
opened lazily (so after gunicorn forks), and a cursor per thread. The served
file is replaced atomically by loads (``os.replace``); readers notice the new
file by its identity (inode, size, mtime) and move to it on their next query,
while queries already running finish on the old version.

Each version is opened through ``ATTACH`` on a fresh in-memory connection:
``duckdb.connect(path)`` would hand back DuckDB's cached instance of the old
file for as long as anything still holds it.

Writers: :func:`write_new_version` builds a complete new database file next to
the served one and swaps it in only when everything succeeded.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

SCHEMA_SQL = Path(__file__).with_name("schema.sql")


class DatabaseMissing(RuntimeError):
    """The database file does not exist (run ``python -m dashboard build-demo``)."""


def _identity(path: Path) -> tuple[int, int, int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def open_read_only(path: Path, memory_limit: str = "256MB") -> duckdb.DuckDBPyConnection:
    # Each web worker holds one of these: bound DuckDB's buffers so that two
    # workers stay within a few hundred MB at national scale.
    con = duckdb.connect(":memory:", config={"memory_limit": memory_limit})
    con.execute(f"ATTACH {_quote(path)} AS db (READ_ONLY)")
    con.execute("USE db")
    return con


class ReadOnlyDatabase:
    """Lazily opened, version-aware, thread-safe read access to one file."""

    def __init__(self, path: Path | str, memory_limit: str = "256MB"):
        self.path = Path(path)
        self.memory_limit = memory_limit
        self._lock = threading.Lock()
        self._version: tuple | None = None
        self._connection: duckdb.DuckDBPyConnection | None = None
        self._local = threading.local()

    def _cursor_for(self, version: tuple) -> duckdb.DuckDBPyConnection:
        with self._lock:
            if self._version != version or self._connection is None:
                self._connection = open_read_only(self.path, self.memory_limit)
                self._version = version
            cursor = self._connection.cursor()
        cursor.execute("USE db")
        return cursor

    def version(self) -> tuple:
        version = _identity(self.path)
        if version is None:
            raise DatabaseMissing(str(self.path))
        return version

    def cursor(self) -> duckdb.DuckDBPyConnection:
        version = self.version()
        local = self._local
        if getattr(local, "version", None) != version:
            local.cursor, local.version = self._cursor_for(version), version
        return local.cursor

    def new_cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor of its own (for a download that reads while it writes)."""
        return self._cursor_for(self.version())

    def query(self, sql: str, params: dict | list | None = None) -> pd.DataFrame:
        return self.cursor().execute(sql, params or {}).df()


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))


@contextmanager
def _temporary_copy(target: Path, start_from_existing: bool):
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=target.name + ".", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()
    try:
        if start_from_existing and target.exists():
            shutil.copyfile(target, tmp)
        yield tmp
    finally:
        for leftover in (tmp, Path(str(tmp) + ".wal")):
            if leftover.exists():
                leftover.unlink()


def write_new_version(
    target: Path | str,
    work: Callable[[duckdb.DuckDBPyConnection], object],
    start_from_existing: bool = True,
):
    """Run ``work`` on a copy of ``target`` (or an empty database with the
    schema) in one transaction, then atomically replace ``target``.

    If ``work`` raises, ``target`` is untouched and the exception propagates.
    Returns what ``work`` returned.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(str(target) + ".lock", "w") as lock:
        # One writer at a time: a second load waits instead of losing the first.
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _write_locked(target, work, start_from_existing)


def _write_locked(target: Path, work, start_from_existing: bool):
    with _temporary_copy(target, start_from_existing) as tmp:
        con = duckdb.connect(str(tmp))
        try:
            if not (start_from_existing and target.exists()):
                create_schema(con)
            con.execute("BEGIN TRANSACTION")
            try:
                result = work(con)
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, target)
    return result
