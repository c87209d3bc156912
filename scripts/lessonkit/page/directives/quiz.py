"""``{{ quiz }}`` on a line of its own: the lesson's mastery check, from
``snippets/<lesson>/quiz.yml`` (format and rules: :mod:`lessonkit.course.quiz`). Quiz text may quote
snippet output with ``{{ value NAME.py KEY }}``; messages about it name the quiz file.
A quiz that breaks a rule fails the build, listing every problem."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ...course import quiz
from .base import DirectiveError, Expand, PageContext, expect_args
from .grammar import Directive

KIND = "quiz"
BLOCK = True


def source(page: PageContext) -> str:
    assert page.folder is not None
    return page.rel(page.folder / quiz.QUIZ_FILE)


def load(page: PageContext, expand: Expand, directive: Directive | None = None) -> quiz.Quiz:
    """The page's quiz with every ``{{ value }}`` in its text resolved against this build's outputs."""
    where = page.where(directive) if directive else page.file or page.page
    if page.folder is None:
        raise DirectiveError(f"{where} needs a snippets folder holding {quiz.QUIZ_FILE}")
    path = page.folder / quiz.QUIZ_FILE
    if not path.is_file():
        raise DirectiveError(f"{where} needs the questions in {source(page)}, which does not exist")
    try:
        parsed = quiz.parse(path.read_text(encoding="utf-8"), source(page))
    except quiz.QuizError as exc:
        raise DirectiveError(str(exc)) from None
    in_quiz = replace(page, file=source(page), line_offset=0)  # problems in quiz text name the quiz file

    def resolve(text: str) -> str:
        return expand(text, in_quiz)

    def resolve_option(option: quiz.Option) -> quiz.Option:
        return quiz.Option(text=resolve(option.text), why=resolve(option.why))

    return replace(
        parsed,
        title=resolve(parsed.title),
        questions=tuple(
            replace(
                q,
                question=resolve(q.question),
                correct=resolve_option(q.correct),
                wrong=tuple(resolve_option(w) for w in q.wrong),
            )
            for q in parsed.questions
        ),
    )


def checked(page: PageContext, expand: Expand, directive: Directive | None = None) -> quiz.Quiz:
    """The resolved quiz, if it keeps every quiz rule."""
    loaded = load(page, expand, directive)
    found = quiz.problems(loaded, source(page))
    if found:
        raise DirectiveError(*(str(problem) for problem in found))
    return loaded


def lesson_id(page: PageContext) -> str:
    """Progress is recorded per lesson page: the page's file stem, its id in the curriculum."""
    return Path(page.page).stem


def render(directive: Directive, page: PageContext, expand: Expand) -> str:
    expect_args(directive, page, 0, "no arguments")
    loaded = checked(page, expand, directive)
    if page.plain:
        return quiz.render_plain_markdown(loaded, lesson_id(page))
    return quiz.render_page_markdown(loaded, lesson_id(page))
