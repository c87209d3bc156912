"""The page syntax that ties prose to snippets.

``{{ example NAME.py }}`` on a line of its own
    the snippet's code (included from its file, titled with its name, numbered)
    followed by an "Output" block holding this build's output.
``{{ value NAME.py KEY }}`` / ``{{ value NAME.py KEY[i] }}`` inline
    the rest of the output line whose first token is KEY, or the i-th number
    (0-based) on that line, so prose quotes what the code printed.
``{{ table NAME.py }}`` on a line of its own
    the snippet's whole output, which must be a Markdown table: worked tables
    are printed by the code that computes them.

``{{ figure figure-NAME.py }}`` on a line of its own, directly followed by two lines::

        {{ figure figure-fitted-line.py }}
        alt: what the figure shows, for readers who cannot see it (plain text)
        caption: what the figure means (Markdown)

    the figure the snippet drew (see :mod:`lessonkit.figures`), light and dark
    variants following the reader's palette, each a link to the full-size SVG;
    the caption below it; then a collapsed "How this figure is made" block with
    the script and its printed summary. Both fields are required and may quote
    outputs with ``{{ value ... }}``; the block ends at the first other line.

``{{ quiz }}`` on a line of its own
    the lesson's mastery check, from ``snippets/<lesson>/quiz.yml`` (see quiz.py).

A block directive (example, table) indented on its line, e.g. inside a
collapsible ``??? success`` block, has its whole expansion indented alike.
Numbers are quoted as printed, except that a fraction of zeros is dropped
(numpy's ``100.`` and Python's ``100.0`` both read ``100``).

NAME is looked up in the lesson's snippet folder ``snippets/<lesson>/`` where
<lesson> is the page's file stem, or the page's ``snippets:`` front-matter key.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import figures

DIRECTIVE = re.compile(r"\{\{\s*(?P<kind>[a-z_]+)\s+(?P<args>[^{}]*?)\s*\}\}")
# A figure directive alone on its line and the `key: text` lines right below it.
FIGURE_BLOCK = re.compile(
    r"^\{\{\s*figure\s+(?P<figure>[^{}\n]*?)\s*\}\}[ \t]*\n(?P<fields>(?:[a-z]+:.*(?:\n|\Z))*)",
    re.MULTILINE,
)
FIGURE_FIELDS = ("alt", "caption")
ANY_DIRECTIVE = re.compile(f"{FIGURE_BLOCK.pattern}|{DIRECTIVE.pattern}", re.MULTILINE)
NUMBER = re.compile(r"-?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?")
SELECTOR = re.compile(r"^(?P<key>[^\[\]]+)(?:\[(?P<index>-?\d+)\])?$")


class DirectiveError(Exception):
    """A directive that cannot be resolved; the message names page and directive."""


@dataclass
class Tally:
    """How much of a page is quoted from snippet output."""

    values: int = 0  # value directives
    tables: int = 0  # table directives
    numbers: int = 0  # numbers inside the quoted values and table rows

    def add(self, other: Tally) -> None:
        self.values += other.values
        self.tables += other.tables
        self.numbers += other.numbers


@dataclass
class Lesson:
    """What a page needs to resolve its directives."""

    page: str  # page path for messages, e.g. lessons/linear-regression-from-scratch.md
    folder: Path  # snippets/<lesson>
    root: Path
    outputs: Callable[[Path], str]  # this build's stdout of a snippet
    used: set[Path] = field(default_factory=set)
    tally: Tally = field(default_factory=Tally)
    artifacts: Callable[[Path], Mapping[str, bytes]] = lambda path: {}  # files a snippet wrote

    def snippet(self, name: str, directive: str) -> Path:
        path = self.folder / name
        if not path.is_file():
            raise DirectiveError(
                f"{self.page}: `{directive}` names {path.relative_to(self.root).as_posix()}, "
                "which does not exist"
            )
        self.used.add(path)
        return path


def lesson_folder(root: Path, page_src: str, meta: dict) -> Path:
    return root / "snippets" / str(meta.get("snippets") or Path(page_src).stem)


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


def _fence(body: str) -> str:
    """A backtick fence longer than any run of backticks inside ``body``."""
    longest = max((len(m) for m in re.findall(r"`+", body)), default=0)
    return "`" * max(3, longest + 1)


def render_table(lesson: Lesson, path: Path) -> str:
    """The snippet's output, checked to be one Markdown table (header, separator, rows)."""
    lines = lesson.outputs(path).rstrip("\n").splitlines()
    separator = re.compile(r"^\|(\s*:?-+:?\s*\|)+$")
    if len(lines) < 3 or not all(line.startswith("|") for line in lines) or not separator.match(lines[1]):
        rel = path.relative_to(lesson.root).as_posix()
        raise ValueError(f"{rel} must print a Markdown table (a header, a |---| line, rows) and nothing else")
    return "\n".join(lines)


