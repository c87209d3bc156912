"""Work a build will need later, started early in a thread so it overlaps with waiting.

Drawing the site's default preview card costs about a second of matplotlib on a build
whose cache is empty; started from ``on_config`` it runs while the build waits for its
snippets, instead of after them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Ahead(Generic[T]):
    """``make()`` running in a thread; :meth:`result` waits for it (and raises what it raised)."""

    def __init__(self, make: Callable[[], T], name: str) -> None:
        self._value: T | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(make,), name=name, daemon=True)
        self._thread.start()

    def _run(self, make: Callable[[], T]) -> None:
        try:
            self._value = make()
        except BaseException as exc:  # raised again where the result is needed
            self._error = exc

    def result(self) -> T:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]
