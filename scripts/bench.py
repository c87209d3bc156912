"""Benchmark the site build. Prints figures; asserts nothing (no timing in the test suite).

    .venv/bin/python scripts/bench.py [--runs 5] [--scale-lessons 150] [--scale-snippets 12]
    .venv/bin/python scripts/bench.py --pages    # only the page weight and layout-shift section
    .venv/bin/python scripts/bench.py --course 155 [--course-cold-runs 1] [--course-runs 3] [--keep]

Everything runs on throwaway copies of the project, so the real cache is untouched.
--course N prints only a course of N lessons and one of 2 (the real site), side by side.
Each figure is the median of --runs runs and is also given as a ratio to the baseline
(a build with snippet execution switched off) measured in the same invocation.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import functools
import gzip
import http.server
import json
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import yaml

from lessonkit.project import copy_project as copy_tree
from lessonkit.run import figures, sandbox
from lessonkit.run.engine import run_project
from lessonkit.run.runner import run_forked, run_subprocess
from lessonkit.run.snippets import Snippet

ROOT = Path(__file__).resolve().parent.parent
SUMMARY = re.compile(
    r"lessonkit: (\d+) snippets: (\d+) run, (\d+) cached, (\d+) failed; ([\d.]+) s executing"
)


def copy_project(destination: Path) -> Path:
    return copy_tree(ROOT, destination)


def build(project: Path, **env: str) -> tuple[float, str]:
    """One ``mkdocs build`` as a user runs it; returns (wall seconds, log)."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(project / "site")],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1700000000", **env},
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"build failed in {project}:\n{proc.stderr[-3000:]}")
    return elapsed, proc.stderr


def runs_of(log: str) -> str:
    match = SUMMARY.search(log)
    return f"{match[2]} run, {match[3]} cached" if match else "execution off"


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def measure(
    times: int, prepare: Callable[[], None], action: Callable[[], tuple[float, str]]
) -> tuple[float, str]:
    """Median seconds of ``times`` runs, and the log of the run whose time is that median
    (with an odd count), so the counts printed next to a figure come from the same run."""
    runs = measure_runs(times, prepare, action)
    seconds = median([t for t, _ in runs])
    return seconds, min(runs, key=lambda run: abs(run[0] - seconds))[1]


def measure_runs(
    times: int, prepare: Callable[[], None], action: Callable[[], tuple[float, str]]
) -> list[tuple[float, str]]:
    runs = []
    for _ in range(times):
        prepare()
        runs.append(action())
    return runs


def line(label: str, seconds: float, baseline: float, note: str = "") -> None:
    print(f"  {label:<34} {seconds:7.2f} s  {seconds / baseline:5.2f}x baseline  {note}")


def edit_to_served(
    project: Path, snippet: Path, page_url: str, times: int, startup: float = 120
) -> tuple[list[float], list[dict[str, float]], int]:
    """Seconds from saving a changed snippet to ``mkdocs serve`` serving the new output, where
    each of those rebuilds spent its time (the plugin's phase clock, LESSONKIT_TIMINGS), and the
    serve process tree's peak memory (TreeMemory), from start to the last edit served."""
    timings = project / "serve-timings.json"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = open(project / "serve.log", "w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "serve",
            "-f",
            str(project / "mkdocs.yml"),
            "--dev-addr",
            f"127.0.0.1:{port}",
        ],
        cwd=project,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "LESSONKIT_TIMINGS": str(timings)},
    )
    url = f"http://127.0.0.1:{port}/{page_url}"

    def fetch() -> str:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            return ""

    memory = TreeMemory(server.pid)
    memory.start()
    try:
        deadline = time.monotonic() + startup
        while "bench marker" not in fetch():
            if time.monotonic() > deadline:
                sys.exit("mkdocs serve did not come up")
            time.sleep(0.1)
        samples, phases = [], []
        for i in range(times):
            marker = f"bench marker {i + 1}"
            snippet.write_text(f"print('{marker}')\n")
            snippet.with_suffix(".out").write_text(f"{marker}\n")
            start = time.perf_counter()
            while marker not in fetch():
                if time.perf_counter() - start > startup:
                    sys.exit("the edit never reached the served page")
                time.sleep(0.01)
            samples.append(time.perf_counter() - start)
            phases.append(json.loads(timings.read_text())["phases"])  # written before serving
            time.sleep(0.5)  # let the watcher settle before the next edit
        return samples, phases, memory.peak
    finally:
        memory.stop()
        server.terminate()
        server.wait(10)
        log.close()


