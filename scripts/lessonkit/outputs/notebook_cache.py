"""A lesson's companion notebook made again only when something it is made from has changed.

Building a notebook (cells, nbformat's schema validation, serialising) costs a tenth of a
second per lesson at every build, and under ``mkdocs serve`` at every save. Its bytes are a
pure function of the page's text and front matter, the sources and this build's outputs of
the snippets it shows, the notebook module and nbformat's version: those key a memo entry
in the cache folder (``store.memo_bytes``), so the same inputs give the same bytes as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import metadata
from pathlib import Path

from ..page.directives import PageContext
from ..run.results import RunResult
from ..store import memo_bytes
from . import notebook


def notebook_bytes(
    cache_dir: Path,
    lesson: PageContext,
    markdown: str,
    meta: Mapping[str, object],
    results: Mapping[Path, RunResult],
) -> bytes | None:
    """``notebook.to_bytes(notebook.build(...))``, or None when the page shows no snippet's code."""
    shown = notebook.shown_snippets(markdown, lesson)
    if not shown:
        return None

    def make() -> bytes:
        made = notebook.build(lesson, markdown, meta, results)
        assert made is not None  # it shows the snippets found above
        return notebook.to_bytes(made)

    if any(s.path not in results for s in shown):
        return make()  # raises the NotebookError that names the snippet
    parts: list[str | bytes] = [
        Path(notebook.__file__).read_bytes(),
        metadata.version("nbformat"),
        lesson.page,
        markdown,
        repr(sorted((str(k), repr(v)) for k, v in meta.items())),
    ]
    for snippet in shown:
        result = results[snippet.path]
        light = result.artifacts.get(notebook.FIGURE_IMAGE, b"") if snippet.is_figure else b""
        # By its path in the project, not on disk: a copy of the project (with its cache) hits.
        parts += [lesson.rel(snippet.path), snippet.section, snippet.path.read_bytes(), result.stdout, light]
    return memo_bytes(cache_dir, ["notebook", *parts], make)
