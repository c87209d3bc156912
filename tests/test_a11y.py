"""Every page the site builds passes axe-core with no violation of any impact, at phone and
desktop width, in both palettes; and a reader with a keyboard alone reaches and uses what the
lesson offers (palette toggle, downloads, copy buttons, collapsed blocks, boxes that scroll),
always seeing where the focus is."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import LESSON, ROOT

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"phone": (360, 800), "touch": (360, 800), "desktop": (1280, 900)}
# A phone as the theme's script sees one: no hover, touch events, the mobile viewport.
DEVICES = {"touch": {"is_mobile": True, "has_touch": True}}
SCHEMES = {"light": "default", "dark": "slate"}
LESSON_PATH = f"lessons/{LESSON}/"
MOST_TABS = 600  # far more than the lesson has stops; a loop that reaches it found nothing


def built_pages(site: Path) -> list[str]:
    """Every page in the sitemap, plus the 404 page, as paths under the site root."""
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = ET.parse(site / "sitemap.xml").getroot().findall("s:url/s:loc", namespace)
    site_path = urlparse(locations[0].text).path  # the home page: site_url's own path
    pages = [urlparse(loc.text).path.removeprefix(site_path) for loc in locations]
    return [*pages, "404.html"]


def test_the_audit_covers_every_kind_of_page(site: Path) -> None:
    pages = built_pages(site)
    assert {"", "learn/", LESSON_PATH, f"notebooks/{LESSON}/", "404.html"} <= set(pages)
    assert AXE.is_file(), "axe-core comes from node_modules (package-lock.json pins it)"


@pytest.fixture
def open_page(browser, site: Path, serve) -> Iterator:
    base = serve(site)
    contexts = []

    def open_(path: str, width: str = "desktop", scheme: str = "light", **options):
        w, h = WIDTHS[width]
        context = browser.new_context(
            viewport={"width": w, "height": h}, color_scheme=scheme, **DEVICES.get(width, {}), **options
        )
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))
        page.on("console", lambda msg: page.errors.append(msg.text) if msg.type == "error" else None)
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        page.evaluate("document.fonts.ready")
        assert page.evaluate("document.body.dataset.mdColorScheme") == SCHEMES[scheme]
        return page

    yield open_
    for context in contexts:
        context.close()


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => "
        "`${v.impact} ${v.id}: ${v.nodes.length} element(s), first ${v.nodes[0].target.join(' ')}`))"
    )
    return found


def open_every_collapsed_block(page) -> None:
    page.evaluate("document.querySelectorAll('article details').forEach(d => { d.open = true; })")
    page.wait_for_load_state("networkidle")
    page.wait_for_function("!document.querySelector('[data-lk-fragment-slot]')")


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_has_no_axe_violations(open_page, site: Path, width: str, scheme: str) -> None:
    report = {}
    for path in built_pages(site):
        page = open_page(path, width, scheme)
        report[path or "home"] = axe_violations(page)
        assert page.errors == [], path
    assert report == {path: [] for path in report}


def test_every_page_published_for_a_collapsed_block_has_no_axe_violations(browser, site: Path, serve) -> None:
    """Readers without JavaScript open these pages from the link left in the block."""
    base = serve(site)
    published = sorted(
        [p for p in site.glob("lessons/*/*.html") if p.name != "index.html"]
        + list(site.glob("assets/figures/**/how-it-is-made.html"))
    )
    assert len(published) >= 10
    report = {}
    for device in ("phone", "touch"):
        w, h = WIDTHS[device]
        context = browser.new_context(viewport={"width": w, "height": h}, **DEVICES.get(device, {}))
        for path in published:
            page = context.new_page()
            page.goto(base + path.relative_to(site).as_posix())
            report[f"{device} {path.relative_to(site).as_posix()}"] = axe_violations(page)
            page.close()
        context.close()
    assert report == {path: [] for path in report}


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", ["phone", "touch"])
def test_the_lesson_with_every_collapsed_block_open_has_no_axe_violations(
    open_page, width: str, scheme: str
) -> None:
    page = open_page(LESSON_PATH, width, scheme)
    open_every_collapsed_block(page)
    assert page.locator("article details[open]").count() >= 8
    assert axe_violations(page) == []
    assert page.errors == []


# --- The keyboard alone ---

FOCUS_RING = """() => {
  const el = document.activeElement;
  // A radio button shows its ring on its label: for the theme's palette switch (two radio
  // buttons, one icon) the icon shown; for a quiz option the option's label.
  const shown = el.matches('input.md-option') ? el.closest('form').querySelector('label:not([hidden])')
    : el.matches('input[type=radio]') ? el.closest('label') : el;
  const style = getComputedStyle(shown);
  return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1
    && shown.getBoundingClientRect().width > 0;
}"""


def tab_to(page, selector: str, *, backwards: bool = False) -> None:
    """Press Tab until ``selector`` has the focus; each stop on the way shows a focus ring."""
    for _ in range(MOST_TABS):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if page.evaluate("document.activeElement !== document.body"):
            tag = page.evaluate("document.activeElement.outerHTML.slice(0, 120)")
            assert page.evaluate(FOCUS_RING), f"no visible focus ring on {tag}"
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


@pytest.mark.parametrize("scheme", SCHEMES)
def test_palette_toggle_works_from_the_keyboard(open_page, scheme: str) -> None:
    page = open_page(LESSON_PATH, "desktop", scheme)
    tab_to(page, "input.md-option")  # the switch: a radio button shown as its label's icon
    for expected in ({"light": "slate", "dark": "default"}[scheme], SCHEMES[scheme]):
        page.keyboard.press("Enter")
        page.wait_for_function(f"document.body.dataset.mdColorScheme === {expected!r}")
        assert page.evaluate(FOCUS_RING), "the switch keeps a visible focus ring"
    assert page.errors == []


def test_downloads_are_reachable_and_each_is_a_link_to_a_file(open_page) -> None:
    page = open_page(LESSON_PATH)
    tab_to(page, ".lk-downloads a")
    labels = page.locator(".lk-downloads a").all_inner_texts()
    assert set(labels) == {"Download as Markdown", "Download notebook (.ipynb)"}
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.startswith(LESSON)


def test_quiz_options_and_its_check_button_show_where_the_focus_is(open_page) -> None:
    """Answering with the keyboard is tested with the course (test_course_browser.py); here,
    that every stop on the way there, and the quiz's own, shows its focus ring."""
    page = open_page(LESSON_PATH)
    tab_to(page, "details.lk-quiz__start > summary")
    page.keyboard.press("Enter")  # the questions are fetched and set up
    page.locator("form.lk-quiz[data-lk-ready]").wait_for()
    tab_to(page, "fieldset.lk-quiz__question input[type=radio]")
    page.keyboard.press("Space")
    tab_to(page, "[data-lk-check]")


