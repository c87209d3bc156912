"""A lesson's companion Jupyter notebook, made from its snippets at build time.

The notebook follows the page: for every snippet the page shows (``{{ example NAME.py }}``
or ``{{ figure NAME.py }}``, in page order) a markdown cell naming the section it sits in,
then one code cell holding the snippet's source. Outputs are this build's run of each
snippet (stdout as a stream; for a figure snippet also its ``light.svg`` as an image), so
building needs no kernel. A figure cell is wrapped in a few added lines: the script runs in a
scratch folder, its light SVG is displayed, and the folder is removed, so running the notebook
in Jupyter shows the figure too and leaves no file in the reader's folder.

Same inputs give the same bytes: cell ids come from snippet names, nothing records time.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from xml.dom import minidom

from ..page.directives import PageContext, scan
from ..run import figures
from ..run.imports import top_level_imports
from ..run.results import RunResult

if TYPE_CHECKING:  # nbformat (with jsonschema) is imported only when a notebook is made
    import nbformat

SHOWN_BY = ("example", "figure")  # directives that put a snippet's code on the page
FIGURE_IMAGE = figures.REQUIRED[0]  # the light variant
# A figure script saves its drawings in the current folder (the build collects them from there);
# in the notebook it runs in a scratch folder instead, which is removed once the figure is shown.
FIGURE_SETUP = (
    "# Added in the notebook: the script saves its drawings in a scratch folder, not in yours.\n"
    "import os\n"
    "import shutil\n"
    "import tempfile\n\n"
    "notebook_folder, scratch_folder = os.getcwd(), tempfile.mkdtemp()\n"
    "os.chdir(scratch_folder)\n\n"
)
FIGURE_DISPLAY = (
    "\n\n# Added in the notebook: show the figure the script saved, then remove the scratch folder.\n"
    "from IPython.display import SVG, display\n\n"
    f'display(SVG(filename="{FIGURE_IMAGE}"))\n'
    "os.chdir(notebook_folder)\n"
    "shutil.rmtree(scratch_folder)\n"
)


def figure_cell_source(script: str) -> str:
    """A figure script as a notebook cell: run in a scratch folder, its light SVG shown inline."""
    return FIGURE_SETUP + script.rstrip("\n") + FIGURE_DISPLAY.rstrip("\n")


MAX_CELL_ID = 64  # nbformat's limit

# In the HTML mkdocs-jupyter renders: scripts that would fetch from a CDN, and math left for MathJax.
SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL | re.IGNORECASE)
# A remote src or import; or an empty src, which is what mkdocs-jupyter leaves of MathJax's loader.
REMOTE_SCRIPT = re.compile(
    r"""\bsrc\s*=\s*(?:["']?(?:https?:)?//|""|'')|\bimport\s*\(\s*["'](?:https?:)?//"""
)
MATHJAX_CONFIG = re.compile(r"""\btype\s*=\s*["']text/x-mathjax-config""")
REMOTE_ASSET = re.compile(
    r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?//"""
    r"""|url\(\s*["']?(?:https?:)?//|\bimport\s*\(\s*["'](?:https?:)?//""",
    re.IGNORECASE,
)
RENDERED_MARKDOWN = re.compile(
    r'(?P<open><div class="[^"]*\bjp-RenderedMarkdown\b[^"]*"[^>]*>)(?P<body>.*?)(?P<close></div>)', re.DOTALL
)
TAG = re.compile(r"(<[^>]+>)")
DISPLAY_MATH = re.compile(r"\$\$(?P<tex>.+?)\$\$", re.DOTALL)
INLINE_MATH = re.compile(r"(?<![\\$])\$(?![\s$])(?P<tex>[^$]+?)(?<![\s\\])\$(?!\d)")


class NotebookError(Exception):
    """A notebook that cannot be made; the message names the page or snippet."""


@dataclass(frozen=True)
class ShownSnippet:
    path: Path
    section: str  # the nearest heading above the directive, as written in the page

    @property
    def is_figure(self) -> bool:
        return figures.is_figure(self.path)


def shown_snippets(markdown: str, page: PageContext) -> list[ShownSnippet]:
    """Snippets whose code the page shows, once each, in page order, with their sections."""
    scanned = scan(markdown)
    shown: dict[Path, ShownSnippet] = {}
    for directive in scanned.directives:
        if directive.kind not in SHOWN_BY or not directive.args:
            continue  # expansion reports malformed directives
        above = [h.text for h in scanned.headings if h.start < directive.start]
        path = page.snippet(directive.args[0], directive)
        shown.setdefault(path, ShownSnippet(path, above[-1] if above else ""))
    return list(shown.values())


def cell_id(name: str) -> str:
    """A stable id allowed by nbformat (letters, digits, - and _; at most 64 characters)."""
    safe = re.sub(r"[^A-Za-z0-9_-]", "-", name)
    if len(safe) <= MAX_CELL_ID:
        return safe
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{safe[: MAX_CELL_ID - 9]}-{digest}"


def third_party_imports(paths: list[Path]) -> list[str]:
    """Top-level modules the snippets import that do not come with Python."""
    names: set[str] = set()
    for path in paths:
        names |= top_level_imports(path.read_bytes(), str(path))
    local = {p.stem for p in paths}
    return sorted(n for n in names if n not in sys.stdlib_module_names and n not in local)


def _intro(title: str, description: str, shown: list[ShownSnippet]) -> str:
    imports = ", ".join(f"`{name}`" for name in third_party_imports([s.path for s in shown]))
    lines = [f"# {title}: companion notebook", ""]
    if description:
        lines += [description, ""]
    lines.append(
        "Each code cell is one of the lesson's scripts, in the order the lesson shows them, "
        "under the heading of the section it belongs to. The outputs stored here are what the "
        "scripts printed when the site was built; run all cells to reproduce them."
    )
    if imports:
        lines += ["", f"The scripts import {imports}."]
    return "\n".join(lines)


def svg_display_data(svg: bytes) -> dict[str, str]:
    """The output ``display(SVG(filename=...))`` gives in Jupyter: IPython keeps only the
    <svg> element (no XML declaration or doctype), re-serialised by minidom."""
    element = minidom.parseString(svg).getElementsByTagName("svg")[0]
    return {"image/svg+xml": element.toxml(), "text/plain": "<IPython.core.display.SVG object>"}


def _outputs(snippet: ShownSnippet, result: RunResult, lesson: PageContext) -> list:
    from nbformat import v4

    outputs = []
    stdout = result.stdout.decode("utf-8")
    if stdout:
        outputs.append(v4.new_output("stream", name="stdout", text=stdout))
    if snippet.is_figure:
        svg = result.artifacts.get(FIGURE_IMAGE)
        if svg is None:
            rel = snippet.path.relative_to(lesson.root).as_posix()
            raise NotebookError(
                f"{rel} is a figure snippet but this build's run of it left no {FIGURE_IMAGE} "
                "in its working directory"
            )
        outputs.append(v4.new_output("display_data", data=svg_display_data(svg)))
    return outputs


def build(
    lesson: PageContext,
    markdown: str,
    meta: Mapping[str, object],
    results: Mapping[Path, RunResult],
) -> nbformat.NotebookNode | None:
    """The notebook for one lesson page (``markdown`` without front matter, ``meta`` its front
    matter), or None if the page shows no snippet's code."""
    import nbformat
    from nbformat import v4

    shown = shown_snippets(markdown, lesson)
    if not shown:
        return None
    title = str(meta.get("title") or Path(lesson.page).stem)
    cells = [v4.new_markdown_cell(_intro(title, str(meta.get("description") or ""), shown), id="intro")]
    previous_section = None
    for snippet in shown:
        stem = snippet.path.stem
        name = f"`{snippet.path.name}`"
        if snippet.section != previous_section:
            note = f"## {snippet.section}\n\n{name}" if snippet.section else name
        else:
            note = f"{name}, also from the section *{snippet.section}*"
        previous_section = snippet.section
        cells.append(v4.new_markdown_cell(note, id=cell_id(f"{stem}-section")))
        source = snippet.path.read_text(encoding="utf-8").rstrip("\n")
        if snippet.is_figure:
            source = figure_cell_source(source)
        try:
            result = results[snippet.path]
        except KeyError:
            raise NotebookError(f"{snippet.path} was not run by this build") from None
        cells.append(v4.new_code_cell(source, id=cell_id(stem), outputs=_outputs(snippet, result, lesson)))
    notebook = v4.new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        },
    )
    nbformat.validate(notebook)
    return notebook


