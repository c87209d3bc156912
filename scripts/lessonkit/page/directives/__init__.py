"""The page syntax that ties prose to snippets: one module per directive, one registry.

    {{ example NAME.py }}     the script and this build's output          (example.py)
    {{ value NAME.py KEY }}   a value the script printed, inline          (value.py)
    {{ table NAME.py }}       a Markdown table the script printed         (table.py)
    {{ figure figure-X.py }}  the figure the script drew, + alt:/caption:  (figure.py)
    {{ quiz }}                the lesson's mastery check                   (quiz.py)
    {{ curriculum }}          the course outline (the Learn page)          (curriculum.py)
    {{ curriculum published }} the published lessons (the home page)       (curriculum.py)

Directives inside fenced code, inline code and HTML comments are shown verbatim
(:mod:`.grammar`). Snippet names are looked up in the page's snippets folder. A block
directive indented on its line, e.g. inside a collapsible ``??? success`` block, has its
whole expansion indented alike. Every problem on a page is reported, not just the first.
"""

from __future__ import annotations

from . import curriculum, example, figure, quiz, table, value
from .base import DirectiveError, PageContext, Tally
from .grammar import Directive, scan

REGISTRY = {module.KIND: module for module in (example, value, table, figure, quiz, curriculum)}

__all__ = ["REGISTRY", "Directive", "DirectiveError", "PageContext", "Tally", "expand", "scan"]


def _indent_after_first(block: str, indent: str) -> str:
    """``block`` placed where its first line already sits at ``indent``; blank lines stay empty."""
    first, *rest = block.split("\n")
    return "\n".join([first, *(indent + line if line.strip() else line for line in rest)])


def _render(directive: Directive, page: PageContext) -> str:
    module = REGISTRY.get(directive.kind)
    if module is None:
        raise DirectiveError(
            f"{page.where(directive)} is not a directive (known: {', '.join(REGISTRY)}); "
            "to show the syntax itself, put it in `inline code` or a fenced block"
        )
    if module.BLOCK and not directive.alone:
        raise DirectiveError(f"{page.where(directive)} must stand on a line of its own")
    if not module.BLOCK and directive.fields:
        raise DirectiveError(f"{page.where(directive)} takes no field lines")
    block = module.render(directive, page, expand)
    return _indent_after_first(block, directive.indent) if module.BLOCK and directive.indent else block


def expand(markdown: str, page: PageContext) -> str:
    """``markdown`` with every directive replaced; raises one DirectiveError listing every problem."""
    pieces: list[str] = []
    problems: list[str] = []
    last = 0
    for directive in scan(markdown).directives:
        pieces.append(markdown[last : directive.start])
        try:
            pieces.append(_render(directive, page))
        except DirectiveError as exc:
            problems += exc.messages
            pieces.append(markdown[directive.start : directive.end])
        last = directive.end
    pieces.append(markdown[last:])
    if problems:
        raise DirectiveError(*problems)
    return "".join(pieces)
