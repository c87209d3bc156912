"""Which modules a script imports, read from its syntax tree (never by running it)."""

from __future__ import annotations

import ast


def top_level_imports(source: bytes, filename: str) -> set[str]:
    """First components of the absolute imports in ``source`` (``numpy`` for ``import numpy.linalg``).

    Raises SyntaxError for a script that does not parse."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names
