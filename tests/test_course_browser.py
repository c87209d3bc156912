"""In headless Chromium, a reader takes the mastery check (also with the keyboard alone),
passes or fails it, and sees progress counted on the lesson and the Learn page; with
storage blocked or unreadable the quiz still works and the page says progress is not saved."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import LESSON, ROOT, mkdocs_build

from lessonkit.course import quiz

pytestmark = pytest.mark.browser

STORAGE_KEY = "lessonkit:progress:v1"
# The key as the build places it (the source lists the correct option first).
ANSWERS = [
    placed.answer
    for placed in quiz.place(
        quiz.parse((ROOT / "snippets" / LESSON / quiz.QUIZ_FILE).read_text(), "quiz.yml"), LESSON
    )
]
BLOCK_STORAGE = """
Object.defineProperty(window, "localStorage", {
  configurable: true,
  get() { throw new DOMException("The operation is insecure.", "SecurityError"); },
});
"""


class Reader:
    """One browser context: a reader with their own storage, recording page errors."""

    def __init__(self, browser, base: str, width: int = 1280) -> None:
        self.base = base
        self.context = browser.new_context(viewport={"width": width, "height": 900})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)

    def open(self, path: str) -> None:
        self.page.goto(self.base + path)
        self.page.wait_for_load_state("networkidle")

    def open_lesson(self) -> None:
        self.open(f"lessons/{LESSON}/")
        self.start_quiz()

    def start_quiz(self) -> None:
        """Open the quiz's collapsed block; its questions are fetched then and set up."""
        self.page.locator("details.lk-quiz__start > summary").click()
        self.page.locator("form.lk-quiz[data-lk-ready]").wait_for()

    def answer(self, correct: int) -> None:
        """Pick the right option for the first ``correct`` questions and a wrong one for the rest."""
        questions = self.page.locator("fieldset.lk-quiz__question")
        for index, key in enumerate(ANSWERS):
            choice = key if index < correct else next(k for k in "abcd" if k != key)
            questions.nth(index).locator(f"input[value={choice}]").check()

    def explanations(self, index: int) -> list[str]:
        """The explanations visible under question ``index`` (from 0), in page order."""
        whys = self.page.locator("fieldset.lk-quiz__question").nth(index).locator("[data-lk-why]")
        return [whys.nth(i).inner_text() for i in range(whys.count()) if whys.nth(i).is_visible()]

    def check(self) -> str:
        self.page.locator("[data-lk-check]").click()
        return self.status()

    def status(self) -> str:
        return self.page.locator("[data-lk-status]").inner_text()

    def progress(self) -> str:
        return self.page.locator("[data-lk-progress] .lk-progress__summary").first.inner_text()

    def stored(self) -> object:
        return self.page.evaluate(f"localStorage.getItem({STORAGE_KEY!r})")


@pytest.fixture
def reader(browser, site: Path, serve) -> Iterator[Reader]:
    person = Reader(browser, serve(site))
    yield person
    person.context.close()


def test_full_marks_complete_the_lesson_and_the_learn_page_counts_it(reader: Reader) -> None:
    reader.open_lesson()
    assert reader.progress() == "0 of 155 lessons completed (0%)"
    reader.answer(correct=10)
    assert reader.check().startswith("You scored 10/10 (100%). Lesson completed")
    assert reader.page.locator("[data-lk-completed-badge]").is_visible()
    assert reader.progress() == "1 of 155 lessons completed (1%)"
    assert json.loads(reader.stored()) == {"completed": [LESSON]}
    feedback = reader.page.locator("[data-lk-feedback]")
    assert feedback.count() == 10 and all(feedback.nth(i).is_visible() for i in range(10))

    reader.open("learn/")
    reader.page.reload()
    assert reader.progress() == "1 of 155 lessons completed (1%)"
    item = reader.page.locator(f"li[data-lk-outline-lesson={LESSON}]")
    assert "completed" in item.inner_text()
    topic = reader.page.locator("section.lk-topic", has=item)
    assert topic.locator("[data-lk-topic-done]").inner_text() == "1 of 11 completed"
    assert reader.errors == []


def test_seven_of_ten_does_not_complete_the_lesson_and_eight_after_a_retry_does(reader: Reader) -> None:
    reader.open_lesson()
    reader.answer(correct=7)
    status = reader.check()
    assert status.startswith("You scored 7/10 (70%). Score above 75% to complete the lesson")
    assert reader.progress() == "0 of 155 lessons completed (0%)"
    assert reader.stored() is None
    assert reader.page.locator(".lk-quiz__question--wrong").count() == 3

    reader.page.locator("[data-lk-retry]").click()
    assert reader.page.locator("fieldset.lk-quiz__question input:checked").count() == 0
    assert not reader.page.locator("[data-lk-feedback]").first.is_visible()
    reader.answer(correct=8)
    assert reader.check().startswith("You scored 8/10 (80%). Lesson completed")
    assert reader.progress() == "1 of 155 lessons completed (1%)"
    assert reader.errors == []


