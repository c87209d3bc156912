"""The rules every lesson passes in every build and in `python -m lessonkit check`,
shown on small fixture lessons."""

from __future__ import annotations

from pathlib import Path

from lessonkit.page import pages
from lessonkit.rules import lesson as rules


def _lesson(tmp_path: Path, page: str, lesson_toml: str | None = None, quiz: bool = False) -> pages.Page:
    folder = tmp_path / "snippets" / "demo"
    folder.mkdir(parents=True)
    if lesson_toml is not None:
        (folder / "lesson.toml").write_text(lesson_toml, encoding="utf-8")
    if quiz:
        (folder / "quiz.yml").write_text("questions: []\n", encoding="utf-8")
    path = tmp_path / "docs" / "lessons" / "demo.md"
    path.parent.mkdir(parents=True)
    path.write_text(page, encoding="utf-8")
    return pages.read_page("lessons/demo.md", path, tmp_path / "snippets", "docs/lessons/demo.md")


def _problems(page: pages.Page, root: Path) -> list[str]:
    return rules.lesson_problems(page, "docs/lessons/demo.md", lambda p: p.relative_to(root).as_posix())


def test_a_number_typed_by_hand_is_reported_with_its_line(tmp_path: Path) -> None:
    page = _lesson(
        tmp_path, "---\ntitle: Demo\n---\n\nThe fit gives 42 ms.\n\nA name in code, `x7`, is not a number.\n"
    )
    (problem,) = _problems(page, tmp_path)
    assert problem.startswith("docs/lessons/demo.md: 1 number(s) typed by hand;")
    assert "snippets/demo/lesson.toml under [numbers.allowed]" in problem
    assert "docs/lessons/demo.md:5: '42' in: The fit gives 42 ms." in problem


def test_inputs_named_in_lesson_toml_are_allowed(tmp_path: Path) -> None:
    page = _lesson(
        tmp_path, "Start from a learning rate of 0.05.\n", '[numbers.allowed]\n"0.05" = "an input"\n'
    )
    assert _problems(page, tmp_path) == []


def test_an_allow_list_entry_the_page_no_longer_uses_must_go(tmp_path: Path) -> None:
    page = _lesson(tmp_path, "No numbers here.\n", '[numbers.allowed]\n"x = 6" = "an input"\n')
    (problem,) = _problems(page, tmp_path)
    assert problem == (
        "snippets/demo/lesson.toml: [numbers.allowed] lists 'x = 6', which docs/lessons/demo.md no longer "
        "contains; remove the entries"
    )


def test_a_lesson_toml_entry_without_a_reason_is_an_error_naming_the_file(tmp_path: Path) -> None:
    page = _lesson(tmp_path, "Rate 0.05.\n", '[numbers.allowed]\n"0.05" = ""\n')
    assert _problems(page, tmp_path) == [
        "snippets/demo/lesson.toml: [numbers.allowed] '0.05' must say why it is an input, as text"
    ]


def test_a_quiz_the_page_does_not_show_is_reported(tmp_path: Path) -> None:
    page = _lesson(tmp_path, "No quiz directive.\n", quiz=True)
    (problem,) = _problems(page, tmp_path)
    assert "has snippets/demo/quiz.yml but the page does not show it" in problem


def test_code_in_prose_that_no_shown_snippet_contains_is_reported(tmp_path: Path) -> None:
    page = _lesson(tmp_path, "{{ example fit.py }}\n\nWe call `np.polyfit(x, y, 1)` here.\n")
    (tmp_path / "snippets" / "demo" / "fit.py").write_text("import numpy as np\nprint(np.mean([1]))\n")
    (problem,) = _problems(page, tmp_path)
    assert problem.startswith("docs/lessons/demo.md:3: `np.polyfit(x, y, 1)` is code that no snippet shown")


def test_a_term_no_code_span_needs_must_go(tmp_path: Path) -> None:
    page = _lesson(tmp_path, "No code here.\n", '[prose]\nterms = ["np.c_"]\n')
    assert _problems(page, tmp_path) == [
        "snippets/demo/lesson.toml: [prose] terms lists 'np.c_', which no code span of docs/lessons/demo.md "
        "needs; remove them"
    ]
