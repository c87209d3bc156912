"""Companion notebook pages rendered in a side process while MkDocs builds the other pages.

mkdocs-jupyter turns a notebook into its page with nbconvert when MkDocs reads that page:
about a second for a lesson's notebook, in the build's own process, at every ``mkdocs serve``
rebuild that changes one of the lesson's outputs. Its cache (``cache: true``, its default)
keeps each render under a key of the notebook's bytes and its options, so a render made by
the same code in another process is found there. So, as soon as a notebook is written, a
worker that has nbconvert imported runs mkdocs-jupyter's own page render for it into that
cache (:meth:`NotebookRenders.start`), and the page's HTML is asked for only just before its
template is rendered (:class:`DeferredNotebook`): the render overlaps the rest of the build.

Nothing here decides what a notebook page contains: if the worker fails, the page is
rendered in process as before, and reports its own errors.

Three things make a rebuild's render cheaper without changing a byte of it. The worker keeps
Jinja's compiled code of nbconvert's templates (nbconvert makes a new template environment
per export, and compiles every template again: about 0.12 s of a 0.76 s render). It keeps
the last render's highlighted code cells and cleans up the page's HTML cell by cell, keeping
the cells an edit did not change (:mod:`.notebook_reuse`: most of the rest). And the
page's table of contents, which MkDocs needs before the render is done (and the worker's
render makes too), is kept per rebuild under what it is made from, the notebook without its
code cells (:func:`notebook_toc`): an edited snippet changes only code cells.
"""

from __future__ import annotations

import atexit
import copy
import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

from ..processes import close_stdin_and_wait, start_helper
from . import notebook_reuse
from .rebuild_memo import RebuildMemo

log = logging.getLogger("mkdocs.plugins.lessonkit")


def _render_into_cache(options: dict[str, Any], notebook: str, cache_dir: str) -> str:
    """In the worker: mkdocs-jupyter's page render of ``notebook``, its cache entry moved into
    ``cache_dir`` whole (a reader never sees half an entry). Returns the entry's file name."""
    from mkdocs_jupyter.plugin import Plugin

    Path(cache_dir).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache_dir, prefix="rendering-") as scratch:
        plugin = Plugin()
        errors, _ = plugin.load_config({**options, "cache": True, "cache_dir": scratch})
        if errors:
            raise ValueError(f"mkdocs-jupyter options: {errors}")
        plugin.on_pre_build(None)
        # What mkdocs-jupyter's on_pre_page and its page render read and write.
        page = SimpleNamespace(
            file=SimpleNamespace(abs_src_path=notebook, src_path=os.path.basename(notebook)), abs_url="/"
        )
        plugin.on_pre_page(page, None, None)
        page.render(None, None)
        (made,) = Path(scratch).glob("*.json")
        os.replace(made, Path(cache_dir) / made.name)
        return made.name


