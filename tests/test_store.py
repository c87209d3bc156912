"""Nothing a build keeps can break the next one. Every cache goes through one store
(lessonkit.store): an entry that is garbage, empty, truncated or of another version is a miss,
removed and made again, never a crash and never a wrong page; a build over a cache folder
damaged so, in each way, makes the same site as a clean build, byte for byte. A build killed
half-way, or two builds at once in one folder, leave nothing running, and the next build
matches a clean one."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, mkdocs_build
from fixtures import make_project
from jinja2 import DictLoader, Environment

from lessonkit import store
from lessonkit.page import katex_cache
from lessonkit.run import cache as run_cache
from lessonkit.run.results import RunResult
from lessonkit.templates import TemplateCache

EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}


def garbage(data: bytes) -> bytes:
    return random.Random(len(data)).randbytes(max(len(data), 64))


def empty(data: bytes) -> bytes:
    return b""


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def other_version(data: bytes) -> bytes:
    """The same payload under a header of another format version, its digest right."""
    end = data.find(b"\n")
    if not data.startswith(store.MAGIC) or end < 0:
        return data  # not one of our entries: another program's file has no version of ours
    fields = data[:end].split(b" ")
    fields[1] = b"0"
    return b" ".join(fields) + data[end:]


DAMAGES: dict[str, Callable[[bytes], bytes]] = {
    "garbage": garbage,
    "empty": empty,
    "truncated": truncated,
    "other version": other_version,
}


def damage_every_file(folder: Path, how: Callable[[bytes], bytes]) -> int:
    damaged = 0
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        before = path.read_bytes()
        after = how(before)
        if after != before:
            path.write_bytes(after)
            damaged += 1
    return damaged


# --- The store ---


def test_an_entry_reads_back_as_written_and_only_as_its_own_kind(tmp_path: Path) -> None:
    entry = tmp_path / "a" / "entry"
    store.write(entry, "memo", b"payload\n")
    assert store.read(entry, "memo") == b"payload\n"
    assert entry.read_bytes().startswith(b"lessonkit-cache 1 memo 8 ")
    assert store.read(entry, "run") is None, "an entry of another cache is a miss"
    assert not entry.exists(), "and is removed"
    assert store.read(tmp_path / "none", "memo") is None


@pytest.mark.parametrize("how", DAMAGES)
def test_a_damaged_entry_is_a_miss_logged_and_removed(tmp_path: Path, how: str, caplog) -> None:
    entry = tmp_path / "entry"
    store.write(entry, "memo", b"x" * 100)
    entry.write_bytes(DAMAGES[how](entry.read_bytes()))
    with caplog.at_level("DEBUG", logger="mkdocs.plugins.lessonkit"):
        assert store.read(entry, "memo") is None
    assert not entry.exists()
    assert f"cache entry {entry} discarded" in caplog.text


def test_a_payload_changed_in_place_is_caught_by_its_digest(tmp_path: Path) -> None:
    entry = tmp_path / "entry"
    store.write(entry, "memo", b"0.8718")
    entry.write_bytes(entry.read_bytes().replace(b"0.8718", b"0.9999"))  # same length
    assert store.read(entry, "memo") is None


def test_an_interrupted_write_leaves_the_old_entry_or_none(tmp_path: Path, monkeypatch) -> None:
    entry = tmp_path / "entry"
    store.write(entry, "memo", b"old")

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(store.os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        store.write(entry, "memo", b"new")
    assert store.read(entry, "memo") == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["entry"], "no temporary file is left"


# --- Each cache, on a damaged entry ---


@pytest.mark.parametrize("how", DAMAGES)
def test_a_damaged_snippet_run_is_run_again(tmp_path: Path, how: str) -> None:
    cache = run_cache.RunCache(tmp_path)
    result = RunResult(b"answer 42\n", b"", 0, 0.1, artifacts={"light.svg": b"<svg/>"})
    cache.put("ab" * 32, result)
    assert cache.get("ab" * 32).stdout == b"answer 42\n"
    assert damage_every_file(tmp_path, DAMAGES[how]) == 1
    assert cache.get("ab" * 32) is None
    cache.put("ab" * 32, result)
    assert cache.get("ab" * 32).artifacts == {"light.svg": b"<svg/>"}


def test_a_whole_entry_that_is_not_a_run_is_a_miss(tmp_path: Path) -> None:
    cache = run_cache.RunCache(tmp_path)
    entry = tmp_path / "cd" / f"{'cd' * 32}.json"
    store.write(entry, "run", b'{"stdout": 3}')
    assert cache.get("cd" * 32) is None
    assert not entry.exists()


@pytest.mark.parametrize("how", DAMAGES)
def test_a_damaged_memo_is_made_again(tmp_path: Path, how: str) -> None:
    made = []

    def make() -> bytes:
        made.append(1)
        return b"drawn card"

    assert store.memo_bytes(tmp_path, ["card"], make) == b"drawn card"
    damage_every_file(tmp_path, DAMAGES[how])
    assert store.memo_bytes(tmp_path, ["card"], make) == b"drawn card"
    assert store.memo_bytes(tmp_path, ["card"], make) == b"drawn card"
    assert len(made) == 2


@pytest.mark.parametrize("how", DAMAGES)
def test_a_damaged_formula_table_is_typeset_again(tmp_path: Path, how: str) -> None:
    path = tmp_path / "katex" / "v.json"
    first = katex_cache.FormulaCache("v", path)
    first.put(("x^2", False), "<span>x²</span>")
    first.save()
    assert katex_cache.FormulaCache("v", path).get(("x^2", False)) == "<span>x²</span>"
    damage_every_file(tmp_path, DAMAGES[how])
    assert katex_cache.FormulaCache("v", path).get(("x^2", False)) is None


def test_a_whole_formula_entry_that_is_not_a_table_is_a_miss(tmp_path: Path) -> None:
    path = tmp_path / "v.json"
    store.write(path, "katex", json.dumps({"inline\nx": 3}).encode())
    assert katex_cache.FormulaCache("v", path).get(("x", False)) is None
    assert not path.exists()


@pytest.mark.parametrize("how", DAMAGES)
def test_damaged_compiled_templates_are_compiled_again(tmp_path: Path, how: str) -> None:
    source = {"page.html": "{% for n in items %}<b>{{ n }}</b>{% endfor %}"}

    def render() -> str:
        env = Environment(loader=DictLoader(source), bytecode_cache=TemplateCache(tmp_path / "jinja"))
        return env.get_template("page.html").render(items=[1, 2])

    assert render() == "<b>1</b><b>2</b>"
    assert damage_every_file(tmp_path, DAMAGES[how]) == 1
    assert render() == "<b>1</b><b>2</b>"
    assert [store.read(p, "jinja") is not None for p in (tmp_path / "jinja").iterdir()] == [True]


def test_half_written_files_of_mkdocs_jupyters_cache_are_removed_and_whole_ones_kept(tmp_path: Path) -> None:
    whole = json.dumps({"content": "<div>cell</div>", "toc_tokens": [], "title": None})
    (tmp_path / "whole.json").write_text(whole)
    (tmp_path / "half.json").write_text(whole[:20])
    (tmp_path / "garbage.json").write_bytes(garbage(b"x" * 100))
    (tmp_path / "other.json").write_text('{"html": "<div>cell</div>"}')  # not what it reads
    checked: dict = {}
    assert store.drop_unreadable_json(tmp_path, ("content", "toc_tokens"), checked) == 3
    assert [p.name for p in tmp_path.iterdir()] == ["whole.json"]
    assert list(checked) == [str(tmp_path / "whole.json")]
    (tmp_path / "whole.json").write_text(whole[:10])  # changed since it was checked
    assert store.drop_unreadable_json(tmp_path, ("content", "toc_tokens"), checked) == 1


# --- Whole builds over a damaged cache ---

LESSON_PAGE = """\
---
title: Demo lesson
snippets: demo
---

