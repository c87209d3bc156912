"""The error page `mkdocs serve` shows while the last build failed."""

from __future__ import annotations

import re

from lessonkit.serve.errors import ServeErrors, error_page


def test_the_error_page_holds_the_whole_message_escaped_and_loads_nothing_else() -> None:
    page = error_page("snippets/a.py printed <b>more</b>:\n-old\n+new", epoch=1234).decode()
    assert "snippets/a.py printed &lt;b&gt;more&lt;/b&gt;:\n-old\n+new</pre>" in page
    assert not re.search(r"""(?:src|href)\s*=|url\(|@import""", page), "no assets, from anywhere"
    assert "prefers-color-scheme: dark" in page
    assert '"/livereload/" + epoch' in page and "(1234)" in page


class _Server:
    """The two things ServeErrors uses of MkDocs' dev server."""

    def __init__(self, fail: bool) -> None:
        self.fail = fail
        self._visible_epoch = 7

    def builder(self) -> None:
        import logging

        if self.fail:
            logging.getLogger("mkdocs.plugins.lessonkit").error("snippets/a.py printed other output")
            raise SystemExit("Aborted with a BuildError!")

    def serve_request(self, environ, start_response):
        start_response("200 OK", [])
        return [b"the site"]

    def set_app(self, app) -> None:
        self.app = app


def _get(server: _Server, path: str) -> tuple[str, bytes]:
    seen = {}
    body = b"".join(server.app({"PATH_INFO": path}, lambda status, headers: seen.setdefault("s", status)))
    return seen["s"], body


def test_a_failed_build_turns_every_page_into_the_error_page_until_a_build_succeeds() -> None:
    server = _Server(fail=True)
    ServeErrors.install(server)
    server.builder()  # does not raise: the server must count the build as done
    status, body = _get(server, "/lessons/a/")
    assert status.startswith("500") and b"snippets/a.py printed other output" in body
    assert _get(server, "/assets/site.css") == ("200 OK", b"the site"), "assets are served as before"
    server.fail = False  # the author fixes it; the next build succeeds
    server.builder()
    assert _get(server, "/lessons/a/") == ("200 OK", b"the site")
