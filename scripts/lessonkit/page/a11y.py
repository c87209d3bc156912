"""Accessibility fixes made in a built page's HTML, before it is written.

Boxes that scroll sideways on a narrow screen (display formulas, tables, code blocks, notebook
code cells) must be reachable from the keyboard (WCAG 2.1.1), so each becomes a focusable group
with a name saying what it holds, here, in the HTML, so they work without JavaScript too. The
theme's script makes a scrolling code block focusable only where a pointer can hover, and takes
the focus away on a phone, so a code block's lines scroll in a box of the build's own inside
its ``<code>`` (``pre > code > span[tabindex]`` in docs/assets/lessonkit-code.css: no class,
as every code block carries one), which the script does not touch.

Input is the page as MkDocs renders it, after math is typeset (``katex.py``) and the page is
slimmed (``slim.py``): the markup matched here is what arithmatex/KaTeX, Python-Markdown's
tables, pymdownx.highlight and mkdocs-jupyter produce.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

# Display math: the KaTeX step writes exactly this opening tag (katex.py).
DISPLAY_MATH = re.compile(r'<div class="arithmatex">')
# Python-Markdown's tables carry no attributes; the theme wraps them at run time in a box
# that scrolls, which the build cannot make focusable, so the build wraps them first.
TABLE = re.compile(r"<table>(?P<body>.*?)</table>", re.DOTALL)
TABLE_HEAD = re.compile(r"<thead>(?P<head>.*?)</thead>", re.DOTALL)
NOTEBOOK_CODE = re.compile(r'<div class="highlight-ipynb(?P<classes>[^"]*)">')
# pymdownx.highlight's block: its title (the file name, or "Output"), then the lines.
CODE_BLOCK = re.compile(
    r'(?P<open><div class="language-[\w-]+ highlight">(?:<span class="filename">(?P<name>[^<]*)</span>)?'
    r"<pre><span></span><code\b[^>]*>)(?P<lines>.*?)(?P<close></code></pre>)",
    re.DOTALL,
)
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


def accessible_html(page: str) -> str:
    """``page`` with every sideways-scrolling box focusable and named."""
    page = DISPLAY_MATH.sub('<div class="arithmatex" tabindex="0" role="group" aria-label="Formula">', page)
    page = NOTEBOOK_CODE.sub(
        lambda m: f'<div class="highlight-ipynb{m["classes"]}" tabindex="0" role="group" aria-label="Code">',
        page,
    )
    page = CODE_BLOCK.sub(_scrolling_lines, page)
    return _wrap_tables(page)


def _scrolling_lines(match: re.Match[str]) -> str:
    name = html.unescape(match["name"]) if match["name"] else "Code"
    return (
        f'{match["open"]}<span tabindex="0" role="group" '
        f'aria-label="{html.escape(name)}">{match["lines"]}</span>{match["close"]}'
    )


def _wrap_tables(page: str) -> str:
    def wrap(match: re.Match[str]) -> str:
        head = TABLE_HEAD.search(match["body"])
        columns = _cell_texts(head["head"]) if head else []
        label = "Table: " + ", ".join(columns) if columns else "Table"
        return (
            f'<div class="lk-scroll" tabindex="0" role="group" aria-label="{html.escape(label)}">'
            f"{match[0]}</div>"
        )

    return TABLE.sub(wrap, page)


def _cell_texts(fragment: str) -> list[str]:
    """The text a screen reader gets from each header cell (math as its MathML text)."""
    reader = _HeaderCells()
    reader.feed(fragment)
    reader.close()
    return [" ".join(cell.split()) for cell in reader.cells if cell.strip()]


class _HeaderCells(HTMLParser):
    """Collects the text of each <th>, skipping subtrees marked aria-hidden."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: list[str] = []
        self._hidden_depth = 0  # > 0 inside an aria-hidden subtree
        self._in_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID_ELEMENTS:
            return
        if self._hidden_depth:
            self._hidden_depth += 1
        elif ("aria-hidden", "true") in attrs:
            self._hidden_depth = 1
        if tag == "th":
            self._in_cell = True
            self.cells.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_ELEMENTS:
            return
        if self._hidden_depth:
            self._hidden_depth -= 1
        if tag == "th":
            self._in_cell = False

    def handle_data(self, data: str) -> None:
        if self._in_cell and not self._hidden_depth:
            self.cells[-1] += data
