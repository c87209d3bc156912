"""Snippets run in the background from the moment the options are known: whoever needs an
output waits for that output alone, figures come first, and the outcome (results, failure
report, configuration errors) is the one the engine gives when run directly."""

from __future__ import annotations

from pathlib import Path

import pytest

from lessonkit.options import resolve
from lessonkit.run.engine import run_site
from lessonkit.run.run_process import RunProcess
from lessonkit.run.runner import snippet_env
from lessonkit.run.snippet_runs import SnippetRuns
from lessonkit.run.snippets import SnippetConfigError
from lessonkit.run.zygote_pool import ZygotePool, imported_modules, preload_for

pytestmark = pytest.mark.unit


def _project(tmp_path: Path, snippets: dict[str, tuple[str, str]]) -> Path:
    (tmp_path / "docs").mkdir()
    for rel, (source, out) in snippets.items():
        path = tmp_path / "snippets" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
        path.with_suffix(".out").write_text(out)
    return tmp_path


@pytest.fixture
def zygotes():
    pool = ZygotePool(snippet_env())
    yield pool
    pool.close()


@pytest.fixture
def process():
    runs = RunProcess()
    yield runs
    runs.close()


def _options(root: Path, **env: str):
    return resolve({}, root, root / "docs", env={"LESSONKIT_NO_CACHE": "1", **env})


def test_a_waiting_page_gets_its_output_and_the_outcome_is_the_engines(
    tmp_path: Path, zygotes, process
) -> None:
    root = _project(
        tmp_path,
        {
            "a/slow.py": ("import time\ntime.sleep(0.5)\nprint('slow')\n", "slow\n"),
            "b/quick.py": ("print('quick')\n", "quick\n"),
        },
    )
    runs = SnippetRuns(_options(root), process, in_process_up_to=0)
    quick = root / "snippets" / "b" / "quick.py"
    assert runs.result(quick).stdout == b"quick\n"
    assert set(runs.wait_for_folder(root / "snippets" / "a")) >= {root / "snippets" / "a" / "slow.py"}
    run, results, summary = runs.finish()
    direct_run, direct_results, _ = run_site(_options(root), zygotes=zygotes)
    assert {p: r.stdout for p, r in results.items()} == {p: r.stdout for p, r in direct_results.items()}
    assert list(results) == list(direct_results)  # discovery order, whatever order they finished in
    assert run.failures == direct_run.failures == []
    assert summary.startswith("lessonkit: 2 snippets: 2 run, 0 cached, 0 failed")


def test_figures_are_run_first(tmp_path: Path, zygotes) -> None:
    figure = "open('light.svg', 'w').write('<svg/>')\nopen('dark.svg', 'w').write('<svg/>')\nprint('drawn')\n"
    root = _project(
        tmp_path,
        {f"a/step-{i}.py": (f"print({i})\n", f"{i}\n") for i in range(6)}
        | {"z/figure-late.py": (figure, "drawn\n")},
    )
    order: list[str] = []
    run_site(
        _options(root, LESSONKIT_JOBS="1"), on_result=lambda s, r: order.append(s.path.name), zygotes=zygotes
    )
    assert order[0] == "figure-late.py"


def test_a_failure_is_reported_by_finish_exactly_as_the_engine_reports_it(
    tmp_path: Path, zygotes, process
) -> None:
    root = _project(tmp_path, {"a/drift.py": ("print('new')\n", "old\n"), "a/fine.py": ("print(1)\n", "1\n")})
    runs = SnippetRuns(_options(root), process, in_process_up_to=0)
    runs.wait_for_folder(root / "snippets" / "a")
    assert runs.any_failed and runs.failed(root / "snippets" / "a" / "drift.py")
    run, _, _ = runs.finish()
    assert run.error_report() == run_site(_options(root), zygotes=zygotes)[0].error_report()
    assert "snippets/a/drift.py" in run.error_report()


