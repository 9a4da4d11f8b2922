"""Running an import in a child process under a memory and time budget.

A file can ask for more than any check foresees. The import (read, check,
write) therefore runs in a child process: past its time budget, or when its
resident memory passes the memory budget, the child is killed and the caller
gets :class:`ImportStopped` with a reason it can say in the user's language
("nothing was changed") instead of the host's OOM killer taking a web worker.
A hard limit on the child's writable memory (RLIMIT_DATA) backs the watch up between two looks.
Killing is safe: a write replaces the database only in its very last step, and
the copy it was writing is removed (``queries.db.remove_orphans``).

Children are forked from a small server process started on first use
(multiprocessing's ``forkserver``, with the import code loaded once), never
from a web worker's threads: a fork of a multi-threaded process can inherit a
lock held by another thread. Starting an import then takes milliseconds, not
the second a fresh interpreter needs.
"""

from __future__ import annotations

import errno
import logging
import multiprocessing
import os
import resource
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from queries.db import remove_orphans

from ..core.config import Settings, adopt_environment, environment_now
from ..core.i18n import render, t
from .tables import ImportFileError, numbers

log = logging.getLogger(__name__)
POLL_SECONDS = 0.05
PAGE = os.sysconf("SC_PAGE_SIZE")
DATA_SLACK = 3  # the hard limit on writable memory: this many times the budget (libraries reserve more than they touch)


@dataclass(frozen=True)
class Budget:
    memory_mb: int
    seconds: float

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Budget:
        settings = settings or Settings.from_env()
        return cls(settings.import_memory_mb, settings.import_seconds)

    @property
    def duckdb_memory(self) -> str:
        """DuckDB's share while it writes: it spills or fails cleanly within it."""
        return f"{max(64, self.memory_mb // 3)}MB"


class ImportStopped(Exception):
    """The import did not finish: ``reason`` is memory, time, disk or crashed.
    ``changed`` says whether the served database is still the one the import
    started from (False: nothing was changed)."""

    def __init__(self, reason: str, changed: bool = False, **values: object):
        self.reason, self.changed, self.values = reason, changed, values
        super().__init__(f"{reason}: {values}")

    def message(self, lang: str = "fi") -> str:
        return t(f"import.stopped.{self.reason}", lang, **{k: render(v, lang) for k, v in self.values.items()})


def classify(error: BaseException) -> str:
    """What stopped an import: memory, disk, or crashed (anything else)."""
    if isinstance(error, (MemoryError, pa.ArrowMemoryError, duckdb.OutOfMemoryException)):
        return "memory"
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        return "disk"
    text = str(error).lower()
    if isinstance(error, duckdb.Error) and ("no space left" in text or "disk is full" in text):
        return "disk"
    if isinstance(error, duckdb.Error) and "out of memory" in text:
        return "memory"
    return "crashed"


def _data_bytes() -> int:
    """This process's writable memory now (VmData), or 0 if unknown."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _child(sender, func, job, budget: Budget, environment: dict[str, str]) -> None:
    # The settings of the caller now, not of the moment the fork server started.
    adopt_environment(environment)
    # What the child already has (the loaded libraries) plus a multiple of the budget: only a
    # backstop; the parent's watch of the resident memory is what stops a greedy import.
    limit = _data_bytes() + budget.memory_mb * 2**20 * DATA_SLACK
    try:
        resource.setrlimit(resource.RLIMIT_DATA, (limit, resource.getrlimit(resource.RLIMIT_DATA)[1]))
    except (ValueError, OSError):  # a lower hard limit already: keep it
        pass
    message: tuple
    try:
        message = ("done", func(job))
    except ImportFileError as exc:
        message = ("refused", exc)
    except BaseException as exc:  # the parent says what it means; the trace goes to the log
        message = ("failed", classify(exc), f"{exc.__class__.__name__}: {exc}"[:300], traceback.format_exc())
    try:
        sender.send(message)
    except Exception as exc:  # the result itself could not be sent (too big for the memory left)
        sender.send(("failed", classify(exc), f"{exc.__class__.__name__}", traceback.format_exc()))
    finally:
        sender.close()


def _context():
    context = multiprocessing.get_context("forkserver")
    # The import code, loaded once in the fork server; each child starts from it.
    context.set_forkserver_preload(["dashboard.imports.jobs", "dashboard.imports.budget"])
    return context


def resident_bytes(pid: int) -> int:
    """A process's resident memory (Linux), or 0 when it has gone."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * PAGE
    except (OSError, ValueError, IndexError):
        return 0


def _identity(path: Path) -> tuple | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def run_job(func, job, budget: Budget | None = None):
    """``func(job)`` in a child process within ``budget``; returns what it
    returned. Raises the job's :class:`ImportFileError` (a file refused), or
    :class:`ImportStopped` (out of memory, time or disk, or a crash)."""
    budget = budget or Budget.from_settings()
    db_path = Path(job.db_path)
    before = _identity(db_path)
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, func, job, budget, environment_now()), daemon=True)
    deadline = time.monotonic() + budget.seconds
    process.start()
    sender.close()
    message: tuple | None = None
    stopped: str | None = None
    try:
        while message is None and stopped is None:
            if receiver.poll(POLL_SECONDS):
                try:
                    message = receiver.recv()
                except EOFError:  # the child died without a word (killed by a signal)
                    stopped = "crashed"
            elif not process.is_alive() and not receiver.poll(0):
                stopped = "crashed"
            elif time.monotonic() > deadline:
                stopped = "time"
            elif resident_bytes(process.pid) > budget.memory_mb * 2**20:
                stopped = "memory"
    finally:
        if process.is_alive() and message is None:
            process.kill()
        process.join()
        receiver.close()
    if message is not None and message[0] == "done":
        return message[1]
    if message is not None and message[0] == "refused":
        raise message[1]
    detail = ""
    if message is not None:  # failed inside the child
        stopped, detail = message[1], message[2]
        log.error("import of %s stopped (%s): %s", getattr(job, "name", "?"), stopped, message[3])
    else:
        log.error("import of %s stopped: %s (exit code %s)", getattr(job, "name", "?"), stopped, process.exitcode)
    remove_orphans(db_path)
    reason = stopped or "crashed"
    said: dict[str, dict[str, object]] = {
        "memory": {"max": numbers(budget.memory_mb)},
        "time": {"max": f"{budget.seconds:g}"},
        "crashed": {"error": detail or f"exit code {process.exitcode}"},
    }
    values = said.get(reason, {})
    raise ImportStopped(reason, changed=_identity(db_path) != before, **values)
