"""Values kept from one ``mkdocs serve`` rebuild to the next, under a hash of their inputs.

Only what the last rebuild used survives into the next one, so a long session that edits
the same page many times keeps one entry per page, not one per edit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from ..store import parts_digest

T = TypeVar("T")


class RebuildMemo(Generic[T]):
    def __init__(self) -> None:
        self._values: dict[str, T] = {}
        self._used: set[str] = set()
        self.hits = 0  # in this rebuild

    def next_rebuild(self) -> None:
        self._values = {k: v for k, v in self._values.items() if k in self._used}
        self._used, self.hits = set(), 0

    def get(
        self, parts: Iterable[str | bytes], make: Callable[[], T], keep: Callable[[T], bool] = lambda _: True
    ) -> T:
        """The value kept for ``parts``, or ``make()``'s (kept unless it raises or ``keep`` says no)."""
        key = parts_digest(parts)
        self._used.add(key)
        if key in self._values:
            self.hits += 1
            return self._values[key]
        value = make()
        if keep(value):
            self._values[key] = value
        return value
