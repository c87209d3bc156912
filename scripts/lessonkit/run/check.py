"""Judge a snippet run against its documented output and explain any problem."""

from __future__ import annotations

import difflib
import textwrap
from dataclasses import dataclass

from . import figures, sandbox
from .results import RunResult
from .runner import MAX_OUTPUT_BYTES
from .snippets import Snippet, format_size

ACCEPT_HINT = "python -m lessonkit accept"


def indent(text: str) -> str:
    return textwrap.indent(text.rstrip("\n") or "(empty)", "    ")


def decode(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


# Problems that accepting the new output resolves; all others need a fix in the snippet.
ACCEPTABLE = frozenset({"drift", "undocumented"})


@dataclass(frozen=True)
class Problem:
    # timeout, blocked, memory, processes, exit, stderr, too-large, encoding, figure,
    # undocumented, drift
    kind: str
    message: str

    def __str__(self) -> str:
        return self.message


def problems(snippet: Snippet, result: RunResult) -> list[Problem]:
    """Everything wrong with one run, each with a readable message naming the snippet."""
    found: list[Problem] = []
    where = snippet.rel
    if result.timed_out:
        found.append(
            Problem(
                "timeout",
                f"{where} timed out after {snippet.timeout:g} s (raise `timeout` for it in "
                f"{snippet.path.parent.name}/snippets.toml if it is meant to be slow)"
                + (f"\n  stderr:\n{indent(decode(result.stderr))}" if result.stderr else ""),
            )
        )
        return found
    stopped = _confinement_problem(snippet, result)
    if stopped is not None:
        found.append(stopped)
        return found
    leftovers = [e.subject for e in result.sandbox_events if e.kind == "process"]
    if leftovers:
        found.append(
            Problem(
                "processes",
                f"{where} left {len(leftovers)} process(es) running when it ended, which were "
                f"stopped: {'; '.join(leftovers)}. A snippet must wait for every process it starts "
                "(`subprocess.run(...)`, or `proc.wait()` after `subprocess.Popen(...)`).",
            )
        )
    if result.returncode != 0:
        found.append(
            Problem(
                "exit",
                f"{where} failed with exit code {result.returncode}:\n{indent(decode(result.stderr))}",
            )
        )
        return found
    if result.stderr and not snippet.allow_stderr:
        found.append(
            Problem(
                "stderr",
                f"{where} wrote to stderr (mark it `allow_stderr = true` in snippets.toml if that is "
                f"intended):\n{indent(decode(result.stderr))}",
            )
        )
    if len(result.stdout) > MAX_OUTPUT_BYTES:
        found.append(
            Problem(
                "too-large",
                f"{where} printed {len(result.stdout):,} bytes; the limit is {MAX_OUTPUT_BYTES:,}",
            )
        )
        return found
    try:
        actual = result.stdout.decode("utf-8")
    except UnicodeDecodeError as exc:
        found.append(Problem("encoding", f"{where} printed output that is not UTF-8 ({exc})"))
        return found
    absent = [name for name in figures.REQUIRED if name not in result.artifacts]
    if figures.is_figure(snippet.path) and absent:
        wrote = ", ".join(sorted(result.artifacts)) or "nothing"
        found.append(
            Problem(
                "figure",
                f"{where} did not write {' and '.join(absent)} (it wrote: {wrote}); a figure snippet "
                f"saves {' and '.join(figures.REQUIRED)} in its working directory",
            )
        )
    expected_path = snippet.expected_path
    if not expected_path.exists():
        found.append(
            Problem(
                "undocumented",
                f"{where} has no documented output {expected_path.name}; review the output below and "
                f"record it with `{ACCEPT_HINT} {where}`:\n{indent(actual)}",
            )
        )
        return found
    expected = expected_path.read_text(encoding="utf-8")
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=f"{snippet.path.with_suffix('.out').relative_to(snippet.root).as_posix()} (documented)",
            tofile=f"{where} (this run)",
        )
        found.append(
            Problem(
                "drift",
                f"{where} printed output that differs from its documented output:\n"
                f"{indent(''.join(diff))}\n"
                f"  If the change is intended, accept it with `{ACCEPT_HINT} {where}`.",
            )
        )
    return found


# What a snippet stopped by the network confinement tried, by the kind of event (sandbox.Event).
NETWORK_ACTIONS = {
    "connect": "connect to",
    "bind": "listen on",
    "send": "send a datagram to",
    "lookup": "look up the address of",
    "socket": "open a network socket",
}


def _confinement_problem(snippet: Snippet, result: RunResult) -> Problem | None:
    """The failure explained, when confinement stopped the snippet (the child's findings)."""
    where, settings = snippet.rel, f"{snippet.path.parent.name}/snippets.toml"
    traceback = f"\n  stderr:\n{indent(decode(result.stderr))}" if result.stderr else ""
    for event in result.sandbox_events:
        if event.kind == "write":
            return Problem(
                "blocked",
                f"{where} tried to write {event.subject}, outside its working directory, and was "
                f"stopped: {sandbox.WRITE_HINT} in {settings}{traceback}",
            )
        if event.kind in NETWORK_ACTIONS:
            action = NETWORK_ACTIONS[event.kind]
            return Problem(
                "blocked",
                f"{where} tried to {action} {event.subject} and was stopped: {sandbox.NETWORK_HINT} "
                f"in {settings}{traceback}",
            )
        if event.kind == "memory":
            return Problem(
                "memory",
                f"{where} ran out of memory: it may use {format_size(snippet.memory)}. Use less, or "
                f'raise its cap in {settings} (`memory = "{format_size(2 * snippet.memory)}"` under '
                f"[{snippet.path.stem}]){traceback}",
            )
    return None
