"""A snippet re-runs exactly when something that can change its output changes, and the
cache never serves a corrupt or half-written entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from lessonkit import store as store_module
from lessonkit.run import cache as cache_module
from lessonkit.run.cache import RunCache, cache_key, environment_fingerprint
from lessonkit.run.engine import run_project
from lessonkit.run.results import RunResult
from lessonkit.run.snippets import discover

pytestmark = pytest.mark.unit  # its `project` is a folder of snippets, not a site


@pytest.fixture
def project(tmp_path: Path) -> Path:
    lesson = tmp_path / "snippets" / "lesson"
    lesson.mkdir(parents=True)
    (lesson / "_helpers.py").write_text("SCALE = 2\n")  # a shared module, not a snippet
    (lesson / "uses-helper.py").write_text("from _helpers import SCALE\nprint(SCALE * 21)\n")
    (lesson / "uses-data.py").write_text("print(open(__file__.replace('uses-data.py', 'data.csv')).read())\n")
    (lesson / "data.csv").write_text("x,y\n1,2\n")
    (lesson / "snippets.toml").write_text('[uses-data]\ndepends = ["data.csv"]\n')
    (tmp_path / "requirements.lock").write_text("numpy==2.4.6\n")
    return tmp_path


def keys(project: Path) -> dict[str, str]:
    env = environment_fingerprint(project)
    return {s.name: cache_key(s, env) for s in discover(project / "snippets", project)}


def test_key_is_stable_when_nothing_changes(project: Path) -> None:
    assert keys(project) == keys(project)


@pytest.mark.parametrize(
    ("edit", "changed"),
    [
        (("snippets/lesson/uses-helper.py", "from _helpers import SCALE\nprint(1)\n"), {"uses-helper.py"}),
        (("snippets/lesson/_helpers.py", "SCALE = 3\n"), {"uses-helper.py"}),
        (("snippets/lesson/data.csv", "x,y\n1,3\n"), {"uses-data.py"}),
        (("requirements.lock", "numpy==2.4.7\n"), {"uses-helper.py", "uses-data.py"}),
    ],
    ids=["own-source", "imported-local-module", "declared-file", "locked-dependencies"],
)
def test_key_changes_exactly_for_snippets_whose_inputs_changed(
    project: Path, edit: tuple[str, str], changed: set[str]
) -> None:
    before = keys(project)
    path, content = edit
    (project / path).write_text(content)
    after = keys(project)
    assert {name for name in before if before[name] != after[name]} == changed


def test_python_version_is_part_of_the_key(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = keys(project)
    monkeypatch.setattr(cache_module.sys, "version", "3.99.0 (imaginary)")
    assert all(before[name] != key for name, key in keys(project).items())


def test_second_run_comes_from_the_cache_and_bypass_reruns(project: Path) -> None:
    first = run_project(project)
    second = run_project(project)
    bypass = run_project(project, use_cache=False)
    assert (first.ran, second.ran, second.cached, bypass.ran) == (2, 0, 2, 2)
    assert {p: r.stdout for p, r in first.results.items()} == {p: r.stdout for p, r in second.results.items()}


def test_corrupt_entry_is_a_miss_not_an_error(tmp_path: Path) -> None:
    store = RunCache(tmp_path)
    store.put("ab" * 32, RunResult(b"out\n", b"", 0, 0.1))
    entry = next(tmp_path.rglob("*.json"))
    entry.write_text('{"stdout": "trunc')
    assert store.get("ab" * 32) is None


def test_interrupted_write_leaves_no_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = RunCache(tmp_path)

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(store_module.os, "replace", crash)  # interrupted before the rename
    with pytest.raises(KeyboardInterrupt):
        store.put("cd" * 32, RunResult(b"out\n", b"", 0, 0.1))
    assert list(tmp_path.rglob("*")) == [tmp_path / "cd"]  # only the empty shard folder
    assert store.get("cd" * 32) is None


def test_failures_and_timeouts_are_never_cached(tmp_path: Path) -> None:
    store = RunCache(tmp_path)
    store.put("ef" * 32, RunResult(b"", b"Traceback", 1, 0.1))
    store.put("01" * 32, RunResult(b"", b"", -9, 60.0, timed_out=True))
    assert list(tmp_path.rglob("*.json")) == []


def test_scripts_are_parsed_one_thread_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """CPython's syntax tree builder is not safe from two threads at once (gh-106905), and the
    engine reads snippets from its worker threads."""
    import ast
    import threading
    import time

    from lessonkit.run import imports

    inside, most = [0], [0]
    real_parse = ast.parse

    def slow_parse(*args, **kwargs):
        inside[0] += 1
        most[0] = max(most[0], inside[0])
        time.sleep(0.05)
        inside[0] -= 1
        return real_parse(*args, **kwargs)

    monkeypatch.setattr(imports.ast, "parse", slow_parse)
    threads = [
        threading.Thread(target=imports.top_level_imports, args=(b"import numpy\n", "x.py")) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == 1