class _CompiledTemplates(BytecodeCache):
    """Compiled templates kept in memory for the worker's life. Jinja checks each against its
    template's source before use, so an edited template is compiled again."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


def _keep_compiled_templates() -> None:
    """Give every template environment nbconvert makes in this worker one compiled-code cache
    (nbconvert has no option for it; without the hook, renders compile as before)."""
    from nbconvert.exporters.templateexporter import TemplateExporter

    create = getattr(TemplateExporter, "_create_environment", None)
    if create is None:
        return
    compiled = _CompiledTemplates()

    def create_environment(exporter: Any) -> Any:
        environment = create(exporter)
        environment.bytecode_cache = compiled
        return environment

    TemplateExporter._create_environment = create_environment


def _serve() -> None:
    """The worker (``python -m lessonkit.serve.notebook_render``): one JSON request per line on
    stdin, one JSON answer per line on stdout, until stdin closes."""
    import mkdocs_jupyter.plugin  # noqa: F401 (nbconvert and its exporters, imported before the first request)

    _keep_compiled_templates()
    notebook_reuse.install(notebook_reuse.CellCleanups())
    highlights = notebook_reuse.keep_highlights()
    tocs = _keep_tocs()

    answers = sys.stdout
    sys.stdout = sys.stderr  # whatever nbconvert prints must not mix with the answers
    logging.basicConfig(level=logging.WARNING)
    for line in sys.stdin:
        request = json.loads(line)
        tocs.next_rebuild()
        if highlights is not None:
            highlights.next_render()
        try:
            answer = {
                "made": _render_into_cache(request["options"], request["notebook"], request["cache_dir"])
            }
        except Exception as exc:  # reported to the build, which then renders in process
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        answers.write(json.dumps(answer) + "\n")
        answers.flush()


class _WorkerError(RuntimeError):
    pass


class _Worker:
    def __init__(self) -> None:
        self._proc = start_helper(
            "serve.notebook_render",
            stderr=subprocess.DEVNULL,
            cwd=tempfile.gettempdir(),
            text=True,
            encoding="utf-8",
        )

    def render(self, request: dict[str, Any]) -> str:
        assert self._proc.stdin and self._proc.stdout
        try:
            self._proc.stdin.write(json.dumps(request) + "\n")
            self._proc.stdin.flush()
            line = self._proc.stdout.readline()
        except OSError as exc:
            raise _WorkerError(f"the notebook worker is gone: {exc}") from None
        if not line:
            raise _WorkerError("the notebook worker ended")
        answer = json.loads(line)
        if "error" in answer:
            raise _WorkerError(answer["error"])
        return answer["made"]

    def alive(self) -> bool:
        return self._proc.poll() is None

    def close(self) -> None:
        close_stdin_and_wait(self._proc)


def can_render_ahead(jupyter: Any) -> bool:
    """Whether this mkdocs-jupyter plugin's renders can be made ahead: cached, not executed."""
    return jupyter is not None and bool(jupyter.config["cache"]) and not jupyter.config["execute"]


def cache_entry(jupyter: Any, notebook: Path) -> Path:
    """Where mkdocs-jupyter looks for its render of ``notebook`` (its own key, not executed)."""
    from mkdocs_jupyter.plugin import _compute_cache_key, _get_cache_path

    key = _compute_cache_key(str(notebook), jupyter.config, False)
    return Path(os.path.abspath(_get_cache_path(jupyter.config["cache_dir"], key)))


class NotebookRenders:
    """One worker process, started at the first render and kept (across ``serve``'s rebuilds)
    until :meth:`close` or the end of this process; renders run one at a time."""

    def __init__(self) -> None:
        self._worker: _Worker | None = None
        self._lock = threading.Lock()
        self._queue: ThreadPoolExecutor | None = None
        self._rendering: dict[Path, Future[str]] = {}  # by cache entry, until it is made

    def _submit(self, job: Any, *args: Any) -> Future[Any]:
        if self._queue is None:
            self._queue = ThreadPoolExecutor(1, thread_name_prefix="lessonkit-notebook")
            atexit.register(self.close)
        return self._queue.submit(job, *args)

    def warm(self) -> None:
        """Start the worker now (importing nbconvert takes a second), so that the first render
        does not wait for it: under ``serve``, while the author has not saved anything yet."""
        self._submit(self._alive_worker)

    def start(self, jupyter: Any, notebook: Path) -> Future[str] | None:
        """Render ``notebook`` into mkdocs-jupyter's cache; None when it is there already."""
        entry = cache_entry(jupyter, notebook)
        if entry.exists():
            return None
        rendering = self._rendering.get(entry)
        if rendering is not None and not rendering.done():
            return rendering  # the same bytes, asked for by an earlier rebuild still rendering
        request = {
            "options": dict(jupyter.config.items()),
            "notebook": str(notebook),
            "cache_dir": str(entry.parent),
        }
        self._rendering = {e: f for e, f in self._rendering.items() if not f.done()}
        self._rendering[entry] = self._submit(self._render, request)
        return self._rendering[entry]

    def _alive_worker(self) -> _Worker:
        with self._lock:
            if self._worker is None or not self._worker.alive():
                self._worker = _Worker()
            return self._worker

    def _render(self, request: dict[str, Any]) -> str:
        return self._alive_worker().render(request)

    def close(self) -> None:
        if self._queue is not None:
            self._queue.shutdown(wait=True, cancel_futures=True)
            self._queue = None
        with self._lock:
            if self._worker is not None:
                self._worker.close()
                self._worker = None


