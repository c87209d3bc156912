"""What every directive needs: the page it expands on, its errors, and shared helpers."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .grammar import Directive

if TYPE_CHECKING:
    from ...course.curriculum import Curriculum

NUMBER = re.compile(r"-?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?")


class DirectiveError(Exception):
    """Directives that cannot be expanded; one message per problem, each naming page and line."""

    def __init__(self, *messages: str) -> None:
        super().__init__("\n".join(messages))
        self.messages = list(messages)


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
class PageContext:
    """One page's view of the build, passed to every directive."""

    page: str  # the page (or quiz file) named in messages, e.g. lessons/x.md
    root: Path  # project root: snippet paths in messages and includes are relative to it
    folder: Path | None  # the page's snippets folder; None for a page without one
    outputs: Callable[[Path], str]  # this build's stdout of a snippet
    used: set[Path] = field(default_factory=set)  # snippets some page refers to
    outline: Curriculum | None = None  # the course outline, when the site has one
    line_offset: int = 0  # source lines above the text (front matter), for messages
    plain: bool = False  # render for the plain-Markdown download instead of the site
    tally: Tally = field(default_factory=Tally)
    file: str = ""  # the source file named in messages (docs/lessons/x.md); default: ``page``
    artifacts: Callable[[Path], Mapping[str, bytes]] = lambda path: {}  # files a snippet wrote

    def where(self, directive: Directive) -> str:
        return f"{self.file or self.page}:{directive.line + self.line_offset}: `{directive.text}`"

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def snippet(self, name: str, directive: Directive) -> Path:
        """The snippet a directive names, recorded as used."""
        if self.folder is None:
            raise DirectiveError(
                f"{self.where(directive)} names a snippet, but the page has no snippets folder: "
                "add `snippets: <folder>` (for snippets/<folder>/) to its front matter"
            )
        path = self.folder / name
        if not path.is_file():
            raise DirectiveError(f"{self.where(directive)} names {self.rel(path)}, which does not exist")
        self.used.add(path)
        return path


# Expands the directives in a piece of text (a figure caption, a quiz question) on the same page.
Expand = Callable[[str, PageContext], str]


def fence(body: str) -> str:
    """A backtick fence longer than any run of backticks inside ``body``."""
    longest = max((len(m) for m in re.findall(r"`+", body)), default=0)
    return "`" * max(3, longest + 1)


def expect_args(directive: Directive, page: PageContext, count: int, what: str) -> tuple[str, ...]:
    if len(directive.args) != count:
        raise DirectiveError(f"{page.where(directive)} takes {what}")
    return directive.args
