"""Run snippets in children forked from a warm "zygote" process that has the heavy imports done.

A fresh ``python snippet.py`` pays numpy's import (~0.12 s) and matplotlib's (~0.65 s)
every time. The zygote imports them once; each snippet then runs in its own freshly
forked child, so nothing leaks from one snippet to the next. The child is set up to
behave as ``python path/to/snippet.py``: ``__main__`` module, ``sys.argv``,
``sys.path[0]`` = the snippet's folder, its own empty working directory, stdin from
/dev/null, stdout and stderr to files, the same traceback shape, ``SystemExit`` and
atexit semantics, and its own process group so a time-out kills all it started.

(The standard library's forkserver does not fit: each child re-imports the parent's
``__main__`` module, here the whole MkDocs command line.)

The child confines itself before the snippet's code runs (``sandbox.enter``); the zygote is a
child subreaper, so whatever a snippet leaves running comes back to it and is ended after the
snippet (``sandbox.end_leftovers``).
``python -m lessonkit.run.zygote --preload ""`` preloads no third-party module: a fresh interpreter
per snippet for the subprocess runner, with the same confinement.

Protocol, one JSON object per line. Parent to zygote:
``{"id", "script", "workdir", "stdout", "stderr", "confinement", "imports"}`` (``imports``: heavy
modules the script imports, imported by the zygote before it forks, once); zygote to parent:
``{"id", "pid"}`` once forked, then ``{"id", "status", "events"}`` when the child exits
(``events``: what confinement stopped or cleaned up, see ``sandbox.Event``).
"""

from __future__ import annotations

import atexit
import itertools
import json
import os
import resource
import runpy
import selectors
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..processes import close_stdin_and_wait
from . import sandbox

# Imported once in the zygote; snippets importing them start instantly.
PRELOAD = ("numpy", "matplotlib", "matplotlib.pyplot")
# A file growing past this kills the snippet (SIGXFSZ) instead of filling the disk.
MAX_FILE_BYTES = 64_000_000


# --- inside the zygote -------------------------------------------------------------


def _trim_traceback(exc: BaseException, script: str) -> None:
    """Print ``exc`` as ``python script`` would: from the script's frame down, no runpy frames."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != script:
        tb = tb.tb_next
    traceback.print_exception(type(exc), exc, tb if tb is not None else exc.__traceback__)


def _become_snippet(request: dict, findings_fd: int) -> int:
    """In the forked child: redirect, isolate, run the script as ``__main__``, return its exit code."""
    os.setsid()
    resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_FILE_BYTES, MAX_FILE_BYTES))
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    for fd, path in ((1, request["stdout"]), (2, request["stderr"])):
        target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(target, fd)
        os.close(target)
    sys.stdin = open(0, encoding="utf-8", closefd=False)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
    sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)
    try:
        guard = sandbox.enter(sandbox.Confinement.from_json(request["confinement"]), findings_fd)
    except (sandbox.SandboxError, OSError) as exc:
        print(f"lessonkit: could not confine the snippet: {exc}", file=sys.stderr)
        return 1
    script = request["script"]
    os.chdir(request["workdir"])
    sys.argv = [script]
    sys.path[0] = os.path.dirname(script)
    try:
        runpy.run_path(script, run_name="__main__")
        code = 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:
            print(exc.code, file=sys.stderr)
            code = 1
    except BaseException as exc:
        _trim_traceback(exc, script)
        guard.explain(exc)
        code = 1
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    return code


def _import_all(names: Iterable[str], failed: set[str]) -> None:
    """Import ``names`` here, once, rather than in every child that needs them (matplotlib, with
    the shared MPLCONFIGDIR, builds the font cache). A name that fails (``numpy.round`` is not a
    module) is remembered in ``failed`` and not tried again; a real import error is left to the
    snippet's own import, which reports it."""
    for name in names:
        if name not in sys.modules and name not in failed:
            try:
                __import__(name)
            except Exception:
                failed.add(name)


def _fresh_random_state() -> None:
    """In the child: the random state a new process would start with. The standard library's
    ``random`` reseeds itself after a fork; numpy's global generator, seeded once when the
    zygote imported it, would otherwise give every snippet the same unseeded numbers."""
    numpy_random = sys.modules.get("numpy.random")
    if numpy_random is not None:
        numpy_random.seed()


