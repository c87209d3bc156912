"""Run one snippet exactly as ``python path/to/snippet.py`` would, in isolation.

Each run gets a fresh process, an empty temporary working directory, no stdin, one
BLAS thread, and matplotlib's non-interactive backend, and runs confined (see
``sandbox``): it may write only in its run directory, opens no TCP connection, has
a memory cap, and leaves no process behind. Files the snippet leaves in its
working directory are collected as artifacts (figures, for example).

Two runners keep that contract: ``run_forked`` (default on POSIX) forks each
snippet from a warm zygote process that has numpy and matplotlib imported;
``run_subprocess`` starts a new interpreter per snippet (a zygote that preloads
no third-party module). Choose with ``LESSONKIT_RUNNER=fork|subprocess``.
"""

from __future__ import annotations

import os
import signal
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from . import sandbox
from .results import RunResult
from .snippets import Snippet

MAX_OUTPUT_BYTES = 1_000_000
MAX_ARTIFACT_BYTES = 20_000_000

# One thread per snippet: the build already runs one snippet per core.
SNIPPET_ENV = {
    "MPLBACKEND": "Agg",
    "PYTHONHASHSEED": "0",
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONUNBUFFERED": "1",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
    "VECLIB_MAXIMUM_THREADS": "1",
}


def snippet_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(SNIPPET_ENV)
    # matplotlib's font cache must survive between runs, but outside the repo: the zygote
    # builds it here, unconfined; confined runs only read it (sandbox._point_caches_inside).
    env.setdefault("MPLCONFIGDIR", str(Path(tempfile.gettempdir()) / "lessonkit-mplconfig"))
    return env


class ArtifactsTooLarge(Exception):
    """The files a snippet left behind exceed MAX_ARTIFACT_BYTES."""


def collect_artifacts(workdir: Path) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    total = 0
    for path in sorted(workdir.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            total += len(data)
            if total > MAX_ARTIFACT_BYTES:
                raise ArtifactsTooLarge(f"the files it wrote exceed {MAX_ARTIFACT_BYTES:,} bytes")
            found[path.relative_to(workdir).as_posix()] = data
    return found


# Runs a snippet confined as given, with (stdout file, stderr file); returns
# (exit code, timed out, what confinement stopped or cleaned up).
Launch = Callable[[sandbox.Confinement, Path, Path], tuple[int, bool, tuple[sandbox.Event, ...]]]


def _run_isolated(snippet: Snippet, launch: Launch, decision: sandbox.Decision | None) -> RunResult:
    """The part both runners share: a fresh temporary directory, output to files, artifacts."""
    decision = decision or sandbox.decide()
    with tempfile.TemporaryDirectory(prefix="lessonkit-run-") as tmp:
        base = Path(tmp)
        workdir, tmpdir = base / "cwd", base / "tmp"
        workdir.mkdir()
        tmpdir.mkdir()
        confinement = sandbox.Confinement(
            workdir=str(workdir),
            tmpdir=str(tmpdir),
            memory=snippet.memory,
            landlock_abi=decision.landlock_abi,
            network=decision.network,
        )
        stdout, stderr = base / "stdout", base / "stderr"
        stdout.touch()
        stderr.touch()
        start = time.perf_counter()
        code, timed_out, events = launch(confinement, stdout, stderr)
        duration = time.perf_counter() - start
        err = stderr.read_bytes()
        if code == -signal.SIGXFSZ:
            err += b"\nkilled: the snippet wrote a file larger than the size limit\n"
        artifacts: dict[str, bytes] = {}
        if not timed_out:
            try:
                artifacts = collect_artifacts(workdir)
            except ArtifactsTooLarge as exc:
                err += f"\n{exc}\n".encode()
                code = code or 1
        return RunResult(
            stdout=stdout.read_bytes(),
            stderr=err,
            returncode=code,
            duration=duration,
            timed_out=timed_out,
            artifacts=artifacts,
            sandbox_events=events,
        )


def run_subprocess(snippet: Snippet, decision: sandbox.Decision | None = None) -> RunResult:
    """Run ``snippet`` in a new Python process: a zygote that preloads no third-party module,
    started for this snippet alone, so confinement and the ending of leftovers are the fork
    runner's (the zygote outlives the snippet to end what it leaves, and runs it in-process
    after confining it, so an uncaught error can be explained)."""

    def launch(
        confinement: sandbox.Confinement, stdout: Path, stderr: Path
    ) -> tuple[int, bool, tuple[sandbox.Event, ...]]:
        from .zygote import Zygote

        zygote = Zygote(snippet_env(), preload=False)
        try:
            return zygote.run(snippet.path, confinement, stdout, stderr, snippet.timeout)
        finally:
            zygote.close()

    return _run_isolated(snippet, launch, decision)


_fallback_pool = None  # for callers that bring no pool of their own (see default_runner)


def fallback_pool():
    """The process's pool of zygotes, for runs that were given none (the command line, tests,
    Python-Markdown alone); closed when the interpreter exits."""
    global _fallback_pool
    if _fallback_pool is None:
        from .zygote_pool import pool_until_exit

        _fallback_pool = pool_until_exit(snippet_env())
    return _fallback_pool


def run_forked(
    snippet: Snippet,
    decision: sandbox.Decision | None = None,
    *,
    pool=None,
    preload: tuple[str, ...] | None = None,
) -> RunResult:
    """Run ``snippet`` in a child forked from a warm zygote of ``pool`` (a ZygotePool), which
    imports ``preload`` first (default: the zygote's PRELOAD)."""
    from .zygote import PRELOAD

    zygotes = pool if pool is not None else fallback_pool()

    def launch(
        confinement: sandbox.Confinement, stdout: Path, stderr: Path
    ) -> tuple[int, bool, tuple[sandbox.Event, ...]]:
        wanted = PRELOAD if preload is None else preload
        with zygotes.zygote(wanted) as zygote:
            return zygote.run(snippet.path, confinement, stdout, stderr, snippet.timeout, imports=wanted)

    return _run_isolated(snippet, launch, decision)


Runner = Callable[[Snippet, sandbox.Decision | None], RunResult]


def default_runner(pool=None, preload: tuple[str, ...] | None = None) -> Runner:
    """The runner LESSONKIT_RUNNER names; forked runs use the zygotes of ``pool`` (None: the
    process's own), which import ``preload`` (None: the zygote's PRELOAD)."""
    choice = os.environ.get("LESSONKIT_RUNNER", "fork" if hasattr(os, "fork") else "subprocess")
    if choice not in ("fork", "subprocess"):
        raise ValueError(f"LESSONKIT_RUNNER must be 'fork' or 'subprocess', not {choice!r}")
    if choice == "subprocess":
        return run_subprocess
    return lambda snippet, decision=None: run_forked(snippet, decision, pool=pool, preload=preload)
