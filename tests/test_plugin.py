"""The lessonkit plugin in a site of its own: a minimal MkDocs project outside the repository
adopts it, and bad configuration fails with one clear message, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import mkdocs_build
from fixtures import DEMO_PAGE, make_project

pytestmark = pytest.mark.build


@pytest.fixture
def adopter(tmp_path: Path) -> Path:
    return make_project(tmp_path / "adopter", {"index.md": DEMO_PAGE})


def _fails_cleanly(project: Path, site: Path, *expected: str) -> str:
    result = mkdocs_build(project, site)
    assert not result.ok
    assert "Traceback" not in result.output, result.output
    for text in expected:
        assert text in result.output, result.output
    assert not site.exists(), "a failed build leaves no site behind"
    return result.output


def test_another_site_shows_both_examples_and_a_value(adopter: Path, tmp_path: Path) -> None:
    result = mkdocs_build(adopter, tmp_path / "site")
    assert result.ok, result.output
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert '<span class="filename">greet.py</span>' in html
    assert '<span class="filename">count.py</span>' in html
    assert "greeting hello\nanswer 42\n</code>" in html and "0\n1\n2\n</code>" in html
    assert "<p>The answer is 42.</p>" in html
    assert "lessonkit: 2 snippets: 2 run, 0 cached, 0 failed" in result.output


def test_a_changed_documented_output_fails_the_build_naming_the_script(adopter: Path, tmp_path: Path) -> None:
    (adopter / "snippets" / "demo" / "count.out").write_text("0\n1\n3\n", encoding="utf-8")
    _fails_cleanly(
        adopter,
        tmp_path / "site",
        "snippets/demo/count.py printed output that differs from its documented output",
        "python -m lessonkit accept snippets/demo/count.py",
    )


def test_a_directive_on_a_page_without_snippets_fails_naming_page_and_line(
    adopter: Path, tmp_path: Path
) -> None:
    (adopter / "docs" / "about.md").write_text("# About\n\nWe print {{ value greet.py answer }}.\n")
    _fails_cleanly(
        adopter, tmp_path / "site", "docs/about.md:3: `{{ value greet.py answer }}` names a snippet"
    )


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[greet\ntimeout = 5\n", "snippets/demo/snippets.toml: not valid TOML: "),
        ("[greet]\ntimeout = 'soon'\n", "snippets/demo/snippets.toml: [greet] `timeout` must be a positive"),
        ("[greet]\ntimout = 5\n", "snippets/demo/snippets.toml: [greet] has an unknown setting `timout`"),
    ],
    ids=["syntax", "wrong-type", "unknown-key"],
)
def test_a_bad_snippets_toml_fails_with_one_message_naming_file_and_key(
    adopter: Path, tmp_path: Path, toml: str, message: str
) -> None:
    (adopter / "snippets" / "demo" / "snippets.toml").write_text(toml, encoding="utf-8")
    _fails_cleanly(adopter, tmp_path / "site", message)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  - lessonkit\n", "  - lessonkit:\n      jobs: many\n", "jobs"),
        (
            "  - lessonkit\n",
            "  - lessonkit:\n      timeout: -1\n",
            "lessonkit option `timeout`: must be a positive",
        ),
        (
            "  - lessonkit\n",
            "  - lessonkit:\n      curriculum: outline.yml\n",
            "lessonkit option `curriculum`",
        ),
        ("  - pymdownx.details\n", "", "markdown_extensions must include pymdownx.details"),
        ("  - lessonkit\n", "  - lessonkit:\n      sandbox: sometimes\n", "sandbox"),
    ],
    ids=["option-type", "option-value", "missing-curriculum", "missing-extension", "sandbox-mode"],
)
def test_bad_plugin_configuration_fails_naming_the_option(
    adopter: Path, tmp_path: Path, old: str, new: str, message: str
) -> None:
    config = adopter / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    _fails_cleanly(adopter, tmp_path / "site", message)


def test_bad_front_matter_folder_fails_naming_the_page(adopter: Path, tmp_path: Path) -> None:
    page = adopter / "docs" / "index.md"
    page.write_text(page.read_text(encoding="utf-8").replace("snippets: demo", "snippets: nothere"))
    _fails_cleanly(adopter, tmp_path / "site", "docs/index.md: front matter `snippets: nothere` names")


def test_check_and_accept_work_in_the_adopting_project(adopter: Path) -> None:
    import subprocess
    import sys

    (adopter / "snippets" / "demo" / "count.out").write_text("0\n1\n3\n", encoding="utf-8")
    check = subprocess.run(
        [sys.executable, "-m", "lessonkit", "check"], cwd=adopter, capture_output=True, text=True
    )
    assert check.returncode == 1 and "snippets/demo/count.py printed output that differs" in check.stderr
    accept = subprocess.run(
        [sys.executable, "-m", "lessonkit", "accept", "snippets/demo/count.py"],
        cwd=adopter,
        capture_output=True,
        text=True,
    )
    assert accept.returncode == 0, accept.stderr
    assert (adopter / "snippets" / "demo" / "count.out").read_text() == "0\n1\n2\n"
    again = subprocess.run(
        [sys.executable, "-m", "lessonkit", "check"], cwd=adopter, capture_output=True, text=True
    )
    assert again.returncode == 0, again.stderr
    assert "1 lesson(s) and 1 page(s) checked" in again.stdout