def bench_real_site(work: Path, times: int) -> None:
    project = copy_project(work / "site-project")
    cache = project / ".cache" / "lessonkit"
    count = len(list((project / "snippets").glob("*/[!_]*.py")))
    print(f"Real site: {count} snippets; median of {times} runs each (cores: {os.cpu_count()})")

    def no_prep() -> None:
        pass

    def clear_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    baseline, _ = measure(times, no_prep, lambda: build(project, LESSONKIT_EXECUTE="0"))
    line("baseline: execution switched off", baseline, baseline)
    cold, log = measure(times, clear_cache, lambda: build(project))
    line("cold: empty cache folder", cold, baseline, runs_of(log))

    def clear_runs() -> None:
        # Only the snippet-run entries (<2 hex digits>/<key>.json): the build caches the baseline
        # also keeps (typeset formulas, notebooks, the card, compiled templates) stay.
        for entry in cache.glob("[0-9a-f][0-9a-f]"):
            shutil.rmtree(entry)

    cold_runs, log = measure(times, clear_runs, lambda: build(project))
    line("cold: no snippet run cached", cold_runs, baseline, runs_of(log))
    warm, log = measure(times, no_prep, lambda: build(project))
    line("warm: nothing changed", warm, baseline, runs_of(log))

    # The first example the first lesson shows: a typical numpy snippet (the per-snippet table
    # below shows the slow outliers, such as the scikit-learn import).
    lesson_dir = sorted((project / "snippets").iterdir())[0]
    page_text = (project / "docs" / "lessons" / f"{lesson_dir.name}.md").read_text()
    target = lesson_dir / re.search(r"\{\{ example (\S+) \}\}", page_text)[1]
    source = target.read_text()
    edits = iter(range(10**6))

    def edit_one() -> None:
        target.write_text(source + f"# edit {next(edits)}\n")  # output unchanged, cache key changed

    edited, log = measure(times, edit_one, lambda: build(project))
    line("one snippet edited", edited, baseline, runs_of(log))
    target.write_text(source)

    per_snippet = per_snippet_times(project)
    print("  Per-snippet run time on a cold build, slowest first:")
    for seconds, name in per_snippet:
        print(f"    {seconds:6.3f} s  {name}")

    # Serve: a probe snippet on the lesson page, edited repeatedly.
    lesson = sorted((project / "snippets").iterdir())[0].name
    samples, _ = serve_figures(project, add_probe(project, lesson), lesson, times)
    print(
        f"  Targets: warm <= 1.10x ({warm / baseline:.2f}x), cold <= 1.5x ({cold_runs / baseline:.2f}x with "
        f"the build caches the baseline keeps, {cold / baseline:.2f}x from an empty folder), "
        f"edit -> reload < 1 s ({median(samples):.2f} s)"
    )


SERVE_OUTSIDE = "watcher delay, loading mkdocs.yml, serving the page"
BUILD_OUTSIDE = "starting Python, importing MkDocs and plugins, loading mkdocs.yml"


def print_phases(
    title: str, phases: list[dict[str, float]], walls: list[float], outside_is: str = SERVE_OUTSIDE
) -> None:
    """Median seconds per phase over the given builds; the rest of the wall time (file watcher,
    loading mkdocs.yml, serving) is what the plugin's clock cannot see."""
    names = sorted({name for run in phases for name in run})
    rows = sorted(((median([run.get(n, 0.0) for run in phases]), n) for n in names), reverse=True)
    totals = [sum(run.values()) for run in phases]
    print(title)
    for seconds, name in rows:
        print(f"    {seconds:6.3f} s  {name}")
    print(f"    {median(totals):6.3f} s  total seen by the plugin (on_config to the end of on_post_build)")
    outside = median([wall - total for wall, total in zip(walls, totals, strict=True)])
    print(f"    {outside:6.3f} s  outside it: {outside_is}")


def bench_serve_at_size(work: Path, times: int, copies: int) -> None:
    """Edit -> served on the real site with ``copies`` more lessons (copies of the first): what
    a rebuild costs per lesson that the edit did not touch."""
    project = copy_project(work / "serve-size-project")
    ids = re.findall(r"\{id: ([a-z0-9-]+),", (project / "docs" / "curriculum.yml").read_text())
    lessons = sorted(p.stem for p in (project / "docs" / "lessons").glob("*.md"))
    first = lessons[0]
    page = (project / "docs" / "lessons" / f"{first}.md").read_text()
    nav = []
    for lesson in [i for i in ids if i not in lessons][:copies]:
        (project / "docs" / "lessons" / f"{lesson}.md").write_text(page)
        shutil.copytree(project / "snippets" / first, project / "snippets" / lesson)
        nav.append(f"      - Copy of {first}: lessons/{lesson}.md")
        nav.append(f'      - "Copy of {first}: notebook": notebooks/{lesson}.ipynb')
    config = (project / "mkdocs.yml").read_text()
    last = f"lessons/{lessons[-1]}.md\n"
    (project / "mkdocs.yml").write_text(config.replace(last, last + "\n".join(nav) + "\n", 1))
    probe = add_probe(project, first)
    build(project)  # runs every snippet once, so that serve starts from a warm cache
    copied = len(nav) // 2
    print(f"Serve with {len(lessons) + copied} lessons ({copied} copies of {first}): median of {times}")
    serve_figures(project, probe, first, times)


def add_probe(project: Path, lesson: str) -> Path:
    """A probe snippet shown at the end of ``lesson``'s page, for edit_to_served to edit."""
    probe = project / "snippets" / lesson / "bench-probe.py"
    probe.write_text("print('bench marker')\n")
    probe.with_suffix(".out").write_text("bench marker\n")
    page = project / "docs" / "lessons" / f"{lesson}.md"
    page.write_text(page.read_text() + "\n{{ example bench-probe.py }}\n")
    return probe


def serve_figures(
    project: Path, probe: Path, lesson: str, times: int, startup: float = 120
) -> tuple[list[float], int]:
    """Print edit -> served for ``probe`` on ``lesson``'s page, and where its rebuilds went;
    returns the samples and the serve tree's peak memory."""
    samples, phases, peak = edit_to_served(project, probe, f"lessons/{lesson}/", times, startup)
    print(
        f"  {'serve: edit -> new page served':<34} {median(samples):7.2f} s  (samples: "
        + ", ".join(f"{s:.2f}" for s in samples)
        + ")"
    )
    print_phases("  One rebuild under serve, by phase (medians of the same rebuilds):", phases, samples)
    return samples, peak


# --- A full-size course: the real lessons copied under the curriculum's other ids ------------

GIB = 2**30


