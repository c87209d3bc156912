"""The course around a lesson: the outline as data, the Learn page, the lesson's place in
the curriculum, its mastery check (answer key checked with NumPy), reading time and share links."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
from bs4 import BeautifulSoup
from conftest import LESSON, ROOT, lesson_page, mkdocs_build

from lessonkit.course import curriculum, placement, quiz
from lessonkit.page.directives import DirectiveError, expand
from lessonkit.page.directives import quiz as quiz_directive

PAGE = f"lessons/{LESSON}.md"
NEXT_LESSON = "logistic-regression-and-metrics"  # lesson 2, published after lesson 1
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _outline(pages: tuple[str, ...] = (PAGE,)) -> curriculum.Curriculum:
    return curriculum.load(ROOT / curriculum.CURRICULUM_FILE, pages, curriculum.CURRICULUM_FILE)


def _soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


def _quiz_with_documented_outputs() -> quiz.Quiz:
    """The lesson's quiz, its {{ value }} directives resolved against the documented outputs
    (which the build proves equal to what the snippets print)."""
    return quiz_directive.load(lesson_page(ROOT, LESSON), expand)


# --- The outline ---


def test_outline_has_14_topics_and_155_lessons_with_unique_ids() -> None:
    outline = _outline()
    assert len(outline.topics) == 14
    assert len(outline.lessons) == 155
    assert len({entry.id for entry in outline.lessons}) == 155
    assert [entry.step for entry in outline.lessons] == list(range(1, 156))
    assert [len(topic.lessons) for topic in outline.topics] == [
        6,
        8,
        13,
        11,
        6,
        8,
        23,
        9,
        8,
        16,
        14,
        20,
        9,
        4,
    ]


def test_a_title_used_twice_gets_two_ids() -> None:
    twice = [e for e in _outline().lessons if e.title == "Reasoning & Test-Time Compute"]
    assert [e.topic for e in twice] == ["Inference & Production Scale", "System Design Capstones"]
    assert twice[0].id != twice[1].id


def test_the_lesson_is_step_28_between_the_llm_lifecycle_and_logistic_regression() -> None:
    outline = _outline()
    entry = outline.for_page(PAGE)
    assert entry is not None and entry.id == LESSON and entry.published
    assert entry.step == 28
    assert entry.topic == "ML Algorithms & Evaluation"
    assert (entry.difficulty, entry.subject) == ("Medium", "Evaluation & Benchmarks")
    assert outline.previous(entry).title == "The LLM Lifecycle"
    assert outline.next(entry).title == "Logistic Regression and Metrics"
    assert outline.next(entry).summary, "the next lesson has a teaser"
    assert [e.id for e in outline.lessons if e.published] == [LESSON]
    assert outline.previous(outline.lessons[0]) is None and outline.next(outline.lessons[-1]) is None


def test_a_lesson_is_published_by_adding_its_page() -> None:
    outline = _outline((PAGE, "lessons/logistic-regression-and-metrics.md", "index.md"))
    assert (
        outline.lesson("logistic-regression-and-metrics").page == "lessons/logistic-regression-and-metrics.md"
    )
    assert not outline.lesson("the-llm-lifecycle").published


GOOD = """
topics:
  - name: Basics
    lessons:
      - {id: one, title: One, difficulty: Easy, subject: Maths}
      - {id: two, title: Two}
