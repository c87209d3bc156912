"""What the published site tells machines about itself: social preview cards,
``robots.txt`` and ``llms.txt``. Plain Python; the lessonkit plugin wires it into MkDocs.

A lesson's preview card is the ``card.png`` its first figure snippet draws (see the figure
contract: ``snippets/<lesson>/figure-*.py`` writes ``card.png``, 1200x630, published at
``assets/figures/<lesson>/<figure-stem>/card.png``). Pages without one share a site-wide
card that the build draws itself, so no binary image is committed.
"""

from __future__ import annotations

import importlib.util
import io
import struct
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..run import figures
from ..run.results import RunResult

CARD_FILE = "card.png"
CARD_SIZE = (1200, 630)  # the size Open Graph and Twitter's large card expect
DEFAULT_CARD_URI = "assets/social/card.png"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class PublishError(Exception):
    """Something the published site cannot be built from; the message names the file."""


@dataclass(frozen=True)
class Card:
    uri: str  # where the site publishes it, relative to the site root
    png: bytes


@dataclass(frozen=True)
class LessonLink:
    title: str
    description: str
    markdown_uri: str  # the lesson's plain-Markdown export, relative to the site root


def absolute_url(site_url: str, uri: str) -> str:
    """``uri`` (relative to the site root) under ``site_url``, which may carry a sub-path."""
    return site_url.rstrip("/") + "/" + uri.lstrip("/")


def png_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from a PNG's header, or None if ``data`` is not a PNG."""
    if not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", data[16:24])


def lesson_card(folder: Path, results: Mapping[Path, RunResult], page_source: str, root: Path) -> Card | None:
    """The card drawn by the lesson's first figure, or None if no figure drew one (``results``:
    at least the results of the snippets in ``folder``).

    "First" is the figure named earliest in the page; the contract asks only the first
    figure to draw a card, so there is normally just one candidate.
    """
    drawn = [
        path
        for path, result in results.items()
        if path.parent == folder and figures.is_figure(path) and CARD_FILE in result.artifacts
    ]
    if not drawn:
        return None

    def page_order(path: Path) -> tuple[int, str]:
        at = page_source.find(path.name)
        return (at if at >= 0 else len(page_source), path.name)

    figure = min(drawn, key=page_order)
    png = results[figure].artifacts[CARD_FILE]
    where = figure.relative_to(root).as_posix()
    size = png_size(png)
    if size != CARD_SIZE:
        found = "not a PNG" if size is None else f"{size[0]}x{size[1]}"
        raise PublishError(
            f"{where}: its {CARD_FILE} is {found}; a social preview card must be a "
            f"{CARD_SIZE[0]}x{CARD_SIZE[1]} PNG"
        )
    return Card(figures.asset_uri(figure, CARD_FILE), png)


def _dejavu(name: str) -> str:
    """A font file matplotlib ships (found without importing matplotlib, which takes longer
    than drawing the card)."""
    spec = importlib.util.find_spec("matplotlib")
    assert spec is not None and spec.submodule_search_locations, "matplotlib is a dependency"
    return str(Path(spec.submodule_search_locations[0]) / "mpl-data" / "fonts" / "ttf" / name)


@lru_cache(maxsize=4)
def default_card(site_name: str, tagline: str) -> bytes:
    """A 1200x630 PNG with the site's name and tagline, drawn with Pillow.

    Deterministic: the same text, Pillow and font give the same pixels, and the PNG carries
    no metadata (no software name, no date). Shapes are drawn at twice the size and scaled
    down, so their edges are smooth.
    """
    from PIL import Image, ImageDraw, ImageFont  # imported here: only the build needs them

    scale = 2
    width, height = CARD_SIZE
    image = Image.new("RGB", (width * scale, height * scale), "#1a237e")
    draw = ImageDraw.Draw(image)

    # A small least-squares motif: five measurements and the line fitted through them.
    def at(x: float, y: float) -> tuple[float, float]:
        return (760 + (x - 1) * 90) * scale, (height - 50 - (y - 110) * 2.4) * scale

    start, end = at(0.6, 112), at(5.4, 208)
    draw.line([start, end], fill="#9fa8da", width=6 * scale)
    for cx, cy in (start, end):
        r = 3 * scale
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill="#9fa8da")  # round caps
    for x, y in [(1, 118), (2, 141), (3, 162), (4, 181), (5, 198)]:
        cx, cy = at(x, y)
        r = 9 * scale
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill="#ffffff")

    title = ImageFont.truetype(_dejavu("DejaVuSans-Bold.ttf"), 58 * scale)
    body = ImageFont.truetype(_dejavu("DejaVuSans.ttf"), 35 * scale)
    draw.multiline_text(
        (70 * scale, 70 * scale), textwrap.fill(site_name, 30), font=title, fill="white", spacing=12 * scale
    )
    draw.multiline_text(
        (70 * scale, 240 * scale), textwrap.fill(tagline, 30), font=body, fill="#e8eaf6", spacing=16 * scale
    )
    buffer = io.BytesIO()
    image.resize(CARD_SIZE, Image.Resampling.LANCZOS).save(buffer, format="PNG")
    return buffer.getvalue()


def robots_txt(site_url: str) -> str:
    """Allow everything and point crawlers at the sitemap.

    Crawlers read robots.txt only at a host's root; under a project sub-path this file
    is harmless but unread, and the sitemap is still found through the pages' links.
    """
    return f"User-agent: *\nAllow: /\n\nSitemap: {absolute_url(site_url, 'sitemap.xml')}\n"


def llms_txt(site_name: str, summary: str, site_url: str, lessons: list[LessonLink]) -> str:
    """The site in the llms.txt format: a title, a one-line summary, then a list of
    links to each lesson's plain-Markdown version."""
    lines = [
        f"# {site_name}",
        "",
        f"> {summary}",
        "",
        "Every code block in these lessons is a script that ran when the site was built, and every "
        "output shown is that run's output. Each lesson is linked below as plain Markdown: its examples "
        "are bare Python blocks, each followed by its expected output.",
        "",
        "## Lessons",
        "",
    ]
    for lesson in lessons:
        url = absolute_url(site_url, lesson.markdown_uri)
        lines.append(f"- [{lesson.title}]({url}): {lesson.description}")
    return "\n".join(lines) + "\n"
