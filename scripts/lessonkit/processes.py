"""Long-lived helper processes that serve requests read from their stdin (KaTeX, the zygote)."""

from __future__ import annotations

import subprocess


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
