"""Mastery checks: a lesson's questions live in ``snippets/<lesson>/quiz.yml`` and are
rendered into the page at build time where the page says ``{{ quiz }}``.

The rendered form carries the answer key; docs/assets/lessonkit-course.js only scores
the reader's answers, shows the explanations and records the lesson as completed.
Quiz text is Markdown and may quote snippet output with ``{{ value NAME.py KEY }}``,
so a numeric answer is whatever the lesson's code printed.

quiz.yml::

    title: Mastery check            # optional heading
    questions:
      - id: design-row-prediction   # unique within the quiz
        question: ...
        options: {a: ..., b: ..., c: ..., d: ...}
        answer: b
        explanation: ...            # one or two sentences, shown after checking
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from . import yamlcheck

QUIZ_FILE = "quiz.yml"
OPTION_KEYS = ("a", "b", "c", "d")
PASS_ABOVE = 0.75  # a score strictly above this fraction completes the lesson (8 of 10)
ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
QUIZ_KEYS = {"title", "questions"}
QUESTION_KEYS = {"id", "question", "options", "answer", "explanation"}


class QuizError(yamlcheck.DataError):
    """A quiz file that cannot be used; the message names the file."""


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    options: dict[str, str]  # a..d -> option text
    answer: str  # the key of the one correct option
    explanation: str


@dataclass(frozen=True)
class Quiz:
    title: str
    questions: tuple[Question, ...]

    @property
    def pass_mark(self) -> int:
        """The fewest correct answers that complete the lesson."""
        return int(len(self.questions) * PASS_ABOVE) + 1


def _text(value: object, where: str, source: str) -> str:
    return yamlcheck.text(value, where, source, numbers=True)


def _check_keys(item: object, allowed: set[str], where: str, source: str) -> dict:
    return yamlcheck.mapping(item, allowed, where, source)


def parse(text: str, source: str) -> Quiz:
    try:
        return _parse(text, source)
    except yamlcheck.DataError as exc:
        raise QuizError(str(exc)) from None


def _parse(text: str, source: str) -> Quiz:
    data = yamlcheck.load(text, source)
    data = _check_keys(data, QUIZ_KEYS, "the file", source)
    items = data.get("questions")
    if not isinstance(items, list) or not items:
        raise QuizError(f"{source}: `questions` must be a non-empty list")
    questions: list[Question] = []
    for number, item in enumerate(items, start=1):
        where = f"question {number}"
        item = _check_keys(item, QUESTION_KEYS, where, source)
        question_id = item.get("id")
        if not isinstance(question_id, str) or not ID.match(question_id):
            raise QuizError(f"{source}: {where} has id {question_id!r}; use lowercase words joined by -")
        if any(q.id == question_id for q in questions):
            raise QuizError(f"{source}: question id {question_id!r} is used twice")
        options = item.get("options")
        if not isinstance(options, dict) or sorted(map(str, options)) != list(OPTION_KEYS):
            raise QuizError(f"{source}: {where} needs exactly four options, keyed {', '.join(OPTION_KEYS)}")
        answer = item.get("answer")
        if answer not in OPTION_KEYS:
            raise QuizError(
                f"{source}: {where} has answer {answer!r}; name one option: {', '.join(OPTION_KEYS)}"
            )
        texts = {key: _text(options[key], f"{where} option {key}", source) for key in OPTION_KEYS}
        if len(set(texts.values())) != len(texts):
            raise QuizError(f"{source}: {where} has two options with the same text")
        questions.append(
            Question(
                id=question_id,
                question=_text(item.get("question"), f"{where} `question`", source),
                options=texts,
                answer=answer,
                explanation=_text(item.get("explanation"), f"{where} `explanation`", source),
            )
        )
    title = _text(data.get("title", "Mastery check"), "`title`", source)
    return Quiz(title=title, questions=tuple(questions))


def intro(quiz: Quiz) -> str:
    total = len(quiz.questions)
    return (
        f"Answer all {total} questions, then check your score. A score above {PASS_ABOVE:.0%} "
        f"({quiz.pass_mark} of {total} or better) marks this lesson as completed."
    )


def render_page_markdown(quiz: Quiz, lesson_id: str) -> str:
    """The quiz as Markdown with HTML blocks (md_in_html), so question text gets the page's own
    Markdown treatment: code spans, emphasis and math."""
    attr = html.escape
    parts = [
        f"## {quiz.title}",
        "",
        f'<form class="lk-quiz" data-lk-quiz data-lk-lesson="{attr(lesson_id)}" '
        f'data-lk-pass-above="{PASS_ABOVE}" markdown>',
        f'<p class="lk-quiz__intro">{attr(intro(quiz))}</p>',
    ]
    for number, q in enumerate(quiz.questions, start=1):
        name = f"lk-{lesson_id}-{q.id}"
        parts += [
            f'<fieldset class="lk-quiz__question" id="{attr(name)}" data-lk-answer="{q.answer}" markdown>',
            f'<legend markdown="span"><span class="lk-quiz__number">{number}.</span> {q.question}</legend>',
        ]
        for key, text in q.options.items():
            parts.append(
                f'<div class="lk-quiz__option" markdown="span"><label>'
                f'<input type="radio" name="{attr(name)}" value="{key}"> <span>{text}</span></label></div>'
            )
        parts += [
            f'<div class="lk-quiz__feedback" data-lk-feedback hidden markdown="span">'
            f"<strong data-lk-verdict></strong> {q.explanation}</div>",
            "</fieldset>",
        ]
    parts += [
        '<p class="lk-quiz__status" data-lk-status role="status" aria-live="polite" tabindex="-1"></p>',
        '<div class="lk-quiz__actions">'
        '<button type="submit" class="md-button md-button--primary" data-lk-check>Check answers</button> '
        '<button type="button" class="md-button" data-lk-retry hidden>Try again</button></div>',
        '<p class="lk-storage-note" data-lk-storage-note role="status" hidden></p>',
        "<noscript><p>Checking your answers needs JavaScript. The answer key is at the end of this "
        "lesson's Markdown download.</p></noscript>",
        "</form>",
    ]
    return "\n".join(parts)


def render_plain_markdown(quiz: Quiz) -> str:
    """The quiz for the plain Markdown download: questions, then the answer key."""
    parts = [f"## {quiz.title}", "", "Answer each question, then compare with the answer key below.", ""]
    for number, q in enumerate(quiz.questions, start=1):
        parts.append(f"{number}. {q.question}")
        parts += [f"    - ({key}) {text}" for key, text in q.options.items()]
        parts.append("")
    parts += ["### Answer key", ""]
    parts += [f"{number}. ({q.answer}) {q.explanation}" for number, q in enumerate(quiz.questions, start=1)]
    return "\n".join(parts)
