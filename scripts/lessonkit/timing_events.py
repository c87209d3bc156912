"""The MkDocs side of ``timing``: an observer plugin that switches the build's phase clock
at every event boundary.

The lessonkit plugin registers it next to itself (:func:`register`). It brackets each event,
running first (priority 100) and last (priority -100), so the time other plugins spend in an
event (the search index in ``on_page_context``) is charged to that event's phase, and the time
MkDocs spends between events (rendering the theme, writing files) to the phase that follows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from mkdocs.plugins import BasePlugin, CombinedEvent, PluginCollection, event_priority

from .timing import (
    CHECKS,
    CONFIG,
    KATEX,
    LESSONKIT_FILES,
    MARKDOWN,
    NOTEBOOK,
    PAGE_EVENTS,
    POST_BUILD,
    READ,
    SEARCH,
    STATIC,
    THEME,
    WRITE,
    PhaseClock,
)

log = logging.getLogger("mkdocs.plugins.lessonkit")

STOP = "stop"


def _bracket(first: str | None, last: str | None) -> CombinedEvent:
    """Handlers for one event: the first switches to phase ``first`` (the event's own work),
    the last to ``last`` (what MkDocs does until the next event). A phase named NOTEBOOK or
    MARKDOWN on a notebook page is the notebook's; handlers return None (item unchanged)."""

    def switch(observer: TimingPlugin, phase: str | None, page) -> None:
        if phase == STOP:
            observer.finish()
        elif phase is not None:
            notebook = page is not None and observer.is_notebook(page.file.src_uri)
            observer.clock.switch(NOTEBOOK if notebook and phase in (MARKDOWN, PAGE_EVENTS) else phase)

    @event_priority(100)
    def begin(self: TimingPlugin, *args, page=None, **kwargs) -> None:
        switch(self, first, page)

    @event_priority(-100)
    def end(self: TimingPlugin, *args, page=None, **kwargs) -> None:
        switch(self, last, page)

    return CombinedEvent(begin, end)


class TimingPlugin(BasePlugin):
    """Switches the clock's phase at MkDocs' event boundaries (see the module's docstring).

    ``is_notebook(src_uri)`` says which pages mkdocs-jupyter renders: their Markdown phase
    is the notebook's rendering."""

    def __init__(self, clock: PhaseClock, is_notebook: Callable[[str], bool], output: Path | None) -> None:
        super().__init__()
        self.clock = clock
        self.is_notebook = is_notebook
        self.output = output

    on_files = _bracket(LESSONKIT_FILES, CONFIG)
    on_nav = _bracket(None, READ)
    on_page_markdown = _bracket(PAGE_EVENTS, MARKDOWN)
    on_page_content = _bracket(PAGE_EVENTS, READ)
    on_env = _bracket(CHECKS, STATIC)
    on_page_context = _bracket(SEARCH, THEME)
    on_post_page = _bracket(KATEX, WRITE)
    on_post_build = _bracket(POST_BUILD, STOP)

    def finish(self) -> None:
        self.clock.stop()
        log.debug(self.clock.report())
        if self.output is not None:
            self.clock.write(self.output)


def observe_phases(
    plugins: PluginCollection, clock: PhaseClock, is_notebook: Callable[[str], bool], output: Path | None
) -> None:
    """Start ``clock`` and add a :class:`TimingPlugin` to MkDocs' plugins (from ``on_config``)."""
    clock.start(CONFIG)
    plugins["lessonkit-timing"] = TimingPlugin(clock, is_notebook, output)
