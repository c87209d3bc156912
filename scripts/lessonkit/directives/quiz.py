"""``{{ quiz }}`` on a line of its own: the lesson's mastery check, from
``snippets/<lesson>/quiz.yml`` (format: :mod:`lessonkit.quiz`). Quiz text may quote
snippet output with ``{{ value NAME.py KEY }}``; messages about it name the quiz file."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .. import quiz
from .base import DirectiveError, Expand, PageContext, expect_args
from .grammar import Directive

KIND = "quiz"
BLOCK = True


def load(page: PageContext, expand: Expand, directive: Directive | None = None) -> quiz.Quiz:
    """The page's quiz with every ``{{ value }}`` in its text resolved against this build's outputs."""
    if page.folder is None:
        where = page.where(directive) if directive else page.page
        raise DirectiveError(f"{where} needs a snippets folder holding {quiz.QUIZ_FILE}")
    path = page.folder / quiz.QUIZ_FILE
    source = page.rel(path)
    if not path.is_file():
        where = page.where(directive) if directive else page.page
        raise DirectiveError(f"{where} needs the questions in {source}, which does not exist")
    try:
        parsed = quiz.parse(path.read_text(encoding="utf-8"), source)
    except quiz.QuizError as exc:
        raise DirectiveError(str(exc)) from None
    in_quiz = replace(page, file=source, line_offset=0)  # problems in quiz text name the quiz file

    def resolve(text: str) -> str:
        return expand(text, in_quiz)

    return replace(
        parsed,
        title=resolve(parsed.title),
        questions=tuple(
            replace(
                q,
                question=resolve(q.question),
                options={key: resolve(text) for key, text in q.options.items()},
                explanation=resolve(q.explanation),
            )
            for q in parsed.questions
        ),
    )


def lesson_id(page: PageContext) -> str:
    """Progress is recorded per lesson page: the page's file stem, its id in the curriculum."""
    return Path(page.page).stem


def render(directive: Directive, page: PageContext, expand: Expand) -> str:
    expect_args(directive, page, 0, "no arguments")
    loaded = load(page, expand, directive)
    if page.plain:
        return quiz.render_plain_markdown(loaded)
    return quiz.render_page_markdown(loaded, lesson_id(page))
