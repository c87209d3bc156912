"""Figures: snippets named ``figure-*.py`` that draw instead of (only) printing.

A figure snippet writes ``light.svg`` and ``dark.svg`` into its working directory
(the first figure of a lesson also ``card.png``, a social preview) and prints a
summary of the numbers it drew, checked like any snippet's output. The build
publishes every file it wrote at ``assets/figures/<lesson>/<snippet stem>/<file>``.
The page syntax that shows a figure lives in :mod:`lessonkit.page.directives`.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from pathlib import Path

from .results import RunResult

PREFIX = "figure-"
VARIANTS = ("light", "dark")  # one SVG per palette, shown with mkdocs-material's #only-light/#only-dark
REQUIRED = tuple(f"{variant}.svg" for variant in VARIANTS)
ASSETS = "assets/figures"
# The collapsed "How this figure is made" block, published on its own and fetched when opened.
SOURCE_PAGE = "how-it-is-made.html"
SVG_ROOT = re.compile(rb"<svg\b[^>]*>")
SVG_LENGTH = re.compile(r"^(?P<number>[\d.]+)(?P<unit>pt|px)?$")
PX_PER_UNIT = {"pt": 96 / 72, "px": 1.0, None: 1.0}


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


def svg_size(svg: bytes) -> tuple[int, int]:
    """The drawing's width and height in CSS pixels, from its root element (matplotlib writes
    them in points); pages give them to the <img>, so the space is kept before it loads."""
    root = SVG_ROOT.search(svg)
    sizes = []
    for name in ("width", "height"):
        value = re.search(rf'\b{name}="([^"]*)"'.encode(), root[0]) if root else None
        length = SVG_LENGTH.match(value[1].decode()) if value else None
        if length is None:
            raise ValueError(f"the SVG's root element has no {name} in pt or px")
        sizes.append(round(float(length["number"]) * PX_PER_UNIT[length["unit"]]))
    return sizes[0], sizes[1]
