"""Render math to HTML at build time with KaTeX, so pages need no JavaScript for formulas.

Input is the HTML that ``pymdownx.arithmatex`` (generic mode) produces:
``<span class="arithmatex">\\(...\\)</span>`` and ``<div class="arithmatex">\\[...\\]</div>``.
One ``node`` process serves a whole build, one JSON batch per page.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

from ..processes import close_stdin_and_wait
from .katex_cache import FormulaCache

SCRIPT = Path(__file__).with_name("katex_render.js")
ARITHMATEX = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">(?P<body>.*?)</(?P=tag)>',
    re.DOTALL,
)
_DELIMITERS = {r"\(": r"\)", r"\[": r"\]"}


class KatexError(Exception):
    """Node or KaTeX is missing, or a formula does not parse."""


def _strip_delimiters(body: str) -> tuple[str, bool]:
    text = html.unescape(body).strip()
    opener = text[:2]
    if opener in _DELIMITERS and text.endswith(_DELIMITERS[opener]):
        return text[2:-2].strip(), opener == r"\["
    raise KatexError(f"unexpected arithmatex markup: {body[:80]!r}")


class KatexRenderer:
    """A ``node`` process that renders formulas for many pages, started at the first formula
    (a site without math needs neither Node.js nor KaTeX)."""

    def __init__(self, package: Path, formulas: FormulaCache | None = None) -> None:
        self.package = package  # the site's KaTeX, e.g. <project>/node_modules/katex
        self.formulas = formulas  # formulas rendered before: sent to node only once
        self._proc: subprocess.Popen | None = None

    def _start(self) -> subprocess.Popen:
        node = shutil.which("node")
        if node is None:
            raise KatexError(
                "Node.js is required to render math at build time, but `node` is not on PATH. "
                "Install Node.js 20 or newer, then run `npm ci` in the project root."
            )
        if not (self.package / "dist").is_dir():
            raise KatexError(
                f"KaTeX is not installed at {self.package}: run `npm ci` in the project root "
                "(or set the lessonkit plugin's `katex` option to the KaTeX package folder)."
            )
        return subprocess.Popen(
            [node, str(SCRIPT), str(self.package.resolve())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def render_batch(self, items: list[tuple[str, bool]]) -> list[dict]:
        if self._proc is None:
            self._proc = self._start()
        assert self._proc.stdin and self._proc.stdout
        request = [{"tex": tex, "display": display} for tex, display in items]
        self._proc.stdin.write(json.dumps(request) + "\n")
        self._proc.stdin.flush()
        line = self._proc.stdout.readline()
        if not line:
            err = self._proc.stderr.read() if self._proc.stderr else ""
            raise KatexError(f"the KaTeX node process stopped: {err.strip()}")
        return json.loads(line)

    def _render_remembered(self, items: list[tuple[str, bool]]) -> list[dict]:
        """``render_batch(items)``, sending only formulas the cache does not hold (once each)."""
        if self.formulas is None:
            return self.render_batch(items)
        known = [self.formulas.get(item) for item in items]
        missing = list(dict.fromkeys(item for item, html in zip(items, known, strict=True) if html is None))
        fresh = dict(zip(missing, self.render_batch(missing), strict=True)) if missing else {}
        for item, out in fresh.items():
            if "html" in out:
                self.formulas.put(item, out["html"])
        return [
            {"html": html} if html is not None else fresh[item]
            for item, html in zip(items, known, strict=True)
        ]

    def render_page(self, page_html: str, page: str) -> str:
        """Replace every arithmatex element in ``page_html``; a TeX error names page and formula."""
        matches = list(ARITHMATEX.finditer(page_html))
        if not matches:
            return page_html
        items = [_strip_delimiters(m["body"]) for m in matches]
        rendered = self._render_remembered(items)
        errors = [
            f"  {'$$' if display else '$'}{tex}{'$$' if display else '$'}\n    {out['error']}"
            for (tex, display), out in zip(items, rendered, strict=True)
            if "error" in out
        ]
        if errors:
            raise KatexError(f"{page}: {len(errors)} formula(s) failed to render:\n" + "\n".join(errors))
        pieces, last = [], 0
        for match, out in zip(matches, rendered, strict=True):
            pieces.append(page_html[last : match.start()])
            # Display math keeps its box (it scrolls sideways, see a11y.py); inline math needs none.
            if match["tag"] == "div":
                pieces.append(f'<div class="arithmatex">{out["html"]}</div>')
            else:
                pieces.append(out["html"])
            last = match.end()
        pieces.append(page_html[last:])
        return "".join(pieces)

    def close(self) -> None:
        if self._proc is not None:
            close_stdin_and_wait(self._proc)
            self._proc = None


STYLESHEET = "assets/katex/katex.min.css"
FONTS = "assets/katex/fonts"
FONT_SOURCES = re.compile(r"src:(?P<sources>[^;}]*)")
FONT_SOURCE = re.compile(r'url\((?P<url>[^)]+)\)\s*format\("(?P<format>[\w-]+)"\)')
# The fonts nearly every formula is set in (KaTeX_Main for digits and operators, KaTeX_Math for
# italic letters): pages with math preload them, so formulas are laid out once, in them.
PRELOADED_FONTS = ("KaTeX_Main-Regular.woff2", "KaTeX_Math-Italic.woff2")


def static_assets(package: Path) -> dict[str, Path]:
    """KaTeX's woff2 fonts, keyed by their path under the site's assets folder (none when
    KaTeX is not installed: a site without math does not need it). Its stylesheet is
    :func:`stylesheet`."""
    fonts = package / "dist" / "fonts"
    return {f"{FONTS}/{font.name}": font for font in sorted(fonts.glob("*.woff2"))} if fonts.is_dir() else {}


def stylesheet(package: Path) -> str | None:
    """KaTeX's stylesheet naming only the woff2 fonts the site ships (None when KaTeX is not
    installed).

    Its @font-face rules also list woff and ttf fallbacks, which every browser that reads
    woff2 (all current ones) never fetches; shipping them would triple the fonts' weight."""
    source = package / "dist" / "katex.min.css"
    if not source.is_file():
        return None
    css = source.read_text(encoding="utf-8")

    def woff2_only(match: re.Match[str]) -> str:
        woff2 = [m[0] for m in FONT_SOURCE.finditer(match["sources"]) if m["format"] == "woff2"]
        if not woff2:
            raise KatexError(f"katex.min.css names a font without a woff2 file: {match[0][:120]}")
        return "src:" + ",".join(woff2)

    return FONT_SOURCES.sub(woff2_only, css)


def uses_math(page_html: str) -> bool:
    """Whether a page (as rendered by Markdown, before the KaTeX step) has formulas."""
    return ARITHMATEX.search(page_html) is not None