def test_copy_button_copies_the_code_from_the_keyboard(open_page) -> None:
    page = open_page(LESSON_PATH, permissions=["clipboard-read", "clipboard-write"])
    tab_to(page, "button.md-code__button[data-md-type=copy]")
    code = page.evaluate("document.activeElement.closest('pre').querySelector('code').textContent")
    page.keyboard.press("Enter")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.strip() == code.strip() and len(copied) > 50


def test_collapsed_blocks_open_from_the_keyboard_and_the_figure_script_loads(open_page) -> None:
    page = open_page(LESSON_PATH)
    tab_to(page, "details.lk-figure-source > summary")
    page.keyboard.press("Enter")
    details = page.locator("details.lk-figure-source").first
    assert details.get_attribute("open") is not None
    # The script arrives from the file the build published, with its output and copy buttons.
    details.locator("pre code").first.wait_for()
    assert details.locator("span.filename").all_inner_texts() == ["figure-fitted-line.py", "Output"]
    tab_to(page, "details.lk-figure-source button.md-code__button[data-md-type=copy]")

    tab_to(page, "details.success > summary")
    page.keyboard.press("Enter")
    solution = page.locator("details.success").first
    assert solution.get_attribute("open") is not None
    solution.locator("pre code").first.wait_for()  # fetched from the page published beside the lesson
    tab_to(page, "details.success button.md-code__button[data-md-type=copy]")
    assert page.errors == []


def test_a_wide_table_and_a_long_formula_scroll_from_the_keyboard_on_a_phone(open_page) -> None:
    page = open_page(LESSON_PATH, "phone")
    for selector in (".lk-scroll", "div.arithmatex"):
        boxes = page.locator(f"article {selector}")
        wide = next(
            i
            for i in range(boxes.count())
            if boxes.nth(i).evaluate("el => el.scrollWidth > el.clientWidth + 4")
        )
        box = boxes.nth(wide)
        name = box.get_attribute("aria-label")
        assert name and re.match(r"(Table|Formula)\b", name)
        box.focus()
        assert page.evaluate(FOCUS_RING)
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        page.wait_for_function("el => el.scrollLeft > 0", arg=box.element_handle())


# --- Steady while loading, and no script in the way of the first render ---


def test_what_the_course_script_fills_in_keeps_its_place_before_it_runs(browser, site: Path, serve) -> None:
    """The cause of a layout shift, checked without timing: with the course script held back,
    the progress widgets already take their room (unseen), so filling them in moves nothing."""
    base = serve(site)
    context = browser.new_context(viewport={"width": 360, "height": 800})
    context.route("**/lessonkit-course.js", lambda route: route.abort())
    page = context.new_page()
    for path in (LESSON_PATH, "learn/"):
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        widget = page.locator("[data-lk-progress]").first
        assert widget.get_attribute("hidden") is not None, "not filled in: the script never ran"
        height, visibility = widget.evaluate(
            "el => [el.getBoundingClientRect().height, getComputedStyle(el).visibility]"
        )
        assert height > 20 and visibility == "hidden", path
    context.close()


def test_no_page_loads_a_script_that_holds_up_its_first_render(site: Path) -> None:
    from bs4 import BeautifulSoup

    for path in built_pages(site):
        file = site / path / "index.html" if not path.endswith(".html") else site / path
        soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        blocking = [
            script["src"]
            for script in soup.head.find_all("script", src=True)
            if not {"defer", "async"} & set(script.attrs) and script.get("type") != "module"
        ]
        assert blocking == [], path
        ours = [s for s in soup.find_all("script", src=True) if "assets/lessonkit" in s["src"]]
        assert ours and all(script.has_attr("defer") for script in ours), path