"""


@pytest.mark.parametrize(
    ("text", "pages", "message"),
    [
        (GOOD.replace("id: two", "id: one"), (), "lesson id 'one' is used twice"),
        (
            GOOD.replace("{id: two, title: Two}", "{id: two}"),
            (),
            "lesson 'two' `title` must be non-empty text",
        ),
        (GOOD.replace("title: Two", "title: Two, level: 3"), (), "has unknown key(s) level"),
        (GOOD.replace("id: two", "id: Two Words"), (), "has id 'Two Words'"),
        (GOOD.replace("Easy", "Tricky"), (), "difficulty 'Tricky'"),
        (GOOD, ("lessons/three.md",), "no lesson has the id of page(s) docs/lessons/three.md"),
        ("topics: [", (), "not valid YAML"),
    ],
)
def test_bad_outline_fails_naming_the_file(text: str, pages: tuple[str, ...], message: str) -> None:
    with pytest.raises(curriculum.CurriculumError) as error:
        curriculum.parse(text, pages)
    assert str(error.value).startswith("docs/curriculum.yml: ")
    assert message in str(error.value)


# --- The mastery check ---


def _texts(q: quiz.Question) -> list[str]:
    return [q.question, *(text for o in (q.correct, *q.wrong) for text in (o.text, o.why))]


def test_quiz_has_ten_questions_that_pass_the_quiz_rules_and_a_pass_mark_of_eight() -> None:
    mastery = _quiz_with_documented_outputs()
    assert len(mastery.questions) == 10
    assert all(len(q.wrong) == 3 for q in mastery.questions)
    assert quiz.problems(mastery, f"snippets/{LESSON}/quiz.yml") == []
    assert mastery.pass_mark == 8
    assert all("{{" not in text for q in mastery.questions for text in _texts(q))


def _contains_run(numbers: list[float], expected: np.ndarray) -> bool:
    n = len(expected)
    return any(np.allclose(numbers[i : i + n], expected) for i in range(len(numbers) - n + 1))


def _numbers(text: str) -> list[float]:
    return [float(token) for token in NUMBER.findall(text)]


def test_answer_key_agrees_with_numpy_for_every_numeric_question() -> None:
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    y = np.array([118.0, 141.0, 162.0, 181.0, 198.0])
    X = np.c_[np.ones_like(x), x]
    w0 = np.zeros(2)
    gradient = (2 / len(X)) * X.T @ (X @ w0 - y)
    cases = {
        # question id: (numbers its stem must state, the answer computed from them)
        "design-row-prediction": ([1, 4, 100, 20], np.array([1.0, 4.0]) @ np.array([100.0, 20.0])),
        "r2-from-mse": ([900, 600], 1 - 900 / 600),
        "first-gradient-step": ([*gradient, 0.05], w0 - 0.05 * gradient),
    }
    assert [np.atleast_1d(answer).tolist() for _, answer in cases.values()] == [[180.0], [-0.5], [16.0, 52.0]]
    questions = {q.id: q for q in _quiz_with_documented_outputs().questions}
    for question_id, (given, answer) in cases.items():
        q, answer = questions[question_id], np.atleast_1d(answer)
        stated = _numbers(q.question)
        assert all(any(np.isclose(n, g) for n in stated) for g in given), (question_id, q.question)
        assert _contains_run(_numbers(q.correct.text), answer), (question_id, q.correct.text)
        for wrong in q.wrong:
            assert not _contains_run(_numbers(wrong.text), answer), (question_id, wrong.text)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    correct:\n      option:", "    right:\n      option:", "question 1 has unknown key(s) right"),
        ("    wrong:\n", "    wrongs:\n", "question 1 has unknown key(s) wrongs"),
        (
            "  - id: raw-residuals-cancel",
            "  - id: design-row-prediction",
            "question id 'design-row-prediction' is used twice",
        ),
        ("predictions[3]", "predictions[9]", "has 5 numbers, no index 9"),
    ],
)
def test_bad_quiz_fails_naming_the_file(tmp_path: Path, old: str, new: str, message: str) -> None:
    folder = tmp_path / "snippets" / LESSON
    folder.mkdir(parents=True)
    source = (ROOT / "snippets" / LESSON / quiz.QUIZ_FILE).read_text(encoding="utf-8")
    assert old in source
    (folder / quiz.QUIZ_FILE).write_text(source.replace(old, new, 1), encoding="utf-8")
    for out in (ROOT / "snippets" / LESSON).glob("*.out"):
        (folder / out.name).write_text(out.read_text(encoding="utf-8"), encoding="utf-8")
        (folder / out.with_suffix(".py").name).write_text("", encoding="utf-8")
    with pytest.raises(DirectiveError) as error:
        quiz_directive.load(lesson_page(tmp_path, LESSON), expand)
    assert f"snippets/{LESSON}/quiz.yml" in str(error.value)
    assert message in str(error.value)


# --- Reading time and share links ---


def test_reading_time_counts_prose_words_rounded_up_to_whole_minutes() -> None:
    words = " ".join(["word"] * 400)
    assert placement.reading_minutes(f"<p>{words}</p>") == 2
    assert placement.reading_minutes(f"<p>{words} one</p>") == 3
    code = "<pre><code>" + "x = 1\n" * 5000 + "</code></pre>"
    assert placement.reading_minutes(f"<p>{words}</p>{code}") == 2, "code blocks are not prose"
    formula = '<span class="arithmatex">\\(a + b + c + d\\)</span>'
    assert placement.word_count(f"<p>two words {formula}</p>") == 3, "a formula reads as one word"
    assert placement.reading_minutes("") == 1


def test_share_links_encode_the_public_address_of_the_page() -> None:
    links = placement.share_links("https://example.org/course", "lessons/a-b/", "Fit & Test: 100%")
    assert [link["label"] for link in links] == [
        "X",
        "LinkedIn",
        "Bluesky",
        "Reddit",
        "Hacker News",
        "Facebook",
        "Email",
    ]
    address = "https://example.org/course/lessons/a-b/"
    for link in links:
        parts = urlsplit(link["url"])
        assert " " not in link["url"]
        values = [v for vs in parse_qs(parts.query).values() for v in vs]
        assert any(address in value for value in values), link
        assert all(v in (address, "Fit & Test: 100%", f"Fit & Test: 100% {address}") for v in values), link
    hosts = {urlsplit(link["url"]).hostname for link in links}
    assert hosts == {
        "x.com",
        "www.linkedin.com",
        "bsky.app",
        "www.reddit.com",
        "news.ycombinator.com",
        "www.facebook.com",
        None,  # mailto:
    }


# --- The built site ---


def test_learn_page_lists_every_lesson_and_links_only_published_ones(site: Path) -> None:
    soup = _soup(site, "learn/index.html")
    topics = soup.select("article section.lk-topic")
    assert [t.h2["id"] for t in topics][:2] == ["computing-foundations", "math-and-statistics"]
    assert len(topics) == 14
    items = soup.select("article li[data-lk-outline-lesson]")
    assert len(items) == 155
    linked = [li for li in items if li.find("a")]
    published = [LESSON, NEXT_LESSON, "decision-trees-forests-and-boosting"]
    assert [li["data-lk-outline-lesson"] for li in linked] == published
    assert [li.a["href"] for li in linked] == [f"../lessons/{lesson}/" for lesson in published]
    unlinked = [li for li in items if not li.find("a")]
    assert all("not yet published" in li.get_text() for li in unlinked)
    assert len(unlinked) == 152
    assert topics[3].select_one(".lk-topic__counts").get_text(" ", strip=True) == "11 lessons, 3 published"
    assert topics[3].ol["start"] == "28"
    assert soup.select_one("[data-lk-progress]")["data-lk-lessons"].split() == [
        e.id for e in _outline().lessons
    ]


def test_lesson_header_and_footer_come_from_the_outline(site: Path) -> None:
    soup = _soup(site, f"lessons/{LESSON}/index.html")
    header = soup.select_one("article header.lk-lesson-header")
    text = header.get_text(" ", strip=True)
    assert "Learn \N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK} ML Algorithms & Evaluation" in text
    assert "Difficulty Medium" in text and "Subject Evaluation & Benchmarks" in text
    minutes = int(re.search(r"(\d+) min read", text)[1])
    assert 15 <= minutes <= 40, "roughly the length of the lesson at 200 words a minute"
    assert "Step 28 of 155 in the full curriculum" in text
    assert "Previous: The LLM Lifecycle not yet published" in text
    assert "Next: Logistic Regression and Metrics" in text
    assert "Logistic Regression and Metrics not yet published" not in text
    assert header.select_one(".lk-crumbs a")["href"] == "../../learn/"
    neighbours = header.select(".lk-path__neighbours a")
    assert [a["href"] for a in neighbours] == [f"../{NEXT_LESSON}/"], "only published neighbours are links"
    footer = soup.select_one("article footer.lk-lesson-footer")
    teaser = footer.select_one(".lk-next-step").get_text(" ", strip=True)
    assert teaser.startswith("Next step Continue to Logistic Regression and Metrics")
    assert footer.select_one(f'.lk-next-step a[href="../{NEXT_LESSON}/"]') is not None
    assert _outline().lesson("logistic-regression-and-metrics").summary in teaser


def test_share_links_point_at_the_lesson_address_from_site_url(site: Path) -> None:
    links = _soup(site, f"lessons/{LESSON}/index.html").select("article .lk-share a")
    assert len(links) == 7
    assert links[0]["href"] == (
        "https://x.com/intent/post?url=http%3A%2F%2F127.0.0.1%3A8000%2Flessons%2F"
        f"{LESSON}%2F&text=Linear%20Regression%20from%20Scratch"
    )
    assert links[-1]["href"].startswith("mailto:?subject=Linear%20Regression%20from%20Scratch&body=")


def test_quiz_is_rendered_at_build_time_between_what_you_have_built_and_key_concepts(site: Path) -> None:
    soup = _soup(site, f"lessons/{LESSON}/index.html")
    headings = [h["id"] for h in soup.select("article h2[id]")]
    at = headings.index("mastery-check")
    assert headings[at - 1 : at + 2] == ["what-you-have-built", "mastery-check", "key-concepts"]
    # The page holds the rules and a collapsed "Start the quiz" block; the questions are
    # published beside the page and fetched into it when the block is opened.
    start = soup.select_one("article h2#mastery-check ~ details.lk-quiz__start")
    intro = start.find_previous_sibling("p")
    assert "above 75% (8 of 10 or better)" in intro.get_text() and "lk-quiz__intro" in intro["class"]
    assert start.summary.get_text() == "Start the quiz"
    form = _soup(site, f"lessons/{LESSON}/{start['data-lk-fragment']}").select_one("main form.lk-quiz")
    assert form["data-lk-lesson"] == LESSON and form["data-lk-pass-above"] == "0.75"
    mastery = _quiz_with_documented_outputs()
    fieldsets = form.select("fieldset")
    assert len(fieldsets) == 10
    for fieldset, placed in zip(fieldsets, quiz.place(mastery, LESSON), strict=True):
        assert fieldset.legend is not None and fieldset.legend.get_text(strip=True)
        radios = fieldset.select("input[type=radio]")
        assert [r["value"] for r in radios] == ["a", "b", "c", "d"]
        assert len({r["name"] for r in radios}) == 1
        assert all(r.find_parent("label") for r in radios), "each option's text is its label"
        assert fieldset["data-lk-answer"] == placed.answer
        whys = {p["data-lk-why"]: p for p in fieldset.select("[data-lk-feedback] [data-lk-why]")}
        assert sorted(whys) == ["a", "b", "c", "d"] and all(p.has_attr("hidden") for p in whys.values())
        for key, option in placed.options.items():
            label = f"The answer is ({key})." if key == placed.answer else f"You chose ({key})."
            assert whys[key].strong.get_text() == label
            assert option.why.split("$")[0].strip() in whys[key].get_text(" ", strip=True)
    assert form.select_one("[data-lk-status]")["aria-live"] == "polite"
    assert form.select(".katex"), "math in questions is typeset at build time"


def test_markdown_download_has_the_questions_and_an_answer_key(site: Path) -> None:
    text = (site / f"lessons/{LESSON}.md").read_text(encoding="utf-8")
    assert "## Mastery check" in text and "### Answer key" in text
    assert not re.search(r"\{\{\s*(example|value|table|figure|quiz)\b", text), "a directive left unexpanded"
    first = quiz.place(_quiz_with_documented_outputs(), LESSON)[0]
    assert f"1. ({first.answer}) {first.options[first.answer].why}" in text
    assert text.count("    - Not (") == 30, "every wrong option explains itself"


def test_curriculum_file_is_not_published(site: Path) -> None:
    assert not list(site.rglob("curriculum.yml"))


def test_a_quiz_that_breaks_a_rule_fails_the_build_naming_the_file_and_question(
    project: Path, tmp_path: Path
) -> None:
    path = project / "snippets" / LESSON / quiz.QUIZ_FILE
    source = path.read_text(encoding="utf-8")
    terse = '"80 ms: the 1 only pads the row to the length of $w$ and adds nothing"'
    assert terse in source
    path.write_text(source.replace(terse, '"80 ms"', 1), encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    assert not result.ok
    assert (
        f"snippets/{LESSON}/quiz.yml: question 'design-row-prediction': option lengths are not comparable"
        in result.output
    )
    assert not (tmp_path / "site").exists()


def test_lesson_page_missing_from_the_outline_fails_the_build(project: Path, tmp_path: Path) -> None:
    page = project / "docs" / "lessons" / "stray-lesson.md"
    page.write_text("# Stray\n", encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    assert not result.ok
    assert (
        "docs/curriculum.yml: no lesson has the id of page(s) docs/lessons/stray-lesson.md" in result.output
    )


def test_the_home_page_lists_every_published_lesson_in_course_order_with_its_summary(site: Path) -> None:
    published = [
        e
        for e in _outline(
            tuple(p.relative_to(ROOT / "docs").as_posix() for p in ROOT.glob("docs/**/*.md"))
        ).lessons
        if e.published
    ]
    assert len(published) >= 2
    items = _soup(site, "index.html").select("article ul li")
    listed = [(li.a.get_text(), li.a["href"]) for li in items if li.a and li.a["href"].startswith("lessons/")]
    assert listed == [(e.title, f"lessons/{e.id}/") for e in published]
    for entry, li in zip(
        published, (li for li in items if li.a and li.a["href"].startswith("lessons/")), strict=True
    ):
        if entry.summary:
            assert " ".join(entry.summary.split()) in " ".join(li.get_text().split())


def test_the_published_list_follows_the_pages_that_exist() -> None:
    outline = _outline((PAGE,))
    assert curriculum.published_markdown(outline, "index.md").splitlines() == [
        f"- [Linear Regression from Scratch](lessons/{LESSON}.md): " + outline.lesson(LESSON).summary.strip()
    ]
    both = _outline((PAGE, f"lessons/{NEXT_LESSON}.md"))
    assert [line.split("](")[0] for line in curriculum.published_markdown(both, "index.md").splitlines()] == [
        "- [Linear Regression from Scratch",
        "- [Logistic Regression and Metrics",
    ]
    none = _outline(())
    assert curriculum.published_markdown(none, "index.md") == "No lesson is published yet.\n"
