"""The package's layout is its architecture: each subpackage imports only what its docstring
allows (its ``Imports:`` line), serve/ is imported by the adapters alone, and no module imports
itself back through others (the import graph has no cycle)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "scripts" / "lessonkit"
SUBPACKAGES = ("run", "page", "rules", "course", "outputs", "serve")
ADAPTERS = {"plugin", "markdown", "sitebuild", "__main__"}

pytestmark = pytest.mark.unit


def modules() -> dict[str, Path]:
    """Dotted names under lessonkit (a package by its __init__) -> file."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The lessonkit modules ``name`` imports at run time (not those under TYPE_CHECKING)."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):  # typing-only imports describe, they do not load
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            node.body = []
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join([*base, *([node.module] if node.module else [])])
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                found.add(candidate if candidate in known else target)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m for m in found if m in known and m != name and m != "lessonkit"}


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(name, path, known) for name, path in known.items()}


def home(module: str) -> str:
    """The subpackage a module belongs to, or its own name for a top-level module."""
    return module.split(".")[1] if module.count(".") >= 1 else module


def allowed(subpackage: str) -> set[str]:
    doc = ast.get_docstring(ast.parse((PACKAGE / subpackage / "__init__.py").read_text(encoding="utf-8")))
    match = re.search(r"^Imports: (?P<names>[^(.]*)", doc or "", re.MULTILINE)
    assert match, f"lessonkit/{subpackage}/__init__.py: its docstring needs an `Imports:` line"
    return {n.strip() for n in match["names"].split(",") if n.strip()}


def test_each_subpackage_imports_only_what_its_docstring_allows() -> None:
    crossings = {
        f"{module} imports {target}"
        for module, targets in graph().items()
        for target in targets
        if home(module) in SUBPACKAGES and home(target) not in {home(module), *allowed(home(module))}
    }
    assert sorted(crossings) == []


def test_only_the_adapters_import_serve() -> None:
    importers = {
        module.split(".")[1]
        for module, targets in graph().items()
        if any(home(t) == "serve" for t in targets) and home(module) != "serve"
    }
    assert importers <= ADAPTERS, importers - ADAPTERS


def test_shared_modules_import_no_subpackage() -> None:
    shared = {"lessonkit.options", "lessonkit.store", "lessonkit.processes", "lessonkit.yamlcheck"}
    found = {f"{m} imports {t}" for m in shared for t in graph()[m] if home(t) in SUBPACKAGES}
    assert found == set()


def test_the_import_graph_has_no_cycle() -> None:
    edges = graph()
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    cycles = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(edges[module]):
            if state.get(target) == 1:
                cycles.append(" -> ".join([*path[path.index(target) :], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_the_checks_see_the_real_imports() -> None:
    """Guards the tests above against passing because they read nothing."""
    edges = graph()
    assert "lessonkit.run.cache" in edges["lessonkit.run.engine"]
    assert "lessonkit.serve.page_reuse" in edges["lessonkit.plugin"]
    assert "lessonkit.sitebuild" not in edges["lessonkit.serve.page_reuse"], "TYPE_CHECKING only"
    assert allowed("course") == {"options", "store", "yamlcheck"}
    assert len(edges) > 50