def to_bytes(notebook: nbformat.NotebookNode) -> bytes:
    """The file's bytes: nbformat's own layout (sorted keys), one trailing newline."""
    import nbformat

    text = nbformat.writes(notebook)
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


def _mark_math(text: str) -> str:
    """TeX between dollars as pymdownx.arithmatex marks it, so the build's KaTeX step typesets it."""
    text = DISPLAY_MATH.sub(lambda m: f'<span class="arithmatex">\\[{m["tex"]}\\]</span>', text)
    return INLINE_MATH.sub(lambda m: f'<span class="arithmatex">\\({m["tex"]}\\)</span>', text)


def _mark_markdown_math(body: str) -> str:
    pieces, literal = [], 0  # literal > 0 inside <code> or <pre>, where dollars are just dollars
    for piece in TAG.split(body):
        if piece.startswith("<"):
            name = piece[1:].lstrip("/").split(None, 1)[0].rstrip(">").lower()
            if name in ("code", "pre"):
                literal += -1 if piece.startswith("</") else 1
            pieces.append(piece)
        else:
            pieces.append(piece if literal else _mark_math(piece))
    return "".join(pieces)


def site_html(html: str) -> str:
    """mkdocs-jupyter's HTML made fit for the site: no CDN scripts, math left for the KaTeX step.

    nbconvert's template loads MathJax (and, for diagrams, Mermaid) from a CDN; the site
    makes no third-party requests, so those scripts go, and the math they would have
    typeset is marked for the build-time KaTeX renderer instead. Raises NotebookError if a
    remote asset is still referenced afterwards (say, after an upgrade of nbconvert).
    """

    def keep(match: re.Match[str]) -> str:
        attrs, body = match["attrs"], match["body"]
        remote = REMOTE_SCRIPT.search(attrs) or REMOTE_SCRIPT.search(body)
        return "" if remote or MATHJAX_CONFIG.search(attrs) else match[0]

    html = SCRIPT.sub(keep, html)
    html = RENDERED_MARKDOWN.sub(lambda m: m["open"] + _mark_markdown_math(m["body"]) + m["close"], html)
    leftover = REMOTE_ASSET.search(html)
    if leftover:
        start = max(0, leftover.start() - 40)
        raise NotebookError(
            f"the rendered notebook still loads a remote asset: {html[start : leftover.end() + 60]!r}"
        )
    return html
