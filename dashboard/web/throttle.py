"""Failed logins, throttled so that no one can guess a password and no one
can lock the right person out.

- A failed login is counted against the user name *and* the address it came
  from (for the shared password, whose user name is free, against the
  address). Ten failures within 15 minutes (a moving window) refuse further
  tries of that pair with 429 until the oldest failure is 15 minutes old;
  the password is then not even checked, so the refusal tells nothing.
- Failures elsewhere never refuse a right password: not those of another
  address, nor those against another user name.
- A browser that has logged in as a user before carries a signed device
  cookie (``path=/login``, HttpOnly, SameSite=Strict, 180 days). Its tries for
  that user are counted on their own, so even an attacker at the same address
  (a shared office network or proxy) cannot lock it out.
- The address is the connection's, or behind a reverse proxy the client's as
  the proxy reports it: ``X-Forwarded-For`` is believed only from the proxy's
  own address (``DASHBOARD_PROXY_ADDRESSES``, see ``security``).

The counts live in ``DASHBOARD_RATELIMIT_STORAGE`` (each worker's memory by
default: with ``-w 4`` a pair gets up to 4 × 10 tries; a shared store makes
it 10 for every worker and host).
"""

from __future__ import annotations

import secrets
import time

from flask import Response, current_app, request
from flask_limiter import Limiter
from itsdangerous import BadSignature, URLSafeTimedSerializer
from limits import parse

from ..core.config import Settings

FAILURES = parse("10 per 15 minutes")
DEVICE_COOKIE = "tilannekuva_device"
DEVICE_DAYS = 180


def _serializer() -> URLSafeTimedSerializer:
    key = current_app.secret_key
    if not key:  # the session interface sets it before any request reads a cookie
        raise RuntimeError("no session key")
    return URLSafeTimedSerializer(key, salt="tilannekuva login device")


class LoginThrottle:
    def __init__(self, limiter: Limiter, secure: bool = False):
        self.limiter = limiter
        self.secure = secure

    @property
    def _strategy(self):
        return self.limiter.limiter

    @staticmethod
    def device(user: str) -> str | None:
        """The id of this browser if it has logged in as ``user`` before."""
        raw = request.cookies.get(DEVICE_COOKIE)
        if not raw or len(raw) > 500:
            return None
        try:
            data = _serializer().loads(raw, max_age=DEVICE_DAYS * 86400)
        except (BadSignature, ValueError, TypeError):
            return None
        if not isinstance(data, dict) or data.get("u") != user or not isinstance(data.get("d"), str):
            return None
        return data["d"]

    @staticmethod
    def keys(user: str, device: str | None) -> list[tuple[str, ...]]:
        """What a failed try of ``user`` from this request counts against."""
        if device:
            return [("device", device)]
        address = request.remote_addr or "-"
        settings = Settings.from_env()
        keys: list[tuple[str, ...]] = []
        if settings.htpasswd:
            keys.append(("user", user.casefold(), address))
        if settings.coordinator_password:
            keys.append(("password", address))  # the shared password: any user name tries the same secret
        return keys

    def wait(self, keys: list[tuple[str, ...]]) -> int | None:
        """Seconds until a refused key may try again, or None if none is refused."""
        waits = [
            self._strategy.get_window_stats(FAILURES, "login", *key).reset_time - time.time()
            for key in keys
            if not self._strategy.test(FAILURES, "login", *key)
        ]
        return max(1, int(max(waits)) + 1) if waits else None

    def failed(self, keys: list[tuple[str, ...]]) -> None:
        for key in keys:
            self._strategy.hit(FAILURES, "login", *key)

    def remember(self, response: Response, user: str, device: str | None) -> None:
        """After a right password: this browser is known for ``user`` from now on."""
        value = _serializer().dumps({"u": user, "d": device or secrets.token_urlsafe(16)})
        response.set_cookie(
            DEVICE_COOKIE,
            value,
            max_age=DEVICE_DAYS * 86400,
            path="/login",
            secure=self.secure,
            httponly=True,
            samesite="Strict",
        )