def serve(preload: tuple[str, ...] = PRELOAD) -> None:
    """The zygote's main loop: fork a child per request, report pids and exit statuses."""
    sandbox.become_subreaper()
    not_modules: set[str] = set()
    _import_all(preload, not_modules)
    if "matplotlib" not in sys.modules:
        sandbox.prepare_font_cache(os.environ)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # a handler is needed for the wakeup fd
    out = sys.stdout
    running: dict[int, tuple[int, int]] = {}  # pid -> (request id, read end of its findings pipe)

    def reply(message: dict) -> None:
        out.write(json.dumps(message) + "\n")
        out.flush()

    def reap() -> None:
        while running:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            if pid not in running:
                continue  # a snippet's leftover that ended on its own
            request_id, findings = running.pop(pid)
            leftovers = sandbox.end_leftovers(keep=running)
            events = sandbox.read_events(findings) + [sandbox.Event("process", p) for p in leftovers]
            os.close(findings)
            reply(
                {
                    "id": request_id,
                    "status": os.waitstatus_to_exitcode(status),
                    "events": [asdict(event) for event in events],
                }
            )

    selector = selectors.DefaultSelector()
    selector.register(0, selectors.EVENT_READ, "request")
    selector.register(wake_r, selectors.EVENT_READ, "child")
    buffered = b""
    while True:
        for key, _ in selector.select():
            if key.data == "child":
                os.read(wake_r, 4096)
                reap()
                continue
            chunk = os.read(0, 65536)
            if not chunk:  # the build is over
                return
            buffered += chunk
            *lines, buffered = buffered.split(b"\n")
            for line in lines:
                request = json.loads(line)
                _import_all(request.get("imports", ()), not_modules)
                findings, findings_w = os.pipe()
                pid = os.fork()
                if pid == 0:
                    signal.set_wakeup_fd(-1)
                    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                    os.close(wake_r)
                    os.close(wake_w)
                    os.close(findings)
                    _fresh_random_state()
                    code = 1
                    try:
                        code = _become_snippet(request, findings_w)
                    finally:
                        os._exit(code)
                os.close(findings_w)
                os.set_blocking(findings, False)
                running[pid] = (request["id"], findings)
                reply({"id": request["id"], "pid": pid})
        reap()


# --- in the build process ----------------------------------------------------------


@dataclass
class _Pending:
    pid: int | None = None
    status: int | None = None
    events: tuple[sandbox.Event, ...] = ()
    started: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)


class ZygoteError(RuntimeError):
    """The zygote process died or misbehaved."""


class Zygote:
    """Client side: one zygote process shared by the build's worker threads."""

    def __init__(self, env: dict[str, str], preload: bool | tuple[str, ...] = True) -> None:
        """``preload``: the modules to import before forking (True: PRELOAD, False: none)."""
        self.preload = PRELOAD if preload is True else () if preload is False else tuple(preload)
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "lessonkit.run.zygote", "--preload", ",".join(self.preload)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            cwd=tempfile.gettempdir(),
            text=True,
            encoding="utf-8",
        )
        self._ids = itertools.count()
        self._pending: dict[int, _Pending] = {}
        self._write_lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True, name="lessonkit-zygote")
        self._reader.start()

    def _read(self) -> None:
        assert self._proc.stdout
        for line in self._proc.stdout:
            message = json.loads(line)
            pending = self._pending[message["id"]]
            if "pid" in message:
                pending.pid = message["pid"]
                pending.started.set()
            else:
                pending.status = message["status"]
                pending.events = tuple(sandbox.Event(**e) for e in message["events"])
                pending.started.set()
                pending.done.set()
        for pending in list(self._pending.values()):  # the zygote is gone: wake every waiter
            pending.started.set()
            pending.done.set()

    def alive(self) -> bool:
        return self._proc.poll() is None

    def run(
        self,
        script: Path,
        confinement: sandbox.Confinement,
        stdout: Path,
        stderr: Path,
        timeout: float,
        imports: tuple[str, ...] = (),
    ) -> tuple[int, bool, tuple[sandbox.Event, ...]]:
        """Run one script, ``imports`` imported first in the zygote (they stay imported); return
        (exit code, timed out, what confinement stopped or cleaned up). Negative codes are signals."""
        request_id = next(self._ids)
        pending = self._pending[request_id] = _Pending()
        request = {
            "id": request_id,
            "script": os.path.abspath(script),  # the child runs it from its own working directory
            "workdir": confinement.workdir,
            "stdout": str(stdout),
            "stderr": str(stderr),
            "confinement": confinement.to_json(),
            "imports": [name for name in imports if name not in self.preload],
        }
        try:
            with self._write_lock:
                assert self._proc.stdin
                self._proc.stdin.write(json.dumps(request) + "\n")
                self._proc.stdin.flush()
                self.preload += tuple(request["imports"])
            deadline = time.monotonic() + timeout
            timed_out = not pending.done.wait(timeout)
            if timed_out:
                pending.started.wait(max(0.0, deadline - time.monotonic()) + 5)
                if pending.pid is not None:
                    for kill in (os.killpg, os.kill):
                        try:
                            kill(pending.pid, signal.SIGKILL)
                        except (ProcessLookupError, PermissionError):
                            continue
                pending.done.wait(10)
            if pending.status is None:
                if timed_out:
                    return -signal.SIGKILL, True, ()
                raise ZygoteError("the snippet zygote process stopped unexpectedly")
            return pending.status, timed_out, pending.events
        finally:
            del self._pending[request_id]

    def close(self) -> None:
        close_stdin_and_wait(self._proc)


if __name__ == "__main__":
    if "--preload" in sys.argv[1:]:
        serve(preload=tuple(n for n in sys.argv[sys.argv.index("--preload") + 1].split(",") if n))
    else:
        serve()