Toc = tuple[list, "str | None"]  # mkdocs-jupyter's table-of-contents tokens, and the title


def notebook_toc(tocs: RebuildMemo[Toc], notebook: Path, toc_depth: int, read: Any = None) -> Toc:
    """The table of contents and title of ``notebook``, kept in ``tocs`` under the notebook
    without its code cells: mkdocs-jupyter makes them (``read``, by default its own
    ``_get_nb_toc_tokens``) from a Markdown export whose template leaves code cells out."""
    if read is None:
        from mkdocs_jupyter.plugin import _get_nb_toc_tokens as read

    data = json.loads(notebook.read_bytes())
    data["cells"] = [cell for cell in data.get("cells", []) if cell.get("cell_type") != "code"]
    key = [str(toc_depth), json.dumps(data, sort_keys=True)]
    return tocs.get(key, lambda: read(str(notebook), toc_depth))


def _keep_tocs() -> RebuildMemo[Toc]:
    """The worker's renders read each notebook's table of contents through :func:`notebook_toc`
    (call the memo's ``next_rebuild`` before each render)."""
    import mkdocs_jupyter.plugin

    read = mkdocs_jupyter.plugin._get_nb_toc_tokens
    tocs: RebuildMemo[Toc] = RebuildMemo()

    def kept_toc(path: str, toc_depth: int) -> Toc:
        return notebook_toc(tocs, Path(path), toc_depth, read)

    mkdocs_jupyter.plugin._get_nb_toc_tokens = kept_toc
    return tocs


def wait(render: Future[str]) -> bool:
    """Wait for a render; one that failed is only logged (the page then renders in process)."""
    try:
        render.result()
    except Exception as exc:  # any failure of the worker: the in-process render reports its own
        log.debug(f"lessonkit: rendering a notebook ahead failed ({exc!r}); rendering it in process")
        return False
    return True


class DeferredNotebook:
    """A notebook page whose HTML is asked for (:meth:`fill`) just before its template is
    rendered, when the render made ahead has had the rest of the build to finish.

    Until then the page has what other pages show of it, its title (in their navigation), and
    its table of contents, read from the notebook as mkdocs-jupyter reads them; its content is
    empty. With ``later=False`` the page waits for the render where MkDocs reads it, as when
    another plugin needs every page's content by then."""

    def __init__(
        self, page: Any, render: Future[str], jupyter: Any, tocs: RebuildMemo[Toc], *, later: bool
    ) -> None:
        self.page, self.ahead, self.jupyter, self.tocs = page, render, jupyter, tocs
        self._render = page.render  # mkdocs-jupyter's own, which finds the cache entry
        self._inputs: tuple[Any, Any] | None = None
        self.filled = not later
        self.made_ahead = False  # whether the page's HTML came from the render made ahead
        page.render = self._render_later if later else self._render_now

    def _render_now(self, config: Any, files: Any) -> None:
        self.made_ahead = wait(self.ahead)
        self._render(config, files)

    def _render_later(self, config: Any, files: Any) -> None:
        from mkdocs.structure.toc import get_toc

        notebook = Path(self.page.file.abs_src_path)
        tokens, title = notebook_toc(self.tocs, notebook, self.jupyter.config["toc_depth"])
        self.page.toc = get_toc(copy.deepcopy(tokens))
        if title is not None and not self.jupyter.config["ignore_h1_titles"]:
            self.page.title = title
        self.page.content = ""
        self._inputs = (config, files)

    def fill(self) -> None:
        """The page's HTML, from the render made ahead (or made now, if that one failed)."""
        assert self._inputs is not None, "MkDocs read the page first"
        self.made_ahead = wait(self.ahead)
        self._render(*self._inputs)
        self.filled = True


if __name__ == "__main__":
    _serve()
