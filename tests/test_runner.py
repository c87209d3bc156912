"""The fast runner (fork from a warm zygote) behaves as ``python path/to/snippet.py``:
same output, same errors, nothing shared between snippets, time-outs kill everything."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from lessonkit.run.runner import run_forked, run_subprocess, snippet_env
from lessonkit.run.snippets import Snippet

PROBE = """\
import os, sys
import numpy as np
import matplotlib
print("name", __name__)
print("argv0_is_file", sys.argv[0] == __file__, os.path.isabs(__file__))
print("path0_is_folder", sys.path[0] == os.path.dirname(os.path.abspath(__file__)))
print("cwd_empty", os.listdir(".") == [], os.getcwd() != os.path.dirname(__file__))
print("stdin", repr(sys.stdin.read()))
print("precision", np.get_printoptions()["precision"])
print("backend", matplotlib.get_backend().lower())
print("threads", os.environ.get("OPENBLAS_NUM_THREADS"))
print("leak", os.environ.get("LEAKED", "none"), getattr(np, "leaked", "none"))
# Change process-wide state; the next snippet must not see any of it.
np.set_printoptions(precision=1)
os.environ["LEAKED"] = "yes"
np.leaked = "yes"
"""


def make(tmp_path: Path, name: str, code: str, timeout: float = 60) -> Snippet:
    folder = tmp_path / "snippets" / "lesson"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(code), encoding="utf-8")
    return Snippet(path=path, root=tmp_path, timeout=timeout)


def python(snippet: Snippet, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """What a reader gets from ``python path/to/snippet.py``."""
    return subprocess.run(
        [sys.executable, str(snippet.path)],
        cwd=cwd,
        env=snippet_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
    )


@pytest.mark.parametrize("runner", [run_forked, run_subprocess], ids=["fork", "subprocess"])
def test_snippet_sees_the_environment_of_python_path_to_snippet(runner, tmp_path: Path) -> None:
    snippet = make(tmp_path, "probe.py", PROBE)
    workdir = tmp_path / "empty"
    workdir.mkdir()
    expected = python(snippet, workdir)
    assert expected.returncode == 0, expected.stderr
    first, second = runner(snippet), runner(snippet)
    assert first.stdout == expected.stdout
    assert second.stdout == expected.stdout, "state leaked from the first run into the second"
    assert b"leak none none" in first.stdout
    assert b"threads 1" in first.stdout and b"backend agg" in first.stdout


def test_fork_runner_prints_the_same_traceback_as_python(tmp_path: Path) -> None:
    snippet = make(tmp_path, "raises.py", "def f(x):\n    return 1 / x\n\nprint('before')\nf(0)\n")
    expected = python(snippet, tmp_path)
    result = run_forked(snippet)
    assert result.returncode == expected.returncode == 1
    assert result.stdout == expected.stdout == b"before\n"
    assert result.stderr == expected.stderr
    assert f'File "{snippet.path}", line 5, in <module>'.encode() in result.stderr


@pytest.mark.parametrize(
    ("code", "status", "stderr"),
    [
        ("import sys\nsys.exit(4)\n", 4, b""),
        ("import sys\nsys.exit('bad input')\n", 1, b"bad input\n"),
        ("import sys\nsys.exit()\n", 0, b""),
        ("import atexit\natexit.register(print, 'at exit')\n", 0, b""),
    ],
)
def test_fork_runner_exit_semantics_match_python(
    tmp_path: Path, code: str, status: int, stderr: bytes
) -> None:
    snippet = make(tmp_path, "exits.py", code)
    expected = python(snippet, tmp_path)
    result = run_forked(snippet)
    assert (result.returncode, result.stderr, result.stdout) == (status, stderr, expected.stdout)
    assert expected.returncode == status


@pytest.mark.parametrize("runner", [run_forked, run_subprocess], ids=["fork", "subprocess"])
def test_a_snippet_named_by_a_relative_path_runs(runner, tmp_path: Path, monkeypatch) -> None:
    # The child runs from its own empty working directory, not from where the path is relative to.
    snippet = make(tmp_path, "hello.py", "print('hello')\n")
    monkeypatch.chdir(tmp_path)
    relative = Snippet(path=snippet.path.relative_to(tmp_path), root=Path("."), timeout=snippet.timeout)
    result = runner(relative)
    assert (result.returncode, result.stdout) == (0, b"hello\n"), result.stderr


def test_forked_snippets_draw_unseeded_numbers_as_fresh_processes_do(tmp_path: Path) -> None:
    # The zygote has numpy.random imported (and its global generator seeded) before it forks.
    code = "import numpy as np\nimport random\nprint(np.random.random(), random.random())\n"
    snippet = make(tmp_path, "unseeded.py", code)
    runs = [run_forked(snippet, preload=("numpy", "numpy.random")) for _ in range(3)]
    assert all(run.returncode == 0 for run in runs), runs[0].stderr
    numbers = [run.stdout.split() for run in runs]
    assert len({n[0] for n in numbers}) == 3 and len({n[1] for n in numbers}) == 3, numbers


@pytest.mark.parametrize("runner", [run_forked, run_subprocess], ids=["fork", "subprocess"])
def test_time_out_kills_the_snippet_and_what_it_started(runner, tmp_path: Path) -> None:
    code = """\
        import subprocess, time
        child = subprocess.Popen(["sleep", "600"])
        print(child.pid, flush=True)
        time.sleep(600)
    """
    result = runner(make(tmp_path, "hangs.py", code, timeout=1.5))
    assert result.timed_out
    grandchild = int(result.stdout.split()[0])
    for _ in range(50):  # the kill is asynchronous; give the kernel a moment to reap
        if not _alive(grandchild):
            break
        time.sleep(0.1)
    assert not _alive(grandchild), "a process started by the snippet survived its time-out"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split()[2] == "Z")


def test_fork_runner_collects_files_written_as_artifacts(tmp_path: Path) -> None:
    code = "from pathlib import Path\nPath('light.svg').write_text('<svg/>')\nprint('drawn')\n"
    result = run_forked(make(tmp_path, "figure-x.py", code))
    assert result.returncode == 0
    assert result.artifacts == {"light.svg": b"<svg/>"}
