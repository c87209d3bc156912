"""What every lesson's own tests check the same way: its examples reproduce as the reader runs
them from the Markdown download (pytest-codeblocks), and its companion notebook runs in a
fresh kernel printing the documented outputs. A lesson's test file calls these with its id."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT
from test_notebook import execute

SHOWN = re.compile(r"^\s*\{\{ (?:example|figure) (\S+) \}\}$", re.MULTILINE)


def shown_snippets(lesson: str) -> list[str]:
    """The scripts the lesson's page shows (example and figure directives), in page order."""
    return SHOWN.findall((ROOT / "docs" / "lessons" / f"{lesson}.md").read_text(encoding="utf-8"))


def assert_examples_reproduce_from_the_download(site: Path, lesson: str, tmp_path: Path) -> None:
    export = site / f"lessons/{lesson}.md"
    examples = [name for name in shown_snippets(lesson) if not name.startswith("figure-")]
    assert export.read_text(encoding="utf-8").count("<!--pytest-codeblocks:expected-output-->") == len(
        examples
    )
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "--codeblocks", "-p", "no:cacheprovider", "-q", str(export)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"{len(examples)} passed" in run.stdout


def assert_notebook_reproduces_in_a_fresh_kernel(
    site: Path, lesson: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    published = nbformat.reads((site / f"lessons/{lesson}.ipynb").read_text(encoding="utf-8"), as_version=4)
    nb = nbformat.from_dict(json.loads(json.dumps(published)))
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    execute(nb, tmp_path, monkeypatch)
    cells = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.id for c in cells] == [name.removesuffix(".py") for name in shown_snippets(lesson)]
    for cell in cells:
        stdout = "".join(
            o["text"] for o in cell.outputs if o["output_type"] == "stream" and o["name"] == "stdout"
        )
        assert stdout == (ROOT / "snippets" / lesson / f"{cell.id}.out").read_text(encoding="utf-8"), cell.id
