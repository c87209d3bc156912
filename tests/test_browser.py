"""In headless Chromium, the lesson shows typeset math with KaTeX's own fonts and
loads nothing from any host but the site's."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import LESSON, ROOT

pytestmark = pytest.mark.browser


@pytest.fixture
def lesson(browser, site: Path, serve):
    base = serve(site)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{base}lessons/{LESSON}/")
    page.wait_for_load_state("networkidle")
    yield page, requests, errors
    context.close()


def test_formulas_are_typeset_with_katex_fonts_loaded(lesson) -> None:
    page, _, errors = lesson
    page.evaluate("document.fonts.ready")
    assert page.locator("article .katex").count() >= 30
    display = page.locator("article .katex-display").first
    display.scroll_into_view_if_needed()
    assert display.is_visible()
    loaded = page.evaluate(
        "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family.replace(/\"/g, ''))"
    )
    assert "KaTeX_Main" in loaded and "KaTeX_Math" in loaded
    # A typeset fraction has real height; unstyled TeX would be one flat line of text.
    frac = page.locator("article .katex .mfrac").first
    assert frac.bounding_box()["height"] > 20
    assert errors == []


def test_page_requests_only_its_own_origin(lesson) -> None:
    page, requests, _ = lesson
    page.mouse.wheel(0, 20000)  # pull in anything loaded lazily further down
    page.wait_for_load_state("networkidle")
    hosts = {urlparse(url).hostname for url in requests if not url.startswith("data:")}
    assert hosts == {"127.0.0.1"}
    assert any("/assets/katex/fonts/" in url for url in requests)


def test_each_example_is_a_titled_code_block_with_output(lesson) -> None:
    page, _, _ = lesson
    examples = len(re.findall(r"\{\{ example \S+ \}\}", (ROOT / "docs/lessons" / f"{LESSON}.md").read_text()))
    # Long solutions arrive when opened.
    page.evaluate("document.querySelectorAll('article details.success').forEach(d => { d.open = true; })")
    page.wait_for_function("!document.querySelector('details.success [data-lk-fragment-slot]')")
    assert examples >= 11
    # Figure scripts sit in collapsed "How this figure is made" blocks; solutions are collapsed examples.
    titles = page.locator(
        "article .highlight:not(details.example .highlight) span.filename"
    ).all_text_contents()
    code_titles = [t for t in titles if t != "Output"]
    assert len(code_titles) == examples
    assert titles.count("Output") == examples
    assert page.locator("article button.md-code__button[data-md-type=copy]").count() >= examples
