"""Search index entries kept under a hash of what they are made from: under ``mkdocs serve``,
a page whose HTML did not change since the last rebuild gets the entries it got then, instead
of being parsed again; in a build, a page can be parsed while the build waits for snippets
(:meth:`SearchEntries.prepare`) rather than after the last one.

Material's search plugin parses every page's HTML at every rebuild (about 0.1 s for a lesson
page, most of a rebuild's search time). The entries it makes for a page are a function of the
page's HTML, table of contents, URL, title and front matter, and of the plugin's own options:
those key the entries kept. Front matter without a stable text form simply misses.

Most of that parse is Pygments' markup: one ``<span>`` per token, thousands on a lesson page,
which the parser walks one by one only to keep their text. The parser is handed each code block
without those spans (:func:`searchable_html`), which makes the same entries.

After indexing a page, the plugin strips ``data-search-*`` attributes from its HTML with a
regular expression run over the whole page, about 35 ms a megabyte, megabytes a build (a
notebook page inlines JupyterLab's CSS). On a page without the text ``data-search-`` it
changes nothing, and is skipped (:func:`_strip_only_where_needed`).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from typing import Any

from mkdocs.structure.pages import Page

from .rebuild_memo import RebuildMemo
from .reproduced import is_reproduced

# sha256 of the search plugin's on_page_context that _strip_only_where_needed reproduces
# (Material 9.7): any other is left as it is.
_CONTEXT_REPRODUCED = "33eb62fd1688be4d99a4e7bf8fc51c1be3d37602b63ad5327c9be3abf5dc8d50"

_PRE_BLOCK = re.compile(r"<pre\b[^>]*>.*?</pre>", re.DOTALL)
_SPAN_TAG = re.compile(r"</?span\b[^>]*>")


def _without_spans(block: re.Match[str]) -> str:
    code = block[0]
    if "data-search-exclude" in code or "linenodiv" in code:
        return code  # the parser skips such an element, text and all: leave it to the parser
    return _SPAN_TAG.sub("", code)


def searchable_html(html: str) -> str:
    """``html`` with the ``<span>`` tags inside its ``<pre>`` blocks removed.

    Material's parser keeps only a span's text, never the tag, and inside ``<pre>`` it keeps
    every character of text as it is (whitespace too), so runs of text joined by removing the
    tags between them give the same index entries.
    """
    return _PRE_BLOCK.sub(_without_spans, html) if "<pre" in html else html


def _toc_text(items: Any) -> Iterator[str]:
    for item in items or ():
        yield f"{item.id}|{item.url}|{item.title}|{item.level}("
        yield from _toc_text(item.children)
        yield ")"


def _strip_only_where_needed(plugins: Any, plugin: Any) -> None:
    """Replace the search plugin's ``on_page_context`` in this build's event list by one that
    does the same, without the attribute strip on pages that hold no such attribute."""
    handlers = getattr(plugins, "events", {}).get("page_context", [])
    method = getattr(type(plugin), "on_page_context", None)
    if not is_reproduced(method, _CONTEXT_REPRODUCED):
        return
    for i, handler in enumerate(handlers):
        if getattr(handler, "__self__", None) is plugin and getattr(handler, "__func__", None) is method:
            handlers[i] = _without_needless_strip(plugin, handler)
            return


def _without_needless_strip(plugin: Any, full: Callable[..., Any]) -> Callable[..., Any]:
    def on_page_context(context: Any, *, page: Page, config: Any, nav: Any) -> Any:
        if not plugin.config.enabled or "data-search-" in (page.content or ""):
            return full(context, page=page, config=config, nav=nav)
        plugin.search_index.add_entry_from_context(page)
        return None

    return on_page_context


class SearchEntries:
    def __init__(self) -> None:
        self.memo: RebuildMemo[list[dict]] = RebuildMemo()
        self._entries_for: Callable[[Page], list[dict]] | None = None

    def install(self, plugins: Any) -> None:
        """Wrap this build's search index (made anew in the search plugin's ``on_config``)."""
        self.memo.next_rebuild()
        self._entries_for = None
        plugin = next((p for p in plugins.values() if hasattr(p, "search_index")), None)
        index = getattr(plugin, "search_index", None)
        if index is None or not hasattr(index, "add_entry_from_context"):
            return  # no search plugin, or not Material's: nothing to keep
        _strip_only_where_needed(plugins, plugin)
        parse = index.add_entry_from_context
        options = repr(sorted((str(k), repr(v)) for k, v in getattr(index, "config", {}).items()))

        def parsed(page: Page) -> list[dict]:
            before = len(index.entries)
            kept, page.content = page.content, searchable_html(page.content or "")
            try:
                parse(page)
            finally:
                page.content = kept
            made = index.entries[before:]
            del index.entries[before:]
            return made

        def entries_for(page: Page) -> list[dict]:
            parts = [options, page.url, str(page.title), repr(page.meta), "".join(_toc_text(page.toc))]
            return self.memo.get([*parts, page.content or ""], lambda: parsed(page))

        def add_entry_from_context(page: Page) -> None:
            if (page.meta.get("search") or {}).get("exclude"):
                return  # as Material does: no entries (no need to hash the page's HTML)
            index.entries.extend(copy.deepcopy(entries_for(page)))

        self._entries_for = entries_for
        index.add_entry_from_context = add_entry_from_context

    def prepare(self, page: Page, content: str) -> None:
        """Parse ``page`` with this ``content`` now, for when the search plugin asks for it (if
        the page is still the same then): while the build would otherwise wait for snippets."""
        if self._entries_for is None:
            return
        kept, page.content = page.content, content
        try:
            self._entries_for(page)
        finally:
            page.content = kept