def test_a_configuration_error_reaches_whoever_waits(tmp_path: Path, process) -> None:
    root = _project(tmp_path, {"a/x.py": ("print(1)\n", "1\n")})
    (root / "snippets" / "a" / "snippets.toml").write_text("[x]\ntimeout = 'soon'\n")
    runs = SnippetRuns(_options(root), process, in_process_up_to=0)
    assert runs.result(root / "snippets" / "a" / "x.py") is None  # over, without a result
    with pytest.raises(SnippetConfigError, match=r"snippets\.toml"):
        runs.finish()


def test_zygotes_preload_the_heavy_packages_the_snippets_import() -> None:
    sources = [
        (b"import numpy as np\nfrom sklearn.linear_model import LogisticRegression\n", "a.py"),
        (b"import json\nimport matplotlib.pyplot as plt\nfrom _helpers import x\n", "b.py"),
    ]
    assert preload_for(sources) == (
        "matplotlib",
        "matplotlib.pyplot",
        "numpy",
        "sklearn",
        "sklearn.linear_model",
    )
    assert preload_for([(b"import numpy\n", "c.py")]) == ("numpy",)  # no matplotlib for a numpy page
    assert imported_modules(b"def broken(:\n", "d.py") == set()


def test_zygotes_preload_the_submodules_a_snippet_reaches_through_its_imports() -> None:
    # numpy 2 imports numpy.random at its first use: in every child, unless the zygote has.
    source = b"import numpy as np\nimport matplotlib\nrng = np.random.default_rng(0)\nmatplotlib.use('agg')\n"
    found = imported_modules(source, "a.py")
    assert {"numpy", "numpy.random", "matplotlib", "matplotlib.use"} <= found
    assert "numpy.random.default_rng" not in found  # one level: what may be a module
    assert "numpy.random" in preload_for([(source, "a.py")])


def _parents(tmp_path: Path, zygotes, imports: str) -> set[bytes]:
    """The parent processes of four overlapping runs by two workers (each lasts long enough)."""
    from lessonkit.run.engine import run_project

    source = f"import os, time\n{imports}\ntime.sleep(0.3)\nprint(os.getppid())\n"
    root = _project(tmp_path, {f"a/step-{i}.py": (source, "") for i in range(4)})
    run = run_project(root, use_cache=False, jobs=2, sandbox_mode="off", zygotes=zygotes)
    assert all(result.stdout.strip().isdigit() for result in run.results.values())
    return {result.stdout for result in run.results.values()}


def test_runs_needing_a_heavy_module_share_one_zygote_across_workers(tmp_path: Path, zygotes) -> None:
    assert len(_parents(tmp_path, zygotes, "import matplotlib")) == 1  # imported once


def test_numpy_runs_get_a_zygote_per_worker(tmp_path: Path, zygotes) -> None:
    assert len(_parents(tmp_path, zygotes, "import numpy")) == 2  # forks in parallel


def test_a_zygote_that_died_is_replaced(zygotes) -> None:
    import os
    import signal

    for preload in ((), ("matplotlib",)):
        with zygotes.zygote(preload) as first:
            os.kill(first._proc.pid, signal.SIGKILL)
            first._proc.wait()
        with zygotes.zygote(preload) as second:
            assert second is not first and second.alive()


def test_figures_run_as_a_wave_before_any_other_snippet(tmp_path: Path, zygotes) -> None:
    def figure(seconds: float) -> str:
        return (
            f"import time\ntime.sleep({seconds})\n"
            "open('light.svg', 'w').write('<svg/>')\nopen('dark.svg', 'w').write('<svg/>')\nprint('drawn')\n"
        )

    # With two workers, the quick figure's worker would otherwise start the steps while the
    # slow figure is still drawing.
    root = _project(
        tmp_path,
        {"a/figure-quick.py": (figure(0.05), "drawn\n"), "a/figure-slow.py": (figure(0.8), "drawn\n")}
        | {f"b/step-{i}.py": (f"print({i})\n", f"{i}\n") for i in range(3)},
    )
    order: list[str] = []
    run_site(
        _options(root, LESSONKIT_JOBS="2"), on_result=lambda s, r: order.append(s.path.name), zygotes=zygotes
    )
    assert set(order[:2]) == {"figure-quick.py", "figure-slow.py"}


