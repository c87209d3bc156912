"""What the build does to a page's HTML after MkDocs renders it: scrolling boxes become
focusable and named (a11y), markup that changes nothing a reader sees or hears goes (slim),
collapsed figure scripts move to a page of their own (deferred). Checked on the real lesson
page and on small pieces of markup."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import LESSON

from lessonkit.page import a11y, deferred, slim

PAGE = f"lessons/{LESSON}/index.html"


def _text(html: str) -> str:
    return BeautifulSoup(html, "html.parser").get_text()


# --- a11y ---


def test_display_math_and_tables_become_focusable_named_groups() -> None:
    page = (
        '<div class="arithmatex"><span class="katex-display">…</span></div>'
        '<table><thead><tr><th>Evidence <span class="katex"><span class="katex-mathml"><math><mi>x</mi>'
        '</math></span><span class="katex-html" aria-hidden="true">x<br>x</span></span></th>'
        "<th>Measured &amp; kept</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>"
    )
    soup = BeautifulSoup(a11y.accessible_html(page), "html.parser")
    formula = soup.select_one("div.arithmatex")
    assert (formula["tabindex"], formula["role"], formula["aria-label"]) == ("0", "group", "Formula")
    box = soup.select_one("div.lk-scroll")
    assert box.table is not None and box["tabindex"] == "0" and box["role"] == "group"
    # Named by its columns as a screen reader reads them: math by its MathML, not its glyphs.
    assert box["aria-label"] == "Table: Evidence x, Measured & kept"


def test_the_built_lesson_has_every_table_and_display_formula_focusable(site: Path) -> None:
    article = BeautifulSoup((site / PAGE).read_text(encoding="utf-8"), "html.parser").select_one("article")
    tables, formulas = article.select("table"), article.select("div.arithmatex")
    assert len(tables) >= 5 and len(formulas) >= 5
    assert all(t.parent.name == "div" and t.parent["tabindex"] == "0" for t in tables)
    assert all(f["tabindex"] == "0" and f["aria-label"] for f in formulas)
    labels = [t.parent["aria-label"] for t in tables]
    assert len(set(labels)) == len(labels) and all(label.startswith("Table: ") for label in labels)


# --- slim ---

CODE = (
    '<div class="language-python highlight"><span class="filename">x.py</span><pre><span></span><code>'
    '<span class="linenos" data-linenos="1 "></span><span class="n">total</span> <span class="o">=</span> '
    '<span class="nb">sum</span><span class="p">([</span><span class="mi">1</span><span class="p">,</span>'
    '<span class="w">  </span><span class="mi">2</span><span class="p">])</span>  '
    '<span class="c1"># two  spaces</span>\n</code></pre></div>'
)


def test_slim_code_keeps_every_character_and_every_coloured_token() -> None:
    slimmed = slim.slim_html(CODE)
    assert _text(slimmed) == _text(CODE)
    assert '<span class="nb">sum</span>' in slimmed and '<span class="c1"># two  spaces</span>' in slimmed
    assert not re.search(r'class="(n|o|p|w)"', slimmed)
    # The line numbers: one attribute listing them, instead of a span per line.
    assert '<code data-lk-linenos="1">' in slimmed
    assert "linenos" not in slimmed.replace("data-lk-linenos", "")


def test_slim_lists_a_blocks_line_numbers_on_its_code_one_per_line() -> None:
    lines = "".join(f'<span class="linenos" data-linenos="{n:2} "></span>x\n' for n in range(1, 11))
    block = f'<div class="language-text highlight"><pre><span></span><code>{lines}</code></pre></div>'
    slimmed = slim.slim_html(block)
    code = BeautifulSoup(slimmed, "html.parser").code
    assert code["data-lk-linenos"].split("\n") == [f"{n:2}" for n in range(1, 11)]
    assert code.get_text() == "x\n" * 10


def test_slim_leaves_whitespace_inside_pre_and_code_alone_and_drops_it_between_tags() -> None:
    verbatim = "<pre>  keep\n\n   this</pre><p><code>a  \n  b</code></p>"
    page = "<ul>\n\n      <li>a</li>\n    </ul>" + verbatim
    assert slim.slim_html(page) == "<ul>\n<li>a</li>\n</ul>" + verbatim


def test_verbatim_elements_and_the_article_are_found_where_their_patterns_match() -> None:
    # slim finds them with str.find: the same spans as the patterns, on awkward inputs too.
    import random

    verbatim = re.compile(r"(<(pre|code|textarea|script|style)\b.*?</\2>)", re.DOTALL)
    article = re.compile(r"<article\b.*?</article>", re.DOTALL)
    pieces = [
        "<pre>",
        "</pre>",
        "<code>",
        "</code>",
        "<style>",
        "</style>",
        "<script x>",
        "</script>",
        "<pref>",
    ]
    pieces += ["a\n  b", "<article>", "</article>", "<articles>", "<pre", "</pr>", "\n\n", "<textarea>"]
    rng = random.Random(7)
    for _ in range(3000):
        page = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        expected = [p for i, p in enumerate(verbatim.split(page)) if i % 3 != 2]
        assert slim._verbatim_split(page) == expected, page
        match = article.search(page)
        assert slim._article(page) == (match.span() if match else None), page


def test_slim_mathml_loses_namespace_and_tex_annotation_but_not_its_content() -> None:
    math = (
        '<math xmlns="http://www.w3.org/1998/Math/MathML" display="block"><semantics><mrow><mi>x</mi></mrow>'
        '<annotation encoding="application/x-tex">x</annotation></semantics></math>'
    )
    assert slim.slim_html(math) == '<math display="block"><mrow><mi>x</mi></mrow></math>'


def test_slim_notebook_code_keeps_its_token_spans() -> None:
    """The notebook page styles operators in bold: slim leaves its code to notebook_weight, whose
    token rules are the notebook's own."""
    notebook = (
        '<div class="highlight-ipynb hl-python"><pre>'
        '<span class="n">a</span><span class="o">=</span></pre></div>'
    )
    assert slim.slim_html(notebook) == notebook


