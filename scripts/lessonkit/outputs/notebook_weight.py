"""A companion notebook page made light: its stylesheets and figures become files of the site.

Why this exists: mkdocs-jupyter renders a notebook with nbconvert's lab template, which inlines
JupyterLab's whole stylesheet (about 590 KB, the same on every notebook page) and embeds each
figure as a base64 data URI; neither has an option (mkdocs-jupyter builds the exporter and
picks the template itself), so a lesson's notebook page weighed 1-1.5 MB. :func:`lighten` takes
mkdocs-jupyter's HTML for one page and returns it lighter, with the files it now refers to:

  - every <style> element's text, in page order, becomes one stylesheet named by its digest
    (pages whose styles are the same share one file), for the head to link
    (``lk_notebook_css`` in docs/overrides/partials/lk-head.html, after every other
    stylesheet, as the inline styles came after them);
  - every image embedded as a base64 data URI becomes a file named by its digest, and the
    <img> refers to it (the .ipynb download keeps its embedded outputs); so does every inline
    script over 1 KB (the copy buttons' script, 4 KB), loaded from where it stood;
  - an inline <svg> repeated exactly (the copy button's icon, once per code cell) is drawn
    once and reused: its later copies hold a <use> of the first;
  - in code cells, tokens the page draws exactly like the code around them (names,
    punctuation, whitespace: checked in Chromium by tests/test_notebook_weight.py) lose their
    <span>, and neighbours drawn alike share one;
  - the hidden copy of each code cell's source that mkdocs-jupyter adds for its copy button
    goes: the button copies the cell's <pre> instead, which holds the same text (checked per
    cell, else the copy stays) and one trailing newline.

Styles and figures alone left lesson 2's page at 660 KB, most of it code cells' markup (483 KB
for 83 KB of code), hence the last four rules. Same HTML in, same bytes out: file names are
content digests, nothing records time. The plugin writes the files into the site at every build.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import html as html_lib
import re
from dataclasses import dataclass, field

from mkdocs.utils import get_relative_url

ASSETS = "assets/notebooks"  # where the shared stylesheets and figures are published
DIGEST_CHARS = 16

# nbconvert writes lower-case tags and attributes; matching case-sensitively lets the regex
# engine skip ahead to each literal "src" (IGNORECASE made this pass 30 times slower).
STYLE = re.compile(r"<style\b[^>]*>(?P<css>.*?)</style>\s*", re.DOTALL)
DATA_IMAGE = re.compile(
    r"""(?P<attr>src\s*=\s*)(?P<q>["'])data:(?P<mime>image/[\w.+-]+);base64,(?P<data>[A-Za-z0-9+/=\s]*)(?P=q)"""
)
EXTENSIONS = {
    "image/svg+xml": "svg",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
}

# Pygments classes the notebook page draws like the code around them, in both palettes
# (JupyterLab's pygments rules with docs/assets/lessonkit-code.css's colours): names, builtins,
# function and module names, punctuation, magic variables, whitespace. Operators are bold there.
PLAIN_TOKENS = ("n", "nb", "nf", "nn", "p", "vm", "w")
SAME_LOOK = (
    frozenset({"s", "s1", "s2", "sa", "sb", "sc", "sd", "se", "sh", "si", "sr", "ss", "sx", "dl"}),
    frozenset({"m", "mb", "mf", "mh", "mi", "mo", "il"}),
    frozenset({"k", "kc", "kd", "kn", "kp", "kr", "kt"}),
    frozenset({"o", "ow"}),
    frozenset({"c", "c1", "ch", "cm", "cp", "cpf", "cs"}),
)
PLAIN_TOKEN = re.compile(rf'<span class="(?:{"|".join(PLAIN_TOKENS)})">(?P<text>[^<]*)</span>')
NEIGHBOURS = re.compile(r'<span class="(?P<first>\w+)">(?P<text>[^<]*)</span><span class="(?P<second>\w+)">')
# A code cell's highlighted source, then the hidden copy mkdocs-jupyter's copy button reads.
CODE_CELL = re.compile(
    r'(?P<open><div class="highlight-ipynb[^"]*"[^>]*><pre)>(?P<code>.*?)(?P<close></pre></div>)'
    r'(?P<copy>\s*<div class="clipboard-copy-txt" id="(?P<id>[^"]+)">(?P<text>[^<]*)</div>)?',
    re.DOTALL,
)
TAG = re.compile(r"<[^>]*>")
INLINE_SCRIPT = re.compile(r"<script>(?P<js>.*?)</script>", re.DOTALL)
SHARED_SCRIPT_BYTES = 1024  # a smaller script costs less inline than a request
SVG = re.compile(r"(?P<open><svg\b[^>]*>)(?P<body>.*?)(?P<close></svg>)", re.DOTALL)


class NotebookWeightError(Exception):
    """A notebook page whose weight cannot be moved into files; the message says what."""


@dataclass(frozen=True)
class LightPage:
    html: str
    stylesheets: tuple[str, ...] = ()  # site URIs, for the head to link in this order
    files: dict[str, bytes] = field(default_factory=dict)  # site URI -> bytes to publish


def asset_uri(data: bytes, extension: str) -> str:
    """The site URI of a published file: its content's digest, so same bytes, same name."""
    return f"{ASSETS}/{hashlib.sha256(data).hexdigest()[:DIGEST_CHARS]}.{extension}"


def _join_same_look(code: str) -> str:
    def join(match: re.Match[str]) -> str:
        first, second = match["first"], match["second"]
        if any(first in group and second in group for group in SAME_LOOK):
            return f'<span class="{first}">{match["text"]}'
        return match[0]

    while True:  # a run of three or more joins one pair per pass
        joined = NEIGHBOURS.sub(join, code)
        if joined == code:
            return code
        code = joined


def _code_cell(match: re.Match[str]) -> str:
    code = _join_same_look(PLAIN_TOKEN.sub(r"\g<text>", match["code"]))
    if match["copy"] is None:
        return match["open"] + ">" + code + match["close"]
    shown = html_lib.unescape(TAG.sub("", code))
    copied = html_lib.unescape(match["text"])
    if shown not in (copied, copied + "\n"):
        return match["open"] + ">" + code + match["close"] + match["copy"]  # keep the copy: it differs
    return f'{match["open"]} id="{match["id"]}">{code}{match["close"]}'


def _reuse_repeated_svgs(html: str) -> str:
    """Each inline <svg> seen before, character for character, as a <use> of its first copy,
    whose drawing is wrapped in a group named by its digest (same drawing, same size: the
    <svg> element and its attributes stay)."""
    seen: dict[str, str] = {}

    def reuse(match: re.Match[str]) -> str:
        body = match["body"]
        if "<svg" in body or "<use" in body or " id=" in body:
            return match[0]  # nested, reusing or naming something itself: left as it is
        whole = match[0]
        if whole not in seen:
            seen[whole] = f"lk-nb-svg-{hashlib.sha256(whole.encode()).hexdigest()[:8]}"
            return match[0]
        return f'{match["open"]}<use href="#{seen[whole]}"></use>{match["close"]}'

    html = SVG.sub(reuse, html)
    repeated = {whole: name for whole, name in seen.items() if f'href="#{name}"' in html}
    for whole, name in repeated.items():
        match = SVG.fullmatch(whole)
        assert match is not None
        named = f'{match["open"]}<g id="{name}">{match["body"]}</g>{match["close"]}'
        html = html.replace(whole, named, 1)
    return html


def lighten(html: str, page_url: str) -> LightPage:
    """mkdocs-jupyter's HTML of the notebook page at ``page_url`` (a site URL such as
    ``notebooks/x/``), its styles and embedded images moved into files (see the module's doc).
    Raises NotebookWeightError for an embedded image it cannot publish."""
    files: dict[str, bytes] = {}
    css = [match["css"] for match in STYLE.finditer(html)]
    html = STYLE.sub("", html)
    stylesheets: tuple[str, ...] = ()
    if css:
        sheet = "\n".join(part.strip("\n") for part in css).encode("utf-8") + b"\n"
        stylesheets = (asset_uri(sheet, "css"),)
        files[stylesheets[0]] = sheet

    def to_file(match: re.Match[str]) -> str:
        mime = match["mime"].lower()
        extension = EXTENSIONS.get(mime)
        if extension is None:
            raise NotebookWeightError(
                f"an output embeds an {mime} image, which the site cannot publish "
                f"(it publishes {', '.join(sorted(EXTENSIONS))})"
            )
        try:
            data = base64.b64decode(re.sub(r"\s", "", match["data"]), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise NotebookWeightError(f"an output embeds an {mime} image that is not base64: {exc}") from None
        uri = asset_uri(data, extension)
        files[uri] = data
        return f"{match['attr']}{match['q']}{get_relative_url(uri, page_url)}{match['q']}"

    html = DATA_IMAGE.sub(to_file, html)

    def script_file(match: re.Match[str]) -> str:
        if len(match["js"]) <= SHARED_SCRIPT_BYTES:
            return match[0]
        data = match["js"].encode("utf-8")
        uri = asset_uri(data, "js")
        files[uri] = data
        return f'<script src="{get_relative_url(uri, page_url)}"></script>'

    html = INLINE_SCRIPT.sub(script_file, html)
    html = _reuse_repeated_svgs(html)
    html = CODE_CELL.sub(_code_cell, html)
    return LightPage(html, stylesheets, files)
