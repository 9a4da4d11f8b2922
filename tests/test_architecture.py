"""The house in layers: the import graph read with ``ast``. No circles; the
data layer never imports the web; the pure layers import no framework; no
import hides in a function without a reason written next to it."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("dashboard", "queries")


def modules() -> dict[str, Path]:
    found = {"app": ROOT / "app.py"}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def imports_of(name: str, path: Path, known: set[str]) -> list[tuple[str, ast.AST]]:
    """(imported project module, node) for every import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = []
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            # "from package import module" imports the module; "from module import name", the module.
            submodules = [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in known]
            targets = submodules if len(submodules) == len(node.names) else [base, *submodules]
        for target in targets:
            # The longest known module the import names (a name imported from a package may be a module).
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                out.append((target, node))
    return out


def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: {target for target, _ in imports_of(name, path, known)} for name, path in found.items()}


def test_the_import_graph_has_no_circle():
    edges = graph()
    # A package imported as a whole imports its __init__; count only module edges.
    state: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(node: str):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                circles.append(stack[stack.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
    assert not circles, circles


def _external_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_each_layer_imports_only_what_it_may():
    edges = graph()
    found = modules()
    rules = {
        # layer: (project modules it must not import, frameworks it must not import)
        "dashboard.core": (("dashboard.", "queries"), {"dash", "flask", "duckdb", "dash_bootstrap_components"}),
        # The data layer returns codes: labels and UI strings are applied above it.
        "queries": (
            (
                "dashboard.core.i18n",
                "dashboard.web",
                "dashboard.views",
                "dashboard.charts",
                "dashboard.export",
                "dashboard.imports",
                "dashboard.demo",
            ),
            {"dash", "flask", "dash_bootstrap_components"},
        ),
        "dashboard.charts": (
            ("dashboard.web", "dashboard.views", "queries", "dashboard.export"),
            {"dash", "flask", "duckdb"},
        ),
        "dashboard.views": (("dashboard.web", "dashboard.export"), {"dash", "flask", "dash_bootstrap_components"}),
        "dashboard.export": (("dashboard.web", "queries"), {"dash", "flask", "duckdb"}),
        "dashboard.imports": (("dashboard.web", "dashboard.views", "dashboard.charts"), {"dash", "flask"}),
    }
    problems = []
    for name, targets in edges.items():
        for layer, (forbidden, frameworks) in rules.items():
            if name != layer and not name.startswith(layer + "."):
                continue
            allowed_core = layer == "dashboard.core"
            for target in targets:
                if any(target == f or target.startswith(f) for f in forbidden):
                    if allowed_core and target.startswith("dashboard.core"):
                        continue
                    problems.append(f"{name} -> {target}")
            bad = _external_imports(found[name]) & frameworks
            if bad:
                problems.append(f"{name} -> {sorted(bad)}")
    assert not problems, problems


def test_no_import_hides_in_a_function_without_a_reason():
    hidden = []
    for path in modules().values():
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines))
        for func in ast.walk(tree):
            if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(func):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    here = lines[node.lineno - 1]
                    above = lines[node.lineno - 2] if node.lineno > 1 else ""
                    if "#" not in here and not above.strip().startswith("#"):
                        hidden.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not hidden, hidden


def test_app_module_only_builds_the_app():
    text = (ROOT / "app.py").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 10 and "create_app" in text and "server" in text
