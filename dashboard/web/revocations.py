"""Sessions that were logged out, as every worker (and host) sees them.

A session cookie is signed, not stored: the browser keeps it, so clearing
it at logout does nothing about a copy saved before. Each session therefore
carries a random id, and logging out records that id here until the session
would have expired anyway; a session whose id is recorded opens nothing.

Where the record is kept:

- by default, a file beside the database (``.tilannekuva-logouts``, mode
  0600), which every worker of the host reads (it is re-read only when it
  changes: one ``stat`` per request);
- with ``DASHBOARD_RATELIMIT_STORAGE`` pointing at a shared store (Redis,
  Memcached), in that store, which every host sees. Several hosts need that
  (or a database folder they share).

Only a digest of the id is written, never the id itself.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import threading
import time
from pathlib import Path

log = logging.getLogger(__name__)
FILE_NAME = ".tilannekuva-logouts"
PRUNE_AT = 5_000  # lines: then the expired ones are dropped


def digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()[:32]


class FileRevocations:
    """The record in a file of ``<digest> <expires, epoch seconds>`` lines,
    appended under a lock and re-read by readers when it changes."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._seen: tuple | None = None
        self._revoked: dict[str, float] = {}

    def _open(self, flags: int) -> int:
        return os.open(self.path, flags | os.O_NOFOLLOW, 0o600)

    def check_writable(self) -> None:
        """Raise OSError if logouts could not be recorded (checked at start-up)."""
        os.close(self._open(os.O_WRONLY | os.O_APPEND | os.O_CREAT))

    def revoke(self, session_id: str, until: float) -> None:
        line = f"{digest(session_id)} {int(until) + 1}\n".encode("ascii")
        descriptor = self._open(os.O_RDWR | os.O_APPEND | os.O_CREAT)
        with os.fdopen(descriptor, "r+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            handle.write(line)
            handle.flush()
            handle.seek(0)
            lines = handle.read().splitlines()
            if len(lines) > PRUNE_AT:  # keep what has not expired, in place
                now = time.time()
                kept = [x for x in lines if len(x.split()) == 2 and x.split()[1].isdigit() and int(x.split()[1]) > now]
                handle.seek(0)
                handle.truncate()
                handle.write(b"".join(x + b"\n" for x in kept))
                handle.flush()
        with self._lock:
            self._revoked[digest(session_id)] = until
            self._seen = None

    def _load(self) -> dict[str, float]:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return {}
        seen = (st.st_ino, st.st_size, st.st_mtime_ns)
        with self._lock:
            if seen == self._seen:
                return self._revoked
            revoked: dict[str, float] = {}
            try:
                with os.fdopen(self._open(os.O_RDONLY), "rb") as handle:
                    for raw in handle.read().splitlines():
                        parts = raw.split()
                        if len(parts) == 2 and parts[1].isdigit():
                            revoked[parts[0].decode("ascii", "replace")] = float(parts[1])
            except OSError as exc:  # unreadable: say so; a logout cannot be undone by this
                log.error("cannot read the logout record %s: %s", self.path, exc)
                return self._revoked
            self._revoked, self._seen = revoked, seen
            return revoked

    def is_revoked(self, session_id: str) -> bool:
        until = self._load().get(digest(session_id))
        return until is not None and until > time.time()


class StorageRevocations:
    """The record in a ``limits`` storage (the same store as the login
    throttle): a key per logged-out session that expires with it."""

    def __init__(self, storage):
        self.storage = storage

    def check_writable(self) -> None:
        if not self.storage.check():
            raise OSError(f"the shared store {self.storage!r} does not answer")

    def revoke(self, session_id: str, until: float) -> None:
        if until > time.time():  # else the session has expired anyway
            self.storage.incr(f"tilannekuva/logout/{digest(session_id)}", until - time.time())

    def is_revoked(self, session_id: str) -> bool:
        return self.storage.get(f"tilannekuva/logout/{digest(session_id)}") > 0
