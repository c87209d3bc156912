"""Where one build's time goes, phase by phase: for the benchmark, never for the site.

A :class:`PhaseClock` charges every moment from ``on_config`` to the end of ``on_post_build``
to exactly one phase (so the phases add up to the build), switching phase at MkDocs' event
boundaries (``timing_events``) and around lessonkit's own work (``clock.phase(...)``).

The figures go to the log at debug level (``mkdocs build -v``) and, when ``LESSONKIT_TIMINGS``
names a file, to that file as JSON (written after the build's last event; it is never part of
the site, so deterministic outputs stay byte-identical).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .store import write_file

TIMINGS_VARIABLE = "LESSONKIT_TIMINGS"

# Phase names, as the benchmark prints them.
CONFIG = "mkdocs: config, files, nav"
SNIPPETS = "snippets (running, waiting for)"
LESSONKIT_FILES = "lessonkit: page index, rules, downloads"
NOTEBOOK = "notebook (build + render)"
READ = "mkdocs: reading pages"
MARKDOWN = "markdown"
DIRECTIVES = "directives (expanding)"
PAGE_EVENTS = "page events (other plugins)"
CHECKS = "lessonkit: checks, llms.txt"
STATIC = "mkdocs: static files, templates"
SEARCH = "search index (on_page_context)"
THEME = "theme rendering"
KATEX = "post-page HTML (KaTeX, a11y, slimming)"
WRITE = "writing files"
POST_BUILD = "post-build (search index, sitemap)"


class PhaseClock:
    """Seconds per phase; exactly one phase is running between :meth:`start` and :meth:`stop`."""

    def __init__(self, now: Callable[[], float] = time.perf_counter) -> None:
        self._now = now
        self.seconds: dict[str, float] = {}
        self._phase: str | None = None
        self._since = 0.0

    def start(self, phase: str) -> None:
        self._phase, self._since = phase, self._now()

    def switch(self, phase: str) -> str | None:
        """Charge the time since the last switch to the running phase, then run ``phase``;
        returns the phase that was running (None when stopped, and then nothing starts)."""
        previous = self._phase
        if previous is None:
            return None
        now = self._now()
        self.seconds[previous] = self.seconds.get(previous, 0.0) + now - self._since
        self._phase, self._since = phase, now
        return previous

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """Charge the enclosed work to ``name``, then resume the phase that was running."""
        previous = self.switch(name)
        try:
            yield
        finally:
            if previous is not None:
                self.switch(previous)

    def stop(self) -> None:
        if self._phase is not None:
            self.switch(self._phase)
            self._phase = None

    @property
    def total(self) -> float:
        return sum(self.seconds.values())

    def report(self) -> str:
        rows = sorted(self.seconds.items(), key=lambda item: -item[1])
        lines = [f"lessonkit: build phases, {self.total:.3f} s from on_config to the end:"]
        lines += [f"  {seconds:7.3f} s  {name}" for name, seconds in rows]
        return "\n".join(lines)

    def write(self, path: Path) -> None:
        data = {"total": self.total, "phases": dict(sorted(self.seconds.items()))}
        write_file(path, (json.dumps(data, indent=1) + "\n").encode())
