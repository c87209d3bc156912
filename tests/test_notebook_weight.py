"""A notebook page stays light: JupyterLab's styles are one stylesheet the notebook pages share,
figures and the copy buttons' script are files, code cells carry only the markup that colours
them, and the page looks and copies as mkdocs-jupyter made it (lessonkit.outputs.notebook_weight)."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from lessonkit.outputs import notebook_weight
from lessonkit.outputs.notebook_weight import NotebookWeightError, lighten

NOTEBOOK_PAGES = ("linear-regression-from-scratch", "logistic-regression-and-metrics")
MAX_PAGE_BYTES = 300_000
MAX_INLINE_STYLE = 2_000  # the head's hoisted styles (slim.hoist_styles) are far smaller
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="2"><rect width="4" height="2"/></svg>'


def _data_image(data: bytes, mime: str = "image/svg+xml") -> str:
    return f'<img alt="a figure" src="data:{mime};base64,{base64.b64encode(data).decode()}"/>'


# --- The transformation, on small inputs ---


def test_styles_become_one_stylesheet_in_page_order_and_leave_the_page() -> None:
    light = lighten("<style>a { color: red }</style><p>x</p>\n<style>\np { margin: 0 }\n</style>", "nb/x/")
    assert light.html == "<p>x</p>\n"
    (uri,) = light.stylesheets
    assert re.fullmatch(r"assets/notebooks/[0-9a-f]{16}\.css", uri)
    assert light.files[uri] == b"a { color: red }\np { margin: 0 }\n"


def test_pages_with_the_same_styles_share_one_file_and_different_styles_get_their_own() -> None:
    one = lighten("<style>a { color: red }</style><p>one</p>", "notebooks/one/")
    two = lighten("<style>a { color: red }</style><p>two</p>", "notebooks/two/")
    other = lighten("<style>a { color: blue }</style><p>two</p>", "notebooks/two/")
    assert one.stylesheets == two.stylesheets != other.stylesheets
    assert lighten("<p>no styles</p>", "notebooks/one/").stylesheets == ()


def test_an_embedded_figure_becomes_a_file_named_by_its_bytes_referred_to_from_the_page() -> None:
    light = lighten(f"<div>{_data_image(SVG)}</div>", "notebooks/x/")
    (uri,) = light.files
    assert light.files[uri] == SVG and uri == notebook_weight.asset_uri(SVG, "svg")
    assert light.html == f'<div><img alt="a figure" src="../../{uri}"/></div>'
    flat = lighten(f"<div>{_data_image(SVG)}</div>", "notebooks/x.html")  # use_directory_urls: false
    assert f'src="../{uri}"' in flat.html
    png = lighten(_data_image(b"\x89PNG...", "image/png"), "notebooks/x/")
    assert [u.rsplit(".", 1)[1] for u in png.files] == ["png"]


@pytest.mark.parametrize(
    ("img", "message"),
    [
        ('<img src="data:image/x-bogus;base64,AAAA"/>', "image/x-bogus image, which the site cannot publish"),
        ('<img src="data:image/png;base64,AAA"/>', "image/png image that is not base64"),
    ],
)
def test_an_embedded_image_that_cannot_be_published_fails_saying_what_it_is(img: str, message: str) -> None:
    with pytest.raises(NotebookWeightError, match=re.escape(message)):
        lighten(img, "notebooks/x/")


def _cell(code: str, copy: str | None) -> str:
    cell = f'<div class="highlight-ipynb hl-python"><pre>{code}</pre></div>'
    if copy is not None:
        cell += f'\n<div class="clipboard-copy-txt" id="cell-3">{copy}</div>'
    return cell


def test_code_loses_spans_drawn_plain_and_joins_neighbours_drawn_alike() -> None:
    code = (
        '<span></span><span class="n">x</span><span class="w"> </span><span class="o">=</span>'
        '<span class="o">-</span><span class="mi">1</span><span class="p">,</span> <span class="s2">"a</span>'
        '<span class="si">{</span><span class="n">b</span><span class="si">}</span>'
        '<span class="s2">"</span>\n'
    )
    light = lighten(_cell(code, None), "notebooks/x/")
    assert light.html == _cell(
        '<span></span>x <span class="o">=-</span><span class="mi">1</span>, <span class="s2">"a{</span>b'
        '<span class="si">}"</span>\n',
        None,
    )


def test_the_copy_button_copies_the_cells_code_instead_of_a_hidden_copy_when_they_match() -> None:
    code = '<span class="k">if</span> a &lt; b:\n    <span class="k">pass</span>\n'
    light = lighten(_cell(code, "if a &lt; b:\n    pass"), "notebooks/x/")
    assert light.html == _cell(code, None).replace("<pre>", '<pre id="cell-3">')
    differs = _cell(code, "if a &lt; c:\n    pass")
    assert lighten(differs, "notebooks/x/").html == differs  # the copy says something else: kept


def test_a_repeated_inline_svg_is_drawn_once_and_used_again() -> None:
    icon = '<svg aria-hidden="true" width="20"><path d="M0 0h1"></path></svg>'
    lone = f"<p>{icon}</p>"
    assert lighten(lone, "nb/x/").html == lone
    html = lighten(f"<p>{icon}</p><p>{icon}</p><p>{icon}</p>", "nb/x/").html
    (name,) = re.findall(r'<g id="([^"]+)">', html)
    used = f'<svg aria-hidden="true" width="20"><use href="#{name}"></use></svg>'
    assert (
        html
        == f'<p><svg aria-hidden="true" width="20"><g id="{name}"><path d="M0 0h1"></path></g></svg></p>'
        + (f"<p>{used}</p>" * 2)
    )


def test_only_inline_scripts_over_a_kilobyte_become_files() -> None:
    small, big = "<script>go()</script>", "<script>" + "x();" * 400 + "</script>"
    light = lighten(small + big + '<script type="module">' + "y();" * 400 + "</script>", "notebooks/x/")
    (uri,) = light.files
    assert light.files[uri] == ("x();" * 400).encode()
    assert light.html.startswith(small + f'<script src="../../{uri}"></script><script type="module">')


def test_the_same_page_gives_the_same_bytes() -> None:
    page = f"<style>a {{}}</style>{_data_image(SVG)}" + _cell('<span class="n">x</span>', "x")
    assert lighten(page, "notebooks/x/") == lighten(page, "notebooks/x/")


# --- The built site ---


def _page(site: Path, lesson: str) -> Path:
    return site / "notebooks" / lesson / "index.html"


@pytest.mark.parametrize("lesson", NOTEBOOK_PAGES)
def test_a_built_notebook_page_is_light_and_its_files_are_in_the_site(site: Path, lesson: str) -> None:
    path = _page(site, lesson)
    html = path.read_text(encoding="utf-8")
    assert len(html.encode("utf-8")) <= MAX_PAGE_BYTES, f"{path.name}: {len(html.encode('utf-8'))} bytes"
    assert "data:image" not in html
    soup = BeautifulSoup(html, "html.parser")
    assert all(len(style.get_text()) <= MAX_INLINE_STYLE for style in soup.find_all("style"))
    stylesheets = [link["href"] for link in soup.head.find_all("link", rel="stylesheet")]
    shared = [href for href in stylesheets if "/assets/notebooks/" in href]
    assert len(shared) == 1 and stylesheets[-1] == shared[0], stylesheets  # last, as the inline styles were
    assert (path.parent / shared[0]).resolve().stat().st_size > 100_000  # JupyterLab's styles
    figures = [img["src"] for img in soup.select("article .jp-OutputArea-output img")]
    assert figures and all((path.parent / src).resolve().read_bytes().startswith(b"<svg") for src in figures)
    scripts = [s["src"] for s in soup.find_all("script", src=True) if "/assets/notebooks/" in s["src"]]
    assert scripts and all((path.parent / src).resolve().is_file() for src in scripts)


def test_the_notebook_pages_share_one_stylesheet(site: Path) -> None:
    linked = {
        link["href"].rsplit("/", 1)[1]
        for lesson in NOTEBOOK_PAGES
        for link in BeautifulSoup(_page(site, lesson).read_text(encoding="utf-8"), "html.parser").find_all(
            "link", rel="stylesheet", href=re.compile("/assets/notebooks/")
        )
    }
    assert len(linked) == 1
    assert {p.name for p in (site / "assets" / "notebooks").glob("*.css")} == linked


@pytest.mark.parametrize("lesson", NOTEBOOK_PAGES)
def test_each_copy_button_copies_its_cells_source_and_the_download_keeps_its_figures(
    site: Path, lesson: str
) -> None:
    soup = BeautifulSoup(_page(site, lesson).read_text(encoding="utf-8"), "html.parser")
    cells = json.loads((site / "lessons" / f"{lesson}.ipynb").read_text(encoding="utf-8"))["cells"]
    sources = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    copied = [soup.find(id=button["for"]).get_text() for button in soup.find_all("clipboard-copy")]
    assert [text.removesuffix("\n") for text in copied] == sources
    embedded = [
        o
        for c in cells
        if c["cell_type"] == "code"
        for o in c["outputs"]
        if "image/svg+xml" in o.get("data", {})
    ]
    assert len(embedded) == len(soup.select("article .jp-OutputArea-output img")) > 0


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_tokens_the_page_drops_or_joins_are_drawn_alike(browser, site: Path, serve, scheme: str) -> None:
    """Put spans of every class notebook_weight unwraps or joins into a code cell of the built
    page: each unwrapped one must draw like the code around it, each joined group alike."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(f"{serve(site)}notebooks/{NOTEBOOK_PAGES[0]}/")
    looks = page.evaluate(
        """(classes) => {
          const pre = document.querySelector('.highlight-ipynb pre');
          const look = (el) => { const s = getComputedStyle(el);
            return [s.color, s.fontWeight, s.fontStyle, s.textDecorationLine, s.backgroundColor].join(' '); };
          const out = {pre: look(pre)};
          for (const c of classes) { const span = document.createElement('span'); span.className = c;
            span.textContent = 'x'; pre.appendChild(span); out[c] = look(span); }
          return out;
        }""",
        [*notebook_weight.PLAIN_TOKENS, *(c for group in notebook_weight.SAME_LOOK for c in group)],
    )
    context.close()
    assert {c: looks[c] for c in notebook_weight.PLAIN_TOKENS} == dict.fromkeys(
        notebook_weight.PLAIN_TOKENS, looks["pre"]
    )
    for group in notebook_weight.SAME_LOOK:
        assert len({looks[c] for c in group}) == 1, {c: looks[c] for c in group}
