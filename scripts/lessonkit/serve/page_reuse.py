"""Under ``mkdocs serve``, a page whose inputs did not change since the last rebuild is not
converted from Markdown again: its HTML, table of contents and title from that rebuild are
used, and what its directives recorded (snippets used, numbers quoted) is replayed.

"Inputs" are everything a page's HTML is made from: its Markdown (after the plugins' page
events), its path and URL, the site's file list (links), the Markdown configuration, the
curriculum and every page's front matter (course directives), and the files and this
build's outputs of each snippet folder it reads. A render that reported a problem or logged
a warning is never kept, so every problem is reported again; pages that include other files
with ``--8<--`` themselves are always converted. Kept in memory for one ``serve`` session.
"""

from __future__ import annotations

import copy
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

if TYPE_CHECKING:  # the plugin's build state, read here; serve/ imports no adapter
    from ..sitebuild import SiteBuild

from ..store import parts_digest

log = logging.getLogger("mkdocs.plugins.lessonkit")
INCLUDE = "--8<--"


@dataclass
class Rendered:
    key: str
    folders: tuple[Path, ...]  # the snippet folders the page read
    content: str
    toc: Any
    title: str | None
    anchors: set[str] | None
    links_to_anchors: dict[str, dict[str, str]] | None  # by the linked file's src_uri
    used: set[Path]
    tally: Any


class _Unstable(Exception):
    """A configuration value without a stable text form: nothing is reused."""


def _stable(value: Any) -> Any:
    """``value`` as plain data whose repr is the same at every rebuild (paths as text)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, dict):
        return sorted((str(k), _stable(v)) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        items = [_stable(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    raise _Unstable(type(value).__name__)


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class RenderedPages:
    def __init__(self) -> None:
        self._pages: dict[str, Rendered] = {}
        self._site_key: tuple[int, str | None] | None = None  # (id of the build, its site-wide inputs)
        self.reused: list[str] = []  # this rebuild's pages whose HTML was reused

    def _site_inputs(self, build: SiteBuild, config, files: Files) -> str | None:
        """A hash of what every page's HTML depends on (None: it cannot be told apart)."""
        if self._site_key is None or self._site_key[0] != id(build):
            mdx = {k: v for k, v in (config["mdx_configs"] or {}).items() if k != "lessonkit.markdown"}
            try:
                markdown_config = repr(_stable([config["markdown_extensions"], mdx]))
            except _Unstable:
                self._site_key = (id(build), None)
                return None
            inputs = parts_digest(
                [
                    repr(sorted((f.src_uri, f.dest_uri, f.url) for f in files)),
                    markdown_config,
                    repr((config["site_url"], config["use_directory_urls"])),
                    repr(sorted((src, repr(p.meta)) for src, p in build.pages.items())),
                    build.options.curriculum.read_bytes() if build.options.curriculum else b"",
                ]
            )
            self._site_key = (id(build), inputs)
            self.reused = []
        return self._site_key[1]

    def _key(self, page: Page, build: SiteBuild, site: str, folders: tuple[Path, ...]) -> str:
        return parts_digest(self._inputs(page, build, site, folders))

    def _inputs(
        self, page: Page, build: SiteBuild, site: str, folders: tuple[Path, ...]
    ) -> Iterator[str | bytes]:
        yield from (site, page.markdown or "", page.file.src_uri, page.file.dest_uri, page.url)
        for folder in folders:
            yield build.folder_state(folder, outputs=True)  # a figure's drawings are on its page

    def wrap(self, page: Page, build: SiteBuild, files: Files) -> None:
        """Make ``page.render`` reuse the last rebuild's HTML when its inputs are the same."""
        src = page.file.src_uri
        if INCLUDE in (page.markdown or ""):
            return
        entry = build.pages.get(src)
        own = (entry.folder,) if entry is not None and entry.folder is not None else ()
        convert = page.render

        def render(config, files: Files = files) -> None:
            site = self._site_inputs(build, config, files)
            if site is None:
                return convert(config, files)
            kept = self._pages.get(src)
            if kept is not None and kept.key == self._key(page, build, site, kept.folders):
                self.reused.append(src)
                log.debug(f"lessonkit: {src} unchanged since the last rebuild: its HTML is reused")
                page.content, page.toc, page._title_from_render = kept.content, kept.toc, kept.title
                page.present_anchor_ids = set(kept.anchors) if kept.anchors is not None else None
                if kept.links_to_anchors is not None:
                    page.links_to_anchors = {
                        files.get_file_from_path(uri): dict(links)
                        for uri, links in kept.links_to_anchors.items()
                        if files.get_file_from_path(uri) is not None
                    }
                build.used |= kept.used
                if kept.tally is not None:
                    build.tallies[src] = copy.deepcopy(kept.tally)
                return
            shared, problems, warnings = build.used, len(build.problems), _Warnings()
            build.used = set()  # what this page's directives use, recorded apart
            logging.getLogger("mkdocs").addHandler(warnings)
            try:
                convert(config, files)
            finally:
                logging.getLogger("mkdocs").removeHandler(warnings)
                mine, build.used = build.used, shared
                shared |= mine
            if len(build.problems) > problems or warnings.count:
                self._pages.pop(src, None)
                return
            folders = tuple(sorted({*own, *(p.parent for p in mine)}))
            links = page.links_to_anchors
            self._pages[src] = Rendered(
                key=self._key(page, build, site, folders),
                folders=folders,
                content=page.content or "",
                toc=page.toc,
                title=page._title_from_render,
                anchors=set(page.present_anchor_ids) if page.present_anchor_ids is not None else None,
                links_to_anchors={f.src_uri: dict(v) for f, v in links.items()}
                if links is not None
                else None,
                used=mine,
                tally=copy.deepcopy(build.tallies.get(src)),
            )

        page.render = render  # this page object only, for this build

    def summary(self) -> str | None:
        """The log line for a rebuild that reused pages."""
        if not self.reused:
            return None
        return f"lessonkit: {len(self.reused)} page(s) unchanged since the last rebuild kept their HTML"
