"""A bad snippet never yields a site: each fault fails the build with a message that
names the file and shows what went wrong. Shown on a small project of its own."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import mkdocs_build
from fixtures import make_project

LESSON = "demo"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A one-lesson project: docs/lessons/demo.md shows the demo snippets."""
    page = "---\ntitle: Demo\n---\n\n# Demo\n\n{{ example greet.py }}\n\n{{ example count.py }}\n"
    return make_project(tmp_path / "project", {"lessons/demo.md": page})


def add_snippet(project: Path, name: str, code: str, *, out: str | None = None, settings: str = "") -> str:
    """Add a snippet to the lesson, used by its page; returns its project-relative path."""
    folder = project / "snippets" / LESSON
    (folder / name).write_text(textwrap.dedent(code), encoding="utf-8")
    if out is not None:
        (folder / name).with_suffix(".out").write_text(out, encoding="utf-8")
    if settings:
        (folder / "snippets.toml").write_text(textwrap.dedent(settings), encoding="utf-8")
    page = project / "docs" / "lessons" / f"{LESSON}.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n{{{{ example {name} }}}}\n", encoding="utf-8")
    return f"snippets/{LESSON}/{name}"


def build_fails(project: Path, tmp_path: Path) -> str:
    site = tmp_path / "site"
    site.mkdir()
    (site / "stale.html").write_text("from an earlier build", encoding="utf-8")
    result = mkdocs_build(project, site)
    assert not result.ok, result.output
    assert not site.exists(), "a failed build leaves no site behind to publish"
    return result.output


def test_hanging_snippet_times_out(project: Path, tmp_path: Path) -> None:
    where = add_snippet(
        project,
        "hangs.py",
        "import time\nprint('started', flush=True)\ntime.sleep(600)\n",
        out="started\n",
        settings="[hangs]\ntimeout = 1\n",
    )
    assert f"{where} timed out after 1 s" in build_fails(project, tmp_path)


def test_nonzero_exit_fails_even_with_correct_output(project: Path, tmp_path: Path) -> None:
    where = add_snippet(project, "exits.py", "import sys\nprint('ok')\nsys.exit(3)\n", out="ok\n")
    assert f"{where} failed with exit code 3" in build_fails(project, tmp_path)


def test_stderr_is_an_error_unless_allowed(project: Path, tmp_path: Path) -> None:
    code = "import sys\nprint('ok')\nprint('careful: deprecated', file=sys.stderr)\n"
    where = add_snippet(project, "warns.py", code, out="ok\n")
    output = build_fails(project, tmp_path)
    assert f"{where} wrote to stderr" in output
    assert "careful: deprecated" in output

    (project / "snippets" / LESSON / "snippets.toml").write_text("[warns]\nallow_stderr = true\n")
    result = mkdocs_build(project, tmp_path / "allowed")
    assert result.ok, result.output
    assert f"{where} wrote to stderr (allowed)" in result.output
    assert "careful: deprecated" in result.output


def test_files_a_snippet_writes_never_land_in_the_repository(project: Path, tmp_path: Path) -> None:
    add_snippet(
        project,
        "writes.py",
        "from pathlib import Path\n"
        "Path('junk.txt').write_text('x')\n"
        "print(sorted(p.name for p in Path().iterdir()))\n",
        out="['junk.txt']\n",
    )
    result = mkdocs_build(project, tmp_path / "site")
    assert result.ok, result.output
    assert not list(project.rglob("junk.txt"))


def test_non_utf8_output_fails(project: Path, tmp_path: Path) -> None:
    where = add_snippet(project, "latin1.py", "import sys\nsys.stdout.buffer.write(b'caf\\xe9\\n')\n", out="")
    assert f"{where} printed output that is not UTF-8" in build_fails(project, tmp_path)


def test_more_than_a_megabyte_of_output_fails(project: Path, tmp_path: Path) -> None:
    where = add_snippet(project, "chatty.py", "print('x' * 1_100_000)\n", out="")
    assert f"{where} printed 1,100,001 bytes; the limit is 1,000,000" in build_fails(project, tmp_path)


