"""Every snippet, run on its own as a reader would run it, prints its documented output,
and the documented outputs are the original lesson's outputs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import LESSON, ROOT

SNIPPETS = sorted((ROOT / "snippets").glob("*/[!_]*.py"))


def _original_outputs() -> dict[str, str]:
    """The original page's outputs by file name (tests/data copies shared/seed)."""
    text = (ROOT / "tests/data/original-outputs.txt").read_text(encoding="utf-8")
    sections = re.split(r"^== (\S+)\n", text, flags=re.MULTILINE)[1:]
    return dict(zip(sections[::2], sections[1::2], strict=True))


def _squash(text: str) -> list[str]:
    return [re.sub(r" +", " ", line).strip() for line in text.strip().splitlines()]


@pytest.mark.build  # runs every script in a fresh interpreter
@pytest.mark.parametrize("snippet", SNIPPETS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_snippet_run_alone_prints_its_documented_output(snippet: Path, tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, str(snippet)], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    assert run.stdout == snippet.with_suffix(".out").read_text(encoding="utf-8")
    written = {path.name for path in tmp_path.iterdir()}
    if snippet.name.startswith("figure-"):
        assert {"light.svg", "dark.svg"} <= written, "a figure snippet draws both palettes"
    else:
        assert written == set(), "a text snippet must not write files"


def test_every_example_of_the_original_lesson_is_a_snippet() -> None:
    names = {p.name for p in (ROOT / "snippets" / LESSON).glob("*.py")}
    assert set(_original_outputs()) <= names


@pytest.mark.parametrize("name", sorted(_original_outputs()))
def test_documented_output_equals_the_original_up_to_runs_of_spaces(name: str) -> None:
    documented = (ROOT / "snippets" / LESSON / name).with_suffix(".out").read_text(encoding="utf-8")
    assert _squash(documented) == _squash(_original_outputs()[name])


def test_every_snippet_has_a_documented_output_and_no_output_is_orphaned() -> None:
    outs = {p.with_suffix("") for p in (ROOT / "snippets").glob("*/[!_]*.out")}
    pys = {p.with_suffix("") for p in SNIPPETS}
    assert outs == pys
