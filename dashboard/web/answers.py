"""The answers to the report views' filter changes, kept per worker.

Leadership users look at the same views (a county, its period, a target group), so the
answer to one filter change is very often the answer to the next user's same change.
This keeps the finished answer (the JSON bytes Dash wrote, before compression) of the
reports view's and the overview's update callback, keyed by the request's body, the
database version and the settings, in a per-worker LRU bounded by bytes. A new database
version (an import, a published analysis) or other settings make a new key, so an answer
is never older than the data it shows.

Only these callbacks are kept: they read nothing but the request and the database (no
session, no clock, no file beside the database; the phenomenon view reads its theme links
from a file the coordinator edits, so it is left out). The request has passed the login
guard and the callback check (``security``) before this is asked.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

from flask import Flask, Response, g, request

from queries import access

from ..core.config import Settings

MAX_BYTES = 32 * 1024 * 1024  # per worker
MAX_ANSWER = 2 * 1024 * 1024  # a larger answer is not kept
UPDATE_OUTPUT = '..{"name":["ALL"],"type":"view-url"}.search...'  # the report views' update callback
VIEWS = frozenset({"reports", "overview"})


class Answers:
    """A byte-bounded LRU of finished answers (thread-safe)."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[bytes, tuple[bytes, str]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: bytes) -> tuple[bytes, str] | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: bytes, body: bytes, mimetype: str) -> None:
        if len(body) > MAX_ANSWER:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = (body, mimetype)
            self._bytes += len(body)
            while self._bytes > self.max_bytes and self._items:
                _, (dropped, _) = self._items.popitem(last=False)
                self._bytes -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._items)


def _view(payload: object) -> str | None:
    """The view a report views' update request is for (its ``view-url`` state), else None."""
    if not isinstance(payload, dict) or not str(payload.get("output", "")).startswith(UPDATE_OUTPUT):
        return None
    for entry in payload.get("state") or []:
        items = entry if isinstance(entry, list) else [entry]
        for item in items:
            ident = item.get("id") if isinstance(item, dict) else None
            if isinstance(ident, dict) and ident.get("type") == "view-url":
                name = ident.get("name")
                return name if isinstance(name, str) else None
    return None


def key_of(body: bytes, payload: object) -> bytes | None:
    """The answer's key, or None when this request's answer is not kept."""
    if _view(payload) not in VIEWS:
        return None
    try:
        version = access.database().version()
    except access.DatabaseMissing:
        return None
    digest = hashlib.blake2b(body, digest_size=20)
    digest.update(repr((version, Settings.from_env())).encode())
    return digest.digest()


def install(server: Flask, endpoint: str, answers: Answers | None = None) -> Answers:
    """Serve kept answers on Dash's callback route ``endpoint``; register after the guards."""
    kept = answers if answers is not None else Answers()
    server.extensions["tilannekuva.answers"] = kept

    @server.before_request
    def answer_kept():
        if request.endpoint != endpoint or request.method != "POST":
            return None
        key = key_of(request.get_data(cache=True), request.get_json(silent=True))
        if key is None:
            return None
        found = kept.get(key)
        if found is None:
            g.answer_key = key
            return None
        return Response(found[0], mimetype=found[1])

    @server.after_request
    def keep_answer(response: Response) -> Response:
        key = g.pop("answer_key", None)
        if key is not None and response.status_code == 200 and not response.direct_passthrough:
            kept.put(key, response.get_data(), response.mimetype or "application/json")
        return response

    return kept