# Demo lesson

The mean $\\bar{x}$ of the values.

{{ example greet.py }}

The answer is {{ value greet.py answer }}.

{{ figure figure-dots.py }}
alt: Dots in a row.
caption: The dots.
"""

FIGURE = """\
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

plt.rcParams["svg.hashsalt"] = "store-test"
for scheme, ink in (("light", "black"), ("dark", "white")):
    fig, ax = plt.subplots(figsize=(2, 1))
    ax.plot([1, 2, 3], [1, 2, 3], "o", color=ink)
    fig.savefig(f"{scheme}.svg", metadata={"Date": None}, transparent=True)
    plt.close(fig)
print("dots 3")
"""

JUPYTER = """\
  - mkdocs-jupyter:
      include: ["*.ipynb"]
      execute: false
"""


def small_lesson_project(root: Path) -> Path:
    """A project with every kind of cache: snippet runs (a figure among them), a formula,
    a companion notebook rendered by mkdocs-jupyter, the default preview card, templates."""
    project = make_project(
        root,
        {"index.md": "# Home\n", "lesson.md": LESSON_PAGE},
        {"demo/greet.py": 'print("greeting hello")\nprint("answer", 6 * 7)\n', "demo/figure-dots.py": FIGURE},
    )
    (project / "snippets" / "demo" / "figure-dots.out").write_text("dots 3\n")
    config = (project / "mkdocs.yml").read_text()
    config = config.replace("site_name: Demo\n", "site_name: Demo\nsite_url: http://127.0.0.1:8000/\n")
    config = config.replace("  - lessonkit\n", "  - lessonkit\n" + JUPYTER)
    (project / "mkdocs.yml").write_text(config)
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    return project


def assert_same_site(one: Path, other: Path) -> None:
    """The same files with the same bytes (what ``diff -r`` checks)."""

    def files(root: Path) -> dict[str, Path]:
        return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}

    left, right = files(one), files(other)
    assert sorted(left) == sorted(right)
    assert [name for name in left if left[name].read_bytes() != right[name].read_bytes()] == []


def clean_build(project: Path, site: Path) -> None:
    """``project`` built with nothing kept from an earlier build."""
    shutil.rmtree(project / ".cache", ignore_errors=True)
    result = mkdocs_build(project, site, env=EPOCH)
    assert result.ok, result.output


@pytest.mark.build
def test_a_build_over_a_cache_damaged_in_each_way_makes_the_same_site_as_a_clean_build(
    tmp_path: Path,
) -> None:
    project = small_lesson_project(tmp_path / "project")
    clean = mkdocs_build(project, tmp_path / "clean", env=EPOCH)
    assert clean.ok, clean.output
    assert "Traceback" not in clean.output
    kept = project / ".cache"
    assert {p.name for p in kept.iterdir()} == {"lessonkit", "mkdocs-jupyter"}
    kinds = {p.relative_to(kept).parts[1] for p in kept.rglob("*") if p.is_file() and "lessonkit" in p.parts}
    assert {"memo", "katex", "jinja", "notebook-src"} <= kinds and len(kinds) > 4, kinds  # and runs
    for name, how in DAMAGES.items():
        assert damage_every_file(kept, how) > 0, name
        again = mkdocs_build(project, tmp_path / name, env=EPOCH)
        assert again.ok, f"{name}:\n{again.output}"
        assert "Traceback" not in again.output
        assert_same_site(tmp_path / "clean", tmp_path / name)


# --- Builds killed half-way, and two at once ---

SLOW = 'import time\n\ntime.sleep(12)\nprint("slept")\n'


def _build_process(project: Path, site: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-f",
            str(project / "mkdocs.yml"),
            "-d",
            str(site),
        ],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **EPOCH},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: what it leaves running is found by it
    )


def _group_alive(pgid: int) -> list[str]:
    """Processes still running in the process group ``pgid`` (zombies excluded)."""
    alive = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(stat[2]) == pgid and stat[0] not in ("Z", "X"):
            alive.append(entry.name)
    return alive


def _wait_until(condition: Callable[[], bool], seconds: float = 60) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.build
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "Ctrl-C"])
def test_a_build_killed_while_snippets_run_leaves_nothing_running_and_the_next_build_is_clean(
    tmp_path: Path, sig: signal.Signals
) -> None:
    project = small_lesson_project(tmp_path / "project")
    slow = project / "snippets" / "demo" / "slow.py"
    slow.write_text(SLOW)
    page = project / "docs" / "lesson.md"
    page.write_text(page.read_text() + "\n{{ example slow.py }}\n")
    (slow.with_suffix(".out")).write_text("slept\n")
    build = _build_process(project, tmp_path / "killed")
    # Killed while the slow snippet runs: after the others have been cached.
    assert _wait_until(lambda: len(list((project / ".cache" / "lessonkit").glob("??/*.json"))) >= 2)
    os.kill(build.pid, sig)
    build.wait(timeout=60)
    assert _wait_until(lambda: not _group_alive(build.pid), 30), _group_alive(build.pid)
    assert not any(p.name.startswith(".tmp-") for p in project.rglob("*")), "no half-written file"

    slow.write_text(SLOW.replace("time.sleep(12)", "time.sleep(0)"))
    after = mkdocs_build(project, tmp_path / "after", env=EPOCH)
    assert after.ok, after.output
    clean_build(project, tmp_path / "clean")
    assert_same_site(tmp_path / "clean", tmp_path / "after")


@pytest.mark.build
def test_two_builds_at_once_in_one_folder_both_succeed_and_match_a_clean_build(tmp_path: Path) -> None:
    project = small_lesson_project(tmp_path / "project")
    first, second = _build_process(project, tmp_path / "one"), _build_process(project, tmp_path / "two")
    assert (first.wait(timeout=300), second.wait(timeout=300)) == (0, 0)
    for process in (first, second):
        assert _wait_until(lambda p=process: not _group_alive(p.pid), 30)
    again = mkdocs_build(project, tmp_path / "again", env=EPOCH)
    assert again.ok and " 0 run," in again.output, again.output
    clean_build(project, tmp_path / "clean")
    for site in ("one", "two", "again"):
        assert_same_site(tmp_path / "clean", tmp_path / site)