def render_example(lesson: Lesson, path: Path, *, plain: bool) -> str:
    output = lesson.outputs(path)
    if plain:
        # For pytest-codeblocks: a bare python block, the marker, then the expected output.
        code = path.read_text(encoding="utf-8")
        return (
            f"{_fence(code)}python\n{code.rstrip()}\n{_fence(code)}\n\n"
            "<!--pytest-codeblocks:expected-output-->\n\n"
            f"{_fence(output)}text\n{output}{_fence(output)}"
        )
    rel = path.relative_to(lesson.root).as_posix()
    shown = output if output.strip() else "(no output)\n"
    return (
        f'```python title="{path.name}" linenums="1"\n--8<-- "{rel}"\n```\n\n'
        f'{_fence(shown)}text title="Output"\n{shown}{_fence(shown)}'
    )


def _parse_figure_fields(lesson: Lesson, directive: str, block: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in block.splitlines():
        key, _, text = line.partition(":")
        if key not in FIGURE_FIELDS:
            raise DirectiveError(
                f"{lesson.page}: `{directive}` has an unknown field `{key}:` "
                f"(known: {', '.join(FIGURE_FIELDS)})"
            )
        fields[key] = text.strip()
    for key, purpose in (("alt", "what the figure shows"), ("caption", "what it means")):
        if not fields.get(key):
            raise DirectiveError(
                f"{lesson.page}: `{directive}` has no {key} text; add a line `{key}: <{purpose}>` "
                "right below it"
            )
    return fields


def _escape_alt(text: str) -> str:
    """Alt text kept literal in Markdown image syntax.

    Only what acts before the image pattern needs a backslash: escapes, code spans,
    the brackets themselves and arithmatex's ``$``.
    """
    return re.sub(r"([\\`\[\]$])", r"\\\1", text)


def render_figure(lesson: Lesson, path: Path, alt: str, caption: str, *, plain: bool) -> str:
    light, dark = (figures.asset_link(lesson.page, path, f"{variant}.svg") for variant in figures.VARIANTS)
    alt = _escape_alt(alt)
    if plain:
        code = path.read_text(encoding="utf-8")
        output = lesson.outputs(path)
        # `python title=...` rather than a bare `python` fence: pytest-codeblocks skips it. The build
        # already runs and checks figure scripts, and pytest-codeblocks would exec this one with
        # __name__ != "__main__", so it would draw nothing and print nothing to compare.
        return (
            f"![{alt}]({light})\n\n{caption}\n\n"
            f'{_fence(code)}python title="{path.name}"\n{code.rstrip()}\n{_fence(code)}\n\n'
            f"{_fence(output)}text\n{output}{_fence(output)}\n"
        )
    drawn = lesson.artifacts(path)
    if figures.REQUIRED[0] not in drawn:
        raise DirectiveError(f"{lesson.page}: {path.name} drew no {figures.REQUIRED[0]} in this build")
    # Width and height keep the figure's space while it loads; lazy loading means the variant
    # of the palette not shown (display: none) is never fetched.
    width, height = figures.svg_size(drawn[figures.REQUIRED[0]])
    image = f'{{ width="{width}" height="{height}" loading="lazy" decoding="async" }}'
    # The script and its output are published on their own page and fetched when the block is
    # opened (lessonkit.deferred): a figure script weighs more than most of the lesson's text.
    source = figures.asset_uri(path, figures.SOURCE_PAGE)
    body = render_example(lesson, path, plain=False)
    return (
        '<figure class="lk-figure" markdown="span">\n'
        f"[![{alt}]({light}#only-light){image}]({light})\n"
        f"[![{alt}]({dark}#only-dark){image}]({dark})\n"
        f'<figcaption markdown="span">{caption}</figcaption>\n'
        "</figure>\n\n"
        f'<details class="example lk-figure-source" data-lk-defer="{source}" markdown="block">\n'
        "<summary>How this figure is made</summary>\n\n"
        f"{body}\n\n"
        "</details>\n"
    )


def _block_indent(markdown: str, match: re.Match[str]) -> str:
    """The whitespace before a directive that starts its line, else ''."""
    line_start = markdown.rfind("\n", 0, match.start()) + 1
    before = markdown[line_start : match.start()]
    return before if not before.strip() else ""


def _indent_after_first(block: str, indent: str) -> str:
    """``block`` placed where its first line already sits at ``indent``; blank lines stay empty."""
    first, *rest = block.split("\n")
    return "\n".join([first, *(indent + line if line.strip() else line for line in rest)])


def expand(markdown: str, lesson: Lesson, *, plain: bool = False) -> str:
    """Replace every directive in ``markdown``; unknown or unresolvable ones raise DirectiveError."""

    def replace(match: re.Match[str]) -> str:
        if match["figure"] is not None:
            args, text = match["figure"].split(), match[0].splitlines()[0].strip()
            if len(args) != 1:
                raise DirectiveError(f"{lesson.page}: `{text}` takes one snippet name")
            if not figures.is_figure(Path(args[0])):
                raise DirectiveError(
                    f"{lesson.page}: `{text}` names {args[0]}, but figure snippets are named "
                    f"{figures.PREFIX}*.py"
                )
            path = lesson.snippet(args[0], text)
            fields = _parse_figure_fields(lesson, text, match["fields"])
            # Fields may quote outputs with {{ value }}; they hold no figure blocks.
            alt, caption = (expand(fields[key], lesson, plain=plain) for key in FIGURE_FIELDS)
            return render_figure(lesson, path, alt, caption, plain=plain)
        kind, args, text = match["kind"], match["args"].split(), match[0]
        if kind == "example":
            if len(args) != 1:
                raise DirectiveError(f"{lesson.page}: `{text}` takes one snippet name")
            block = render_example(lesson, lesson.snippet(args[0], text), plain=plain)
            return _indent_after_first(block, _block_indent(markdown, match))
        if kind == "table":
            if len(args) != 1:
                raise DirectiveError(f"{lesson.page}: `{text}` takes one snippet name")
            try:
                table = render_table(lesson, lesson.snippet(args[0], text))
            except ValueError as exc:
                raise DirectiveError(f"{lesson.page}: `{text}`: {exc}") from None
            lesson.tally.tables += 1
            lesson.tally.numbers += sum(len(NUMBER.findall(row)) for row in table.splitlines()[2:])
            return _indent_after_first(table, _block_indent(markdown, match))
        if kind == "value":
            if len(args) != 2:
                raise DirectiveError(f"{lesson.page}: `{text}` takes a snippet name and a key")
            path = lesson.snippet(args[0], text)
            try:
                value = lookup_value(lesson.outputs(path), args[1])
            except (KeyError, IndexError) as exc:
                rel = path.relative_to(lesson.root).as_posix()
                raise DirectiveError(
                    f"{lesson.page}: `{text}` does not match the output of {rel}: {exc.args[0]}"
                ) from None
            lesson.tally.values += 1
            lesson.tally.numbers += len(NUMBER.findall(value))
            return value
        if kind == "quiz":
            if args:
                raise DirectiveError(f"{lesson.page}: `{text}` takes no arguments")
            from . import quiz  # imported here because quiz expands directives in its own text

            return quiz.render_for_page(lesson, plain=plain)
        if kind == "figure":
            raise DirectiveError(
                f"{lesson.page}: `{text}` must stand on a line of its own, followed by "
                "`alt:` and `caption:` lines"
            )
        raise DirectiveError(
            f"{lesson.page}: unknown directive `{text}` (known: example, table, value, figure, quiz)"
        )

    return ANY_DIRECTIVE.sub(replace, markdown)
