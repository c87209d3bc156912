"""A build's snippet runs, in a process of their own that sends each result back as it comes.

Running a snippet is mostly waiting: for its zygote, for its files. Each system call gives
up Python's interpreter lock and must take it back, and in the MkDocs process the lock is
held most of the time by page rendering, pure Python: a thread back from a system call waits
out the holder's switch interval (5 ms) for each of the dozens of calls one run makes. With a
busy thread beside it in the same process, the engine took 149 s for 720 snippets instead
of 6.4 s. So the engine runs in ``python -m lessonkit.run.run_process``, which owns the zygotes
(kept across ``mkdocs serve``'s rebuilds, like the process), and the build process takes the
lock once per result.

Protocol: pickles, one per message. Build to worker: ``(options, snippet environment)``.
Worker to build: ``("found", paths)``, then ``("result", snippet, result)`` for each result
in the order the engine reports them, then ``("done", outcome)`` or ``("error", exception)``.
"""

from __future__ import annotations

import atexit
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..options import Options
from ..processes import close_stdin_and_wait, start_helper
from .engine import ProjectRun, run_site
from .results import RunResult
from .snippets import Snippet, discover

Outcome = tuple[ProjectRun, dict[Path, RunResult], str]


class RunProcessError(RuntimeError):
    pass


def _picklable(exc: BaseException) -> BaseException:
    try:
        pickle.dumps(exc)
        return exc
    except Exception:
        return RunProcessError(f"{type(exc).__name__}: {exc}")


def _serve() -> None:
    """The worker: one build's runs per request, until stdin closes."""
    from .zygote_pool import ZygotePool

    answers = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing printed may mix with the answers
    pools: dict[tuple, ZygotePool] = {}  # by snippet environment: one in practice

    def send(*message: Any) -> None:
        pickle.dump(message, answers, protocol=pickle.HIGHEST_PROTOCOL)
        answers.flush()

    try:
        while True:
            try:
                options, env = pickle.load(sys.stdin.buffer)
            except EOFError:
                return
            key = tuple(sorted(env.items()))
            zygotes = pools.setdefault(key, ZygotePool(env))
            try:
                found = discover(options.snippets_dir, options.root)
                send("found", [s.path for s in found])
                outcome = run_site(options, on_result=lambda s, r: send("result", s, r), zygotes=zygotes)
            except BaseException as exc:  # handed to the build, which raises it where it waits
                send("error", _picklable(exc))
                continue
            send("done", outcome)
    finally:
        for pool in pools.values():
            pool.close()


class RunProcess:
    """The worker, started at the first build and kept until :meth:`close` or the end of this
    process; one build's runs at a time."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._closes_at_exit = False

    @property
    def running(self) -> bool:
        """Whether the worker is up (under ``serve``, from an earlier build): then it runs even a
        single snippet, with its warm zygotes."""
        return self._proc is not None and self._proc.poll() is None

    def _alive(self) -> subprocess.Popen[bytes]:
        if self._proc is None or self._proc.poll() is not None:
            self._proc = start_helper("run.run_process")
            if not self._closes_at_exit:
                atexit.register(self.close)
                self._closes_at_exit = True
        return self._proc

    def run_site(
        self,
        options: Options,
        env: dict[str, str],
        on_found: Callable[[list[Path]], None],
        on_result: Callable[[Snippet, RunResult], None],
    ) -> Outcome:
        """``run_site(options)`` in the worker, its zygotes started with ``env``: ``on_found``
        hears of every snippet first, ``on_result`` of each result as it arrives."""
        with self._lock:
            proc = self._alive()
            assert proc.stdin and proc.stdout
            try:
                pickle.dump((options, env), proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
                proc.stdin.flush()
            except OSError as exc:
                raise RunProcessError(f"lessonkit: the snippet-run process is gone: {exc}") from None
            while True:
                try:
                    message = pickle.load(proc.stdout)
                except EOFError:
                    raise RunProcessError(
                        "lessonkit: the snippet-run process ended during the build (its messages, if any, "
                        "are above); build again"
                    ) from None
                kind = message[0]
                if kind == "found":
                    on_found(message[1])
                elif kind == "result":
                    on_result(message[1], message[2])
                elif kind == "done":
                    return message[1]
                else:
                    raise message[1]

    def close(self) -> None:
        with self._lock:
            if self._proc is not None:
                close_stdin_and_wait(self._proc)
                self._proc = None


if __name__ == "__main__":
    _serve()
