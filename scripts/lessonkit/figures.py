"""Figures: snippets named ``figure-*.py`` that draw instead of (only) printing.

A figure snippet writes ``light.svg`` and ``dark.svg`` into its working directory
(the first figure of a lesson also ``card.png``, a social preview) and prints a
summary of the numbers it drew, checked like any snippet's output. The build
publishes every file it wrote at ``assets/figures/<lesson>/<snippet stem>/<file>``.
The page syntax that shows a figure lives in :mod:`lessonkit.directives`.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from pathlib import Path

from .results import RunResult

PREFIX = "figure-"
VARIANTS = ("light", "dark")  # one SVG per palette, shown with mkdocs-material's #only-light/#only-dark
REQUIRED = tuple(f"{variant}.svg" for variant in VARIANTS)
ASSETS = "assets/figures"


def is_figure(snippet: Path) -> bool:
    return snippet.name.startswith(PREFIX) and snippet.suffix == ".py"


def asset_uri(snippet: Path, name: str) -> str:
    """Where a file drawn by ``snippet`` is published, relative to the site root."""
    return f"{ASSETS}/{snippet.parent.name}/{snippet.stem}/{name}"


def asset_link(page: str, snippet: Path, name: str) -> str:
    """The same file as a Markdown link from ``page`` (a docs-relative path such as lessons/x.md)."""
    return posixpath.relpath(asset_uri(snippet, name), posixpath.dirname(page) or ".")


def site_files(results: Mapping[Path, RunResult]) -> dict[str, bytes]:
    """Every file the figure snippets drew, by site URI (the snippet checks ensure both SVGs exist)."""
    return {
        asset_uri(snippet, name): content
        for snippet, result in sorted(results.items())
        if is_figure(snippet)
        for name, content in result.artifacts.items()
    }
