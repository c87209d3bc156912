"""Lesson 1's own facts: its place in the course, its quiz, and that it passes every lesson
rule with its own data (snippets/linear-regression-from-scratch/lesson.toml)."""

from __future__ import annotations

from conftest import LESSON, ROOT

from lessonkit.course import curriculum, quiz
from lessonkit.page import pages
from lessonkit.rules import lesson as rules

PAGE = f"lessons/{LESSON}.md"


def _page() -> pages.Page:
    return pages.read_page(PAGE, ROOT / "docs" / PAGE, ROOT / "snippets", f"docs/{PAGE}")


def test_lesson_one_passes_the_lesson_rules() -> None:
    problems = rules.lesson_problems(_page(), f"docs/{PAGE}", lambda p: p.relative_to(ROOT).as_posix())
    assert problems == [], "\n\n".join(problems)


def test_lesson_one_is_step_28_of_155() -> None:
    outline = curriculum.load(ROOT / curriculum.CURRICULUM_FILE, [PAGE], curriculum.CURRICULUM_FILE)
    entry = outline.for_page(PAGE)
    assert entry is not None and (entry.step, len(outline.lessons)) == (28, 155)


def test_lesson_one_has_ten_questions_passed_with_eight() -> None:
    path = ROOT / "snippets" / LESSON / quiz.QUIZ_FILE
    parsed = quiz.parse(path.read_text(encoding="utf-8"), "quiz.yml")
    assert (len(parsed.questions), parsed.pass_mark) == (10, 8)
