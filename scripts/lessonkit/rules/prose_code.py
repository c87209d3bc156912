"""Code named in prose is code on the page.

The rule, for every lesson page:

An inline code span in the page's prose is *checked* when its text (with a leading
``#!python `` inlinehilite marker removed) parses as a Python expression or as one
simple statement, and is more than a bare name or literal: it contains a call
(``np.ones(3)``), a subscript (``X[:, 1]``), an attribute access (``X.T``), an
assignment (``lr = 0.2``), or an operator with at least one name among its operands
(``2 * x``; ``2 * 3`` is arithmetic, not code). Spans that look like file names or
paths (``worked-numbers.py``, ``snippets/x/``) are not checked, nor are spans marked
for another language (``#!js ...``).

A checked span passes when, with all whitespace removed from both, it occurs in the
source of one of the snippets the page *shows* (``{{ example NAME.py }}`` and
``{{ figure NAME.py }}``; a snippet that only feeds ``value`` or ``table`` directives
does not count), or when it is one of the lesson's *terms*, listed in
``snippets/<lesson>/lesson.toml`` as ``[prose] terms = ["np.linalg.lstsq", ...]`` for a
name used as a name (an API mentioned, not called). Everything else is reported with its
line, so a reader never meets code in the prose that the page's code does not contain.

Prose is the page source minus front matter, fenced code blocks, HTML comments and
``{{ ... }}`` directives; figure ``alt:`` and ``caption:`` lines and admonitions are prose.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..page.directives import scan
from ..page.directives.grammar import blank
from ..page.pages import FRONT_MATTER
from .lessondata import LESSON_FILE as LESSON_DATA

SHOWN_BY = ("example", "figure")  # directives that put a snippet's code on the page
HILITE = re.compile(r"^#!(?P<language>[\w+-]+)\s+")
FILE_EXTENSIONS = "py|md|txt|out|yml|yaml|toml|json|csv|svg|png|ipynb|js|css|html|sh"
PATH_LIKE = re.compile(rf"^[\w.-]+(?:/[\w.-]*)+$|^[\w.-]+\.(?:{FILE_EXTENSIONS})$")
SIMPLE_STATEMENTS = (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Assert, ast.Delete, ast.Return)
ALWAYS_CODE = (
    ast.Call,
    ast.Subscript,
    ast.Attribute,
    ast.Assign,
    ast.AugAssign,
    ast.AnnAssign,
    ast.NamedExpr,
)
OPERATORS = (ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare)


@dataclass(frozen=True)
class UnshownCode:
    line: int  # 1-based line in the page source
    span: str  # the code as written between the backticks

    def message(self, page: str) -> str:
        return (
            f"{page}:{self.line}: `{self.span}` is code that no snippet shown on this page "
            f"contains; quote the code as a shown snippet writes it, or list it under "
            f"[prose] terms in {LESSON_DATA} if it is a name used as a name"
        )


def _scan(page_source: str):
    """The page read by the shared grammar, front matter blanked so lines keep their numbers."""
    return scan(FRONT_MATTER.sub(lambda m: blank(m[0]), page_source, count=1))


def _squashed(text: str) -> str:
    return "".join(text.split())


def python_of(span: str) -> str | None:
    """The Python a code span holds, or None when it is marked for another language."""
    marker = HILITE.match(span)
    if marker is None:
        return span.strip()
    return span[marker.end() :].strip() if marker["language"] in ("python", "py") else None


def is_checked_code(code: str) -> bool:
    """True when ``code`` is a Python expression or simple statement with a call, subscript,
    attribute access, assignment, or an operator applied to a name; not for paths."""
    if PATH_LIKE.match(code):
        return False
    try:
        node: ast.AST = ast.parse(code, mode="eval").body
    except SyntaxError:
        try:
            module = ast.parse(code, mode="exec")
        except SyntaxError:
            return False
        if len(module.body) != 1 or not isinstance(module.body[0], SIMPLE_STATEMENTS):
            return False
        node = module.body[0]
    for part in ast.walk(node):
        if isinstance(part, ALWAYS_CODE):
            return True
        if isinstance(part, OPERATORS) and any(isinstance(n, ast.Name) for n in ast.walk(part)):
            return True
    return False


def code_spans(page_source: str) -> list[tuple[int, str]]:
    """(line, span text) of every inline code span in the prose, in page order."""
    return [(span.line, span.code) for span in _scan(page_source).code_spans]


def checked_spans(page_source: str) -> list[tuple[int, str, str]]:
    """(line, span as written, its Python) for each span the rule checks."""
    checked = []
    for number, span in code_spans(page_source):
        code = python_of(span)
        if code is not None and is_checked_code(code):
            checked.append((number, span, code))
    return checked


def unshown_code(page_source: str, shown_sources: list[str], terms: Iterable[str]) -> list[UnshownCode]:
    """Checked code spans of the page found neither in ``shown_sources`` (the sources of the
    snippets the page shows) nor among ``terms``, compared with all whitespace removed."""
    shown = [_squashed(source) for source in shown_sources]
    known = {_squashed(term) for term in terms}
    found = []
    for number, span, code in checked_spans(page_source):
        wanted = _squashed(code)
        if wanted not in known and not any(wanted in source for source in shown):
            found.append(UnshownCode(number, span))
    return found


def unused_terms(page_source: str, terms: Iterable[str]) -> list[str]:
    """Terms no checked span of the page needs, so the list stays as short as the page."""
    used = {_squashed(code) for _, _, code in checked_spans(page_source)}
    return [term for term in terms if _squashed(term) not in used]


def shown_snippet_names(page_source: str) -> list[str]:
    """Names of the snippets the page shows (example and figure directives), once each, in
    page order; directives inside fenced code or comments are not directives."""
    names = [d.args[0] for d in _scan(page_source).directives if d.kind in SHOWN_BY and d.args]
    return list(dict.fromkeys(names))


def check_page(page_source: str, folder: Path, terms: Iterable[str]) -> list[UnshownCode]:
    """The rule applied to one lesson page whose snippets live in ``folder``."""
    names = [name for name in shown_snippet_names(page_source) if (folder / name).is_file()]
    shown = [(folder / name).read_text(encoding="utf-8") for name in names]  # missing: a directive error
    return unshown_code(page_source, shown, terms)
