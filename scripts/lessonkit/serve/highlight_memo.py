"""Under ``mkdocs serve``, each code block's highlighted HTML kept from the last rebuild.

Pygments is most of a lesson page's Markdown time (about forty blocks), and an edit changes one
or two of them. SuperFences asks its highlighter (pymdownx.highlight's ``Highlight``) for each
block's HTML; :func:`keep_highlights` wraps that class on one Markdown instance, so a block
whose highlighter settings, source, language and options (among them its number on the page,
which names its line anchors) are unchanged gets the HTML it got last time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markdown import Markdown

from .rebuild_memo import RebuildMemo


class _KeptHighlight:
    """Stands in for one ``Highlight(md, **settings)``: same constructor, same ``highlight``."""

    def __init__(
        self, real: Callable[..., Any], memo: RebuildMemo[str], md: Markdown, **settings: Any
    ) -> None:
        self._new = lambda: real(md, **settings)
        self._settings = repr(sorted(settings.items()))
        # An HTML title goes into the page's own stash, and inline code is an element: neither
        # is a plain function of the inputs.
        self._keep = settings.get("title_mode") != "html"
        self._memo = memo

    def highlight(self, src: str, language: str, *args: Any, **kwargs: Any) -> Any:
        def made() -> Any:
            return self._new().highlight(src, language, *args, **kwargs)

        if not self._keep or kwargs.get("inline"):
            return made()
        parts = [self._settings, src, str(language), repr(args), repr(sorted(kwargs.items()))]
        return self._memo.get(parts, made)


class _Kept:
    def __init__(self, real: Callable[..., Any], memo: RebuildMemo[str]) -> None:
        self.real, self.memo = real, memo

    def __call__(self, md: Markdown, **settings: Any) -> _KeptHighlight:
        return _KeptHighlight(self.real, self.memo, md, **settings)


def keep_highlights(md: Markdown, memo: RebuildMemo[str]) -> None:
    """Make ``md``'s SuperFences take unchanged blocks' HTML from ``memo`` (no SuperFences, or
    one without Pygments' highlighter: nothing to do)."""
    if "fenced_code_block" not in md.preprocessors:
        return
    fenced = md.preprocessors["fenced_code_block"]
    if not hasattr(fenced, "get_hl_settings"):
        return  # not SuperFences
    fenced.get_hl_settings()  # finds the highlighter once per Markdown instance
    real = getattr(fenced, "highlighter", None)
    if real is not None and not isinstance(real, _Kept):
        fenced.highlighter = _Kept(real, memo)
