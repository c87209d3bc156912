"""What the notebook worker keeps from one render to the next: the cells' highlighted code and
their cleaned-up HTML. Under ``serve`` the next render is usually the same notebook with one
output changed.

Highlighting: mkdocs-jupyter highlights each code cell with Pygments (through nbconvert's
``_pygments_highlight``), about half of what is left of a render; :class:`KeptHighlights`
returns the last render's HTML for the same source, formatter options, language and metadata.

Clean-up: once its template is rendered, nbconvert's HTML exporter parses the whole page with
BeautifulSoup to give images without alt text a placeholder one and to make the cells' input
and output focusable, then prints the tree again: about three quarters of a lesson notebook's
render, all of it again when one output changed. Each cell is one balanced element in the
notebook's container, and the tree printed for it depends on its own text only, so that same
clean-up made per cell (and once for the page around the cells) gives the same bytes, and a
cell seen in an earlier render is not parsed again. A page that does not split so is cleaned
up whole, exactly as nbconvert does.

:func:`install` puts both into the notebook worker, the clean-up only for the nbconvert whose
``HTMLExporter.from_notebook_node`` it was written against (any other keeps its own).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from .reproduced import is_reproduced

ALT_TEXT = "No description has been provided for this image"
# One cell's opening tag, as nbconvert's lab template writes it, and the container's end.
_CELL_START = re.compile(r'<div (?:id="[^"]*" )?class="jp-Cell ')
_NOTEBOOK_END = "</div> <!-- jp-Notebook -->"
_CELLS_PLACE = "<!--lessonkit: the cells-->"
_START_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)")
_END_TAG = re.compile(r"</([a-zA-Z][a-zA-Z0-9]*)")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

# sha256 of the nbconvert method this module reproduces (nbconvert 7.17): see install().
_REPRODUCED = "3dccafff45cc4e749766089c7de2f5385ac071e03f4f5a15bfb3b025f54893b9"


def _clean(html: str, *, in_notebook: bool) -> tuple[str, int]:
    """nbconvert's clean-up of ``html``; ``in_notebook``: all of it lies inside the notebook's
    container (nbconvert's selectors ask for that ancestor)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, features="html.parser")
    missing = 0
    for elem in soup.select("img:not([alt])"):
        elem.attrs["alt"] = ALT_TEXT
        missing += 1
    scope = "" if in_notebook else ".jp-Notebook "
    for elem in soup.select(f"{scope}div.jp-Cell-inputWrapper"):
        elem.attrs["tabindex"] = "0"
    for elem in soup.select(f"{scope}div.jp-OutputArea-output"):
        elem.attrs["tabindex"] = "0"
    return str(soup), missing


def _balanced(cell: str) -> bool:
    """Whether ``cell`` closes every element it opens and nothing else (else parsing it alone
    could nest differently from parsing it in its page)."""
    opened = Counter(t.lower() for t in _START_TAG.findall(cell) if t.lower() not in _VOID)
    closed = Counter(t.lower() for t in _END_TAG.findall(cell))
    return opened == closed


def _split(html: str) -> tuple[str, list[str], str] | None:
    """The page around the cells (before, after) and the cells, or None if it does not split.
    A cell may hold another's opening tag (mkdocs-jupyter wraps code cells): the pieces between
    openings are joined until they balance."""
    starts = [m.start() for m in _CELL_START.finditer(html)]
    end = html.rfind(_NOTEBOOK_END)
    if not starts or end < starts[-1] or _CELLS_PLACE in html:
        return None
    cells, joined = [], ""
    for a, b in zip(starts, [*starts[1:], end], strict=True):
        joined += html[a:b]
        if _balanced(joined):
            cells.append(joined)
            joined = ""
    if joined:
        return None
    return html[: starts[0]], cells, html[end:]


class CellCleanups:
    """The cleaned-up cells of the last render, by the cell's text (under ``serve``, the last
    render is usually the same notebook's, before the edit)."""

    def __init__(self) -> None:
        self._kept: dict[str, tuple[str, int]] = {}  # cell -> (cleaned, images without alt)

    def clean(self, html: str) -> tuple[str, int]:
        """nbconvert's clean-up of the notebook page ``html``: the same text, and the number of
        images that had no alt text."""
        parts = _split(html)
        if parts is None:
            return _clean(html, in_notebook=False)
        before, cells, after = parts
        page, missing = _clean(before + _CELLS_PLACE + after, in_notebook=False)
        if page.count(_CELLS_PLACE) != 1:
            return _clean(html, in_notebook=False)
        now: dict[str, tuple[str, int]] = {}
        for cell in cells:
            if cell not in now:
                now[cell] = self._kept.get(cell) or _clean(cell, in_notebook=True)
        self._kept = now
        head, tail = page.split(_CELLS_PLACE)
        return (
            head + "".join(now[cell][0] for cell in cells) + tail,
            missing + sum(now[cell][1] for cell in cells),
        )


class KeptHighlights:
    """``_pygments_highlight`` with the last render's results kept: the HTML for each cell's
    source under the formatter's class and options, the language and the cell's metadata."""

    def __init__(self, highlight: Callable[..., str]) -> None:
        self._highlight = highlight
        self._kept: dict[tuple[str, ...], str] = {}
        self._now: dict[tuple[str, ...], str] = {}

    def next_render(self) -> None:
        self._kept, self._now = self._now, {}

    def __call__(
        self, source: str, formatter: Any, language: str = "ipython", metadata: Any = None, **options: Any
    ) -> str:
        try:
            inputs = json.dumps([formatter.options, metadata, options], sort_keys=True)
        except (TypeError, ValueError):
            return self._highlight(source, formatter, language, metadata, **options)
        key = (type(formatter).__qualname__, inputs, str(language), source)
        html = self._now.get(key) or self._kept.get(key)
        if html is None:
            html = self._highlight(source, formatter, language, metadata, **options)
        self._now[key] = html
        return html


def keep_highlights() -> KeptHighlights | None:
    """Make mkdocs-jupyter's code cells (in this process) highlighted through the returned
    keeper (call its ``next_render`` before each render); None if there is nothing to wrap."""
    from mkdocs_jupyter import nbconvert2

    highlight = getattr(nbconvert2, "_pygments_highlight", None)
    if highlight is None:
        return None
    kept = KeptHighlights(highlight)
    nbconvert2._pygments_highlight = kept
    return kept


def install(cleanups: CellCleanups) -> bool:
    """Make nbconvert's HTML exporter (in this process) clean up through ``cleanups``. False,
    changing nothing, if nbconvert's method is not the one reproduced here."""
    from nbconvert.exporters.html import HTMLExporter, TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    if not is_reproduced(HTMLExporter.from_notebook_node, _REPRODUCED):
        return False

    def from_notebook_node(self: Any, nb: Any, resources: Any = None, **kw: Any) -> tuple[str, Any]:
        # nbconvert's own steps, in its order, up to its clean-up.
        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        highlight_code = self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
        resources = self._init_resources(resources)
        filter_data_type = WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources
        )
        self.register_filter("highlight_code", highlight_code)
        self.register_filter("filter_data_type", filter_data_type)
        html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        html, missing = cleanups.clean(html)
        if missing:
            self.log.warning("Alternative text is missing on %s image(s).", missing)
        return html, resources

    HTMLExporter.from_notebook_node = from_notebook_node
    return True
