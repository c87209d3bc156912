"""lessonkit.markdown works without MkDocs: Python-Markdown alone renders a page with its
examples, this run's outputs and the values quoted from them."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from fixtures import make_project

from lessonkit.page.directives import DirectiveError

EXTENSIONS = [
    "lessonkit.markdown",
    "pymdownx.snippets",
    "pymdownx.superfences",
    "pymdownx.highlight",
    "tables",
]


def _render(root: Path, text: str, **options: object) -> str:
    md = markdown.Markdown(
        extensions=EXTENSIONS,
        extension_configs={
            "lessonkit.markdown": {"root": str(root), "snippets": "demo", "page": "demo.md", **options},
            "pymdownx.snippets": {"base_path": [str(root)], "check_paths": True},
        },
    )
    return md.convert(text)


def test_a_page_renders_its_examples_outputs_and_values(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", {})
    html = _render(
        root, "{{ example greet.py }}\n\nThe answer is {{ value greet.py answer }}.\n", katex=False
    )
    assert '<span class="filename">greet.py</span>' in html  # the script, titled and included
    assert '<span class="s2">"greeting hello"</span>' in html
    assert "greeting hello\nanswer 42" in html  # the Output block: this run's output
    assert "<p>The answer is 42.</p>" in html


def test_drift_fails_the_render_with_a_diff_naming_the_script(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", {})
    (root / "snippets" / "demo" / "greet.out").write_text("greeting hello\nanswer 41\n", encoding="utf-8")
    with pytest.raises(DirectiveError) as error:
        _render(root, "{{ example greet.py }}\n", katex=False)
    message = str(error.value)
    assert "snippets/demo/greet.py printed output that differs from its documented output" in message
    assert "-answer 41\n" in message and "+answer 42\n" in message


def test_without_execution_the_documented_outputs_are_shown(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", {})
    (root / "snippets" / "demo" / "greet.out").write_text("greeting hello\nanswer 41\n", encoding="utf-8")
    assert "<p>41</p>" in _render(root, "{{ value greet.py answer }}\n", katex=False, execute=False)


def test_math_is_typeset_with_the_projects_katex(tmp_path: Path, root: Path) -> None:
    project = make_project(tmp_path / "project", {})
    (project / "node_modules").symlink_to(root / "node_modules")
    md = markdown.Markdown(
        extensions=["lessonkit.markdown", "pymdownx.arithmatex"],
        extension_configs={
            "lessonkit.markdown": {"root": str(project), "page": "demo.md"},
            "pymdownx.arithmatex": {"generic": True},
        },
    )
    html = md.convert("A line $y = 20x$.")
    md.registeredExtensions[0].close()
    assert 'class="katex"' in html and "\\(" not in html
