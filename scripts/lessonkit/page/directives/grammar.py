"""The page grammar, read once: where directives stand and which text is code.

``{{ kind args }}`` is a directive anywhere in prose. Text inside fenced code blocks,
inline code spans and HTML comments is verbatim: a directive there is shown, not
expanded, so pages can document the syntax. A block directive that stands alone on
its line may be followed directly by ``key: text`` field lines (the figure's ``alt:``
and ``caption:``), which belong to it.

Expansion, the notebook, the claims check and the code-in-prose rule all read pages
through :func:`scan`, so they agree on what is code and what is a directive.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)$")
DIRECTIVE = re.compile(r"\{\{[ \t]*(?P<kind>[A-Za-z_][\w-]*)(?P<args>[^{}\n]*?)[ \t]*\}\}")
# A code span: a run of backticks, text that does not cross a blank line, the same run again.
CODE_SPAN = re.compile(
    r"(?<![\\`])(?P<ticks>`+)(?!`)(?P<code>(?:(?!\n[ \t]*\n).)+?)(?<!`)(?P=ticks)(?!`)", re.S
)
COMMENT = re.compile(r"<!--.*?-->", re.S)
INLINE = re.compile(f"(?P<comment>{COMMENT.pattern})|(?P<span>{CODE_SPAN.pattern})|{DIRECTIVE.pattern}", re.S)
FIELD = re.compile(r"^[ \t]*(?P<key>[a-z]+):(?P<text>[^\n]*)$")
HEADING = re.compile(r"^(?P<marks>#{1,6})[ \t]+(?P<text>[^\n]+?)(?:[ \t]+#+)?[ \t]*$")
ATTR_LIST = re.compile(r"\s*\{[:#.][^{}]*\}\s*$")  # `## Title {#anchor}`


@dataclass(frozen=True)
class Directive:
    kind: str
    args: tuple[str, ...]
    text: str  # the directive as written, for messages
    line: int  # 1-based line in the scanned text
    start: int  # offsets of the whole directive, fields included
    end: int
    indent: str | None  # leading whitespace when the directive starts its line, else None
    alone: bool  # nothing else on its line
    fields: tuple[tuple[str, str], ...] = ()  # the `key: text` lines right below it


@dataclass(frozen=True)
class CodeSpan:
    code: str
    line: int
    start: int
    end: int


@dataclass(frozen=True)
class Heading:
    level: int
    text: str  # without a trailing attribute list
    start: int


@dataclass
class Scan:
    directives: list[Directive] = field(default_factory=list)
    code_spans: list[CodeSpan] = field(default_factory=list)
    verbatim: list[tuple[int, int]] = field(default_factory=list)  # fences, code spans, comments
    headings: list[Heading] = field(default_factory=list)


def blank(text: str) -> str:
    """``text`` as spaces, its newlines kept: masked text keeps every offset and line number."""
    return re.sub(r"[^\n]", " ", text)


def _fences(text: str) -> list[tuple[int, int]]:
    """Offsets of fenced code blocks (an unclosed fence runs to the end, as in Markdown)."""
    found, offset, opened = [], 0, None
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\n")
        if opened is None:
            match = FENCE_OPEN.match(body)
            if match and not (match["fence"][0] == "`" and "`" in match["info"]):
                opened = (offset, match["fence"])
        else:
            start, fence = opened
            stripped = body.strip()
            if stripped and set(stripped) == {fence[0]} and len(stripped) >= len(fence):
                found.append((start, offset + len(body)))
                opened = None
        offset += len(line)
    if opened is not None:
        found.append((opened[0], len(text)))
    return found


class _Lines:
    """Line numbers of offsets in one text (counting newlines afresh for each directive made
    scanning a long page quadratic)."""

    def __init__(self, text: str) -> None:
        self._newlines = [m.start() for m in re.finditer("\n", text)]

    def of(self, offset: int) -> int:
        return bisect.bisect_left(self._newlines, offset) + 1


FIELD_KINDS = frozenset({"figure"})  # directives that own the `key: text` lines below them


def scan(text: str, field_kinds: frozenset[str] = FIELD_KINDS) -> Scan:
    """Directives, code spans, verbatim regions and headings of one page's Markdown."""
    result = Scan()
    lines = _Lines(text)
    prose = text
    for start, end in _fences(text):
        result.verbatim.append((start, end))
        prose = prose[:start] + blank(prose[start:end]) + prose[end:]
    for line_match in re.finditer(r"^[^\n]*$", prose, re.M):
        heading = HEADING.match(line_match[0])
        if heading:
            title = ATTR_LIST.sub("", heading["text"])
            result.headings.append(Heading(len(heading["marks"]), title, line_match.start()))
    consumed = 0
    for match in INLINE.finditer(prose):
        if match.start() < consumed and match["comment"] is None and match["span"] is None:
            continue  # a directive inside the fields of the one before: that one expands it
        if match["comment"] is not None:
            result.verbatim.append(match.span())
            continue
        if match["span"] is not None:
            result.verbatim.append(match.span())
            line = lines.of(match.start())
            result.code_spans.append(CodeSpan(match["code"], line, match.start(), match.end()))
            continue
        line_start = prose.rfind("\n", 0, match.start()) + 1
        line_end = prose.find("\n", match.end())
        line_end = len(prose) if line_end == -1 else line_end
        before, after = prose[line_start : match.start()], prose[match.end() : line_end]
        alone = not before.strip() and not after.strip()
        end = match.end()
        fields: list[tuple[str, str]] = []
        if alone and match["kind"] in field_kinds:
            cursor = line_end
            while cursor < len(prose):
                next_end = prose.find("\n", cursor + 1)
                next_end = len(prose) if next_end == -1 else next_end
                field_match = FIELD.match(prose[cursor + 1 : next_end])
                if field_match is None:
                    break
                fields.append((field_match["key"], field_match["text"].strip()))
                cursor = end = next_end
            if fields and end < len(prose):
                end += 1  # the block owns its last line's newline: its expansion ends with one
        result.directives.append(
            Directive(
                kind=match["kind"],
                args=tuple(match["args"].split()),
                text=match[0],
                line=lines.of(match.start()),
                start=match.start(),
                end=end,
                indent=before if not before.strip() else None,
                alone=alone,
                fields=tuple(fields),
            )
        )
        consumed = end
    result.verbatim.sort()
    return result
