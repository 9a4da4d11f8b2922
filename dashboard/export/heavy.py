"""Bounded heavy work: built export files kept per database version, and a
host-wide limit on how many heavy jobs (large tables, decks) run at once.

- :func:`cached_file` builds a file once per database version and key (the
  filter, format and language) and serves it from then on; a second request
  for a file being built is told to come back (:class:`Busy`) instead of
  waiting on a server thread. Files of older versions are removed, and the
  folder is kept under a size limit (least recently served first).
- :func:`heavy_slot` lets at most ``slots`` heavy jobs run on the host (every
  worker of every server process sharing the folder) and one per worker
  process: file locks (``fcntl.flock``), released by the kernel if a worker
  dies. Beyond that, :class:`Busy`: the route answers 503 with Retry-After.

Nothing here knows Flask or SQL.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

RETRY_AFTER = 10  # seconds a refused request is asked to wait (a large file takes 5–30 s to build)
FORMAT_VERSION = "1"  # bump when the files' contents change for the same data

_process_lock = threading.Lock()  # one heavy job per worker process at a time


class Busy(RuntimeError):
    """No room for more heavy work now, or the same file is being built."""

    def __init__(self, building: bool):
        super().__init__("building" if building else "busy")
        self.building = building
        self.retry_after = RETRY_AFTER


def folder_for(db_path: Path) -> Path:
    """``exports/`` beside the database (mode 0700), or a private temporary
    folder when the database's folder cannot be written."""
    for candidate in (db_path.parent / "exports", Path(tempfile.gettempdir()) / f"tilannekuva-exports-{os.getuid()}"):
        try:
            candidate.mkdir(mode=0o700, exist_ok=True)
            if candidate.stat().st_uid == os.getuid() and os.access(candidate, os.W_OK):
                os.chmod(candidate, 0o700)
                return candidate
        except OSError:
            continue
    raise OSError("no writable folder for export files")


def version_tag(identity: tuple) -> str:
    """A short name for one version of the database (its file identity)."""
    return hashlib.blake2b(repr((FORMAT_VERSION, identity)).encode(), digest_size=6).hexdigest()


def file_key(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()


@contextmanager
def heavy_slot(folder: Path, slots: int) -> Iterator[None]:
    """Hold one of the host's ``slots`` for heavy work, or raise :class:`Busy`."""
    if not _process_lock.acquire(blocking=False):
        raise Busy(building=False)
    try:
        for index in range(max(1, slots)):
            handle = open(folder / f"heavy-{index}.lock", "a+")  # noqa: SIM115 - held until the job ends
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
                handle.close()
            return
        raise Busy(building=False)
    finally:
        _process_lock.release()


def cached_file(
    folder: Path, tag: str, key: str, suffix: str, build: Callable[[Path], None], slots: int, max_bytes: int
) -> Path:
    """The file for ``tag`` (database version) and ``key``, built by ``build(path)``
    in a heavy slot the first time. Raises :class:`Busy` when it is being built
    by another request or no slot is free."""
    path = folder / f"{tag}-{key}{suffix}"
    if path.exists():
        _served(path)
        return path
    with open(folder / f"{tag}-{key}.lock", "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy(building=True) from None
        if path.exists():  # built while this request was on its way
            return path
        with heavy_slot(folder, slots):
            handle, name = tempfile.mkstemp(prefix=f"{tag}-{key}.", suffix=".tmp", dir=folder)
            os.close(handle)
            temporary = Path(name)
            try:
                build(temporary)
                os.replace(temporary, path)
            finally:
                temporary.unlink(missing_ok=True)
    prune(folder, tag, max_bytes)
    return path


def prune(folder: Path, tag: str, max_bytes: int) -> None:
    """Remove files of other database versions (and their lock files), and the
    least recently served files of this version (by access time) beyond ``max_bytes``."""
    current = []
    for entry in folder.iterdir():
        if entry.name.startswith("heavy-"):
            continue
        if not entry.name.startswith(tag + "-"):
            if entry.name.endswith(".tmp") and _being_written(entry):
                continue
            entry.unlink(missing_ok=True)
        elif not entry.name.endswith((".lock", ".tmp")):
            try:
                status = entry.stat()
            except FileNotFoundError:
                continue
            current.append((status.st_atime, status.st_size, entry))
    total = sum(size for _, size, _ in current)
    for _, size, entry in sorted(current):
        if total <= max_bytes:
            break
        entry.unlink(missing_ok=True)
        total -= size


def _served(path: Path) -> None:
    """Mark a file as served now (its access time; its modification time, which the
    ETag and Last-Modified carry, stays)."""
    try:
        os.utime(path, (time.time(), path.stat().st_mtime))
    except FileNotFoundError:
        pass


def _being_written(path: Path) -> bool:
    """A temporary file younger than an hour may still be written by a build."""
    try:
        return time.time() - path.stat().st_mtime < 3600
    except FileNotFoundError:
        return False
