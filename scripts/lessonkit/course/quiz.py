"""Mastery checks: a lesson's questions live in ``snippets/<lesson>/quiz.yml`` and are
rendered into the page at build time where the page says ``{{ quiz }}``.

quiz.yml::

    title: Mastery check              # optional heading
    questions:
      - id: design-row-prediction     # unique, lowercase words joined by dashes
        question: Markdown text (may use {{ value NAME.py KEY }} and $math$)
        correct:
          option: the right answer
          why: why it is right (shown after checking, whatever the reader chose)
        wrong:                        # exactly three
          - option: a wrong answer that a real misconception leads to
            why: what that misconception is and why it fails (shown when chosen)
          - {option: ..., why: ...}
          - {option: ..., why: ...}

The author writes the correct option first; the build places the four options at a-d
itself (:func:`place`), deterministically, so the source never hints at the key:
across the quiz each position holds the answer floor(n/4) or ceil(n/4) times, and the
key has no period of half its length or less and no letter three times in a row.

The rules that keep a quiz from being passed without the lesson (:func:`problems`),
measured after ``{{ value }}`` directives are resolved:

- exactly three wrong options; every option has a non-empty ``why``; no two options of
  a question have the same text;
- comparable lengths: in each question the longest option has at most
  2 x the shortest + 10 characters;
- the correct option is strictly the longest in at most 40% of the questions.

The rendered form carries the answer key; docs/assets/lessonkit-course.js only scores the
reader's answers, shows the explanations (for the option chosen and for the right one)
and records the lesson as completed.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from .. import yamlcheck

QUIZ_FILE = "quiz.yml"
OPTION_KEYS = ("a", "b", "c", "d")
WRONG_OPTIONS = len(OPTION_KEYS) - 1
PASS_ABOVE = 0.75  # a score strictly above this fraction completes the lesson (8 of 10)
LONGEST_CORRECT_AT_MOST = 0.4  # share of questions whose correct option may be strictly the longest
LENGTH_FACTOR, LENGTH_SLACK = 2, 10  # longest option <= 2 x shortest + 10 characters
MAX_RUN = 2  # the same answer position at most twice in a row
ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
QUIZ_KEYS = {"title", "questions"}
QUESTION_KEYS = {"id", "question", "correct", "wrong"}
OPTION_FIELDS = {"option", "why"}


class QuizError(yamlcheck.DataError):
    """A quiz file that cannot be used; the message names the file."""


@dataclass(frozen=True)
class Option:
    text: str
    why: str  # shown after checking: for the correct option always, for a wrong one when chosen


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    correct: Option
    wrong: tuple[Option, ...]  # in the author's order


@dataclass(frozen=True)
class Quiz:
    title: str
    questions: tuple[Question, ...]

    @property
    def pass_mark(self) -> int:
        """The fewest correct answers that complete the lesson."""
        return int(len(self.questions) * PASS_ABOVE) + 1


@dataclass(frozen=True)
class PlacedQuestion:
    """A question as the reader sees it: its options at a-d and the key of the right one."""

    question: Question
    options: dict[str, Option]  # a..d -> option, in display order
    answer: str


@dataclass(frozen=True)
class QuizProblem:
    source: str  # the quiz file, e.g. snippets/<lesson>/quiz.yml
    question_id: str | None  # None for a rule about the whole quiz
    message: str

    def __str__(self) -> str:
        where = f"question {self.question_id!r}: " if self.question_id else ""
        return f"{self.source}: {where}{self.message}"


# --- Reading the file ---


def _text(value: object, where: str, source: str) -> str:
    return yamlcheck.text(value, where, source, numbers=True)


def _why(value: object, where: str, source: str) -> str:
    """An explanation; a missing or empty one is left for :func:`problems` to report."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise QuizError(f"{source}: {where} `why` must be text, got {value!r}")
    return " ".join(value.split())


def _check_keys(item: object, allowed: set[str], where: str, source: str) -> dict:
    return yamlcheck.mapping(item, allowed, where, source)


def _option(item: object, where: str, source: str) -> Option:
    item = _check_keys(item, OPTION_FIELDS, where, source)
    return Option(
        text=_text(item.get("option"), f"{where} `option`", source), why=_why(item.get("why"), where, source)
    )


def parse(text: str, source: str) -> Quiz:
    """The quiz in ``text`` (the contents of ``source``), with options in the author's order.

    Raises QuizError, naming ``source``, for a file that cannot be read as a quiz at all;
    the rules a readable quiz must also meet are :func:`problems`."""
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
        where = f"question {question_id!r}"
        wrong = item.get("wrong")
        if not isinstance(wrong, list):
            raise QuizError(
                f"{source}: {where} needs `wrong:`, a list of {WRONG_OPTIONS} options, "
                "each with `option` and `why`"
            )
        questions.append(
            Question(
                id=question_id,
                question=_text(item.get("question"), f"{where} `question`", source),
                correct=_option(item.get("correct"), f"{where} `correct`", source),
                wrong=tuple(_option(w, f"{where} wrong option {i}", source) for i, w in enumerate(wrong, 1)),
            )
        )
    title = _text(data.get("title", "Mastery check"), "`title`", source)
    return Quiz(title=title, questions=tuple(questions))


