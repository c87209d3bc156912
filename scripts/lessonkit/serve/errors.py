"""Under ``mkdocs serve``, a failed build is shown in the browser instead of a stalled tab.

MkDocs keeps serving the last good site and leaves every request waiting ("the server will
appear stuck until build errors are resolved"). Here the rebuild's failure is recorded with
everything the build logged, every page request gets an error page at once, and that page
reloads itself when the next build succeeds. ``mkdocs build`` is not affected.
"""

from __future__ import annotations

import html
import logging
import secrets
from collections.abc import Callable, Iterable

# Readable in both palettes with no stylesheet, font or script from anywhere else.
STYLE = """
:root { color-scheme: light dark; --fg: #1b1b1f; --bg: #ffffff; --box: #f3f3f6; --accent: #b00020; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6e6ea; --bg: #17171c; --box: #24242b; --accent: #ff8a80; }
}
body { margin: 0; padding: 2rem; background: var(--bg); color: var(--fg);
       font: 16px/1.5 system-ui, sans-serif; }
h1 { color: var(--accent); font-size: 1.5rem; margin-top: 0; }
pre { background: var(--box); padding: 1rem; overflow-x: auto; white-space: pre-wrap;
      font: 14px/1.45 ui-monospace, monospace; }
"""

# Polls MkDocs' livereload endpoint like its own pages do, and reloads on a newer build.
RELOAD = """
(function (epoch) {
  var id = %d;  // digits: the endpoint's pattern is /livereload/<epoch>/<number>
  function poll() {
    fetch("/livereload/" + epoch + "/" + id).then(function (r) { return r.text(); }).then(function (t) {
      if (parseFloat(t) > epoch) { location.reload(); } else { setTimeout(poll, 0); }
    }).catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})(%d);
"""


def error_page(message: str, epoch: int) -> bytes:
    """The page shown for every request while the last build failed."""
    script = RELOAD % (secrets.randbelow(10**9), epoch)
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Build failed</title><style>{STYLE}</style></head>"
        "<body><main><h1>The site did not build</h1>"
        "<p>Fix the problem below and save: this page reloads by itself once the build succeeds.</p>"
        f'<pre id="lk-build-error">{html.escape(message)}</pre></main>'
        f"<script>{script}</script></body></html>\n"
    ).encode()


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname}: {record.getMessage()}")


class ServeErrors:
    """Wraps the dev server's builder and WSGI app (see :meth:`install`)."""

    def __init__(self, server) -> None:
        self.server = server
        self.message: str | None = None  # the last build's failure, or None after a good build
        self._app = server.serve_request
        self._build = server.builder

    @classmethod
    def install(cls, server) -> ServeErrors:
        serve_errors = cls(server)
        server.builder = serve_errors.build
        server.set_app(serve_errors)
        return serve_errors

    def build(self, *args: object) -> None:
        collect = _Collect()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(collect)
        try:
            self._build(*args)
        except (Exception, SystemExit) as exc:
            # Not raised on: the server then counts the build as done, so open pages reload
            # and get the error page.
            logged = "\n".join(collect.lines)
            self.message = f"{logged}\n\n{exc}".strip() if str(exc) not in logged else logged
            logging.getLogger("mkdocs.plugins.lessonkit").error(
                "lessonkit: build failed; the browser shows the error until the next build succeeds"
            )
        else:
            self.message = None
        finally:
            logger.removeHandler(collect)

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        wants_page = path.endswith("/") or path.endswith(".html")
        if self.message is not None and wants_page and not path.startswith("/livereload/"):
            content = error_page(self.message, getattr(self.server, "_visible_epoch", 0))
            start_response(
                "500 Build Failed",
                [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(content)))],
            )
            return [content]
        return self._app(environ, start_response)
