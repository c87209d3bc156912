"""This build's snippet runs, started as soon as the configuration is read and carried on in a
process of their own (:mod:`lessonkit.run.run_process`) while MkDocs reads files and renders
pages; whoever needs an output waits for that output only.

The outcome is the engine's (:func:`lessonkit.run.engine.run_site`): the same results, the same
failure report. Errors are reported where the plugin reported them before the runs moved
to the background: :meth:`SnippetRuns.finish` waits for every run and returns (or raises)
exactly what ``run_site`` did, and the plugin calls it before reporting any other problem.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

from ..options import Options
from . import check, figures
from .engine import more_runs_than, run_site
from .results import RunResult
from .run_process import Outcome, RunProcess
from .runner import snippet_env
from .snippets import Snippet, discover

# Up to this many runs, a build runs them in the build's own process: starting the run process
# (about 0.2 s) would cost more than their waits for the interpreter lock (a few ms each).
IN_PROCESS_RUNS = 16


class SnippetRuns:
    def __init__(
        self, options: Options, process: RunProcess, in_process_up_to: int = IN_PROCESS_RUNS
    ) -> None:
        self._changed = threading.Condition()
        self._arrived: dict[Path, RunResult] = {}
        self._failed: set[Path] = set()
        self._found: list[Path] | None = None  # every snippet, once discovered
        self._by_folder: dict[Path, list[Path]] = {}  # the same, by folder: pages ask by folder
        self._outcome: Outcome | None = None
        self._error: BaseException | None = None
        self._over = False
        self._thread = threading.Thread(
            target=self._run,
            args=(options, process, in_process_up_to),
            name="lessonkit-snippets",
            daemon=True,
        )
        self._thread.start()

    def _run(self, options: Options, process: RunProcess, in_process_up_to: int) -> None:
        try:
            found = discover(options.snippets_dir, options.root)
            if process.running or more_runs_than(in_process_up_to, options, found):
                outcome = process.run_site(options, snippet_env(), self._discovered, self._arrive)
            else:  # look-ups and a few runs: cheaper than starting the run process
                self._discovered([s.path for s in found])
                outcome = run_site(options, on_result=self._arrive)
        except BaseException as exc:  # handed to whoever waits: finish() raises it
            with self._changed:
                self._error, self._over = exc, True
                self._changed.notify_all()
            return
        with self._changed:
            self._outcome, self._over = outcome, True
            self._changed.notify_all()

    def _discovered(self, paths: list[Path]) -> None:
        by_folder: dict[Path, list[Path]] = {}
        for path in paths:
            by_folder.setdefault(path.parent, []).append(path)
        with self._changed:
            self._found, self._by_folder = paths, by_folder
            self._changed.notify_all()

    def _arrive(self, snippet: Snippet, result: RunResult) -> None:
        failed = bool(check.problems(snippet, result))
        with self._changed:
            self._arrived[snippet.path] = result
            if failed:
                self._failed.add(snippet.path)
            self._changed.notify_all()

    def wait_for(self, paths: Iterable[Path]) -> dict[Path, RunResult]:
        """Wait until each of ``paths`` has its result or the runs are over; return what arrived."""
        wanted = set(paths)
        with self._changed:
            self._changed.wait_for(lambda: self._over or wanted <= self._arrived.keys())
            return dict(self._arrived)

    def _snippets(self) -> list[Path]:
        with self._changed:
            self._changed.wait_for(lambda: self._over or self._found is not None)
            return self._found or []

    def wait_for_figures(self) -> dict[Path, RunResult]:
        """Wait for every figure snippet (they run first); return what arrived."""
        return self.wait_for(p for p in self._snippets() if figures.is_figure(p))

    def wait_for_folder(self, folder: Path) -> dict[Path, RunResult]:
        """Wait for every snippet in ``folder`` (a page's snippets); return what arrived."""
        self._snippets()
        return self.wait_for(self._by_folder.get(folder, []))

    def failed(self, path: Path) -> bool:
        with self._changed:
            return path in self._failed

    def result(self, path: Path) -> RunResult | None:
        """``path``'s result once it has one (None: this build does not run it)."""
        return self.wait_for([path]).get(path)

    @property
    def over(self) -> bool:
        """Whether every run has ended (so waiting for any result returns at once)."""
        with self._changed:
            return self._over

    @property
    def any_failed(self) -> bool:
        """Whether a result so far fails its checks (or the runs stopped with an error)."""
        with self._changed:
            return bool(self._failed) or self._error is not None

    def finish(self) -> Outcome:
        """Wait for every run: ``run_site``'s outcome, or the error it raised."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._outcome is not None
        return self._outcome