def test_slim_code_drops_spans_the_theme_draws_plain_and_joins_same_coloured_neighbours() -> None:
    fstring = (
        '<div class="language-python highlight"><pre><span></span><code>'
        '<span class="kc">True</span> <span class="ow">in</span> <span class="sa">f</span>'
        '<span class="s2">&quot;a </span><span class="si">{</span><span class="n">x</span>'
        '<span class="si">}</span><span class="s2"> b&quot;</span> <span class="mi">1</span>'
        '<span class="k">if</span></code></pre></div>'
    )
    slimmed = slim.slim_html(fstring)
    assert _text(slimmed) == _text(fstring)
    assert not re.search(r'class="(kc|ow|sa)"', slimmed)
    # String and field braces share the string colour; a number and a keyword do not.
    assert '<span class="s2">&quot;a {</span>x<span class="si">} b&quot;</span>' in slimmed
    assert '<span class="mi">1</span><span class="k">if</span>' in slimmed


HOISTABLE = (
    '<html><head><title>t</title></head><body><nav><span style="color:red">menu</span></nav>'
    '<article><span class="vlist" style="height:1em;">a</span><span style="height:1em;">b</span>'
    '<td style="text-align: right;">3</td></article></body></html>'
)


def test_hoisted_styles_become_classes_defined_once_in_the_head() -> None:
    page = slim.hoist_styles(HOISTABLE)
    soup = BeautifulSoup(page, "html.parser")
    rules = soup.head.style.get_text()
    assert ".lk-s0{height:1em!important}" in rules and ".lk-s1{text-align: right!important}" in rules
    spans = soup.article.find_all("span")
    assert [s["class"] for s in spans] == [["vlist", "lk-s0"], ["lk-s0"]]
    assert soup.article.td["class"] == ["lk-s1"] and "style=" not in str(soup.article)
    assert soup.nav.span["style"] == "color:red"  # outside the article: the theme's own, left alone
    assert slim.hoist_styles(page) == page  # nothing left to hoist
    assert (
        slim.hoist_styles("<html><head></head><body><article>a</article></body></html>").count("<style>") == 0
    )


