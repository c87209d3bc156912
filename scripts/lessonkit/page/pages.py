"""The site's pages as the engine sees them, read once per build: source, front matter,
and the snippets folder whose scripts the page may use.

A page ``lessons/<name>.md`` uses ``snippets/<name>/`` when that folder exists; any
page may name its folder in front matter instead (``snippets: demo`` means
``snippets/demo/``). Pages with a folder are lessons: they get the lesson rules, a
Markdown download and a companion notebook.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .. import yamlcheck

# The same front-matter block MkDocs reads (mkdocs.utils.meta), so line numbers agree.
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
LESSON_PAGES = "lessons/"


class PageError(Exception):
    """A page whose front matter cannot be used; the message names the page and key."""


@dataclass(frozen=True)
class Page:
    src: str  # docs-relative path, e.g. lessons/linear-regression-from-scratch.md
    path: Path  # the source file
    source: str  # the whole file
    body: str  # the Markdown below the front matter, as MkDocs passes it on
    line_offset: int  # source lines above ``body``
    meta: dict = field(default_factory=dict)
    folder: Path | None = None  # the snippets folder; None for a page without one

    @property
    def is_lesson(self) -> bool:
        return self.folder is not None


def split_front_matter(source: str, where: str) -> tuple[dict, str, int]:
    """(front matter, body, lines above the body) of a Markdown file."""
    match = FRONT_MATTER.match(source)
    if match is None:
        return {}, source, 0
    meta = yamlcheck.load(match[1], f"{where} (front matter)")
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise PageError(f"{where}: the front matter must be `key: value` lines")
    body = source[match.end() :].lstrip("\n")
    return meta, body, source[: len(source) - len(body)].count("\n")


def snippets_folder(src: str, meta: dict, snippets_dir: Path, where: str) -> Path | None:
    named = meta.get("snippets")
    if named is not None:
        if not isinstance(named, str) or not named.strip() or "/" in named.strip("/"):
            raise PageError(f"{where}: front matter `snippets:` must name one folder of {snippets_dir.name}/")
        folder = snippets_dir / named.strip("/")
        if not folder.is_dir():
            raise PageError(
                f"{where}: front matter `snippets: {named}` names {snippets_dir.name}/{named}/, "
                "which does not exist"
            )
        return folder
    if src.startswith(LESSON_PAGES) and src.endswith(".md"):
        folder = snippets_dir / PurePosixPath(src).stem
        return folder if folder.is_dir() else None
    return None


def read_page(src: str, path: Path, snippets_dir: Path, where: str) -> Page:
    source = path.read_text(encoding="utf-8")
    try:
        meta, body, offset = split_front_matter(source, where)
    except yamlcheck.DataError as exc:
        raise PageError(str(exc)) from None
    folder = snippets_folder(src, meta, snippets_dir, where) if src.endswith(".md") else None
    return Page(src=src, path=path, source=source, body=body, line_offset=offset, meta=meta, folder=folder)


def index(docs: dict[str, Path], snippets_dir: Path, docs_name: str = "docs") -> dict[str, Page]:
    """Every Markdown page of ``docs`` (docs-relative path -> file), read; problems of all pages
    are reported together."""
    pages, problems = {}, []
    for src, path in sorted(docs.items()):
        if not src.endswith(".md"):
            continue
        try:
            pages[src] = read_page(src, path, snippets_dir, f"{docs_name}/{src}")
        except PageError as exc:
            problems.append(str(exc))
    if problems:
        raise PageError("\n".join(problems))
    return pages
