"""The type check covers all of our code: pyproject's mypy overrides name third-party modules only,
and none of them ignores errors (``make typecheck`` runs mypy itself)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OURS = ("app", "dashboard", "queries", "tests", "benchmarks", "bench", "click_ab", "naive_app", "suggestions")


def test_mypy_overrides_are_for_third_party_code_only():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    overrides = config.get("overrides", [])
    assert overrides, "the third-party overrides (untyped libraries, dash.dash_table) are expected"
    for override in overrides:
        modules = override["module"] if isinstance(override["module"], list) else [override["module"]]
        assert not override.get("ignore_errors"), f"errors ignored in {modules}: fix them instead"
        ours = [m for m in modules if m.split(".")[0] in OURS]
        assert not ours, f"our own modules in a mypy override: {ours}"
