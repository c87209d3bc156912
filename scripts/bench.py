"""Benchmark the site build. Prints figures; asserts nothing (no timing in the test suite).

    .venv/bin/python scripts/bench.py [--runs 5] [--scale-lessons 150] [--scale-snippets 12]
    .venv/bin/python scripts/bench.py --pages    # only the page weight and layout-shift section

Everything runs on throwaway copies of the project, so the real cache is untouched.
Each figure is the median of --runs runs and is also given as a ratio to the baseline
(a build with snippet execution switched off) measured in the same invocation.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import re
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

from lessonkit import sandbox
from lessonkit.engine import run_project
from lessonkit.project import copy_project as copy_tree
from lessonkit.runner import run_forked, run_subprocess
from lessonkit.snippets import Snippet

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
    samples, log = [], ""
    for _ in range(times):
        prepare()
        seconds, log = action()
        samples.append(seconds)
    return median(samples), log


def line(label: str, seconds: float, baseline: float, note: str = "") -> None:
    print(f"  {label:<34} {seconds:7.2f} s  {seconds / baseline:5.2f}x baseline  {note}")


def edit_to_served(project: Path, snippet: Path, page_url: str, times: int) -> list[float]:
    """Seconds from saving a changed snippet to ``mkdocs serve`` serving the new output."""
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
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    url = f"http://127.0.0.1:{port}/{page_url}"

    def fetch() -> str:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            return ""

    try:
        deadline = time.monotonic() + 120
        while "bench marker" not in fetch():
            if time.monotonic() > deadline:
                sys.exit("mkdocs serve did not come up")
            time.sleep(0.1)
        samples = []
        for i in range(times):
            marker = f"bench marker {i + 1}"
            snippet.write_text(f"print('{marker}')\n")
            snippet.with_suffix(".out").write_text(f"{marker}\n")
            start = time.perf_counter()
            while marker not in fetch():
                if time.perf_counter() - start > 60:
                    sys.exit("the edit never reached the served page")
                time.sleep(0.01)
            samples.append(time.perf_counter() - start)
            time.sleep(0.5)  # let the watcher settle before the next edit
        return samples
    finally:
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
    line("cold: empty cache", cold, baseline, runs_of(log))
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
    lesson = sorted((project / "snippets").iterdir())[0]
    probe = lesson / "bench-probe.py"
    probe.write_text("print('bench marker')\n")
    probe.with_suffix(".out").write_text("bench marker\n")
    page = project / "docs" / "lessons" / f"{lesson.name}.md"
    page.write_text(page.read_text() + "\n{{ example bench-probe.py }}\n")
    samples = edit_to_served(project, probe, f"lessons/{lesson.name}/", times)
    print(
        f"  {'serve: edit -> new page served':<34} {median(samples):7.2f} s  (samples: "
        + ", ".join(f"{s:.2f}" for s in samples)
        + ")"
    )
    print(
        f"  Targets: warm <= 1.10x ({warm / baseline:.2f}x), cold <= 1.5x ({cold / baseline:.2f}x), "
        f"edit -> reload < 1 s ({median(samples):.2f} s)"
    )


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
    one, log1 = measure(times, clear_cache, lambda: build(project, LESSONKIT_JOBS="1"))
    line("cold, 1 worker", one, baseline, runs_of(log1) + f"; {executing(log1)} s executing")
    many, logn = measure(times, clear_cache, lambda: build(project, LESSONKIT_JOBS=str(workers)))
    line(f"cold, {workers} workers", many, baseline, runs_of(logn) + f"; {executing(logn)} s executing")
    warm, logw = measure(times, lambda: None, lambda: build(project))
    line("warm: nothing changed", warm, baseline, runs_of(logw))
    print(
        f"  speedup of {workers} workers over 1: build {one / many:.2f}x, "
        f"snippet execution {executing(log1) / executing(logn):.2f}x (target >= 1.7x on 2 cores)"
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
    parser.add_argument("--skip-pages", action="store_true", help="no page weight / layout shift section")
    parser.add_argument("--pages", action="store_true", help="only the page weight / layout shift section")
    parser.add_argument("--confinement-snippets", type=int, default=200)
    parser.add_argument("--skip-confinement", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lessonkit-bench-") as tmp:
        work = Path(tmp)
        if not args.skip_site and not args.pages:
            bench_real_site(work, args.runs)
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
