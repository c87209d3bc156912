"""The site builds strictly, shows every snippet with this build's output, renders all
math at build time, and refuses to build when a snippet or formula is wrong."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import LESSON, ROOT, mkdocs_build, page_as_read

PAGE = f"lessons/{LESSON}/index.html"
# Snippets the page shows as code + output; the others only feed its tables and quoted values.
EXAMPLES = [
    ROOT / "snippets" / LESSON / name
    for name in re.findall(r"\{\{ example (\S+) \}\}", (ROOT / "docs/lessons" / f"{LESSON}.md").read_text())
]


def _soup(site: Path, page: str = PAGE) -> BeautifulSoup:
    return page_as_read(site, page)


def _code_blocks(soup: BeautifulSoup) -> list[tuple[str, str]]:
    """(title, code text) of every titled code block, in page order."""
    blocks = []
    for title in soup.select("article .highlight span.filename"):
        block = title.find_parent(class_="highlight")
        code = block.select_one("td.code code") or block.select_one("pre code")
        blocks.append((title.get_text(), code.get_text()))
    return blocks


def test_lesson_page_shows_each_snippet_titled_with_its_code_then_its_output(site: Path) -> None:
    blocks = _code_blocks(_soup(site))
    for snippet in EXAMPLES:
        index = blocks.index((snippet.name, snippet.read_text(encoding="utf-8")))
        title, output = blocks[index + 1]
        assert title == "Output"
        assert output == snippet.with_suffix(".out").read_text(encoding="utf-8")


def test_code_blocks_have_line_numbers_and_output_blocks_do_not(site: Path) -> None:
    soup = _soup(site)
    for title in soup.select("article .highlight span.filename"):
        code = title.find_parent(class_="highlight").select_one("pre code")
        # One number per line, listed on <code> and drawn beside it by lessonkit-code.css.
        numbers = code.get("data-lk-linenos", "").split()
        if title.get_text() == "Output":
            assert numbers == [], "an output block is not numbered"
        else:
            lines = code.get_text().rstrip("\n").split("\n")
            assert numbers == [str(n) for n in range(1, len(lines) + 1)], title.get_text()
        assert not title.find_parent(class_="highlight").select("table"), "no layout table per block"


def test_math_is_rendered_at_build_time_and_no_tex_delimiters_remain(site: Path) -> None:
    soup = _soup(site)
    article = soup.select_one("article")
    assert len(article.select(".katex")) >= 30
    assert article.select(".katex-display"), "display math is rendered"
    for node in article.select("code, pre, annotation, script"):
        node.decompose()
    text = article.get_text()
    for delimiter in ("$", "\\(", "\\)", "\\[", "\\]"):
        assert delimiter not in text, f"raw {delimiter!r} left in the page"


def test_katex_css_and_fonts_are_served_by_the_site_to_the_pages_with_math(site: Path) -> None:
    lesson = _soup(site)
    links = [link["href"] for link in lesson.select("link[rel=stylesheet]")]
    assert any(href.endswith("assets/katex/katex.min.css") for href in links)
    # The two fonts nearly every formula uses are fetched first, with the stylesheet.
    preloads = {link["href"].rsplit("/", 1)[1]: link for link in lesson.select("link[rel=preload][as=font]")}
    assert set(preloads) == {"KaTeX_Main-Regular.woff2", "KaTeX_Math-Italic.woff2"}
    assert all(link.has_attr("crossorigin") for link in preloads.values()), "else fetched twice"
    fonts = {path.name for path in (site / "assets/katex/fonts").iterdir()}
    assert len(fonts) == 20 and all(name.endswith(".woff2") for name in fonts)
    css = (site / "assets/katex/katex.min.css").read_text(encoding="utf-8")
    named = set(re.findall(r"url\(fonts/([^)]+)\)", css))
    assert named == fonts, "the stylesheet names exactly the fonts the site ships"
    # Pages without a formula do not load KaTeX at all.
    for page in ("index.html", "learn/index.html", "404.html"):
        soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
        assert not soup.select('link[href*="assets/katex/"]'), page


def test_page_links_its_plain_markdown_download(site: Path) -> None:
    link = _soup(site).find("a", string="Download as Markdown")
    assert link is not None
    target = (site / PAGE).parent / link["href"]
    assert target.resolve() == (site / f"lessons/{LESSON}.md").resolve()
    assert target.read_text(encoding="utf-8").startswith("# Linear Regression from Scratch")


def test_plain_markdown_passes_pytest_codeblocks(site: Path, tmp_path: Path) -> None:
    """pytest-codeblocks, an independent checker, runs each example as the reader sees it."""
    export = site / f"lessons/{LESSON}.md"
    text = export.read_text(encoding="utf-8")
    assert text.count("```python\n") == len(EXAMPLES)
    assert text.count("<!--pytest-codeblocks:expected-output-->") == len(EXAMPLES)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "--codeblocks", "-p", "no:cacheprovider", "-q", str(export)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"{len(EXAMPLES)} passed" in run.stdout


def test_build_log_ends_with_a_snippet_summary(project: Path, tmp_path: Path) -> None:
    shutil.rmtree(project / ".cache")
    first = mkdocs_build(project, tmp_path / "a")
    second = mkdocs_build(project, tmp_path / "b")
    assert first.ok and second.ok, first.output + second.output
    snippets = len(list((project / "snippets").glob("*/[!_]*.py")))  # every lesson's, as the build runs them
    assert f"{snippets} run, 0 cached, 0 failed" in first.output
    assert f"0 run, {snippets} cached, 0 failed" in second.output


# --- Faults: each one fails the build with a message that says what and where ---


def _break(project: Path, name: str, old: str, new: str) -> Path:
    path = project / "snippets" / LESSON / name
    source = path.read_text(encoding="utf-8")
    assert old in source
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    return path


def test_changed_number_fails_with_a_diff_naming_the_script_and_accept_fixes_it(
    project: Path, tmp_path: Path
) -> None:
    _break(project, "inspect-the-request-replay.py", "198.0", "199.0")
    result = mkdocs_build(project, tmp_path / "site")
    assert not result.ok
    where = f"snippets/{LESSON}/inspect-the-request-replay.py"
    assert f"{where} printed output that differs from its documented output" in result.output
    assert f"+++ {where} (this run)" in result.output
    assert "-latency_range (118, 198) ms" in result.output
    assert "+latency_range (118, 199) ms" in result.output
    assert not (tmp_path / "site").exists(), "no site is left behind"

    accept = subprocess.run(
        [sys.executable, "-m", "lessonkit", "accept", where],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert accept.returncode == 0, accept.stderr
    assert f"accepted snippets/{LESSON}/inspect-the-request-replay.out" in accept.stdout
    assert mkdocs_build(project, tmp_path / "site").ok


def test_snippet_that_raises_fails_with_its_traceback_and_path(project: Path, tmp_path: Path) -> None:
    crash = "import numpy as np\nraise ValueError('boom')\n"
    path = _break(project, "compare-with-scikit-learn.py", "import numpy as np\n", crash)
    result = mkdocs_build(project, tmp_path / "site")
    assert not result.ok
    assert f"snippets/{LESSON}/compare-with-scikit-learn.py failed with exit code 1" in result.output
    assert "Traceback (most recent call last)" in result.output
    assert f'File "{path}", line' in result.output
    assert "ValueError: boom" in result.output


def test_missing_snippet_fails_naming_page_and_file(project: Path, tmp_path: Path) -> None:
    (project / "snippets" / LESSON / "least-squares-with-rank-check.py").unlink()
    (project / "snippets" / LESSON / "least-squares-with-rank-check.out").unlink()
    result = mkdocs_build(project, tmp_path / "site")
    assert not result.ok
    assert re.search(
        rf"docs/lessons/{LESSON}.md:\d+: `{{{{ example least-squares-with-rank-check.py }}}}` names "
        rf"snippets/{LESSON}/least-squares-with-rank-check.py, which does not exist",
        result.output,
    ), result.output


def test_tex_error_fails_naming_page_and_formula(project: Path, tmp_path: Path) -> None:
    page = project / "docs" / "lessons" / f"{LESSON}.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nBroken: $\\fracc{a}{b}$\n", encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    assert not result.ok
    assert f"lessons/{LESSON}.md: 1 formula(s) failed to render" in result.output
    assert "$\\fracc{a}{b}$" in result.output
    assert "Undefined control sequence" in result.output


def test_missing_node_is_reported_plainly(project: Path, tmp_path: Path) -> None:
    # A formula no earlier build has typeset (cached formulas need no node process).
    page = project / "docs" / "lessons" / f"{LESSON}.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nNew: $\\gamma_{new} + \\beta$\n", encoding="utf-8")
    no_node = tmp_path / "bin"
    no_node.mkdir()
    result = mkdocs_build(project, tmp_path / "site", env={"PATH": str(no_node)})
    assert not result.ok
    assert "Node.js is required to render math at build time, but `node` is not on PATH" in result.output


def test_unknown_directive_fails(project: Path, tmp_path: Path) -> None:
    page = project / "docs" / "lessons" / f"{LESSON}.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n{{ exampel typo.py }}\n", encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    assert not result.ok
    assert "`{{ exampel typo.py }}` is not a directive (known: example, value," in result.output


def test_a_bad_directive_on_the_home_page_fails_the_strict_build(project: Path, tmp_path: Path) -> None:
    page = project / "docs" / "index.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    page.write_text(
        "\n".join([*lines, "", "Quoted: {{ value worked-numbers.py n }} and {{ bogus }}."]) + "\n"
    )
    result = mkdocs_build(project, tmp_path / "site")
    assert not result.ok
    line = len(lines) + 2
    assert (
        f"docs/index.md:{line}: `{{{{ value worked-numbers.py n }}}}` names a snippet, but the page has no "
        in (result.output)
    )
    assert f"docs/index.md:{line}: `{{{{ bogus }}}}` is not a directive" in result.output, "both are reported"
    assert not (tmp_path / "site").exists()


def test_a_directive_in_fenced_or_inline_code_is_shown_verbatim(project: Path, tmp_path: Path) -> None:
    page = project / "docs" / "index.md"
    page.write_text(
        page.read_text(encoding="utf-8")
        + "\nWrite `{{ value NAME.py KEY }}` inline, or a block:\n\n```markdown\n{{ example NAME.py }}\n```\n"
    )
    result = mkdocs_build(project, tmp_path / "site")
    assert result.ok, result.output
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "<code>{{ value NAME.py KEY }}</code>" in html
    assert "{{ example NAME.py }}" in html


@pytest.mark.build
def test_works_from_another_directory(tmp_path: Path) -> None:
    """pymdownx.snippets resolves includes from mkdocs.yml, not the current directory."""
    result = mkdocs_build(ROOT, tmp_path / "site", cwd=tmp_path)
    assert result.ok, result.output
    assert re.search(r"lessonkit: \d+ snippets", result.output)
