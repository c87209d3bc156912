"""Under ``mkdocs serve``, each lesson's checks and downloads kept while nothing they are made
from has changed.

Every rebuild checks every lesson (hand-typed numbers, code named in prose, the quiz), lists
the snippets its notebook shows and writes its Markdown download: about 40 ms a lesson, most
of a rebuild once a site has a few dozen lessons, while a save changes one of them. What they
read is the page's file, the files of its snippets folder, (for the download) this build's
results of those snippets, the course outline and the options: those key what is kept, with
the snippets it marked as used, so that the build's check for unused snippets sees the same.
A value whose making used a snippet outside the lesson's folder is not kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from ..page.directives import PageContext
from .rebuild_memo import RebuildMemo

T = TypeVar("T")


class LessonReuse:
    def __init__(self) -> None:
        self.memo: RebuildMemo[tuple[Any, frozenset[Path]]] = RebuildMemo()
        self._settings: dict[tuple[int, ...], str] = {}  # their text, made once per rebuild

    def next_rebuild(self) -> None:
        self.memo.next_rebuild()
        self._settings = {}

    def kept(
        self,
        inputs: list[str | bytes],
        folder: Path,
        context: PageContext,
        make: Callable[[PageContext], T],
        *,
        settings: tuple[Any, ...] = (),
    ) -> T:
        """``make(context)`` for the lesson whose snippets are in ``folder``, or what it gave for
        the same ``inputs`` (the value's name, the page's text, the folder's state) and
        ``settings`` (the options and the course outline) in the last rebuild."""
        ids = tuple(map(id, settings))  # the same objects all rebuild long
        if ids not in self._settings:
            self._settings[ids] = repr(settings)
        parts = [*inputs, self._settings[ids]]
        read_outside: list[Path] = []

        def watched(read: Callable[[Path], Any]) -> Callable[[Path], Any]:
            def reading(path: Path) -> Any:
                if path.parent != folder:
                    read_outside.append(path)
                return read(path)

            return reading

        def made() -> tuple[Any, frozenset[Path]]:
            used: set[Path] = set()
            own = replace(
                context, used=used, outputs=watched(context.outputs), artifacts=watched(context.artifacts)
            )
            return make(own), frozenset(used)

        def own_folder_only(made: tuple[Any, frozenset[Path]]) -> bool:
            return not read_outside and all(path.parent == folder for path in made[1])

        value, used = self.memo.get(parts, made, keep=own_folder_only)
        context.used.update(used)
        return value
