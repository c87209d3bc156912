"""Long-lived helper processes that serve requests read from their stdin (KaTeX, the zygote,
the snippet-run and notebook workers)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any


def start_helper(module: str, **popen: Any) -> subprocess.Popen:
    """``python -m lessonkit.<module>`` with stdin and stdout piped, importing this very
    lessonkit (the one running, installed or not) ahead of anything on PYTHONPATH."""
    package_parent = str(Path(__file__).resolve().parent.parent)
    path = os.pathsep.join(p for p in (package_parent, os.environ.get("PYTHONPATH")) if p)
    return subprocess.Popen(
        [sys.executable, "-m", f"lessonkit.{module}"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": path},
        **popen,
    )


def close_stdin_and_wait(proc: subprocess.Popen, timeout: float = 5) -> None:
    """End a helper process that serves requests read from its stdin (KaTeX, the zygote):
    closing stdin tells it to stop; kill it if it does not."""
    if proc.poll() is None:
        assert proc.stdin
        proc.stdin.close()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
