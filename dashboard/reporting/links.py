"""Per-unit links of the reporting form: ``/report/u/<token>`` opens the form for
one county (and starts it with one service unit) to whoever has the link.

Issued and revoked with ``python -m dashboard report-link`` (the token is shown
once, when it is issued; only its hash is kept in the workspace file); a
revoked link opens nothing from the next request on, also in a browser that
opened it before."""

from __future__ import annotations

from ..analysis.workspace import Workspace
from . import tokens


def issue(store: Workspace, county: str, service_unit: str | None, label: str, by: str) -> tuple[int, str]:
    """A new link: (its id, its token). The token is not kept: show it now."""
    token = tokens.new_token()
    link_id = store.add_report_link(tokens.token_hash(token), county, service_unit, label.strip(), by)
    return link_id, token


def find(store: Workspace, token: object) -> dict | None:
    """The open (not revoked) link of ``token``, or None."""
    if not tokens.valid(token):
        return None
    link = store.report_link(token_hash=tokens.token_hash(token))
    return link if link is not None and link["revoked_at"] is None else None


def open_link(store: Workspace, link_id: object) -> dict | None:
    """The link ``link_id`` if it is still open (a session remembers the id, not the token)."""
    if not isinstance(link_id, int) or isinstance(link_id, bool):
        return None
    link = store.report_link(link_id=link_id)
    return link if link is not None and link["revoked_at"] is None else None


def revoke(store: Workspace, link_id: int, by: str) -> bool:
    return store.revoke_report_link(link_id, by)
