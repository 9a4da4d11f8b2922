"""The shape of a request to Dash's callback route, checked before Dash
reads it.

The browser's renderer always sends a request that fits the callback it
names: its outputs, inputs and state in the declared number and order, each
entry the declared property of a component whose id fits the declared id
(pattern-matching ids too), the same components for the same pattern
wherever it appears, and ``changedPropIds`` naming some of the inputs. Dash
itself trusts that and fails with a 500 on anything else. A request that
does not fit gets 400 here; the values inside a fitting request are the
callbacks' to check (``callbacks.filters``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from dash._utils import clean_property_name, stringify_id
from dash.dependencies import ALL, ALLSMALLER, MATCH, DashDependency

MAX_BODY = 2 * 1024 * 1024  # a real callback request is a few kilobytes
MAX_MATCHES = 1_000  # components one pattern may match
MAX_DEPTH = 32  # nesting of a value (a figure's clickData is about 6 deep)
MAX_CHANGED = 100
WILDCARDS = {'["ALL"]': ALL, '["MATCH"]': MATCH, '["ALLSMALLER"]': ALLSMALLER}


class BadRequest(ValueError):
    """The request does not fit the callback it names."""


def _declared(spec: Mapping) -> DashDependency:
    """A dependency of ``/_dash-dependencies`` form ({'id': str, 'property'}) as an object."""
    raw = spec["id"]
    component_id: str | dict = raw
    if raw.startswith("{"):
        component_id = {k: WILDCARDS.get(json.dumps(v, separators=(",", ":")), v) for k, v in json.loads(raw).items()}
    return DashDependency(component_id, spec["property"])


def _is_many(dependency: DashDependency) -> bool:
    return isinstance(dependency.component_id, dict) and any(
        v in (ALL, ALLSMALLER) for v in dependency.component_id.values()
    )


def _depth_ok(value: object) -> bool:
    stack = [(value, 0)]
    seen = 0
    while stack:
        item, depth = stack.pop()
        seen += 1
        if depth > MAX_DEPTH or seen > 200_000:
            return False
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return True


class _Check:
    def __init__(self):
        self.groups: dict[str, list[str]] = {}  # pattern -> the concrete ids it matched
        self.matched: dict[str, str] = {}  # MATCH key -> its value in this request
        self.prop_ids: set[str] = set()

    def entry(self, declared: DashDependency, entry: object, with_value: bool) -> str:
        if not isinstance(entry, dict) or not isinstance(entry.get("property"), str):
            raise BadRequest("entry")
        component_id = entry.get("id")
        if isinstance(component_id, dict):
            if not all(
                isinstance(k, str) and isinstance(v, (str, int, float)) and not isinstance(v, bool)
                for k, v in component_id.items()
            ):
                raise BadRequest("id values")
        elif not isinstance(component_id, str):
            raise BadRequest("id")
        if DashDependency(component_id, clean_property_name(entry["property"])) != declared:
            raise BadRequest("does not fit the callback")
        if isinstance(declared.component_id, dict):
            for key, wanted in declared.component_id.items():
                if wanted is MATCH and self.matched.setdefault(key, json.dumps(component_id[key])) != json.dumps(
                    component_id[key]
                ):
                    raise BadRequest("MATCH differs")
        if with_value:
            if not _depth_ok(entry.get("value")):
                raise BadRequest("value too deep")
            if entry["property"] == "id" and entry.get("value") != component_id:
                raise BadRequest("id value")
        text = stringify_id(component_id)
        self.prop_ids.add(f"{text}.{entry['property']}")
        return text

    def item(self, declared: DashDependency, sent: object, with_value: bool) -> None:
        if _is_many(declared):
            if not isinstance(sent, list) or len(sent) > MAX_MATCHES:
                raise BadRequest("pattern list")
            ids = [self.entry(declared, entry, with_value) for entry in sent]
            pattern = declared.component_id_str()
            if self.groups.setdefault(pattern, ids) != ids:
                raise BadRequest("the same pattern matched other components")
        else:
            self.entry(declared, sent, with_value)


def check(callback_map: Mapping, body: object) -> None:
    """Raise :class:`BadRequest` unless ``body`` fits a callback of ``callback_map``."""
    if not isinstance(body, dict):
        raise BadRequest("body")
    output = body.get("output")
    spec = callback_map.get(output) if isinstance(output, str) else None
    if spec is None:
        raise BadRequest("unknown callback")
    check_ = _Check()
    inputs = [_declared(s) for s in spec.get("inputs", [])]
    state = [_declared(s) for s in spec.get("state", [])]
    input_ids: set[str] = set()
    for name, declared in (("inputs", inputs), ("state", state)):
        sent = body.get(name, [])
        if not isinstance(sent, list) or len(sent) != len(declared):
            raise BadRequest(name)
        for dependency, item in zip(declared, sent):
            check_.item(dependency, item, with_value=True)
        if name == "inputs":
            input_ids = set(check_.prop_ids)
    if not spec.get("no_output"):
        declared_outputs = spec["output"]
        multi = isinstance(declared_outputs, list)
        declared_outputs = declared_outputs if multi else [declared_outputs]
        sent = body.get("outputs")
        sent = sent if multi else [sent]
        if not isinstance(sent, list) or len(sent) != len(declared_outputs):
            raise BadRequest("outputs")
        for dependency, item in zip(declared_outputs, sent):
            check_.item(DashDependency(dependency.component_id, dependency.component_property), item, with_value=False)
    changed = body.get("changedPropIds", [])
    if (
        not isinstance(changed, list)
        or len(changed) > MAX_CHANGED
        or not all(isinstance(c, str) and c in input_ids for c in changed)
    ):
        raise BadRequest("changedPropIds")


__all__ = ["BadRequest", "check", "MAX_BODY"]
