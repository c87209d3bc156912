"""The page syntax that ties prose to snippets.

``{{ example NAME.py }}`` on a line of its own
    the snippet's code (included from its file, titled with its name, numbered)
    followed by an "Output" block holding this build's output.
``{{ value NAME.py KEY }}`` / ``{{ value NAME.py KEY[i] }}`` inline
    the rest of the output line whose first token is KEY, or the i-th number
    (0-based) on that line, so prose quotes what the code printed.
``{{ quiz }}`` on a line of its own
    the lesson's mastery check, from ``snippets/<lesson>/quiz.yml`` (see quiz.py).

NAME is looked up in the lesson's snippet folder ``snippets/<lesson>/`` where
<lesson> is the page's file stem, or the page's ``snippets:`` front-matter key.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

DIRECTIVE = re.compile(r"\{\{\s*(?P<kind>[a-z_]+)\s+(?P<args>[^{}]*?)\s*\}\}")
NUMBER = re.compile(r"-?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?")
SELECTOR = re.compile(r"^(?P<key>[^\[\]]+)(?:\[(?P<index>-?\d+)\])?$")


class DirectiveError(Exception):
    """A directive that cannot be resolved; the message names page and directive."""


@dataclass
class Lesson:
    """What a page needs to resolve its directives."""

    page: str  # page path for messages, e.g. lessons/linear-regression-from-scratch.md
    folder: Path  # snippets/<lesson>
    root: Path
    outputs: Callable[[Path], str]  # this build's stdout of a snippet
    used: set[Path] = field(default_factory=set)

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


def format_number(token: str) -> str:
    """A number as printed, minus numpy's bare trailing dot (``100.`` reads as ``100``)."""
    return token[:-1] if token.endswith(".") else token


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
        return rest
    numbers = NUMBER.findall(lines[0])
    try:
        return format_number(numbers[int(index)])
    except IndexError:
        raise IndexError(f"line {lines[0]!r} has {len(numbers)} numbers, no index {index}") from None


def _fence(body: str) -> str:
    """A backtick fence longer than any run of backticks inside ``body``."""
    longest = max((len(m) for m in re.findall(r"`+", body)), default=0)
    return "`" * max(3, longest + 1)


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


def expand(markdown: str, lesson: Lesson, *, plain: bool = False) -> str:
    """Replace every directive in ``markdown``; unknown or unresolvable ones raise DirectiveError."""

    def replace(match: re.Match[str]) -> str:
        kind, args, text = match["kind"], match["args"].split(), match[0]
        if kind == "example":
            if len(args) != 1:
                raise DirectiveError(f"{lesson.page}: `{text}` takes one snippet name")
            return render_example(lesson, lesson.snippet(args[0], text), plain=plain)
        if kind == "value":
            if len(args) != 2:
                raise DirectiveError(f"{lesson.page}: `{text}` takes a snippet name and a key")
            path = lesson.snippet(args[0], text)
            try:
                return lookup_value(lesson.outputs(path), args[1])
            except (KeyError, IndexError) as exc:
                raise DirectiveError(f"{lesson.page}: `{text}`: {exc.args[0]}") from None
        if kind == "quiz":
            if args:
                raise DirectiveError(f"{lesson.page}: `{text}` takes no arguments")
            from . import quiz  # imported here because quiz expands directives in its own text

            return quiz.render_for_page(lesson, plain=plain)
        raise DirectiveError(f"{lesson.page}: unknown directive `{text}` (known: example, value, quiz)")

    return DIRECTIVE.sub(replace, markdown)