def test_a_zygote_imports_what_a_run_needs_before_forking_it_and_keeps_it(zygotes, tmp_path: Path) -> None:
    from lessonkit.run import sandbox
    from lessonkit.run.runner import run_forked
    from lessonkit.run.snippets import discover

    root = _project(
        tmp_path,
        {"a/check.py": ("import sys\nprint('numpy' in sys.modules)\n", "")},
    )
    (snippet,) = discover(root / "snippets", root)
    first = run_forked(snippet, sandbox.decide("off"), pool=zygotes, preload=())
    assert first.stdout == b"False\n"
    second = run_forked(snippet, sandbox.decide("off"), pool=zygotes, preload=("numpy",))
    assert second.stdout == b"True\n"  # imported by the zygote, before the fork
    with zygotes.zygote(()) as zygote:
        assert "numpy" in zygote.preload  # and kept for the runs after


def test_runs_outlive_a_lost_run_process_with_a_clear_error_and_a_fresh_one(tmp_path: Path, process) -> None:
    import os
    import signal

    from lessonkit.run.run_process import RunProcessError

    root = _project(tmp_path, {"a/slow.py": ("import time\ntime.sleep(5)\nprint(1)\n", "1\n")})
    runs = SnippetRuns(_options(root), process, in_process_up_to=0)
    runs._snippets()  # the worker has found the snippets: it is up and running them
    os.kill(process._proc.pid, signal.SIGKILL)
    with pytest.raises(RunProcessError, match="ended during the build"):
        runs.finish()
    (tmp_path / "next").mkdir()
    fine = _project(tmp_path / "next", {"b/quick.py": ("print('quick')\n", "quick\n")})
    _, results, _ = SnippetRuns(_options(fine), process, in_process_up_to=0).finish()  # a new worker
    assert [r.stdout for r in results.values()] == [b"quick\n"]


def test_a_warm_build_looks_its_results_up_without_starting_the_run_process(tmp_path: Path) -> None:
    # As would a build with no more runs to make than in_process_up_to.
    root = _project(tmp_path, {"a/x.py": ("print(1)\n", "1\n"), "a/y.py": ("print(2)\n", "2\n")})
    options = resolve({}, root, root / "docs", env={})  # with the cache
    cold, warm = RunProcess(), RunProcess()
    try:
        first = SnippetRuns(options, cold, in_process_up_to=0).finish()
        assert cold._proc is not None  # runs happened in the worker
        second = SnippetRuns(options, warm, in_process_up_to=0).finish()
        assert warm._proc is None
    finally:
        cold.close()
        warm.close()
    assert second[2].startswith("lessonkit: 2 snippets: 0 run, 2 cached")
    assert {p: r.stdout for p, r in second[1].items()} == {p: r.stdout for p, r in first[1].items()}


def test_a_few_runs_are_made_in_the_build_process_with_the_same_outcome(tmp_path: Path, process) -> None:
    root = _project(tmp_path, {"a/x.py": ("print(1)\n", "1\n"), "a/y.py": ("print(3)\n", "2\n")})
    here = SnippetRuns(_options(root), process, in_process_up_to=2).finish()
    assert process._proc is None
    there = SnippetRuns(_options(root), process, in_process_up_to=1).finish()
    assert process.running
    assert here[0].error_report() == there[0].error_report() and "a/y.py" in here[0].error_report()
    assert here[2].split(";")[0] == there[2].split(";")[0]  # the counts (then the time executing)
