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
the served one and swaps it in only when everything succeeded. The file holds
every hidden text, so it is private (0600, or 0640 with ``DASHBOARD_DB_MODE=0640``
for a group of readers), and each copy is written in a folder of its own that
only this user can enter (0700). A writer that was killed leaves that folder
behind: the next writer removes it (only a writer holding the lock makes one,
so any found under the lock is an orphan).
"""

from __future__ import annotations

import fcntl
import glob
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from dashboard.core.config import Settings

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


def _copies(target: Path) -> list[Path]:
    """The writers' private folders beside ``target`` (each with its copy, WAL and spill files)."""
    return [p for p in target.parent.glob(glob.escape(target.name) + ".*.tmp*") if p.name != target.name]


def _remove(path: Path) -> None:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    except FileNotFoundError:
        pass


def _lock_file(target: Path):
    descriptor = os.open(str(target) + ".lock", os.O_RDWR | os.O_CREAT, 0o600)
    return os.fdopen(descriptor, "w")


def remove_orphans(target: Path | str) -> int:
    """Remove the copies a killed writer left, unless a writer is at work now;
    returns how many were removed."""
    target = Path(target)
    if not Path(str(target) + ".lock").exists():  # no writer ever worked here (and none is made now)
        return 0
    with _lock_file(target) as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return 0  # the writer at work removes them when it starts; the next one otherwise
        orphans = _copies(target)
        for path in orphans:
            _remove(path)
        return len(orphans)


@contextmanager
def _temporary_copy(target: Path, start_from_existing: bool):
    """A copy of ``target`` (or a path for a new database) inside a private
    folder beside it (0700): whatever DuckDB writes there meanwhile (the WAL,
    spill files) is out of other users' reach whatever its own mode, with no
    change to the process's umask (a web worker's threads share it)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=target.name + ".", suffix=".tmp", dir=target.parent))
    tmp = folder / target.name
    try:
        if start_from_existing and target.exists():
            shutil.copyfile(target, tmp)
        yield tmp
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def write_new_version(
    target: Path | str,
    work: Callable[[duckdb.DuckDBPyConnection], object],
    start_from_existing: bool = True,
    memory_limit: str | None = None,
):
    """Run ``work`` on a copy of ``target`` (or an empty database with the
    schema) in one transaction, then atomically replace ``target``.

    If ``work`` raises, ``target`` is untouched and the exception propagates.
    Returns what ``work`` returned. ``memory_limit`` bounds DuckDB's memory
    for the write (it spills to disk or raises ``duckdb.OutOfMemoryException``).
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = Settings.from_env().db_mode
    with _lock_file(target) as lock:
        # One writer at a time: a second load waits instead of losing the first.
        fcntl.flock(lock, fcntl.LOCK_EX)
        for orphan in _copies(target):  # a killed writer's copy: nobody else makes copies now
            _remove(orphan)
        return _write_locked(target, work, start_from_existing, mode, memory_limit)


def _write_locked(target: Path, work, start_from_existing: bool, mode: int, memory_limit: str | None):
    with _temporary_copy(target, start_from_existing) as tmp:
        con = duckdb.connect(str(tmp), config={"memory_limit": memory_limit} if memory_limit else {})
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
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    return result
