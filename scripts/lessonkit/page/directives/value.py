"""``{{ value NAME.py KEY }}`` / ``{{ value NAME.py KEY[i] }}`` inline: the rest of the output
line whose first token is KEY, or the i-th number on that line (0-based, negative from the
end), so prose quotes what the code printed. Numbers are quoted as printed, except that a
fraction of zeros is dropped (numpy's ``100.`` and Python's ``100.0`` both read ``100``)."""

from __future__ import annotations

import re

from .base import NUMBER, DirectiveError, Expand, PageContext, expect_args
from .grammar import Directive

KIND = "value"
BLOCK = False
SELECTOR = re.compile(r"^(?P<key>[^\[\]]+)(?:\[(?P<index>-?\d+)\])?$")
WHOLE = re.compile(r"^(-?\d+)\.0*$")


def format_number(token: str) -> str:
    """A number as printed, minus a fraction of zeros (``100.`` and ``100.0`` read as ``100``)."""
    whole = WHOLE.match(token)
    return whole[1] if whole else token


def lookup_value(output: str, selector: str) -> str:
    """Resolve ``KEY`` or ``KEY[i]`` against a snippet's output; raise KeyError/IndexError."""
    match = SELECTOR.match(selector)
    if not match:
        raise KeyError(f"bad selector {selector!r}; use KEY or KEY[i]")
    key, index = match["key"], match["index"]
    lines = [line for line in output.splitlines() if line.split(maxsplit=1)[:1] == [key]]
    if not lines:
        raise KeyError(f"no output line starts with {key!r}")
    if len(lines) > 1:
        raise KeyError(f"{len(lines)} output lines start with {key!r}; the key must be unique")
    rest = lines[0][len(key) :].strip()
    if index is None:
        return format_number(rest) if NUMBER.fullmatch(rest) else rest
    numbers = NUMBER.findall(lines[0])
    try:
        return format_number(numbers[int(index)])
    except IndexError:
        raise IndexError(f"line {lines[0]!r} has {len(numbers)} numbers, no index {index}") from None


def render(directive: Directive, page: PageContext, expand: Expand) -> str:
    name, selector = expect_args(directive, page, 2, "a snippet name and a key")
    path = page.snippet(name, directive)
    try:
        value = lookup_value(page.outputs(path), selector)
    except (KeyError, IndexError) as exc:
        raise DirectiveError(
            f"{page.where(directive)} does not match the output of {page.rel(path)}: {exc.args[0]}"
        ) from None
    page.tally.values += 1
    page.tally.numbers += len(NUMBER.findall(value))
    return value