# --- The rules ---


def problems(quiz: Quiz, source: str) -> list[QuizProblem]:
    """Every rule the quiz breaks, each naming ``source`` and the question. Lengths are counted
    on the text as given, so pass the quiz with its ``{{ value }}`` directives resolved
    (``lessonkit.page.directives.quiz.load``)."""
    found: list[QuizProblem] = []

    def report(question: Question | None, message: str) -> None:
        found.append(QuizProblem(source, question.id if question else None, message))

    longest_correct: list[str] = []
    for q in quiz.questions:
        if len(q.wrong) != WRONG_OPTIONS:
            report(
                q,
                f"has {len(q.wrong)} wrong option(s); write exactly {WRONG_OPTIONS}, "
                "each a real misconception",
            )
        if not q.correct.why:
            report(q, "the correct option has no `why`; say why it is right")
        for number, option in enumerate(q.wrong, start=1):
            if not option.why:
                report(q, f"wrong option {number} has no `why`; name the misconception and why it fails")
        texts = Counter(" ".join(o.text.casefold().split()) for o in (q.correct, *q.wrong))
        for text, count in texts.items():
            if count > 1:
                report(q, f"{count} options have the same text: {text!r}")
        lengths = [len(o.text) for o in (q.correct, *q.wrong)]
        shortest, longest = min(lengths), max(lengths)
        if longest > LENGTH_FACTOR * shortest + LENGTH_SLACK:
            report(
                q,
                f"option lengths are not comparable: the longest has {longest} characters, more than "
                f"{LENGTH_FACTOR} x the shortest ({shortest}) + {LENGTH_SLACK}; "
                "shorten it or say more in the others",
            )
        if q.wrong and len(q.correct.text) > max(len(o.text) for o in q.wrong):
            longest_correct.append(q.id)
    if len(longest_correct) > LONGEST_CORRECT_AT_MOST * len(quiz.questions):
        report(
            None,
            f"the correct option is strictly the longest in {len(longest_correct)} of "
            f"{len(quiz.questions)} questions, more than {LONGEST_CORRECT_AT_MOST:.0%}: "
            f"{', '.join(longest_correct)}; a reader could pass by picking the longest option",
        )
    return found


# --- Placing the options ---


def _rank(items: Sequence[str], key: str) -> list[int]:
    """Indices of ``items`` in an order fixed by ``key`` alone (a keyed hash, stable across Pythons)."""
    return sorted(
        range(len(items)), key=lambda i: hashlib.sha256(f"{key}\x00{i}\x00{items[i]}".encode()).digest()
    )


