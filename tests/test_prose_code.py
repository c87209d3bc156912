"""Code named in prose is code on the page: an inline code span that is a code expression must
occur, up to whitespace, in a snippet the page shows, or be one of the lesson's terms."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import LESSON, ROOT

from lessonkit.rules import lessondata, prose_code

PAGE_SOURCE = ROOT / "docs" / "lessons" / f"{LESSON}.md"
FOLDER = ROOT / "snippets" / LESSON
SHOWN = (
    "X = np.column_stack([np.ones_like(evidence), evidence])\nweights = np.linalg.solve(X.T @ X, X.T @ y)\n"
)


# --- Which spans are code ---


@pytest.mark.parametrize(
    "span",
    [
        "np.ones(3)",  # a call
        "X[:, 1]",  # a subscript
        "X.T",  # an attribute
        "np.linalg.lstsq",  # an attribute chain
        "lr = 0.2",  # an assignment
        "w -= lr * grad",  # an augmented assignment
        "2 * x",  # an operator with a name
        "-x",  # a unary operator with a name
        "rank < columns",  # a comparison of names
        "assert rank == 2",  # a simple statement
        "(n := len(y))",  # a named expression
    ],
)
def test_a_code_expression_is_checked(span: str) -> None:
    assert prose_code.is_checked_code(span)


@pytest.mark.parametrize(
    "span",
    [
        "lstsq",  # a bare name
        "LinearRegression",
        "0.05",  # a literal
        "'singular'",
        "2 * 3",  # arithmetic without a name
        "worked-numbers.py",  # a file name, though it parses as a subtraction
        "snippets/linear-regression-from-scratch/",  # a path
        "docs/index.md",
        "a sentence with words",  # not Python
        "assert",  # not a statement on its own
        "x = 1; y = 2",  # two statements
        "import numpy as np",  # a statement, but no call, subscript, attribute or operator
        "for x in y: pass",  # a compound statement
    ],
)
def test_names_literals_paths_and_non_code_are_not_checked(span: str) -> None:
    assert not prose_code.is_checked_code(span)


def test_the_inlinehilite_marker_is_stripped_and_other_languages_are_skipped() -> None:
    assert prose_code.python_of("#!python np.linalg.solve") == "np.linalg.solve"
    assert prose_code.python_of("#!py X.T") == "X.T"
    assert prose_code.python_of("#!js document.title") is None
    assert prose_code.python_of(" X.T ") == "X.T"


# --- Where spans are looked for ---


def test_spans_are_found_in_prose_only_with_their_line_numbers() -> None:
    page = "\n".join(
        [
            "---",
            "title: `np.front_matter()`",  # front matter
            "---",
            "Call `np.prose(1)` and ``np.double(`ticks`)``.",  # line 4
            "```python",
            "`np.fenced()`",
            "```",
            "<!-- `np.comment()` -->",
            "{{ value fit.py `np.directive()` }}",
            "caption: a figure caption is prose: `np.caption()`",  # line 10
            "| table | `X[:, 1]` |",  # line 11
        ]
    )
    assert prose_code.code_spans(page) == [
        (4, "np.prose(1)"),
        (4, "np.double(`ticks`)"),
        (10, "np.caption()"),
        (11, "X[:, 1]"),
    ]


def test_shown_snippets_are_those_of_example_and_figure_directives_outside_code() -> None:
    page = "\n".join(
        [
            "{{ example fit.py }}",
            "{{ table table-fit.py }} and {{ value worked.py mse }}",
            "{{ figure figure-line.py }}",
            "alt: x",
            "```",
            "{{ example not-a-directive.py }}",
            "```",
            "    {{ example try-it.py }}",
            "{{ example fit.py }}",
        ]
    )
    assert prose_code.shown_snippet_names(page) == ["fit.py", "figure-line.py", "try-it.py"]


# --- The rule and its messages ---


def test_code_in_prose_must_occur_in_a_shown_snippet_up_to_whitespace() -> None:
    page = "\n".join(
        [
            "Build it with `np.column_stack([np.ones_like(evidence),evidence])`.",  # spaces differ: fine
            "Solve with `#!python np.linalg.solve(X.T @ X, X.T @ y)`, then",
            "glue with `np.c_[np.ones_like(x), x]` and double with `double_tokens = 2 * tokens`.",
            "The name `np.linalg.lstsq` is a term; `lstsq` and `worked-numbers.py` are not code.",
        ]
    )
    found = prose_code.unshown_code(page, [SHOWN], terms=["np.linalg.lstsq"])
    assert found == [
        prose_code.UnshownCode(3, "np.c_[np.ones_like(x), x]"),
        prose_code.UnshownCode(3, "double_tokens = 2 * tokens"),
    ]
    assert found[0].message("lessons/demo.md") == (
        "lessons/demo.md:3: `np.c_[np.ones_like(x), x]` is code that no snippet shown on this page "
        "contains; quote the code as a shown snippet writes it, or list it under [prose] terms in "
        "lesson.toml if it is a name used as a name"
    )


def test_a_term_no_span_needs_is_reported_as_unused() -> None:
    page = "Use `np.linalg.lstsq` here."
    assert prose_code.unused_terms(page, ["np.linalg.lstsq", "np.c_", "np. linalg.solve"]) == [
        "np.c_",
        "np. linalg.solve",
    ]


def test_a_snippet_that_is_not_shown_does_not_count(tmp_path: Path) -> None:
    (tmp_path / "shown.py").write_text("print(1)\n", encoding="utf-8")
    (tmp_path / "worked.py").write_text("x = np.hidden(2)\nprint(x)\n", encoding="utf-8")
    page = "{{ example shown.py }}\n\nThe number {{ value worked.py x }} comes from `np.hidden(2)`.\n"
    assert prose_code.check_page(page, tmp_path, []) == [prose_code.UnshownCode(3, "np.hidden(2)")]
    assert prose_code.check_page(page, tmp_path, ["np.hidden(2)"]) == []


def test_terms_come_from_lesson_toml_and_must_be_a_list_of_names(tmp_path: Path) -> None:
    (tmp_path / lessondata.LESSON_FILE).write_text('[prose]\nterms = ["np.c_"]\n', encoding="utf-8")
    assert lessondata.load(tmp_path, "lesson.toml").terms == ("np.c_",)
    (tmp_path / lessondata.LESSON_FILE).write_text("[prose]\nterms = 'np.c_'\n", encoding="utf-8")
    with pytest.raises(lessondata.LessonDataError, match=r"lesson.toml: \[prose\] terms must be a list"):
        lessondata.load(tmp_path, "lesson.toml")


# --- Lesson 1 ---


def test_lesson_one_names_only_code_that_its_shown_snippets_contain() -> None:
    source = PAGE_SOURCE.read_text(encoding="utf-8")
    shown = prose_code.shown_snippet_names(source)
    assert len(shown) >= 11 and all((FOLDER / name).is_file() for name in shown)
    terms = lessondata.load(FOLDER, "lesson.toml").terms
    found = prose_code.check_page(source, FOLDER, terms)
    assert not found, "\n".join(u.message(f"docs/lessons/{LESSON}.md") for u in found)
    assert prose_code.checked_spans(source), "the page does name code, so the rule is exercised"
    assert prose_code.unused_terms(source, terms) == [], "every term in lesson.toml is still needed"
