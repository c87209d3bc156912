"""Figures are drawn by their own scripts at every build: each is on the page in both palettes with alt
text and a caption, the same inputs give the same bytes, what they draw is the lesson's own numbers, a
script that draws nothing fails the build, and in Chromium the figures load, legible at phone and desktop
widths in both palettes."""

from __future__ import annotations

import ast
import importlib.util
import io
import re
from pathlib import Path
from types import ModuleType

import matplotlib
import numpy as np
import pytest
from bs4 import BeautifulSoup
from conftest import LESSON, ROOT, mkdocs_build
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from PIL import Image

from lessonkit.page.directives.value import lookup_value
from lessonkit.run import figures

matplotlib.use("Agg")

FOLDER = ROOT / "snippets" / LESSON
FIGURES = sorted(FOLDER.glob("figure-*.py"))
PAGE = f"lessons/{LESSON}/index.html"
ASSETS = f"assets/figures/{LESSON}"


def load(name: str) -> ModuleType:
    """A figure script as a module: its functions, without running its __main__ block."""
    spec = importlib.util.spec_from_file_location(name.removesuffix(".py").replace("-", "_"), FOLDER / name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def documented(snippet: str, selector: str) -> float:
    """A number from a lesson snippet's documented output, as the page's {{ value }} reads it."""
    output = (FOLDER / snippet).with_suffix(".out").read_text(encoding="utf-8")
    return float(lookup_value(output, selector))


def assigned_array(snippet: str, name: str) -> np.ndarray:
    """The literal list in ``name = np.array([...])`` at the top level of a snippet."""
    for node in ast.parse((FOLDER / snippet).read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == [name]:
            return np.array(ast.literal_eval(node.value.args[0]))
    raise AssertionError(f"{snippet} assigns no {name}")


def smallest_text_pt(figure_name: str) -> float:
    """The smallest font size of any text a figure draws, in points, over both palettes."""
    module = load(figure_name)
    sizes = []
    for theme in module.THEMES:
        fig = module.draw(data_of(module), theme)
        fig.canvas.draw()
        texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
        # Sub- and superscripts would be drawn smaller than their font size says.
        assert not [t.get_text() for t in texts if "$" in t.get_text() and re.search(r"[\^_]", t.get_text())]
        sizes += [t.get_fontsize() for t in texts]
        matplotlib.pyplot.close(fig)
    return min(sizes)


def data_of(module: ModuleType) -> dict:
    compute = module.fit if hasattr(module, "fit") else module.descent_data
    return compute(module.evidence, module.latency)


def _soup(site: Path) -> BeautifulSoup:
    return BeautifulSoup((site / PAGE).read_text(encoding="utf-8"), "html.parser")


# --- On the page ---


@pytest.mark.parametrize("script", [p.name for p in FIGURES])
def test_figure_is_on_the_page_in_both_palettes_with_alt_text_caption_and_its_script(
    site: Path, script: str
) -> None:
    stem = script.removesuffix(".py")
    figure = next(
        f for f in _soup(site).select("article figure.lk-figure") if f.select_one(f'img[src*="/{stem}/"]')
    )
    images = figure.select("img")
    assert [img["src"].rsplit("/", 1)[1] for img in images] == ["light.svg#only-light", "dark.svg#only-dark"]
    assert images[0]["alt"] == images[1]["alt"] and len(images[0]["alt"]) > 200
    for img in images:
        # A click opens the full-size drawing: the link is the image's own file, without the fragment.
        assert img.parent.name == "a" and img.parent["href"] == img["src"].split("#")[0]
        svg = ((site / PAGE).parent / img.parent["href"]).resolve()
        assert svg == (site / ASSETS / stem / img["src"].split("#")[0].rsplit("/", 1)[1]).resolve()
        assert b"<svg" in svg.read_bytes()[:500]
        # Its space is kept while it loads (the drawing's own size), and the palette not shown
        # is never fetched: a lazy image that is not displayed does not load.
        assert (int(img["width"]), int(img["height"])) == figures.svg_size(svg.read_bytes())
        assert img["loading"] == "lazy"
    caption = figure.select_one("figcaption").get_text(" ", strip=True)
    assert len(caption) > 100

    details = figure.find_next_sibling()
    assert details.name == "details" and details.summary.get_text() == "How this figure is made"
    # The script and its output are one click away: a page of their own, linked from the block
    # (fetched into it when opened), holding exactly the script and this build's output.
    link = details.select_one("a")
    assert link["href"] == details["data-lk-fragment"]
    published = BeautifulSoup(
        ((site / PAGE).parent / link["href"]).read_text(encoding="utf-8"), "html.parser"
    )
    assert ((site / PAGE).parent / link["href"]).resolve() == (
        site / ASSETS / stem / figures.SOURCE_PAGE
    ).resolve()
    titles = [t.get_text() for t in published.select("main span.filename")]
    assert titles == [script, "Output"]
    code, output = (block.get_text() for block in published.select("main code"))
    assert code == (FOLDER / script).read_text(encoding="utf-8")
    assert output == (FOLDER / script).with_suffix(".out").read_text(encoding="utf-8")
    assert not details.select("pre"), "the page itself does not carry the script"


def test_alt_text_and_captions_quote_what_the_scripts_printed(site: Path) -> None:
    fitted, descent = _soup(site).select("article figure.lk-figure")
    assert f"mean area, {documented('figure-fitted-line.py', 'mse'):g}" in fitted.img["alt"]
    assert f"mean squared error, {documented('figure-fitted-line.py', 'mse'):g}" in fitted.figcaption.text
    landing = [documented("figure-gradient-descent.py", f"unstable_rate[{i}]") for i in (2, 3)]
    assert "lands at ({:g}, {:g})".format(*landing) in descent.img["alt"]


def test_social_card_is_a_1200_by_630_png(site: Path) -> None:
    card = Image.open(io.BytesIO((site / ASSETS / "figure-fitted-line" / "card.png").read_bytes()))
    assert (card.format, card.size) == ("PNG", (1200, 630))


def test_plain_markdown_shows_each_figure_in_place_and_its_script_in_the_appendix(site: Path) -> None:
    export = site / f"lessons/{LESSON}.md"
    text = export.read_text(encoding="utf-8")
    lesson, appendix = text.split("\n## Appendix: the figure scripts\n")
    assert "\n## " not in appendix, "the appendix is the last section"
    for script in FIGURES:
        link = re.search(rf"!\[[^\n]+\]\((\S+/{script.stem}/light\.svg)\)", lesson)
        assert link and (export.parent / link[1]).resolve().is_file()
        assert f"*The script that draws it, `{script.name}`, is in the appendix.*" in lesson
        assert script.name not in lesson.replace(f"`{script.name}`", ""), "only named in the lesson"
        # Outside pytest-codeblocks (python title=...), which would run it as a module and draw nothing.
        assert f'### {script.name}\n\n```python title="{script.name}"\n' in appendix
        assert script.read_text(encoding="utf-8").rstrip() in appendix
        assert script.with_suffix(".out").read_text(encoding="utf-8") in appendix
    assert [name for name in re.findall(r"^### (\S+)$", appendix, re.M)] == [p.name for p in FIGURES]


def test_plain_markdown_has_no_site_only_markup(site: Path) -> None:
    text = (site / f"lessons/{LESSON}.md").read_text(encoding="utf-8")
    assert "#!python" not in text, "inlinehilite's marker means nothing outside the site"
    assert "`np.linalg.solve`" in text


# --- Same inputs, same bytes ---


def test_two_builds_draw_byte_identical_figures(site: Path, project: Path, tmp_path: Path) -> None:
    again = mkdocs_build(project, tmp_path / "site", env={"LESSONKIT_NO_CACHE": "1"})
    assert again.ok, again.output
    assert re.search(r"lessonkit: (\d+) snippets: \1 run, 0 cached", again.output), "figures were redrawn"
    first = {p.relative_to(site): p.read_bytes() for p in (site / ASSETS).rglob("*") if p.is_file()}
    second = {
        p.relative_to(again.site): p.read_bytes() for p in (again.site / ASSETS).rglob("*") if p.is_file()
    }
    # light.svg, dark.svg and the how-it-is-made page each, plus one card.png
    assert len(first) == 3 * len(FIGURES) + 1
    assert first == second
    assert not any(b"<dc:date>" in content for content in first.values())


# --- What the figures draw is the lesson's data, fitted by the lesson's methods ---


@pytest.mark.parametrize("script", [p.name for p in FIGURES])
def test_figure_draws_the_lessons_replay_data(script: str) -> None:
    module = load(script)
    for name in ("evidence", "latency"):
        np.testing.assert_array_equal(
            getattr(module, name), assigned_array("inspect-the-request-replay.py", name)
        )


def test_fitted_line_is_the_closed_form_solution() -> None:
    data = data_of(load("figure-fitted-line.py"))
    expected = [
        documented("numpy-implementation-with-the-closed-form.py", f"closed_form_weights[{i}]")
        for i in (0, 1)
    ]
    assert [data["intercept"], data["slope"]] == pytest.approx(expected, abs=1e-9)


def test_tiles_are_squares_of_the_residuals_and_their_mean_area_is_the_lessons_mse() -> None:
    module = load("figure-fitted-line.py")
    data = data_of(module)
    lesson_mse = documented("score-candidate-line-against-baseline.py", "mse")
    assert data["tile_areas"].mean() == pytest.approx(data["mse"]) == pytest.approx(lesson_mse)

    fig = module.draw(data, "light")
    fig.canvas.draw()
    patches = [p for ax in fig.axes for p in ax.patches if isinstance(p, Rectangle)]
    tiles = [p for p in patches if p.get_label() == "squared-error tile"]
    (mean_tile,) = [p for p in patches if p.get_label() == "mean tile"]
    sides_ms = [tile.get_height() for tile in tiles]
    assert sides_ms == pytest.approx(np.abs(data["residuals"]))
    assert np.mean(np.square(sides_ms)) == pytest.approx(lesson_mse)
    assert mean_tile.get_height() ** 2 == pytest.approx(lesson_mse)
    for tile in [*tiles, mean_tile]:
        box = tile.get_window_extent()
        assert box.width == pytest.approx(box.height, abs=0.5), "a tile is drawn square on the page"
    matplotlib.pyplot.close(fig)


def test_learning_rate_005_path_passes_the_lessons_checkpoints_and_ends_at_the_minimum() -> None:
    module = load("figure-gradient-descent.py")
    data = data_of(module)
    path = data["stable_path"]
    assert np.abs(path[-1] - [100, 20]).max() < 0.01
    assert np.abs(path[-1] - data["minimum"]).max() < 0.01
    for step in (1, 100, 1000):
        printed = [documented("gradient-descent-line-fit.py", f"after_step={step}[{i}]") for i in (2, 3)]
        assert path[step] == pytest.approx(printed, abs=0.005)
    assert np.all(np.diff(data["stable_losses"]) < 0), "the loss falls at every step"

    fig = module.draw(data, "light")
    (drawn,) = [line for line in fig.axes[0].get_lines() if line.get_label() == "stable path"]
    np.testing.assert_array_equal(drawn.get_xydata(), path)
    matplotlib.pyplot.close(fig)


def test_learning_rate_02_loss_rises_at_every_step_as_the_lesson_detects() -> None:
    data = data_of(load("figure-gradient-descent.py"))
    losses = data["unstable_losses"]
    assert np.all(np.diff(losses) > 0)
    output = (FOLDER / "detect-an-unstable-learning-rate.out").read_text(encoding="utf-8")
    printed = [float(n) for n in re.findall(r"[\d.]+", lookup_value(output, "losses"))]
    assert losses[: len(printed)] == pytest.approx(printed, abs=0.05)


def test_every_text_in_a_figure_is_drawn_at_13_pt_or_more() -> None:
    """13 pt in a 4.6 in figure is 12.9 px when a 360 px phone shrinks it to 328 px."""
    for script in FIGURES:
        assert smallest_text_pt(script.name) >= 13, script.name


# --- Faults ---


def test_figure_script_that_saves_no_svg_fails_the_build_naming_it(project: Path, tmp_path: Path) -> None:
    script = project / "snippets" / LESSON / "figure-gradient-descent.py"
    source = script.read_text(encoding="utf-8")
    assert 'fig.savefig(f"{theme}.svg"' in source
    script.write_text(
        source.replace('fig.savefig(f"{theme}.svg"', 'fig.savefig(f"{theme}.png"'), encoding="utf-8"
    )
    result = mkdocs_build(project, tmp_path / "site")
    assert not result.ok
    assert (
        f"snippets/{LESSON}/figure-gradient-descent.py did not write light.svg and dark.svg "
        "(it wrote: dark.png, light.png)"
    ) in result.output
    assert not (tmp_path / "site").exists(), "no site is left behind"


def test_figure_without_alt_text_fails_the_build_naming_page_and_figure(
    project: Path, tmp_path: Path
) -> None:
    page = project / "docs" / "lessons" / f"{LESSON}.md"
    source = page.read_text(encoding="utf-8")
    without_alt = re.sub(r"(\{\{ figure figure-fitted-line\.py \}\}\n)alt: .*\n", r"\1", source)
    assert without_alt != source
    page.write_text(without_alt, encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    assert not result.ok
    assert re.search(
        rf"docs/lessons/{LESSON}.md:\d+: `{{{{ figure figure-fitted-line.py }}}}` has no alt text; "
        r"add a line `alt: <what the figure shows>` right below it",
        result.output,
    ), result.output


# --- In the browser ---


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [360, 1280])
def test_figures_load_legibly_at_phone_and_desktop_width_in_both_palettes(
    browser, site: Path, serve, tmp_path: Path, width: int, scheme: str
) -> None:
    base = serve(site)
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{base}lessons/{LESSON}/")
    page.wait_for_load_state("networkidle")
    assert (
        page.locator("body").get_attribute("data-md-color-scheme")
        == {"light": "default", "dark": "slate"}[scheme]
    )
    # The page's small text (table cells): the figures' smallest text may not render smaller.
    small_px = float(page.evaluate("getComputedStyle(document.querySelector('article td')).fontSize")[:-2])

    figures = page.locator("article figure.lk-figure")
    assert figures.count() == len(FIGURES)
    for index, script in enumerate(FIGURES):
        figure = figures.nth(index)
        figure.scroll_into_view_if_needed()
        shown = figure.locator("img:visible")
        assert shown.count() == 1, "exactly one palette variant is visible"
        assert shown.get_attribute("src").endswith(f"/{script.stem}/{scheme}.svg#only-{scheme}")
        page.wait_for_function("img => img.complete", arg=shown.element_handle())  # loaded lazily
        image = shown.evaluate(
            "img => ({done: img.complete, natural: img.naturalWidth, shown: img.clientWidth})"
        )
        assert image["done"] and image["natural"] > 0
        assert image["shown"] <= width
        rendered_px = smallest_text_pt(script.name) * 96 / 72 * image["shown"] / image["natural"]
        assert rendered_px >= small_px, f"{script.name}: smallest text {rendered_px:.1f} px < {small_px} px"
        figure.screenshot(path=str(tmp_path / f"{script.stem}-{width}-{scheme}.png"))
    page.screenshot(path=str(tmp_path / f"page-{width}-{scheme}.png"), full_page=True)
    other = {"light": "dark", "dark": "light"}[scheme]
    figure_files = [url.rsplit("/", 1)[1] for url in requested if f"/{ASSETS}/" in url]
    assert f"{scheme}.svg" in figure_files and f"{other}.svg" not in figure_files, figure_files
    assert errors == []
    context.close()


@pytest.mark.browser
def test_clicking_a_figure_opens_the_full_size_drawing(browser, site: Path, serve) -> None:
    base = serve(site)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    page = context.new_page()
    page.goto(f"{base}lessons/{LESSON}/")
    image = page.locator("article figure.lk-figure img:visible").first
    image.scroll_into_view_if_needed()
    with page.expect_navigation() as navigation:
        image.click()
    response = navigation.value
    assert response.ok and response.headers["content-type"] == "image/svg+xml"
    assert page.url == f"{base}{ASSETS}/figure-fitted-line/light.svg"
    context.close()


def test_figures_are_drawn_even_when_snippet_execution_is_switched_off(project: Path, tmp_path: Path) -> None:
    """LESSONKIT_EXECUTE=0 shows documented outputs, but a figure exists only once its script has run."""
    result = mkdocs_build(project, tmp_path / "site", env={"LESSONKIT_EXECUTE": "0"})
    assert result.ok, result.output
    for script in FIGURES:
        for variant in ("light", "dark"):
            assert (result.site / ASSETS / script.stem / f"{variant}.svg").read_bytes().startswith(b"<?xml")