def pattern_in(key: Sequence[str]) -> str | None:
    """Why a sequence of answer positions is guessable, or None: a period of at most half its
    length (``b c a d b c a d``), or the same position more than MAX_RUN times in a row."""
    n = len(key)
    for period in range(1, n // 2 + 1):
        if all(key[i] == key[i + period] for i in range(n - period)):
            return f"it repeats every {period} question(s)"
    for start in range(n - MAX_RUN):
        if len(set(key[start : start + MAX_RUN + 1])) == 1:
            return f"{key[start]} is the answer {MAX_RUN + 1} times in a row"
    return None


def answer_key(lesson_id: str, question_ids: Sequence[str]) -> list[str]:
    """The answer position of each question: balanced (each of a-d used floor or ceil of n/4
    times), without a pattern (:func:`pattern_in`), the same for the same ids."""
    n = len(question_ids)
    seed = "\n".join([lesson_id, *question_ids])
    extra = [OPTION_KEYS[i] for i in _rank(OPTION_KEYS, f"{seed}\x00extra")[: n % len(OPTION_KEYS)]]
    positions = [key for key in OPTION_KEYS for _ in range(n // len(OPTION_KEYS))] + extra
    for attempt in range(10_000):
        order = [positions[i] for i in _rank(positions, f"{seed}\x00{attempt}")]
        if pattern_in(order) is None:
            return order
    raise QuizError(f"no unpatterned answer key found for {n} questions")  # not reached for n >= 1


def place(quiz: Quiz, lesson_id: str) -> list[PlacedQuestion]:
    """Each question with its options at a-d: the correct one where :func:`answer_key` says,
    the wrong ones in the remaining positions in an order fixed by the lesson and question ids.
    Needs exactly three wrong options per question (see :func:`problems`)."""
    placed = []
    key = answer_key(lesson_id, [q.id for q in quiz.questions])
    for q, answer in zip(quiz.questions, key, strict=True):
        if len(q.wrong) != WRONG_OPTIONS:
            raise QuizError(f"question {q.id!r} has {len(q.wrong)} wrong options; {WRONG_OPTIONS} are needed")
        free = [k for k in OPTION_KEYS if k != answer]
        wrong = [q.wrong[i] for i in _rank([w.text for w in q.wrong], f"{lesson_id}\x00{q.id}")]
        options = {answer: q.correct, **dict(zip(free, wrong, strict=True))}
        placed.append(PlacedQuestion(q, {k: options[k] for k in OPTION_KEYS}, answer))
    return placed


# --- Rendering ---


def intro(quiz: Quiz) -> str:
    total = len(quiz.questions)
    return (
        f"Answer all {total} questions, then check your score. A score above {PASS_ABOVE:.0%} "
        f"({quiz.pass_mark} of {total} or better) marks this lesson as completed."
    )


def _why_label(key: str, correct: bool) -> str:
    # A wrong option's explanation is shown only when the reader chose it.
    return f"The answer is ({key})." if correct else f"You chose ({key})."


def render_page_markdown(quiz: Quiz, lesson_id: str) -> str:
    """The quiz as Markdown with HTML blocks (md_in_html), so question text gets the page's own
    Markdown treatment: code spans, emphasis and math."""
    attr = html.escape
    # The questions sit in a collapsed block the reader opens to start: being large, its body
    # is published on its own and fetched then (lessonkit.page.deferred), which keeps the page light.
    parts = [
        f"## {quiz.title}",
        "",
        f'<p class="lk-quiz__intro">{attr(intro(quiz))}</p>',
        "",
        '<details class="lk-quiz__start" markdown="block">',
        "<summary>Start the quiz</summary>",
        "",
        f'<form class="lk-quiz" data-lk-quiz data-lk-lesson="{attr(lesson_id)}" '
        f'data-lk-pass-above="{PASS_ABOVE}" markdown>',
    ]
    for number, placed in enumerate(place(quiz, lesson_id), start=1):
        q = placed.question
        name = f"lk-{lesson_id}-{q.id}"
        parts += [
            f'<fieldset class="lk-quiz__question" id="{attr(name)}" '
            f'data-lk-answer="{placed.answer}" markdown>',
            f'<legend markdown="span"><span class="lk-quiz__number">{number}.</span> {q.question}</legend>',
        ]
        for key, option in placed.options.items():
            parts.append(
                f'<div class="lk-quiz__option" markdown="span"><label>'
                f'<input type="radio" name="{attr(name)}" value="{key}"> '
                f"<span>({key}) {option.text}</span></label></div>"
            )
        # Wrong options' explanations first, the right one's last: after "You chose (c)" comes the answer.
        whys = sorted(placed.options.items(), key=lambda item: item[0] == placed.answer)
        parts.append('<div class="lk-quiz__feedback" data-lk-feedback hidden markdown>')
        parts.append('<p class="lk-quiz__verdict"><strong data-lk-verdict></strong></p>')
        for key, option in whys:
            label = _why_label(key, key == placed.answer)
            parts.append(
                f'<p class="lk-quiz__why" data-lk-why="{key}" hidden markdown="span">'
                f"<strong>{label}</strong> {option.why}</p>"
            )
        parts += ["</div>", "</fieldset>"]
    parts += [
        '<p class="lk-quiz__status" data-lk-status role="status" aria-live="polite" tabindex="-1"></p>',
        '<div class="lk-quiz__actions">'
        '<button type="submit" class="md-button md-button--primary" data-lk-check>Check answers</button> '
        '<button type="button" class="md-button" data-lk-retry hidden>Try again</button></div>',
        '<p class="lk-storage-note" data-lk-storage-note role="status" hidden></p>',
        "<noscript><p>Checking your answers needs JavaScript. The answer key is at the end of this "
        "lesson's Markdown download.</p></noscript>",
        "</form>",
        "",
        "</details>",
    ]
    return "\n".join(parts)


def render_plain_markdown(quiz: Quiz, lesson_id: str) -> str:
    """The quiz for the plain Markdown download: questions, then the answer key with every
    option's explanation."""
    placed = place(quiz, lesson_id)
    parts = [f"## {quiz.title}", "", "Answer each question, then compare with the answer key below.", ""]
    for number, p in enumerate(placed, start=1):
        parts.append(f"{number}. {p.question.question}")
        parts += [f"    - ({key}) {option.text}" for key, option in p.options.items()]
        parts.append("")
    parts += ["### Answer key", ""]
    for number, p in enumerate(placed, start=1):
        parts.append(f"{number}. ({p.answer}) {p.options[p.answer].why}")
        parts += [f"    - Not ({key}): {option.why}" for key, option in p.options.items() if key != p.answer]
    return "\n".join(parts)
