"""What one snippet run produced: shared by the runners, the cache and every product of a build."""

from __future__ import annotations

from dataclasses import dataclass, field

from .sandbox import Event


@dataclass
class RunResult:
    stdout: bytes
    stderr: bytes
    returncode: int
    duration: float
    timed_out: bool = False
    artifacts: dict[str, bytes] = field(default_factory=dict)
    cached: bool = False
    sandbox_events: tuple[Event, ...] = ()  # what confinement stopped or cleaned up
