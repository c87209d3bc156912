"""Find numbers typed by hand in a lesson page, so computed ones can be bound to snippet output.

Every number a page states as a result should come from a ``{{ value }}`` or ``{{ table }}``
directive. :func:`unbound_numbers` lists the numbers left in the page source once the parts
that may hold numbers legitimately are set aside: front matter, code, HTML comments,
directives, link targets, footnote definitions, TeX exponents (``R^2``, ``^{-1}``),
enumeration labels (``1.``), identifiers (``A10234``, ``P-7``), and what an allow-list
names as inputs or definitions: a bare number (``0``) is allowed wherever it stands, any
other entry is a fragment of text (``100 + 20x``) whose numbers are allowed there only.
What is left is either an input missing from the allow-list or a computed number that
nobody bound.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..page.directives import scan
from ..page.directives.grammar import DIRECTIVE, blank
from ..page.pages import FRONT_MATTER

LINK_TARGET = re.compile(r"\]\([^)]*\)")
FOOTNOTE_DEFINITION = re.compile(r"^\[\^[^\]]+\]:.*$", re.MULTILINE)
TEX_EXPONENT = re.compile(r"\^\{?-?\d+\}?")
ENUMERATION = re.compile(r"(?:^[ \t]*|\|[ \t]*|\")\d+\.(?=\s)", re.MULTILINE)
# A number not glued to a word on its left (A10234, P-7 and x_1 are names, not numbers).
NUMBER = re.compile(r"(?<![\w.])(?<![A-Za-z]-)-?\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Unbound:
    line: int  # 1-based line in the page source
    number: str
    text: str  # the whole source line, for the message

    def __str__(self) -> str:
        return f"line {self.line}: {self.number!r} in: {self.text.strip()}"


def _blank(match: re.Match[str]) -> str:
    return blank(match[0])


def unbound_numbers(source: str, allowed: Iterable[str] = ()) -> list[Unbound]:
    """Numbers in ``source`` outside directives, code and what ``allowed`` names."""
    allowed = list(allowed)
    numbers = {entry for entry in allowed if re.fullmatch(r"-?\d+(?:\.\d+)?", entry)}
    fragments = sorted(set(allowed) - numbers, key=len, reverse=True)  # longest first: they may nest
    lines = source.splitlines()
    text = FRONT_MATTER.sub(_blank, source, count=1)
    scanned = scan(text)
    # Code, comments and directives are set aside; a directive's field lines (a figure's caption)
    # are prose, but the value directives inside them are directives.
    for start, end in [*scanned.verbatim, *((d.start, d.start + len(d.text)) for d in scanned.directives)]:
        text = text[:start] + blank(text[start:end]) + text[end:]
    for pattern in (DIRECTIVE, LINK_TARGET, FOOTNOTE_DEFINITION):
        text = pattern.sub(_blank, text)
    for fragment in fragments:
        text = re.sub(re.escape(fragment), _blank, text)
    text = TEX_EXPONENT.sub(_blank, text)
    text = ENUMERATION.sub(_blank, text)
    found = []
    for line_no, masked in enumerate(text.splitlines(), start=1):
        found += [
            Unbound(line_no, m[0], lines[line_no - 1]) for m in NUMBER.finditer(masked) if m[0] not in numbers
        ]
    return found
