"""Under `mkdocs serve`, a save is noticed as it is written (inotify), not at the next poll;
where the system refuses native watches, MkDocs' polling stays."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import watchdog.observers
from mkdocs.livereload import LiveReloadServer
from watchdog.observers.polling import PollingObserver

from lessonkit.serve.watch import notice_at_once


def _server(tmp_path: Path) -> tuple[LiveReloadServer, Path]:
    docs = tmp_path / "docs"
    docs.mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: t\n")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path / "site"))
    server.watch(str(docs))
    server.watch(str(tmp_path / "mkdocs.yml"))
    server.watch(str(docs))  # watched twice, as MkDocs allows
    return server, docs


def test_the_servers_watches_move_to_the_native_observer_and_a_save_asks_for_a_rebuild(
    tmp_path: Path, caplog
) -> None:
    server, docs = _server(tmp_path)
    watched = dict(server._watched_paths)
    assert notice_at_once(server)
    assert not isinstance(server.observer, PollingObserver)
    assert server._watched_paths == watched
    assert {w.raw_path for w in server.observer._watches} == set(watched)
    (docs / "read.md").write_text("# Read\n")
    caplog.set_level(logging.DEBUG, logger="mkdocs.livereload")
    server.observer.start()
    try:
        (docs / "read.md").read_text()  # a build reads every page: that must not ask for one
        (docs / "page.md").write_text("# Saved\n")
        with server._rebuild_cond:  # what MkDocs' build loop waits on
            asked = server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=10)
        assert asked, "the save never asked for a rebuild"
        time.sleep(0.2)  # the rest of the save's events
        seen = [r.getMessage() for r in caplog.records if "Event(" in r.getMessage()]
        assert seen and all("page.md" in event for event in seen), seen
    finally:
        server.observer.stop()
        server.observer.join()


def test_where_native_watches_are_refused_the_server_keeps_polling(tmp_path: Path, monkeypatch) -> None:
    class Refusing(watchdog.observers.Observer):
        def start(self) -> None:
            raise OSError(28, "inotify watch limit reached")

    monkeypatch.setattr(watchdog.observers, "Observer", Refusing)
    server, _ = _server(tmp_path)
    polling = server.observer
    assert not notice_at_once(server)
    assert server.observer is polling
    assert len(polling._watches) == 2