def test_hoisted_styles_draw_every_element_where_its_inline_style_did(browser, site: Path, serve) -> None:
    """Each element with a hoisted class, given its inline style back, does not move by a pixel."""
    base = serve(site)
    for lesson in (LESSON, "logistic-regression-and-metrics"):
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}lessons/{lesson}/")
        page.evaluate("document.fonts.ready")
        moved = page.evaluate(
            """() => {
              const sheet = [...document.head.querySelectorAll("style")].pop().sheet;
              const styles = {};
              for (const rule of sheet.cssRules) {
                styles[rule.selectorText.slice(1)] = rule.style.cssText.replaceAll(" !important", "");
              }
              const elements = [...document.querySelectorAll("article [class*='lk-s']")]
                .filter((e) => [...e.classList].some((c) => c in styles));
              const box = (e) => JSON.stringify(e.getBoundingClientRect());
              const before = elements.map(box);
              for (const e of elements) {
                const name = [...e.classList].find((c) => c in styles);
                e.classList.remove(name);
                e.setAttribute("style", styles[name]);
              }
              const after = elements.map(box);
              const moved = elements.filter((e, i) => before[i] !== after[i]).length;
              return {count: elements.length, moved: moved};
            }"""
        )
        page.close()
        assert moved["count"] > 500 and moved["moved"] == 0, (lesson, moved)


# --- deferred ---

DEFERRED = (
    '<p>before</p><details class="example lk-figure-source" data-lk-defer="assets/figures/l/f/how.html">\n'
    "<summary>How this figure is made</summary>\n"
    '<div class="highlight"><pre><code>print(1)\n</code></pre></div>\n</details><p>after</p>'
)


def test_a_deferred_block_keeps_its_summary_and_links_the_page_its_body_moved_to() -> None:
    page, published = deferred.split(DEFERRED, "lessons/l/", "Lesson L")
    assert list(published) == ["assets/figures/l/f/how.html"]
    details = BeautifulSoup(page, "html.parser").details
    assert details.summary.get_text() == "How this figure is made"
    assert details["class"] == ["example", "lk-figure-source"] and not details.has_attr("data-lk-defer")
    assert details["data-lk-fragment"] == details.a["href"] == "../../assets/figures/l/f/how.html"
    assert "print(1)" not in page and page.startswith("<p>before</p>") and page.endswith("<p>after</p>")
    own = BeautifulSoup(published["assets/figures/l/f/how.html"], "html.parser")
    assert own.html["lang"] == "en" and own.title.get_text() == "How this figure is made: Lesson L"
    assert own.main.pre.get_text() == "print(1)\n"


@pytest.mark.parametrize(
    "url, href",
    [("", "assets/figures/l/f/how.html"), ("lessons/l.html", "../assets/figures/l/f/how.html")],
)
def test_a_deferred_link_is_relative_to_the_page_url(url: str, href: str) -> None:
    page, _ = deferred.split(DEFERRED, url, "L")
    assert BeautifulSoup(page, "html.parser").details.a["href"] == href


def test_a_deferred_block_holding_another_collapsed_block_is_refused() -> None:
    nested = DEFERRED.replace("<div", "<details><summary>x</summary></details><div", 1)
    with pytest.raises(deferred.DeferredError, match="may not hold another collapsed block"):
        deferred.split(nested, "lessons/l/", "L")


def _collapsed(summary: str, body: str, attrs: str = 'class="success"') -> str:
    return f"<details {attrs}>\n<summary>{summary}</summary>\n{body}\n</details>"


def test_a_large_collapsed_block_is_published_beside_the_page_named_after_its_summary() -> None:
    large = "<p>" + "x" * (deferred.DEFER_ABOVE + 1) + "</p>"
    page = _collapsed("Show solution: a rate of 0.2", large) + _collapsed(
        "Show solution: a rate of 0.2", large
    )
    slim_page, published = deferred.split(page, "lessons/l/", "L")
    assert list(published) == [
        "lessons/l/show-solution-a-rate-of-02.html",
        "lessons/l/show-solution-a-rate-of-02-2.html",
    ]
    links = [d["data-lk-fragment"] for d in BeautifulSoup(slim_page, "html.parser").find_all("details")]
    assert links == ["show-solution-a-rate-of-02.html", "show-solution-a-rate-of-02-2.html"]
    assert "x" * 100 not in slim_page


@pytest.mark.parametrize(
    "block",
    [
        _collapsed("Small", "<p>" + "x" * (deferred.DEFER_ABOVE - 10) + "</p>"),
        _collapsed("Shown", "<p>" + "x" * 3000 + "</p>", 'class="note" open="open"'),
        _collapsed("Holds one", _collapsed("inner", "<p>i</p>") + "<p>" + "x" * 3000 + "</p>"),
    ],
    ids=["small", "open", "holds-a-collapsed-block"],
)
def test_small_open_or_nesting_collapsed_blocks_stay_on_the_page(block: str) -> None:
    assert deferred.split(block, "lessons/l/", "L") == (block, {})


