"""Run one snippet exactly as ``python path/to/snippet.py`` would, in isolation.

Each run gets a fresh interpreter, an empty temporary working directory (so a
snippet that writes files never touches the repository), no stdin, one BLAS
thread, and matplotlib's non-interactive backend. Files the snippet leaves in
its working directory are collected as artifacts (figures, for example).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

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


@dataclass
class RunResult:
    stdout: bytes
    stderr: bytes
    returncode: int
    duration: float
    timed_out: bool = False
    artifacts: dict[str, bytes] = field(default_factory=dict)
    cached: bool = False


def snippet_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(SNIPPET_ENV)
    # matplotlib's font cache must survive between runs, but outside the repo.
    env.setdefault("MPLCONFIGDIR", str(Path(tempfile.gettempdir()) / "lessonkit-mplconfig"))
    return env


def _collect_artifacts(workdir: Path) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    total = 0
    for path in sorted(workdir.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            total += len(data)
            if total > MAX_ARTIFACT_BYTES:
                raise RuntimeError(f"artifacts exceed {MAX_ARTIFACT_BYTES} bytes")
            found[path.relative_to(workdir).as_posix()] = data
    return found


def run_subprocess(snippet: Snippet) -> RunResult:
    """Run ``snippet`` in a new Python process in its own temporary directory."""
    with tempfile.TemporaryDirectory(prefix="lessonkit-run-") as tmp:
        workdir = Path(tmp)
        start = time.perf_counter()
        try:
            proc = subprocess.run(
                [sys.executable, str(snippet.path)],
                cwd=workdir,
                env=snippet_env(),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=snippet.timeout,
            )
        except subprocess.TimeoutExpired as exc:
            return RunResult(
                stdout=exc.stdout or b"",
                stderr=exc.stderr or b"",
                returncode=-9,
                duration=time.perf_counter() - start,
                timed_out=True,
            )
        duration = time.perf_counter() - start
        return RunResult(
            stdout=proc.stdout,
            stderr=proc.stderr,
            returncode=proc.returncode,
            duration=duration,
            artifacts=_collect_artifacts(workdir),
        )
