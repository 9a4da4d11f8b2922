"""HTML attributes with a dash in the name (``aria-*``, ``data-*``) for Dash components.

Dash takes them as keyword arguments spread from a dict (``html.Div(**{"aria-label": ...})``).
Its generated component signatures type every keyword argument, so a ``dict[str, str]``
spread into them does not type-check; these helpers build the dict in one place, typed as
Dash takes it: ``html.Section(..., **aria(label=t("filter.heading", lang)))``,
``html.Button(..., **aria(label=...), **data(dismiss="demo"))``."""

from __future__ import annotations

from typing import Any, Literal


def aria(
    *,
    label: str | None = None,
    labelledby: str | None = None,
    describedby: str | None = None,
    live: Literal["polite", "assertive", "off"] | None = None,
    hidden: bool = False,
    current: Literal["true", "page", "step", "location", "date", "time"] | None = None,
) -> dict[str, Any]:
    """``aria-*`` attributes; those left at their default are not set."""
    out: dict[str, Any] = {}
    if label is not None:
        out["aria-label"] = label
    if labelledby is not None:
        out["aria-labelledby"] = labelledby
    if describedby is not None:
        out["aria-describedby"] = describedby
    if live is not None:
        out["aria-live"] = live
    if hidden:
        out["aria-hidden"] = "true"
    if current is not None:
        out["aria-current"] = current
    return out


def data(**values: str) -> dict[str, Any]:
    """``data-*`` attributes: ``data(dismiss="demo")`` is ``{"data-dismiss": "demo"}`` (an
    underscore in a name becomes a dash)."""
    return {"data-" + name.replace("_", "-"): value for name, value in values.items()}