def test_the_built_lessons_defer_their_solutions_and_quiz_and_stay_under_250_kb(site: Path) -> None:
    for lesson in (LESSON, "logistic-regression-and-metrics", "decision-trees-forests-and-boosting"):
        page = site / "lessons" / lesson / "index.html"
        article = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").article
        solutions = [d for d in article.select("details.success") if "Show solution" in d.summary.get_text()]
        deferred_ones = [d for d in solutions if d.has_attr("data-lk-fragment")]
        assert len(deferred_ones) >= 4, lesson
        # One left on the page is a short one: less than a request would cost.
        assert all(
            len(str(d).encode()) < deferred.DEFER_ABOVE + 200 for d in solutions if d not in deferred_ones
        )
        quiz = article.select_one("details.lk-quiz__start")
        assert quiz["data-lk-fragment"] == "start-the-quiz.html" and not article.select("form.lk-quiz")
        assert (page.parent / "start-the-quiz.html").is_file()
        assert page.stat().st_size <= 250_000, f"{lesson}: {page.stat().st_size} bytes"


# --- Theme partials the site overrides ---


def test_the_search_partial_is_the_themes_own_plus_the_dialog_name(root: Path) -> None:
    """docs/overrides/partials/search.html copies mkdocs-material's partial to name the dialog;
    after a theme upgrade that changes the partial, this fails until the copy is redone."""
    import material

    theme = (Path(material.__file__).parent / "templates/partials/search.html").read_text(encoding="utf-8")
    ours = (root / "docs/overrides/partials/search.html").read_text(encoding="utf-8")

    def body(template: str) -> str:
        return re.sub(r"^\{#-.*?-#\}\n", "", template, flags=re.DOTALL)

    named = ' role="dialog" aria-label="{{ lang.t(\'search\') }}">'
    assert named in ours
    assert body(ours).replace(named, ' role="dialog">') == body(theme)


def test_a_published_block_is_styled_by_the_lessons_own_stylesheets_reached_from_where_it_lives() -> None:
    head = (
        '<head><link rel="stylesheet" href="../../assets/site.css">'
        '<link rel="stylesheet" href="../../p.css" media="print"></head>'
    )
    large = _collapsed("Show solution", "<p>" + "x" * 3000 + "</p>")
    _, published = deferred.split(head + DEFERRED + large, "lessons/l/", "L")
    beside = BeautifulSoup(published["lessons/l/show-solution.html"], "html.parser")
    assert [(link["href"], link.get("media")) for link in beside.find_all("link")] == [
        ("../../assets/site.css", None),
        ("../../p.css", "print"),
    ]
    assert beside.body["class"] == ["md-typeset", "lk-standalone"]
    assert beside.body.p.a["href"] == "./" and beside.body.p.get_text() == "Back to “L”"
    figure = BeautifulSoup(published["assets/figures/l/f/how.html"], "html.parser")
    assert [link["href"] for link in figure.find_all("link")] == ["../../../site.css", "../../../../p.css"]
    assert figure.body.p.a["href"] == "../../../../lessons/l/"


def test_a_code_blocks_lines_scroll_in_a_focusable_named_box_of_the_builds_own() -> None:
    """The theme's script makes <code> focusable only where a pointer can hover (and takes the
    focus away on a phone), so the lines scroll in a box it does not touch; titled by the file."""
    titled = BeautifulSoup(a11y.accessible_html(CODE), "html.parser").code
    assert [child.name for child in titled.children] == ["span"] and not titled.has_attr("tabindex")
    box = titled.span
    assert (box["tabindex"], box["role"], box["aria-label"]) == ("0", "group", "x.py")
    assert box.get_text() == BeautifulSoup(CODE, "html.parser").code.get_text()
    untitled = CODE.replace('<span class="filename">x.py</span>', "")
    assert BeautifulSoup(a11y.accessible_html(untitled), "html.parser").code.span["aria-label"] == "Code"


def test_a_published_blocks_code_is_reachable_from_the_keyboard_without_the_themes_script() -> None:
    page = DEFERRED.replace('<div class="highlight"><pre><code>print(1)\n</code></pre></div>', CODE)
    _, published = deferred.split(a11y.accessible_html(page), "lessons/l/", "L")
    own = BeautifulSoup(published["assets/figures/l/f/how.html"], "html.parser")
    assert own.main.pre.code.span["tabindex"] == "0"