def test_after_checking_each_question_explains_the_chosen_option_and_the_right_one(reader: Reader) -> None:
    reader.open_lesson()
    reader.answer(correct=9)  # the last question is answered wrongly
    reader.check()
    first_answer, last_answer = ANSWERS[0], ANSWERS[-1]
    chosen = next(k for k in "abcd" if k != last_answer)
    first = reader.explanations(0)
    assert len(first) == 1 and first[0].startswith(f"The answer is ({first_answer}).")
    last = reader.explanations(len(ANSWERS) - 1)
    assert [text.split(".")[0] for text in last] == [
        f"You chose ({chosen})",
        f"The answer is ({last_answer})",
    ]
    verdicts = reader.page.locator("[data-lk-verdict]")
    assert (verdicts.first.inner_text(), verdicts.last.inner_text()) == ("Correct.", "Not quite.")
    reader.page.locator("[data-lk-retry]").click()
    assert reader.explanations(len(ANSWERS) - 1) == [], "trying again hides the explanations"
    reader.answer(correct=10)
    reader.check()
    assert [text.split(".")[0] for text in reader.explanations(len(ANSWERS) - 1)] == [
        f"The answer is ({last_answer})"
    ]
    assert reader.errors == []


def test_check_refuses_until_every_question_is_answered(reader: Reader) -> None:
    reader.open_lesson()
    button = reader.page.locator("[data-lk-check]")
    assert button.inner_text() == "Check answers (10 questions left)"
    questions = reader.page.locator("fieldset.lk-quiz__question")
    for index, key in enumerate(ANSWERS):
        if index != 6:
            questions.nth(index).locator(f"input[value={key}]").check()
    assert button.inner_text() == "Check answers (1 question left)"
    assert reader.check() == "Answer the remaining 1 question first."
    assert not reader.page.locator("[data-lk-feedback]").first.is_visible()
    assert reader.page.evaluate("document.activeElement.name") == questions.nth(6).locator(
        "input"
    ).first.get_attribute("name"), "focus moves to the unanswered question"
    questions.nth(6).locator(f"input[value={ANSWERS[6]}]").check()
    assert button.inner_text() == "Check answers"
    assert reader.check().startswith("You scored 10/10")


def test_keyboard_alone_completes_the_quiz(reader: Reader) -> None:
    page = reader.page
    reader.open(f"lessons/{LESSON}/#mastery-check")
    keyboard = page.keyboard

    def focused(attribute: str) -> str | None:
        return page.evaluate(f"document.activeElement.getAttribute({attribute!r})")

    for _ in range(5):  # from the heading's anchor to "Start the quiz"
        keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('details.lk-quiz__start > summary')"):
            break
    keyboard.press("Enter")  # opens the block: the questions are fetched and set up
    page.locator("form.lk-quiz[data-lk-ready]").wait_for()
    for _ in range(5):  # on to the first option
        keyboard.press("Tab")
        if focused("type") == "radio":
            break
    for index, key in enumerate(ANSWERS):
        assert focused("type") == "radio" and focused("value") == "a", f"question {index + 1} starts at (a)"
        for _ in range("abcd".index(key)):
            keyboard.press("ArrowDown")  # moves through the group and selects
        keyboard.press("Space")  # selects the focused option (needed for (a))
        assert focused("value") == key
        keyboard.press("Tab")  # on to the next question, or after the last one to the button
    assert focused("data-lk-check") == ""
    keyboard.press("Enter")
    assert reader.status().startswith("You scored 10/10 (100%). Lesson completed")
    assert page.evaluate("document.activeElement.hasAttribute('data-lk-status')"), "focus goes to the score"
    assert page.locator("[data-lk-status]").get_attribute("aria-live") == "polite"
    keyboard.press("Tab")
    assert focused("data-lk-retry") == ""
    keyboard.press("Enter")
    assert focused("type") == "radio", "retrying returns to the first question"
    assert reader.errors == []


def test_quiz_works_when_storage_throws_and_the_page_says_progress_is_not_saved(reader: Reader) -> None:
    reader.context.add_init_script(BLOCK_STORAGE)
    reader.open_lesson()
    assert reader.page.evaluate(
        "(() => { try { localStorage; return false; } catch (e) { return true; } })()"
    )
    note = reader.page.locator("form.lk-quiz [data-lk-storage-note]")
    assert note.is_visible() and "will not be saved" in note.inner_text()
    reader.answer(correct=9)
    assert reader.check().startswith("You scored 9/10 (90%). Lesson completed")
    assert reader.progress() == "1 of 155 lessons completed (1%)", "counted for this visit"
    reader.page.on("dialog", lambda dialog: dialog.accept())
    reader.page.locator("[data-lk-progress-reset]").click()
    assert reader.progress() == "0 of 155 lessons completed (0%)"

    reader.open("learn/")
    assert reader.progress() == "0 of 155 lessons completed (0%)"
    assert "will not be saved" in reader.page.locator("[data-lk-storage-note]").inner_text()
    assert reader.errors == []


