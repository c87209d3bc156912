"""``{{ table NAME.py }}`` on a line of its own: the snippet's whole output, which must be one
Markdown table; worked tables are printed by the code that computes them."""

from __future__ import annotations

import re

from .base import NUMBER, DirectiveError, Expand, PageContext, expect_args
from .grammar import Directive

KIND = "table"
BLOCK = True
SEPARATOR = re.compile(r"^\|(\s*:?-+:?\s*\|)+$")


def render(directive: Directive, page: PageContext, expand: Expand) -> str:
    (name,) = expect_args(directive, page, 1, "one snippet name")
    path = page.snippet(name, directive)
    lines = page.outputs(path).rstrip("\n").splitlines()
    if len(lines) < 3 or not all(line.startswith("|") for line in lines) or not SEPARATOR.match(lines[1]):
        raise DirectiveError(
            f"{page.where(directive)}: {page.rel(path)} must print a Markdown table "
            "(a header, a |---| line, rows) and nothing else"
        )
    page.tally.tables += 1
    page.tally.numbers += sum(len(NUMBER.findall(row)) for row in lines[2:])
    return "\n".join(lines)
