"""Run every snippet of a project (cached, in parallel) and check the results.

This module knows nothing about MkDocs; the plugin and the command line both call
:func:`run_site` (or :func:`run_project` for a chosen set of snippets).
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from ..options import DEFAULTS, Options
from . import check, figures, sandbox
from .cache import RunCache, cache_key, environment_fingerprint
from .results import RunResult
from .runner import default_runner
from .snippets import Snippet, discover, orphaned_outputs
from .zygote_pool import ZygotePool, preload_for

CACHE_DIR = str(DEFAULTS["cache_dir"])

# Told about each snippet's result as soon as it is known (cache hit or finished run).
OnResult = Callable[[Snippet, RunResult], None]


@dataclass
class ProjectRun:
    snippets: list[Snippet]
    results: dict[Path, RunResult]
    failures: list[str] = field(default_factory=list)  # readable messages
    notes: list[str] = field(default_factory=list)  # allowed stderr, shown but not failing
    wall_time: float = 0.0

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
    """One run per core (the plugin's `jobs` option, or LESSONKIT_JOBS, sets another number)."""
    return os.cpu_count() or 1


def run_project(
    root: Path,
    *,
    snippets_dir: Path | None = None,
    cache_dir: Path | None = None,
    use_cache: bool = True,
    jobs: int | None = None,
    timeout: float | None = None,
    sandbox_mode: str = "auto",
    only: Iterable[Path] | None = None,
    on_result: OnResult | None = None,
    zygotes: ZygotePool | None = None,
) -> ProjectRun:
    """Run (or fetch from the cache) every snippet under ``snippets_dir`` and check each one;
    ``on_result`` hears of each result as it comes (figures are run first); forked runs use
    the zygotes of ``zygotes`` (None: the process's own pool)."""
    snippets_dir = snippets_dir or root / "snippets"
    snippets = discover(snippets_dir, root, **({"default_timeout": timeout} if timeout else {}))
    if only is not None:
        wanted = {Path(p).resolve() for p in only}
        snippets = [s for s in snippets if s.path.resolve() in wanted]
    cache = RunCache(cache_dir or root / CACHE_DIR, enabled=use_cache)
    environment = environment_fingerprint(root)
    try:
        confinement = sandbox.decide(sandbox_mode)
    except sandbox.SandboxError as exc:
        return ProjectRun(snippets=snippets, results={}, failures=[str(exc)])

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
            if on_result is not None:
                on_result(snippet, hit)
    if misses:

        def execute(job: tuple[Snippet, str]) -> RunResult:
            snippet, key = job
            # A zygote imports the heavy modules this snippet imports before it forks it, once.
            run = default_runner(zygotes, preload_for([(snippet.path.read_bytes(), str(snippet.path))]))
            result = run(snippet, confinement)
            cache.put(key, result)
            return result

        # Figures first, as a wave of their own: the site's figure files are needed before its
        # pages are read, and a later snippet's imports (scikit-learn: a second) would hold up
        # the forks of the figures queued behind it in the shared heavy zygote.
        figure_jobs = [job for job in misses if figures.is_figure(job[0].path)]
        other_jobs = [job for job in misses if not figures.is_figure(job[0].path)]
        with ThreadPoolExecutor(max_workers=jobs or default_jobs()) as pool:
            for wave in (figure_jobs, other_jobs):
                running = {pool.submit(execute, job): job[0] for job in wave}
                for done in as_completed(running):
                    snippet = running[done]
                    results[snippet.path] = done.result()
                    if on_result is not None:
                        on_result(snippet, results[snippet.path])
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


def more_runs_than(limit: int, options: Options, snippets: list[Snippet]) -> bool:
    """Whether this build would run more than ``limit`` of these (discovered) snippets: those
    it runs that have no cache entry. Stops counting past the limit."""
    if not options.execute:
        snippets = [s for s in snippets if figures.is_figure(s.path)]
    if not options.use_cache:
        return len(snippets) > limit
    cache = RunCache(options.cache_dir)
    environment = environment_fingerprint(options.root)
    missing = (s for s in snippets if not cache.has(cache_key(s, environment)))
    return next(itertools.islice(missing, limit, None), None) is not None


def run_site(
    options: Options,
    only: Iterable[Path] | None = None,
    on_result: OnResult | None = None,
    zygotes: ZygotePool | None = None,
) -> tuple[ProjectRun, dict[Path, RunResult], str]:
    """Every snippet's result for one build, and the summary line for the log.

    With execution switched off, pages show the documented outputs and only figures run,
    since a figure exists only once drawn.
    """
    settings = dict(
        snippets_dir=options.snippets_dir,
        cache_dir=options.cache_dir,
        use_cache=options.use_cache,
        jobs=options.jobs,
        timeout=options.timeout,
        sandbox_mode=options.sandbox,
        zygotes=zygotes,
    )
    if options.execute:
        run = run_project(options.root, only=only, on_result=on_result, **settings)
        return run, run.results, run.summary()
    found = discover(options.snippets_dir, options.root)
    paths = [s.path for s in found]
    figure_paths = [p for p in paths if figures.is_figure(p)]
    results = {
        s.path: RunResult(s.path.with_suffix(".out").read_bytes(), b"", 0, 0.0)
        for s in found
        if s.path.with_suffix(".out").exists()
    }
    if on_result is not None:
        for snippet in found:
            if snippet.path in results and not figures.is_figure(snippet.path):
                on_result(snippet, results[snippet.path])
    run = run_project(options.root, only=figure_paths, on_result=on_result, **settings)
    results.update(run.results)
    summary = (
        f"lessonkit: execution switched off; {len(paths)} documented outputs shown "
        f"({len(figure_paths)} figures drawn)"
    )
    return run, results, summary
