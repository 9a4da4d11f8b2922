"""The reporting form's secrets: the form's id, the receipt link's token and the
per-unit links' tokens.

- Each form load gets a random **form id** (256 bits) in a hidden field. The
  submission's idempotency key and its receipt token are both derived from it
  (with different labels): the same form sent twice (a double click, a retry,
  a refresh of the "thank you" page) is one submission, and its answer can show
  the same receipt link again, although the server keeps only the token's hash.
  Without the form id (a copy of the workspace file, a guess) the token cannot
  be made.
- A **unit link** (``/report/u/<token>``) carries a random token; only its hash
  is stored, with the county and unit it opens the form for.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from typing import TypeGuard

TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")  # 32 random bytes, URL-safe base64 without padding
FORM_ID = TOKEN


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_form_id() -> str:
    return new_token()


def valid(token: object) -> TypeGuard[str]:
    return isinstance(token, str) and TOKEN.fullmatch(token) is not None


def idempotency_key(form_id: str) -> str:
    """The submission's idempotency key (hex): one per form load."""
    return hashlib.sha256(b"tilannekuva idempotency\x00" + form_id.encode("ascii")).hexdigest()


def receipt_token(form_id: str) -> str:
    """The token of the submission's receipt link."""
    digest = hmac.new(form_id.encode("ascii"), b"tilannekuva receipt", hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def token_hash(token: str) -> str:
    """What is stored of a token (a receipt's or a unit link's)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
