"""Which modules a script imports, read from its syntax tree (never by running it)."""

from __future__ import annotations

import ast
import threading

# CPython keeps the syntax tree builder's recursion depth per interpreter, not per thread: two
# threads parsing at once can fail with "SystemError: AST constructor recursion depth mismatch"
# (CPython gh-106905; seen here on 3.11.7, when the engine read snippets from its worker
# threads). Scripts are read from several threads, so they parse one at a time.
_PARSING = threading.Lock()


def parse(source: bytes, filename: str) -> ast.Module:
    """``ast.parse`` of a script, one thread at a time; raises SyntaxError as it does."""
    with _PARSING:
        return ast.parse(source, filename=filename)


def top_level_imports(source: bytes, filename: str) -> set[str]:
    """First components of the absolute imports in ``source`` (``numpy`` for ``import numpy.linalg``).

    Raises SyntaxError for a script that does not parse."""
    names: set[str] = set()
    for node in ast.walk(parse(source, filename)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names