class TreeMemory(threading.Thread):
    """Peak of the summed resident memory (RSS) of a process and all its descendants, sampled
    from /proc every ``interval`` seconds. An upper bound of what the tree uses: a page shared
    by forked processes (the zygotes' snippets) counts once per process; a process living less
    than ``interval`` may be missed."""

    def __init__(self, root: int, interval: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.root, self.interval, self.peak = root, interval, 0
        self._stopped = threading.Event()
        self._page = os.sysconf("SC_PAGE_SIZE")

    def sample(self) -> int:
        children: dict[int, list[int]] = {}
        rss: dict[int, int] = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as stat:
                    fields = stat.read().rsplit(b")", 1)[1].split()  # the name may hold spaces
            except OSError:  # ended meanwhile
                continue
            pid = int(entry.name)
            children.setdefault(int(fields[1]), []).append(pid)
            rss[pid] = int(fields[21]) * self._page
        total, frontier = 0, [self.root]
        while frontier:
            pid = frontier.pop()
            total += rss.get(pid, 0)
            frontier += children.get(pid, [])
        return total

    def run(self) -> None:
        while True:
            self.peak = max(self.peak, self.sample())
            if self._stopped.wait(self.interval):
                return

    def stop(self) -> None:
        self._stopped.set()
        self.join()


@dataclasses.dataclass
class Measured:
    """One process tree run to its end: wall seconds, its stderr, CPU seconds (user + system)
    of the process and every process it waited for, the largest single process's peak RSS in
    bytes (both from os.wait4's rusage), the tree's summed-RSS peak (TreeMemory), and for a
    build the plugin's phases (LESSONKIT_TIMINGS)."""

    wall: float
    log: str
    cpu: float
    largest: int
    tree: int
    phases: dict[str, float] = dataclasses.field(default_factory=dict)


def run_measured(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[Measured, int]:
    """Run ``command`` to its end; returns its figures and its exit code."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err, env=env)
        memory = TreeMemory(proc.pid)
        memory.start()
        # wait4, not Popen.wait: its rusage is this tree's alone (RUSAGE_CHILDREN of this process
        # would add every earlier build, and its ru_maxrss never goes down).
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        memory.stop()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        log = err.read().decode("utf-8", "replace")
    cpu = usage.ru_utime + usage.ru_stime
    return Measured(wall, log, cpu, usage.ru_maxrss * 1024, memory.peak), proc.returncode


def measured_build(project: Path, **env: str) -> Measured:
    """One ``mkdocs build`` as build() runs it, with its CPU, memory and phases."""
    timings = project / "build-timings.json"  # outside docs/: never part of the site
    timings.unlink(missing_ok=True)
    run, code = run_measured(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(project / "site")],
        project,
        {
            **os.environ,
            "NO_MKDOCS_2_WARNING": "1",
            "SOURCE_DATE_EPOCH": "1700000000",
            "LESSONKIT_TIMINGS": str(timings),
            **env,
        },
    )
    if code != 0:
        sys.exit(f"build failed in {project}:\n{run.log[-3000:]}")
    run.phases = json.loads(timings.read_text())["phases"]
    return run


NAV_ENTRIES = (("lessons", "md"), ("notebooks", "ipynb"))  # a lesson's page and its notebook


def make_course(work: Path, lessons: int) -> tuple[Path, dict[str, str]]:
    """A copy of the site with ``lessons`` lessons: the real ones (the first ``lessons`` of them
    when there are more), then copies of them in turn
    under the ids of the curriculum's unpublished lessons, in the curriculum's order. A copy is
    the page (docs/lessons/<id>.md), the whole snippets folder (snippets/<id>/) and two nav
    entries, the page and its notebook (notebooks/<id>.ipynb), as a real lesson has; the
    curriculum already lists every id, so it stays as it is. Returns the project and each
    lesson's source (a real lesson's is itself)."""
    project = copy_project(work / f"course-{lessons}")
    config = (project / "mkdocs.yml").read_text()
    real = re.findall(r"(?m)^ +- .*: lessons/([a-z0-9-]+)\.md$", config)  # in nav order
    outline = yaml.safe_load((project / "docs" / "curriculum.yml").read_text())
    unpublished = [
        (lesson["id"], lesson["title"])
        for topic in outline["topics"]
        for lesson in topic["lessons"]
        if lesson["id"] not in real
    ]
    if not 1 <= lessons <= len(real) + len(unpublished):
        sys.exit(f"--course takes 1 to {len(real) + len(unpublished)} lessons")
    if lessons < len(real):  # fewer than the site has: its first ones, in nav order
        dropped = real[lessons:]
        for lesson in dropped:
            (project / "docs" / "lessons" / f"{lesson}.md").unlink()
            shutil.rmtree(project / "snippets" / lesson)
        entries = tuple(f"{kind}/{lesson}.{ext}" for lesson in dropped for kind, ext in NAV_ENTRIES)
        config = "".join(
            line for line in config.splitlines(keepends=True) if not line.rstrip().endswith(entries)
        )
        real = real[:lessons]
    sources = {lesson: lesson for lesson in real}
    nav = []
    for index, (lesson, title) in enumerate(unpublished[: lessons - len(real)]):
        source = sources[lesson] = real[index % len(real)]
        pages = project / "docs" / "lessons"
        shutil.copy2(pages / f"{source}.md", pages / f"{lesson}.md")
        shutil.copytree(project / "snippets" / source, project / "snippets" / lesson)
        # JSON strings are YAML strings: titles hold '&', ':' and quotes.
        nav.append(f"      - {json.dumps(title)}: lessons/{lesson}.md")
        nav.append(f"      - {json.dumps(title + ': notebook')}: notebooks/{lesson}.ipynb")
    last = f"notebooks/{real[-1]}.ipynb\n"
    assert last in config, "the nav lists a notebook after each lesson"
    (project / "mkdocs.yml").write_text(config.replace(last, last + "".join(f"{n}\n" for n in nav), 1))
    return project, sources


# Runs the snippets listed in the file sys.argv[2], uncached, with the engine alone.
SNIPPETS_ALONE = """\
import sys
from pathlib import Path
from lessonkit.run.engine import run_project
paths = [Path(p) for p in Path(sys.argv[2]).read_text().splitlines()]
run = run_project(Path(sys.argv[1]), use_cache=False, only=paths)
sys.exit(1 if run.failed else 0)
"""


def snippets_alone(project: Path, paths: list[Path]) -> Measured:
    """One uncached run of these snippets by the engine in a process of its own, without
    MkDocs: its runner, zygotes (with their imports) and forks, as a build runs them."""
    listing = project / "bench-snippets.txt"
    listing.write_text("".join(f"{path}\n" for path in paths))
    command = [sys.executable, "-c", SNIPPETS_ALONE, str(project), str(listing)]
    run, code = run_measured(command, project, dict(os.environ))
    if code != 0:
        sys.exit(f"the snippets failed when run alone:\n{run.log[-3000:]}")
    return run


def middle(runs: list[Measured]) -> Measured:
    """The run whose wall time is the median (with an odd count), so that the CPU, memory and
    counts printed next to a median come from one run."""
    seconds = median([run.wall for run in runs])
    return min(runs, key=lambda run: abs(run.wall - seconds))


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def site_size(site: Path) -> tuple[int, int]:
    files = [path for path in site.rglob("*") if path.is_file()]
    return sum(path.stat().st_size for path in files), len(files)


def bench_course(work: Path, lessons: int, cold_runs: int, runs: int) -> dict[str, float]:
    """Print (and return) cold, warm, edited and serve figures of a course of ``lessons``
    lessons (make_course), with the cold build's floor, peak memory, site size and phases."""
    project, sources = make_course(work, lessons)
    cache = project / ".cache" / "lessonkit"
    cores = os.cpu_count() or 1
    snippets = sorted((project / "snippets").glob("*/[!_]*.py"))
    count = len(snippets)
    copies = sum(lesson != source for lesson, source in sources.items())
    print(
        f"\nCourse of {lessons} lessons ({lessons - copies} real, {copies} copies of them): {count} "
        f"snippets; cold: median of {cold_runs} run(s), the rest of {runs} (cores: {cores})"
    )

    def clear_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    def repeat(times: int, prepare: Callable[[], None], **env: str) -> list[Measured]:
        samples = []
        for _ in range(times):
            prepare()
            samples.append(measured_build(project, **env))
        return samples

    # The floor: the CPU of a build with execution off from an empty cache (pages, formulas,
    # notebooks, and the figures, which it draws), less the figures' runs alone, plus every
    # snippet's run alone. Alone, all at once, as the build runs them: each zygote's imports
    # are paid once, and the figures' once more in the figures-only run, which cancels them.
    off_cold = middle(repeat(1, clear_cache, LESSONKIT_EXECUTE="0"))
    all_alone = snippets_alone(project, snippets)
    figures_alone = snippets_alone(project, [path for path in snippets if figures.is_figure(path)])
    cold_all = repeat(cold_runs, clear_cache)
    warm_all = repeat(runs, lambda: None)
    size, files = site_size(project / "site")
    off_all = repeat(runs, lambda: None, LESSONKIT_EXECUTE="0")

    first = next(iter(sources))
    page_text = (project / "docs" / "lessons" / f"{first}.md").read_text()
    target = project / "snippets" / first / re.search(r"\{\{ example (\S+) \}\}", page_text)[1]
    source = target.read_text()
    edits = iter(range(10**6))

    def edit_one() -> None:
        target.write_text(source + f"# edit {next(edits)}\n")  # output unchanged, cache key changed

    edited_all = repeat(runs, edit_one)
    target.write_text(source)

    cold, warm, off, edited = (middle(r) for r in (cold_all, warm_all, off_all, edited_all))
    own_cpu = off_cold.cpu - figures_alone.cpu
    floor = (own_cpu + all_alone.cpu) / cores
    ratio_cold, ratio_warm = cold.wall / floor, warm.wall / off.wall

    def row(label: str, run: Measured, note: str) -> None:
        print(f"  {label:<34} {run.wall:7.2f} s  CPU {run.cpu:7.1f} s  {note}")

    row("cold build, empty cache", cold, runs_of(cold.log))
    print(
        f"  {'  its floor':<34} {floor:7.2f} s  = (the build's own CPU: {own_cpu:.1f} s (execution off, "
        f"empty cache: {off_cold.cpu:.1f} s,\n{'':46}less its figures run alone: {figures_alone.cpu:.1f} s) "
        f"+ every snippet run alone: {all_alone.cpu:.1f} s) / {cores} cores\n"
        f"{'':46}cold = {ratio_cold:.2f}x floor "
        f"(target <= 1.2x: {verdict(ratio_cold <= 1.2)})"
    )
    row("warm build, nothing changed", warm, runs_of(warm.log))
    row(
        "execution off, same pages (warm)",
        off,
        f"warm = {ratio_warm:.2f}x it (target <= 1.2x: {verdict(ratio_warm <= 1.2)}; "
        f"CPU {warm.cpu / off.cpu:.2f}x, steadier on a shared machine)",
    )
    row("one snippet edited (one lesson)", edited, runs_of(edited.log))
    print(f"  {'site':<34} {size:,} bytes in {files:,} files")
    for name, samples in (("Cold", cold_all), ("Warm", warm_all)):
        walls = [run.wall for run in samples]
        print_phases(f"  {name} build by phase:", [run.phases for run in samples], walls, BUILD_OUTSIDE)

    probe = add_probe(project, first)
    samples, serve_peak = serve_figures(project, probe, first, runs, startup=120 + 5 * warm.wall)
    served = median(samples)
    builds = [off_cold, *cold_all, *warm_all, *off_all, *edited_all]
    build_peak = max(run.tree for run in builds)
    largest = max(run.largest for run in builds)
    peak = max(build_peak, serve_peak)
    print(
        f"  serve edit -> served, median: {served:.2f} s "
        f"(target <= 1.5 s at 155 lessons: {verdict(served <= 1.5)})\n"
        f"  peak memory: build process tree {build_peak / GIB:.2f} GiB, serve process tree "
        f"{serve_peak / GIB:.2f} GiB (summed RSS of the tree, sampled from /proc every 0.25 s;\n"
        f"    largest single process of any build {largest / GIB:.2f} GiB, its ru_maxrss from os.wait4)"
        f" (target < 4 GiB: {verdict(peak < 4 * GIB)})"
    )
    return {
        "cold build (s)": cold.wall,
        "cold floor (s)": floor,
        "cold / floor": ratio_cold,
        "warm build (s)": warm.wall,
        "execution off (s)": off.wall,
        "warm / execution off": ratio_warm,
        "one snippet edited (s)": edited.wall,
        "serve edit -> served (s)": served,
        "peak memory, build (GiB)": build_peak / GIB,
        "peak memory, serve (GiB)": serve_peak / GIB,
        "site (MB)": size / 1e6,
        "site (files)": files,
    }


def bench_courses(work: Path, lessons: int, cold_runs: int, runs: int) -> None:
    """The course at 2 lessons (the real site) and at ``lessons``, in one run, side by side."""
    sizes = sorted({2, lessons})
    figures_by_size = {size: bench_course(work, size, cold_runs, runs) for size in sizes}
    print("\nCourse, side by side (targets apply at 155 lessons):")
    print(f"  {'':<28}" + "".join(f"{f'{size} lessons':>14}" for size in sizes))
    for name in figures_by_size[sizes[0]]:
        print(f"  {name:<28}" + "".join(f"{figures_by_size[size][name]:14.2f}" for size in sizes))


def per_snippet_times(project: Path) -> list[tuple[float, str]]:
    run = run_project(project, use_cache=False)
    return sorted(
        ((result.duration, path.relative_to(project).as_posix()) for path, result in run.results.items()),
        reverse=True,
    )


SCALE_SNIPPET = """\
import numpy as np

# Synthetic lesson {lesson}, example {index}: a small least-squares fit, like the real lessons.
rng = np.random.default_rng({seed})
x = rng.normal(size=(400, 8))
y = x @ np.arange(1.0, 9.0) + rng.normal(scale=0.1, size=400)
w, *_ = np.linalg.lstsq(np.c_[np.ones(len(x)), x], y, rcond=None)
print("weights", np.round(w, 1))
"""


def make_scale_project(work: Path, lessons: int, per_lesson: int) -> Path:
    """A course of synthetic lessons (pages under docs/synthetic/, outside the curriculum's
    docs/lessons/). Companion notebooks are switched off here: rendering 150 of them with
    mkdocs-jupyter would dwarf what this run measures, snippet execution at scale."""
    project = copy_project(work / "scale-project")
    shutil.rmtree(project / "snippets")
    shutil.rmtree(project / "docs" / "lessons")
    (project / "docs" / "synthetic").mkdir()
    nav = []
    for lesson in range(lessons):
        name = f"synthetic-{lesson:03d}"
        folder = project / "snippets" / name
        folder.mkdir(parents=True)
        body = [
            f"---\ntitle: Synthetic lesson {lesson}\ndescription: Generated for benchmarking.\n"
            f"snippets: {name}\n---\n\n# Synthetic lesson {name}\n"
        ]
        for index in range(per_lesson):
            code = SCALE_SNIPPET.format(lesson=lesson, index=index, seed=lesson * 1000 + index)
            (folder / f"example-{index:02d}.py").write_text(code)
            body.append(
                f"## Example example-{index:02d}\n\nThe fit gives $w \\approx \\hat{{w}}$.\n\n"
                f"{{{{ example example-{index:02d}.py }}}}\n"
            )
        (project / "docs" / "synthetic" / f"{name}.md").write_text("\n".join(body))
        nav.append(f"      - synthetic/{name}.md")
    config = (project / "mkdocs.yml").read_text()
    config = re.sub(
        r"(?ms)^nav:\n.*?(?=^\S)",
        "nav:\n  - Home: index.md\n  - Lessons:\n" + "\n".join(nav) + "\n\n",
        config,
    )
    config = config.replace("  - lessonkit:\n", "  - lessonkit:\n      notebooks: false\n")
    # (?m) only, not DOTALL: each `.*` stays on its line, so only the plugin's own block goes.
    config = re.sub(r"(?m)^  - mkdocs-jupyter:\n(?:      .*\n)+", "", config)
    (project / "mkdocs.yml").write_text(config)
    (project / "docs" / "index.md").write_text(
        "---\ntitle: Home\ndescription: A synthetic course for benchmarking.\n---\n\n# Synthetic course\n"
    )
    (project / "docs" / "learn.md").unlink()
    # Record documented outputs once, with the project's own accept command.
    subprocess.run(
        [sys.executable, "-m", "lessonkit", "accept"], cwd=project, check=True, capture_output=True
    )
    return project


def bench_scale(work: Path, times: int, lessons: int, per_lesson: int) -> None:
    project = make_scale_project(work, lessons, per_lesson)
    cache = project / ".cache" / "lessonkit"
    workers = os.cpu_count() or 1
    print(
        f"\nScale: {lessons} lessons x {per_lesson} snippets = {lessons * per_lesson} snippets; "
        f"median of {times} runs"
    )

    def clear_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    baseline, _ = measure(times, lambda: None, lambda: build(project, LESSONKIT_EXECUTE="0"))
    line("baseline: execution switched off", baseline, baseline)
    # Build time, execution time and CPU on each line are medians of the same runs.
    figures = {}
    cpu: dict[int, list[float]] = {1: [], workers: []}

    def build_counting_cpu(jobs: int) -> tuple[float, str]:
        # The build and every process it started and waited for (run process, zygotes, snippets).
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        result = build(project, LESSONKIT_JOBS=str(jobs))
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu[jobs].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        return result

    for jobs in (1, workers):
        runs = measure_runs(times, clear_cache, lambda jobs=jobs: build_counting_cpu(jobs))
        seconds, executed = median([t for t, _ in runs]), median([executing(log) for _, log in runs])
        figures[jobs] = seconds, executed
        label = f"cold, {jobs} worker{'s' if jobs > 1 else ''}"
        line(label, seconds, baseline, runs_of(runs[-1][1]) + f"; {executed:.2f} s executing (median)")
    warm, logw = measure(times, lambda: None, lambda: build(project))
    line("warm: nothing changed", warm, baseline, runs_of(logw))
    (one, exec_one), (many, exec_many) = figures[1], figures[workers]
    print(
        f"  speedup of {workers} workers over 1: build {one / many:.2f}x, "
        f"snippet execution {exec_one / exec_many:.2f}x (target >= 1.7x on 2 cores)"
    )
    floor = median(cpu[workers]) / workers
    print(
        f"  CPU per build, all processes: {median(cpu[1]):.1f} s with 1 worker, {median(cpu[workers]):.1f} s "
        f"with {workers}; on {workers} cores a build takes at least {floor:.1f} s, so the build speedup "
        f"is at most {one / floor:.2f}x here"
    )
    print(
        "  (the build speedup is lower than execution's by the part of the build that runs in one\n"
        "  process whatever the workers: MkDocs and the pages; 'executing' is run_site's wall time)"
    )


ADOPTER_EXAMPLES = [
    "values = [3, 1, 4, 1, 5, 9, 2, 6]\nprint('sorted', sorted(values))\nprint('sum', sum(values))\n",
    "import numpy as np\n\nx = np.arange(6).reshape(2, 3)\nprint('shape', x.shape)\n"
    "print('total', x.sum())\n",
    "words = 'the quick brown fox jumps over the lazy dog'.split()\nprint('longest', max(words, key=len))\n",
    "import numpy as np\n\nw = np.array([0.5, -1.0])\nx = np.array([2.0, 1.0])\nprint('score', w @ x)\n",
    "counts = {}\n"
    "for ch in 'mississippi':\n    counts[ch] = counts.get(ch, 0) + 1\nprint('counts', counts)\n",
    "import math\n\nprint('sigmoid(0)', 1 / (1 + math.exp(-0)))\nprint('log2(8)', math.log2(8))\n",
    "import numpy as np\n\nrng = np.random.default_rng(0)\n"
    "print('mean', round(rng.normal(size=100).mean(), 2))\n",
    "squares = [n * n for n in range(8)]\nprint('squares', squares)\n",
    "import numpy as np\n\na = np.array([[2.0, 1.0], [1.0, 3.0]])\n"
    "print('det', round(np.linalg.det(a), 3))\n",
    "from fractions import Fraction\n\nprint('third', Fraction(1, 3) + Fraction(1, 6))\n",
    "import statistics\n\nprint('median', statistics.median([7, 1, 3, 9, 4]))\n",
    "import numpy as np\n\ny = np.array([1, 0, 1, 1])\np = np.array([0.9, 0.2, 0.6, 0.8])\n"
    "print('accuracy', ((p > 0.5) == y).mean())\n",
]
ADOPTER_CONFIG = """\
site_name: Adopter page
site_url: http://127.0.0.1:8000/
theme:
  name: material
  font: false
plugins:
  - search
{plugin}
markdown_extensions:
  - attr_list
  - md_in_html
  - tables
  - pymdownx.arithmatex: {{generic: true}}
  - pymdownx.details
  - pymdownx.highlight
  - pymdownx.snippets: {{base_path: [!relative $config_dir], check_paths: true}}
  - pymdownx.superfences
"""


def make_adopter_projects(work: Path) -> tuple[Path, Path]:
    """The same small page twice: with the lessonkit plugin running a dozen short examples,
    and without it, as static code and output blocks (what an adopter would otherwise write)."""
    dynamic, static = work / "adopter-plugin", work / "adopter-static"
    folder = dynamic / "snippets" / "examples"
    folder.mkdir(parents=True)
    (static / "docs").mkdir(parents=True)
    (dynamic / "docs").mkdir()
    head = "---\ntitle: Examples\nsnippets: examples\n---\n\n# A page of short examples\n"
    with_plugin, without = [head], [head.replace("snippets: examples\n", "")]
    for index, code in enumerate(ADOPTER_EXAMPLES):
        name = f"example-{index:02d}.py"
        (folder / name).write_text(code)
        output = subprocess.run(
            [sys.executable, name], cwd=folder, capture_output=True, text=True, check=True
        ).stdout
        (folder / name).with_suffix(".out").write_text(output)
        section = (
            f"\n## Example {chr(ord('A') + index)}\n\nWhat this prints:\n\n"  # no digits: the number rule
        )
        with_plugin.append(section + f"{{{{ example {name} }}}}\n")
        without.append(
            section + f'```python title="{name}" linenums="1"\n{code.rstrip()}\n```\n\n'
            f'```text title="Output"\n{output}```\n'
        )
    (dynamic / "docs" / "index.md").write_text("".join(with_plugin))
    (static / "docs" / "index.md").write_text("".join(without))
    (dynamic / "mkdocs.yml").write_text(ADOPTER_CONFIG.format(plugin="  - lessonkit"))
    (static / "mkdocs.yml").write_text(ADOPTER_CONFIG.format(plugin=""))
    return dynamic, static


def bench_adopter(work: Path, times: int) -> None:
    dynamic, static = make_adopter_projects(work)
    cache = dynamic / ".cache" / "lessonkit"
    count = len(ADOPTER_EXAMPLES)
    print(f"\nAdopter page: {count} short examples, no figures, no curriculum; median of {times} runs")
    plain, _ = measure(times, lambda: None, lambda: build(static))
    line("static code + output blocks", plain, plain)
    cold, log = measure(times, lambda: shutil.rmtree(cache, ignore_errors=True), lambda: build(dynamic))
    line("lessonkit, cold (empty cache)", cold, plain, runs_of(log))
    warm, log = measure(times, lambda: None, lambda: build(dynamic))
    line("lessonkit, warm", warm, plain, runs_of(log))
    print(
        f"  Targets (ratios to the static page): warm <= 1.1x ({warm / plain:.2f}x), "
        f"cold < 2x ({cold / plain:.2f}x)"
    )


# --- What each built page weighs and how steady it is while it loads -------------------------

# Resource types as Chromium reports them, grouped as the page report shows them.
RESOURCE_KINDS = {"document": "HTML", "stylesheet": "CSS", "script": "JS", "font": "fonts", "image": "images"}
KINDS = ("HTML", "CSS", "JS", "fonts", "images", "other")
# A phone on a slow connection, so fonts and images arrive after the first layout, as they do
# for real readers: layout shifts caused by late arrivals show up.
SLOW_NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 200_000, "uploadThroughput": 90_000}
PHONE = {"width": 360, "height": 800}
WATCH_LAYOUT_SHIFTS = """
window.lkShifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue;
    const node = entry.sources && entry.sources[0] && entry.sources[0].node;
    const where = node && node.nodeType === 1 ? node.tagName.toLowerCase() + "." + node.className : "";
    window.lkShifts.push({value: entry.value, where: where.slice(0, 60)});
  }
}).observe({type: "layout-shift", buffered: true});
"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def site_pages(site: Path) -> list[str]:
    """Every page in sitemap.xml (paths under the site root), then the 404 page."""
    locations = re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))
    root = re.sub(r"^https?://[^/]+", "", locations[0])
    return [re.sub(r"^https?://[^/]+", "", loc).removeprefix(root) for loc in locations] + ["404.html"]


def page_file(site: Path, page: str) -> Path:
    return site / page / "index.html" if page == "" or page.endswith("/") else site / page


def first_load(browser, base: str, page: str) -> tuple[dict[str, list[int]], float, list[dict]]:
    """Load ``page`` once at phone width on a slow network, touching nothing: bytes by kind
    ([uncompressed, gzipped]), the cumulative layout shift until fonts and images are in, and
    the shifts themselves."""
    context = browser.new_context(viewport=PHONE, color_scheme="light")
    tab = context.new_page()
    tab.add_init_script(WATCH_LAYOUT_SHIFTS)
    cdp = context.new_cdp_session(tab)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_NETWORK)
    loaded: list[tuple[str, bytes]] = []

    def record(response) -> None:
        try:
            loaded.append((response.request.resource_type, response.body()))
        except Exception:  # a response without a body (a redirect): nothing was downloaded
            pass

    tab.on("response", record)
    tab.goto(base + page, wait_until="load", timeout=120_000)
    tab.wait_for_load_state("networkidle", timeout=120_000)
    tab.evaluate("document.fonts.ready")
    tab.wait_for_timeout(500)  # a last shift after the final font swap
    shifts = tab.evaluate("window.lkShifts")
    context.close()
    sizes = {kind: [0, 0] for kind in KINDS}
    for resource_type, body in loaded:
        kind = RESOURCE_KINDS.get(resource_type, "other")
        sizes[kind][0] += len(body)
        sizes[kind][1] += len(gzip.compress(body, 9, mtime=0))
    return sizes, sum(shift["value"] for shift in shifts), shifts


def bench_pages(work: Path) -> None:
    from playwright.sync_api import sync_playwright

    project = copy_tree(ROOT, work / "pages-project", with_cache=True)
    build(project)
    site = project / "site"
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    kb = 1000  # as the issue counts (497 KB = 496,881 bytes)
    print(
        "\nPages: HTML size, and what a first visit loads at 360 px on a slow network, in KB "
        "(uncompressed / gzipped), and the cumulative layout shift (CLS) until fonts are in"
    )
    print(f"  {'page':<42} {'its HTML':>11} " + " ".join(f"{k:>13}" for k in KINDS) + f" {'total':>13}  CLS")
    os.environ.setdefault("XDG_CONFIG_HOME", str(work / "xdg"))
    executable = os.environ.get("LESSONKIT_CHROMIUM") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=args)
            for page in site_pages(site):
                html = page_file(site, page).read_bytes()
                sizes, cls, shifts = first_load(browser, base, page)
                total = [sum(sizes[k][0] for k in KINDS), sum(sizes[k][1] for k in KINDS)]
                cells = " ".join(f"{a / kb:6.1f}/{b / kb:6.1f}" for a, b in (sizes[k] for k in KINDS))
                gz = len(gzip.compress(html, 9, mtime=0))
                print(
                    f"  {page or '(home)':<42} {len(html) / kb:5.1f}/{gz / kb:5.1f} {cells} "
                    f"{total[0] / kb:6.1f}/{total[1] / kb:6.1f}  {cls:.3f}"
                )
                for shift in sorted(shifts, key=lambda s: -s["value"])[:3]:
                    print(f"      shift {shift['value']:.4f} {shift['where']}")
            browser.close()
    finally:
        server.shutdown()
    print("  Targets: lesson HTML <= 250 KB; CLS <= 0.02 at 360 px")


def bench_confinement(work: Path, count: int) -> None:
    """Per-snippet cost of confinement. First trivial snippets run one at a time through each
    runner, alternately with the Landlock rules and without (LESSONKIT_SANDBOX=auto / off; the
    order flips every pair, to cancel drift), timed around the whole run. Then the parts that
    apply in both modes, timed alone: deciding, entering (memory cap, TMPDIR, font-cache link,
    audit hook, with and without the rules) in a freshly forked child, and ending leftovers."""
    root = work / "confinement"
    folder = root / "snippets" / "trivial"
    folder.mkdir(parents=True)
    snippets = []
    for index in range(count):
        path = folder / f"trivial-{index:03d}.py"
        path.write_text(f"print({index})\n")
        snippets.append(Snippet(path=path, root=root))
    print("\nConfinement: trivial snippets, one at a time, alternately confined and not; medians")
    print(f"  Landlock ABI {sandbox.landlock_abi()}; network rules: {sandbox.decide().network or 'none'}")
    saved = os.environ.get(sandbox.MODE_VARIABLE)
    try:
        for runner, share in ((run_forked, 1), (run_subprocess, 5)):
            samples: dict[str, list[float]] = {"auto": [], "off": []}
            runner(snippets[0])  # start the zygote outside the measurement
            for index, snippet in enumerate(snippets[: max(count // share, 5)]):
                for mode in ("auto", "off") if index % 2 else ("off", "auto"):
                    os.environ[sandbox.MODE_VARIABLE] = mode
                    start = time.perf_counter()
                    result = runner(snippet)
                    samples[mode].append(time.perf_counter() - start)
                    assert result.returncode == 0, result.stderr
            confined, bare = median(samples["auto"]) * 1000, median(samples["off"]) * 1000
            print(
                f"  {runner.__name__:<16} confined {confined:6.2f} ms  unconfined {bare:6.2f} ms  "
                f"Landlock rules {confined - bare:+5.2f} ms per snippet ({len(samples['off'])} pairs)"
            )
        os.environ[sandbox.MODE_VARIABLE] = "auto"
        decide = [_seconds(sandbox.decide) for _ in range(200)]
        leftovers = [_seconds(lambda: sandbox.end_leftovers(keep=())) for _ in range(200)]
        entering = {mode: [_enter_in_child(work, mode) for _ in range(50)] for mode in ("auto", "off")}
    finally:
        if saved is None:
            os.environ.pop(sandbox.MODE_VARIABLE, None)
        else:
            os.environ[sandbox.MODE_VARIABLE] = saved
    print(
        f"  parts: decide {median(decide) * 1000:.3f} ms; enter with rules "
        f"{median(entering['auto']) * 1000:.3f} ms, without {median(entering['off']) * 1000:.3f} ms "
        f"(in a forked child); end leftovers (none) {median(leftovers) * 1000:.3f} ms"
    )


def _seconds(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _enter_in_child(work: Path, mode: str) -> float:
    """Seconds ``sandbox.enter`` takes in a freshly forked child, as in the zygote."""
    base = Path(tempfile.mkdtemp(dir=work))
    for name in ("cwd", "tmp"):
        (base / name).mkdir()
    decision = sandbox.decide(environ={sandbox.MODE_VARIABLE: mode})
    confinement = sandbox.Confinement(
        str(base / "cwd"),
        str(base / "tmp"),
        4 * 2**30,
        decision.landlock_abi,
        decision.network,
    )
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        seconds = _seconds(lambda: sandbox.enter(confinement, os.open(os.devnull, os.O_WRONLY)))
        os.write(write, repr(seconds).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        seconds = float(pipe.read())
    os.waitpid(pid, 0)
    return seconds


def executing(log: str) -> float:
    match = SUMMARY.search(log)
    return float(match[5]) if match else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median reported)")
    parser.add_argument("--scale-runs", type=int, default=3, help="runs per figure at scale")
    parser.add_argument("--scale-lessons", type=int, default=150)
    parser.add_argument("--scale-snippets", type=int, default=12)
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--skip-site", action="store_true")
    parser.add_argument("--skip-adopter", action="store_true")
    parser.add_argument("--skip-pages", action="store_true", help="no page weight / layout shift section")
    parser.add_argument("--pages", action="store_true", help="only the page weight / layout shift section")
    parser.add_argument("--confinement-snippets", type=int, default=200)
    parser.add_argument("--skip-confinement", action="store_true")
    parser.add_argument(
        "--course",
        type=int,
        default=0,
        help="only the course section: this many lessons (copies of the real ones) and 2 (slow)",
    )
    parser.add_argument("--course-cold-runs", type=int, default=1, help="cold builds per course size")
    parser.add_argument("--course-runs", type=int, default=3, help="runs of the other course figures")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway copies (for profiling)")
    parser.add_argument(
        "--serve-copies", type=int, default=0, help="also time serve with this many more lessons (slow)"
    )
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        if args.keep:
            work = Path(tempfile.mkdtemp(prefix="lessonkit-bench-"))
            print(f"(copies kept in {work})")
        else:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="lessonkit-bench-")))
        if args.course:
            bench_courses(work, args.course, args.course_cold_runs, args.course_runs)
            return
        if not args.skip_site and not args.pages:
            bench_real_site(work, args.runs)
        if args.serve_copies and not args.pages:
            bench_serve_at_size(work, args.runs, args.serve_copies)
        if not args.skip_adopter and not args.pages:
            bench_adopter(work, args.runs)
        if not args.skip_scale and not args.pages:
            bench_scale(work, args.scale_runs, args.scale_lessons, args.scale_snippets)
        if not args.skip_pages:
            bench_pages(work)
        if not args.skip_confinement and not args.pages:
            bench_confinement(work, args.confinement_snippets)
    print(
        textwrap.dedent("""
        Notes: wall-clock times of `python -m mkdocs build --strict` in a fresh process, as a user
        runs it. 'cold' clears .cache/lessonkit before each run; 'warm' changes nothing.
    """).rstrip()
    )


if __name__ == "__main__":
    main()
