"""Run every snippet of a project (cached, in parallel) and check the results.

This module knows nothing about MkDocs; the MkDocs hook and the command line
both call :func:`run_project`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import check, sandbox
from .cache import RunCache, cache_key, environment_fingerprint
from .results import RunResult
from .runner import Runner, default_runner
from .snippets import Snippet, SnippetConfigError, discover, orphaned_outputs

CACHE_DIR = ".cache/lessonkit"


@dataclass
class ProjectRun:
    snippets: list[Snippet]
    results: dict[Path, RunResult]
    failures: list[str] = field(default_factory=list)  # readable messages
    notes: list[str] = field(default_factory=list)  # allowed stderr, shown but not failing
    wall_time: float = 0.0

    def result(self, snippet_path: Path) -> RunResult:
        return self.results[snippet_path]

    @property
    def ran(self) -> int:
        return sum(not r.cached for r in self.results.values())

    @property
    def cached(self) -> int:
        return sum(r.cached for r in self.results.values())

    @property
    def failed(self) -> int:
        return len(self.failures)

    def summary(self) -> str:
        return (
            f"lessonkit: {len(self.snippets)} snippets: {self.ran} run, {self.cached} cached, "
            f"{self.failed} failed; {self.wall_time:.2f} s executing"
        )

    def error_report(self) -> str:
        head = f"{self.failed} snippet problem(s):"
        return "\n\n".join([head, *self.failures])


def default_jobs() -> int:
    return int(os.environ.get("LESSONKIT_JOBS", "0")) or (os.cpu_count() or 1)


def run_project(
    root: Path,
    *,
    snippets_dir: Path | None = None,
    use_cache: bool = True,
    jobs: int | None = None,
    only: Iterable[Path] | None = None,
    runner: Runner | None = None,
) -> ProjectRun:
    """Run (or fetch from the cache) every snippet under ``snippets_dir`` and check each one."""
    snippets_dir = snippets_dir or root / "snippets"
    try:
        snippets = discover(snippets_dir, root)
        confinement = sandbox.decide()
    except (SnippetConfigError, sandbox.SandboxError) as exc:
        return ProjectRun(snippets=[], results={}, failures=[str(exc)])
    if only is not None:
        wanted = {Path(p).resolve() for p in only}
        snippets = [s for s in snippets if s.path.resolve() in wanted]
    cache = RunCache(root / CACHE_DIR, enabled=use_cache)
    environment = environment_fingerprint(root)

    run = runner or default_runner()

    def execute(job: tuple[Snippet, str]) -> RunResult:
        snippet, key = job
        result = run(snippet)
        cache.put(key, result)
        return result

    start = time.perf_counter()
    # Cache look-ups are quick and in-process: do them in order, and hand only misses to workers.
    results: dict[Path, RunResult] = {}
    misses: list[tuple[Snippet, str]] = []
    for snippet in snippets:
        key = cache_key(snippet, environment)
        hit = cache.get(key)
        if hit is None:
            misses.append((snippet, key))
        else:
            results[snippet.path] = hit
    if misses:
        with ThreadPoolExecutor(max_workers=jobs or default_jobs()) as pool:
            ran = pool.map(execute, misses)
            results.update(zip([s.path for s, _ in misses], ran, strict=True))
    results = {s.path: results[s.path] for s in snippets}  # in discovery order
    wall = time.perf_counter() - start

    failures = [str(p) for s in snippets for p in check.problems(s, results[s.path])]
    notes = [confinement.notice] if misses and confinement.notice else []
    notes += [
        f"{s.rel} wrote to stderr (allowed):\n{check.indent(check.decode(results[s.path].stderr))}"
        for s in snippets
        if s.allow_stderr and results[s.path].stderr
    ]
    if only is None:
        failures += [
            f"{out.relative_to(root).as_posix()} is a documented output without a snippet "
            f"({out.with_suffix('.py').name} is missing): delete it or restore the snippet"
            for out in orphaned_outputs(snippets_dir)
        ]
    return ProjectRun(snippets=snippets, results=results, failures=failures, notes=notes, wall_time=wall)