def test_missing_documented_output_fails_and_shows_the_output(project: Path, tmp_path: Path) -> None:
    where = add_snippet(project, "new.py", "print('fresh result 42')\n")
    output = build_fails(project, tmp_path)
    assert f"{where} has no documented output new.out" in output
    assert "fresh result 42" in output
    assert f"python -m lessonkit accept {where}" in output


def test_orphaned_documented_output_fails(project: Path, tmp_path: Path) -> None:
    (project / "snippets" / LESSON / "gone.out").write_text("left behind\n")
    output = build_fails(project, tmp_path)
    assert f"snippets/{LESSON}/gone.out is a documented output without a snippet" in output


def test_snippet_no_page_uses_fails(project: Path, tmp_path: Path) -> None:
    folder = project / "snippets" / LESSON
    (folder / "unused.py").write_text("print('nobody reads me')\n")
    (folder / "unused.out").write_text("nobody reads me\n")
    output = build_fails(project, tmp_path)
    assert "1 snippet(s) are not used by any page" in output
    assert f"snippets/{LESSON}/unused.py" in output


def test_syntax_error_fails_with_file_and_line(project: Path, tmp_path: Path) -> None:
    where = add_snippet(project, "typo.py", "x = 1\nprint(x +)\n", out="")
    output = build_fails(project, tmp_path)
    assert f"{where} failed with exit code 1" in output
    assert "line 2" in output and "SyntaxError" in output


def test_check_command_reports_the_same_faults(project: Path) -> None:
    where = add_snippet(project, "exits.py", "import sys\nprint('ok')\nsys.exit(3)\n", out="ok\n")
    run = subprocess.run(
        [sys.executable, "-m", "lessonkit", "check"], cwd=project, capture_output=True, text=True
    )
    assert run.returncode == 1
    assert f"{where} failed with exit code 3" in run.stderr
    assert "1 failed" in run.stdout


def test_accept_refuses_a_crashing_snippet(project: Path) -> None:
    where = add_snippet(project, "crash.py", "raise RuntimeError('nope')\n", out="")
    run = subprocess.run(
        [sys.executable, "-m", "lessonkit", "accept", where], cwd=project, capture_output=True, text=True
    )
    assert run.returncode == 1
    assert "RuntimeError: nope" in run.stderr
    assert (project / where).with_suffix(".out").read_text() == ""


def _lessonkit(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "lessonkit", *args], cwd=cwd, capture_output=True, text=True)


def test_the_config_file_may_be_named_before_or_after_the_verb(project: Path, tmp_path: Path) -> None:
    config = str(project / "mkdocs.yml")
    for args in (["-f", config, "check"], ["check", "-f", config], ["check", "--config-file", config]):
        run = _lessonkit(*args, cwd=tmp_path)  # outside the project: only -f finds it
        assert run.returncode == 0, (args, run.stderr)
        assert "1 lesson(s) and 1 page(s) checked" in run.stdout
    assert _lessonkit("accept", "-f", config, cwd=tmp_path).returncode == 0
    nowhere = _lessonkit("check", cwd=tmp_path)
    assert nowhere.returncode == 2 and "no mkdocs.yml at or above" in nowhere.stderr


def test_accept_says_what_it_accepted_and_fails_when_it_refused_one(project: Path) -> None:
    (project / "snippets" / LESSON / "count.out").write_text("0\n1\n3\n", encoding="utf-8")
    accepted = _lessonkit("accept", cwd=project)
    assert accepted.returncode == 0, accepted.stderr
    assert accepted.stdout.splitlines()[-1] == "lessonkit: 2 snippet(s): 1 accepted, 1 unchanged"
    assert "failed" not in accepted.stdout
    add_snippet(project, "crash.py", "raise RuntimeError('nope')\n", out="")
    refused = _lessonkit("accept", cwd=project)
    assert refused.returncode == 1
    assert refused.stdout.splitlines()[-1].startswith(
        "lessonkit: 3 snippet(s): 0 accepted, 2 unchanged, 1 refused"
    )
