"""Under ``mkdocs serve``, a saved file noticed when it is written, not at the next poll.

MkDocs watches with watchdog's polling observer, which looks at every watched file twice a
second: on average a quarter of a second, at worst half, between the save and the rebuild.
Where the system tells of changes itself (inotify on Linux), :func:`notice_at_once` moves
the server's watches to watchdog's native observer, with MkDocs' own handlers; where it
cannot (no native observer, or the system refuses more watches), polling stays.

The native observer also reports files being opened and closed unwritten, and MkDocs
rebuilds on any event: a build reads the watched files, so it would rebuild forever. Its
watches report only what polling sees, a file created, written, moved or deleted.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger("mkdocs.plugins.lessonkit")


def _changes_only(observer_class: Any) -> Any:
    from watchdog import events

    changes = [
        events.FileCreatedEvent,
        events.FileModifiedEvent,
        events.FileClosedEvent,  # closed after writing
        events.FileMovedEvent,
        events.FileDeletedEvent,
    ]

    class ChangesOnly(observer_class):
        def schedule(self, event_handler: Any, path: str, **options: Any) -> Any:
            return super().schedule(event_handler, path, **{"event_filter": changes, **options})

    return ChangesOnly


def _rewatch(server: Any, paths: dict[str, int], observer: Any) -> None:
    for path, count in paths.items():
        for _ in range(count):
            server.unwatch(path)
    server.observer = observer
    for path, count in paths.items():
        for _ in range(count):
            server.watch(path)


def _refusal(observer_class: Any, paths: list[str]) -> OSError | None:
    """Why the system would not let ``observer_class`` watch ``paths``, if it would not: tried
    on a throwaway observer, since a real one would only fail in the server's own start."""
    from watchdog.events import FileSystemEventHandler

    probe = observer_class()
    try:
        for path in paths:
            probe.schedule(FileSystemEventHandler(), path, recursive=True)
        probe.start()  # native watches are made here, in this thread
    except OSError as exc:
        return exc
    finally:
        if probe.is_alive():
            probe.stop()
            probe.join()
    return None


def notice_at_once(server: Any) -> bool:
    """Move the not yet started ``server``'s watches to the native observer; whether it did."""
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    polling = getattr(server, "observer", None)
    paths = getattr(server, "_watched_paths", None)  # MkDocs' path -> times watched
    if Observer is PollingObserver or not isinstance(polling, PollingObserver) or polling.is_alive():
        return False
    if not isinstance(paths, dict) or not paths:
        return False
    native = _changes_only(Observer)
    refusal = _refusal(native, list(paths))
    if refusal is not None:  # e.g. the inotify watch limit: keep polling, as MkDocs does
        log.info(f"lessonkit: watching files by polling ({refusal})")
        return False
    _rewatch(server, dict(paths), native())
    return True
