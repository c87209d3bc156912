"""The quiz rules, on small fixture quizzes: a quiz cannot be passed by picking the longest
option or by following a pattern in the key, every option explains itself, and the build
places the options at a-d itself, deterministically, leaving the author's order in the source."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from lessonkit.course import quiz
from lessonkit.page.directives import DirectiveError, PageContext, expand
from lessonkit.page.directives import quiz as quiz_directive

SOURCE = "snippets/demo/quiz.yml"


def _question(qid: str, correct: str = "the right answer", wrong: list[str] | None = None, **extra) -> dict:
    wrong = ["a first wrong answer", "a second wrong one", "a third wrong answer"] if wrong is None else wrong
    return {
        "id": qid,
        "question": f"What about {qid}?",
        "correct": {"option": correct, "why": f"why {correct} is right"},
        "wrong": [{"option": text, "why": f"why {text} fails"} for text in wrong],
        **extra,
    }


def _text(*questions: dict) -> str:
    return yaml.safe_dump({"title": "Check", "questions": list(questions)}, sort_keys=False)


def _problems(*questions: dict) -> list[str]:
    return [str(p) for p in quiz.problems(quiz.parse(_text(*questions), SOURCE), SOURCE)]


def _ids(n: int) -> list[str]:
    return [f"question-{i}" for i in range(n)]


# --- Parsing keeps what the author wrote, in the author's order ---


def test_a_quiz_that_follows_the_rules_has_no_problems() -> None:
    assert _problems(_question("one"), _question("two")) == []


def test_parse_keeps_the_correct_option_first_and_the_wrong_ones_in_the_authors_order() -> None:
    parsed = quiz.parse(_text(_question("one", wrong=["zeta", "alpha", "mid"])), SOURCE)
    (q,) = parsed.questions
    assert (q.id, q.question) == ("one", "What about one?")
    assert q.correct == quiz.Option("the right answer", "why the right answer is right")
    assert [w.text for w in q.wrong] == ["zeta", "alpha", "mid"]
    assert [w.why for w in q.wrong] == ["why zeta fails", "why alpha fails", "why mid fails"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda q: q.update(options={"a": "x"}), "question 1 has unknown key(s) options"),
        (
            lambda q: q.update(id="Two Words"),
            "question 1 has id 'Two Words'; use lowercase words joined by -",
        ),
        (lambda q: q.pop("wrong"), "question 'one' needs `wrong:`, a list of 3 options"),
        (lambda q: q["correct"].pop("option"), "question 'one' `correct` `option` must be non-empty text"),
        (lambda q: q["wrong"][1].update(hint="x"), "question 'one' wrong option 2 has unknown key(s) hint"),
        (lambda q: q.pop("question"), "question 'one' `question` must be non-empty text"),
    ],
)
def test_a_file_that_is_not_a_quiz_fails_naming_the_file_and_question(change, message: str) -> None:
    question = _question("one")
    change(question)
    with pytest.raises(quiz.QuizError) as error:
        quiz.parse(_text(question), SOURCE)
    assert str(error.value).startswith(f"{SOURCE}: ")
    assert message in str(error.value)


def test_a_question_id_used_twice_fails_naming_it() -> None:
    with pytest.raises(quiz.QuizError, match="question id 'one' is used twice"):
        quiz.parse(_text(_question("one"), _question("one")), SOURCE)


# --- Each rule, with the message an author reads ---


def test_exactly_three_wrong_options() -> None:
    assert _problems(_question("two-only", wrong=["a wrong answer", "another wrong one"])) == [
        f"{SOURCE}: question 'two-only': has 2 wrong option(s); write exactly 3, each a real misconception"
    ]
    four = _question(
        "four", wrong=["a first wrong one", "a second wrong one", "a third wrong one", "a fourth wrong one"]
    )
    assert _problems(four) == [
        f"{SOURCE}: question 'four': has 4 wrong option(s); write exactly 3, each a real misconception"
    ]


def test_every_option_explains_itself() -> None:
    question = _question("silent")
    question["correct"]["why"] = ""
    del question["wrong"][2]["why"]
    assert _problems(question) == [
        f"{SOURCE}: question 'silent': the correct option has no `why`; say why it is right",
        f"{SOURCE}: question 'silent': wrong option 3 has no `why`; name the misconception and why it fails",
    ]


def test_no_two_options_with_the_same_text() -> None:
    question = _question("twins", correct="Lower the rate", wrong=["lower  the rate", "Raise it", "Keep it"])
    assert _problems(question) == [
        f"{SOURCE}: question 'twins': 2 options have the same text: 'lower the rate'"
    ]


def test_option_lengths_are_comparable_up_to_twice_the_shortest_plus_ten() -> None:
    shortest = "x" * 20
    at_limit = _question("at-limit", correct="y" * 50, wrong=[shortest, "z" * 50, "w" * 30])
    assert _problems(at_limit) == [], "2 x 20 + 10 = 50 characters is still comparable"
    over = _question("over", correct="y" * 51, wrong=[shortest, "z" * 51, "w" * 30])
    assert _problems(over) == [
        f"{SOURCE}: question 'over': option lengths are not comparable: the longest has 51 characters, "
        "more than 2 x the shortest (20) + 10; shorten it or say more in the others"
    ]


def _longest_correct(qid: str) -> dict:
    return _question(
        qid,
        correct="the right answer, said at length",
        wrong=["short wrong 1", "short wrong 2", "short wrong 3"],
    )


def _shortest_correct(qid: str) -> dict:
    return _question(
        qid,
        correct="the right one",
        wrong=["a longer wrong answer", "another wrong answer", "a third wrong one"],
    )


def test_the_correct_option_is_strictly_the_longest_in_at_most_40_percent_of_questions() -> None:
    four_of_ten = [_longest_correct(f"long-{i}") for i in range(4)] + [
        _shortest_correct(f"short-{i}") for i in range(6)
    ]
    assert _problems(*four_of_ten) == []
    five_of_ten = [_longest_correct(f"long-{i}") for i in range(5)] + [
        _shortest_correct(f"short-{i}") for i in range(5)
    ]
    assert _problems(*five_of_ten) == [
        f"{SOURCE}: the correct option is strictly the longest in 5 of 10 questions, more than 40%: "
        "long-0, long-1, long-2, long-3, long-4; a reader could pass by picking the longest option"
    ]


def test_a_tie_for_longest_does_not_count_as_the_correct_option_being_the_longest() -> None:
    tie = [
        _question(f"tie-{i}", correct="same length!", wrong=["same length?", "short", "shorter"])
        for i in range(3)
    ]
    assert _problems(*tie) == []


def test_lengths_are_measured_after_value_directives_are_resolved(tmp_path: Path) -> None:
    folder = tmp_path / "snippets" / "demo"
    folder.mkdir(parents=True)
    (folder / "fit.py").write_text("print()\n", encoding="utf-8")
    question = _question(
        "resolved",
        correct="{{ value fit.py note }}",
        wrong=["a wrong one here", "second wrong one", "a third wrong answer, longer"],
    )
    (folder / quiz.QUIZ_FILE).write_text(_text(question), encoding="utf-8")
    long_note = "note " + "a very long printed explanation " * 3
    lesson = PageContext("lessons/demo.md", tmp_path, folder, outputs=lambda path: long_note)
    assert _problems(question) == [], "unresolved, the directive is 23 characters"
    loaded = quiz_directive.load(lesson, expand)
    assert loaded.questions[0].correct.text == long_note.removeprefix("note ").strip()
    found = quiz.problems(loaded, SOURCE)
    assert [(p.question_id, p.message.split(":")[0]) for p in found] == [
        ("resolved", "option lengths are not comparable"),
        (None, "the correct option is strictly the longest in 1 of 1 questions, more than 40%"),
    ]
    with pytest.raises(DirectiveError) as error:
        expand("{{ quiz }}\n", lesson)
    assert error.value.messages == [str(p) for p in found], "every problem, each naming file and question"


# --- Placing the options at a-d ---


@pytest.mark.parametrize("n", range(1, 41))
def test_answer_positions_are_balanced_and_without_pattern(n: int) -> None:
    key = quiz.answer_key("demo", _ids(n))
    assert len(key) == n
    counts = Counter(key)
    assert set(counts) <= set(quiz.OPTION_KEYS)
    assert all(counts[k] in (n // 4, -(-n // 4)) for k in quiz.OPTION_KEYS), counts
    assert quiz.pattern_in(key) is None


def test_a_key_that_cycles_or_repeats_is_a_pattern() -> None:
    assert quiz.pattern_in(list("bcadbcadbc")) == "it repeats every 4 question(s)"
    assert quiz.pattern_in(list("abcddd")) == "d is the answer 3 times in a row"
    assert quiz.pattern_in(list("abab")) == "it repeats every 2 question(s)"
    assert quiz.pattern_in(list("dbacabdc")) is None


def test_placement_is_the_same_for_the_same_ids_and_changes_with_them() -> None:
    ids = _ids(10)
    assert quiz.answer_key("demo", ids) == quiz.answer_key("demo", list(ids))
    others = {tuple(quiz.answer_key(lesson, ids)) for lesson in ("demo", "other", "third", "fourth")}
    assert len(others) > 1, "the key is seeded from the lesson id"


def test_placement_does_not_depend_on_the_interpreter_run() -> None:
    code = (
        "from lessonkit.course import quiz; "
        "print(''.join(quiz.answer_key('demo', [f'q{i}' for i in range(12)])))"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("0", "1", "12345")
    }
    assert runs == {"".join(quiz.answer_key("demo", [f"q{i}" for i in range(12)])) + "\n"}


def test_placed_options_put_the_correct_one_at_the_key_and_leave_the_source_order_alone(
    tmp_path: Path,
) -> None:
    questions = [
        _question(f"q-{i}", correct=f"right {i}", wrong=[f"wrong {i}a", f"wrong {i}b", f"wrong {i}c"])
        for i in range(8)
    ]
    text = _text(*questions)
    parsed = quiz.parse(text, SOURCE)
    placed = quiz.place(parsed, "demo")
    assert [p.answer for p in placed] == quiz.answer_key("demo", [q.id for q in parsed.questions])
    for p, q in zip(placed, parsed.questions, strict=True):
        assert list(p.options) == list(quiz.OPTION_KEYS)
        assert p.options[p.answer] == q.correct
        assert sorted(o.text for k, o in p.options.items() if k != p.answer) == sorted(
            w.text for w in q.wrong
        )
    assert any(p.answer != "a" for p in placed), "the correct option does not stay where the author wrote it"
    assert quiz.parse(text, SOURCE) == parsed, "placing changes nothing in the quiz as written"


def test_the_rendered_form_carries_every_explanation_and_the_placed_key() -> None:
    parsed = quiz.parse(_text(_question("one"), _question("two")), SOURCE)
    page = quiz.render_page_markdown(parsed, "demo")
    placed = quiz.place(parsed, "demo")
    for p in placed:
        assert f'id="lk-demo-{p.question.id}" data-lk-answer="{p.answer}"' in page
        for key, option in p.options.items():
            label = f"The answer is ({key})." if key == p.answer else f"You chose ({key})."
            assert f'data-lk-why="{key}" hidden markdown="span"><strong>{label}</strong> {option.why}' in page
    plain = quiz.render_plain_markdown(parsed, "demo")
    assert f"1. ({placed[0].answer}) why the right answer is right" in plain
    assert plain.count("    - Not (") == 6