@pytest.mark.parametrize("unreadable", ["{not json", '{"completed": "everything"}', "[1, 2]", "null"])
def test_quiz_works_with_unreadable_stored_progress_and_leaves_it_until_reset(
    reader: Reader, unreadable: str
) -> None:
    reader.open_lesson()
    reader.page.evaluate(f"localStorage.setItem({STORAGE_KEY!r}, {unreadable!r})")
    reader.page.reload()
    reader.start_quiz()
    note = reader.page.locator("form.lk-quiz [data-lk-storage-note]")
    assert note.is_visible() and "could not be read" in note.inner_text()
    reader.answer(correct=10)
    assert reader.check().startswith("You scored 10/10 (100%). Lesson completed")
    assert reader.progress() == "1 of 155 lessons completed (1%)"
    assert reader.stored() == unreadable, "unreadable data is not overwritten behind the reader's back"

    reader.page.on("dialog", lambda dialog: dialog.accept())
    reader.page.locator("[data-lk-progress-reset]").click()
    assert not note.is_visible()
    assert reader.stored() is None
    reader.page.locator("[data-lk-retry]").click()
    reader.answer(correct=10)
    reader.check()
    assert json.loads(reader.stored()) == {"completed": [LESSON]}, "after a reset, progress is saved again"
    assert reader.errors == []


def test_reset_asks_first_and_clears_progress(reader: Reader) -> None:
    reader.open_lesson()
    reader.answer(correct=10)
    reader.check()
    reader.page.once("dialog", lambda dialog: dialog.dismiss())
    reader.page.locator("[data-lk-progress-reset]").click()
    assert reader.progress() == "1 of 155 lessons completed (1%)", "dismissing keeps progress"
    reader.open("learn/")
    reader.page.once("dialog", lambda dialog: dialog.accept())
    reader.page.locator("[data-lk-progress-reset]").click()
    assert reader.progress() == "0 of 155 lessons completed (0%)"
    assert reader.stored() is None
    assert reader.page.locator(".lk-outline__lesson--done").count() == 0


@pytest.mark.parametrize("width", [360, 1280])
def test_quiz_fits_phone_and_desktop_widths(browser, site: Path, serve, width: int) -> None:
    reader = Reader(browser, serve(site), width=width)
    try:
        reader.open_lesson()
        overflow = reader.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"page scrolls sideways by {overflow}px"
        for selector in ("form.lk-quiz", "header.lk-lesson-header", "footer.lk-lesson-footer"):
            box = reader.page.locator(selector).bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, selector
    finally:
        reader.context.close()


def test_quiz_works_after_navigating_away_and_back_with_instant_navigation(
    browser, project: Path, tmp_path: Path, serve
) -> None:
    """The site does not enable navigation.instant; this proves the script is ready if it ever does."""
    site = tmp_path / "site"
    site.mkdir()
    base = serve(site)  # instant navigation only handles links under site_url, so use the served address
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "    - navigation.footer\n" in text
    footer = "    - navigation.footer\n"
    config.write_text(text.replace(footer, footer + "    - navigation.instant\n"))
    result = mkdocs_build(project, site, env={"SITE_URL": base})
    assert result.ok, result.output
    reader = Reader(browser, base)
    try:
        page = reader.page
        reader.open_lesson()
        page.evaluate("window.sameDocument = true")  # survives instant navigation, not a page load
        page.locator(".lk-crumbs a", has_text="Learn").click()
        page.wait_for_url("**/learn/")
        page.locator(f"li[data-lk-outline-lesson={LESSON}] a").click()
        page.wait_for_url(f"**/lessons/{LESSON}/")
        reader.start_quiz()
        assert page.evaluate("window.sameDocument === true"), "pages were swapped in, not loaded"
        reader.answer(correct=10)
        assert reader.check().startswith("You scored 10/10 (100%). Lesson completed")
        page.locator(".lk-crumbs a", has_text="Learn").click()
        page.wait_for_url("**/learn/")
        page.locator("[data-lk-progress][data-lk-ready]").wait_for()
        assert reader.progress() == "1 of 155 lessons completed (1%)"
        assert page.evaluate("window.sameDocument === true")
        assert reader.errors == []
    finally:
        reader.context.close()
