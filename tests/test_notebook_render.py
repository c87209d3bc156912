"""A notebook page rendered ahead, in a side process, is mkdocs-jupyter's own render of it:
mkdocs-jupyter then finds it in its cache and converts nothing, and the page is the same as
one rendered in process. A render that fails ahead leaves the page to mkdocs-jupyter, which
reports its own errors."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from mkdocs_jupyter import convert
from mkdocs_jupyter.plugin import Plugin

from lessonkit.serve.notebook_render import NotebookRenders, cache_entry, can_render_ahead, notebook_toc, wait
from lessonkit.serve.rebuild_memo import RebuildMemo

pytestmark = pytest.mark.build  # starts a process that imports nbconvert


# A 1 x 1 PNG: nbconvert gives an image without alt text a placeholder one.
PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="


def _notebook(path: Path, text: str, output: str = "4", markdown: str = "Some *prose* & `code`.") -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"# {text}"),
        nbformat.v4.new_code_cell("print(2 + 2)"),
        nbformat.v4.new_markdown_cell(markdown),
        nbformat.v4.new_code_cell("show()"),
    ]
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"{output}\n")]
    nb.cells[3].outputs = [nbformat.v4.new_output("display_data", data={"image/png": PIXEL})]
    nbformat.write(nb, path)
    return path


def _jupyter(cache_dir: Path) -> Plugin:
    plugin = Plugin()
    errors, _ = plugin.load_config({"include": ["*.ipynb"], "no_prompt": True, "cache_dir": str(cache_dir)})
    assert not errors
    plugin.on_pre_build(None)
    return plugin


def _page_render(plugin: Plugin, notebook: Path) -> SimpleNamespace:
    """mkdocs-jupyter's on_pre_page and page render, as MkDocs calls them."""
    file = SimpleNamespace(abs_src_path=str(notebook), src_path=notebook.name)
    page = SimpleNamespace(file=file, abs_url="/")
    plugin.on_pre_page(page, None, None)
    page.render(None, None)
    return page


def test_a_notebook_rendered_ahead_is_found_in_mkdocs_jupyters_cache_and_equals_its_own_render(
    tmp_path: Path, monkeypatch
) -> None:
    notebook = _notebook(tmp_path / "lesson.ipynb", "A lesson: companion notebook")
    in_process = _page_render(_jupyter(tmp_path / "fresh-cache"), notebook)

    jupyter = _jupyter(tmp_path / "cache")
    assert can_render_ahead(jupyter)
    renders = NotebookRenders()
    try:
        ahead = renders.start(jupyter, notebook)
        assert ahead is not None and wait(ahead)
        assert cache_entry(jupyter, notebook).exists()
        assert renders.start(jupyter, notebook) is None  # already there: nothing to do
    finally:
        renders.close()

    def no_conversion(*args, **kwargs):
        raise AssertionError("mkdocs-jupyter converted a notebook that was rendered ahead")

    monkeypatch.setattr(convert, "nb2html", no_conversion)
    page = _page_render(jupyter, notebook)
    assert page.content == in_process.content
    assert page.title == in_process.title == "A lesson: companion notebook"
    assert [(t.title, t.id) for t in page.toc] == [(t.title, t.id) for t in in_process.toc]


@pytest.mark.parametrize(
    "markdown",
    [
        "Some *prose* & `code`.",
        # Raw HTML that leaves an element open: the page cannot be cleaned up cell by cell.
        "<div class='note'>An unclosed note",
    ],
)
def test_a_worker_that_rendered_before_renders_the_next_notebook_as_mkdocs_jupyter_does(
    tmp_path: Path, markdown: str
) -> None:
    # The worker keeps nbconvert's compiled templates and the cleaned-up cells of its last
    # render; the second notebook has one output changed, the image cell not.
    first = _notebook(tmp_path / "first.ipynb", "First", markdown=markdown)
    second = _notebook(tmp_path / "second.ipynb", "Second", output="5", markdown=markdown)
    second_in_process = _page_render(_jupyter(tmp_path / "fresh-cache"), second)
    assert 'alt="No description has been provided for this image"' in second_in_process.content
    assert 'tabindex="0"' in second_in_process.content
    jupyter = _jupyter(tmp_path / "cache")
    renders = NotebookRenders()
    try:
        for notebook in (first, second):
            ahead = renders.start(jupyter, notebook)
            assert ahead is not None and wait(ahead)
    finally:
        renders.close()
    assert _page_render(jupyter, second).content == second_in_process.content


def test_the_worker_cleans_up_cell_by_cell_with_the_locked_nbconvert(monkeypatch) -> None:
    # Else the worker silently keeps nbconvert's own (slower) clean-up: notice a new version.
    from nbconvert.exporters.html import HTMLExporter

    from lessonkit.serve.notebook_reuse import CellCleanups, install

    monkeypatch.setattr(HTMLExporter, "from_notebook_node", HTMLExporter.from_notebook_node)
    assert install(CellCleanups())
    assert HTMLExporter.from_notebook_node.__module__ == "lessonkit.serve.notebook_reuse"


def _page(*cells: str) -> str:
    body = "\n".join(f'<div class="jp-Cell jp-CodeCell">\n{c}\n</div>' for c in cells)
    return (
        '<style>p { color: red }</style><div class="jupyter-wrapper"><div class="jp-Notebook">\n'
        f"{body}\n</div> <!-- jp-Notebook -->\n</div>"
    )


def _nbconvert_cleanup(html: str) -> str:
    """What nbconvert's HTMLExporter does to the page once its template is rendered."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, features="html.parser")
    for elem in soup.select("img:not([alt])"):
        elem.attrs["alt"] = "No description has been provided for this image"
    for elem in soup.select(".jp-Notebook div.jp-Cell-inputWrapper"):
        elem.attrs["tabindex"] = "0"
    for elem in soup.select(".jp-Notebook div.jp-OutputArea-output"):
        elem.attrs["tabindex"] = "0"
    return str(soup)


def test_cells_cleaned_up_one_by_one_and_kept_make_nbconverts_page(monkeypatch) -> None:
    from lessonkit.serve import notebook_reuse

    parsed: list[str] = []
    clean = notebook_reuse._clean
    monkeypatch.setattr(notebook_reuse, "_clean", lambda html, **kw: parsed.append(html) or clean(html, **kw))
    cleanups = notebook_reuse.CellCleanups()
    cells = [
        '<div class="jp-Cell-inputWrapper"><pre>x &lt; 1 &amp; y</pre></div>',
        '<div class="jp-OutputArea-output"><img src="a.png"><br></div>',
        '<div class="jp-Cell jp-CodeCell"><p>nested cell</p></div>',
    ]
    page = _page(*cells)
    assert cleanups.clean(page) == (_nbconvert_cleanup(page), 1)
    assert len(parsed) == 1 + 3  # the page around the cells, then each cell

    parsed.clear()
    edited = _page(cells[0], cells[1], '<div class="jp-Cell jp-CodeCell"><p>edited</p></div>')
    assert cleanups.clean(edited) == (_nbconvert_cleanup(edited), 1)
    assert len(parsed) == 1 + 1  # the page around the cells and the edited cell

    parsed.clear()
    unclosed = _page(cells[0], "<div>an element left open")
    assert cleanups.clean(unclosed) == (_nbconvert_cleanup(unclosed), 0)
    assert parsed == [unclosed]  # cleaned up whole


def test_a_notebook_asked_for_again_while_it_renders_is_rendered_once(tmp_path: Path) -> None:
    notebook = _notebook(tmp_path / "lesson.ipynb", "Once")
    jupyter = _jupyter(tmp_path / "cache")
    renders = NotebookRenders()
    try:
        first = renders.start(jupyter, notebook)  # the worker is still starting: not done yet
        assert first is not None and renders.start(jupyter, notebook) is first
        assert wait(first)
    finally:
        renders.close()


def test_a_notebook_keeps_its_table_of_contents_while_only_its_code_cells_change(
    tmp_path: Path, monkeypatch
) -> None:
    from mkdocs_jupyter import plugin as jupyter_plugin

    tocs: RebuildMemo = RebuildMemo()
    notebook = _notebook(tmp_path / "lesson.ipynb", "A lesson")
    made = notebook_toc(tocs, notebook, 3)
    assert made == jupyter_plugin._get_nb_toc_tokens(str(notebook), 3)
    assert made[1] == "A lesson"

    nb = nbformat.read(notebook, as_version=4)
    nb.cells[1].source = "print(3 + 3)"
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="6\n")]
    nbformat.write(nb, notebook)
    real = jupyter_plugin._get_nb_toc_tokens
    monkeypatch.setattr(jupyter_plugin, "_get_nb_toc_tokens", lambda *a: pytest.fail("made again"))
    tocs.next_rebuild()
    assert notebook_toc(tocs, notebook, 3) == made

    nb.cells[0].source = "# A renamed lesson"
    nbformat.write(nb, notebook)
    monkeypatch.setattr(jupyter_plugin, "_get_nb_toc_tokens", real)
    tocs.next_rebuild()
    assert notebook_toc(tocs, notebook, 3)[1] == "A renamed lesson"
    assert notebook_toc(tocs, notebook, 2) == real(str(notebook), 2)  # the depth is part of the key


def test_a_render_that_fails_ahead_leaves_the_page_to_mkdocs_jupyter(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{ not a notebook")
    jupyter = _jupyter(tmp_path / "cache")
    renders = NotebookRenders()
    try:
        ahead = renders.start(jupyter, broken)
        assert ahead is not None
        assert not wait(ahead)  # logged, not raised
        assert not cache_entry(jupyter, broken).exists()
        assert not list((tmp_path / "cache").glob("rendering-*"))  # no half-made entry left
        # The worker is still there for the next notebook.
        good = _notebook(tmp_path / "good.ipynb", "Fine")
        again = renders.start(jupyter, good)
        assert again is not None and wait(again)
    finally:
        renders.close()
    with pytest.raises(Exception):  # noqa: B017 (whatever nbformat raises, mkdocs-jupyter's own)
        _page_render(jupyter, broken)


def test_an_executed_or_uncached_setup_is_not_rendered_ahead(tmp_path: Path) -> None:
    executed = Plugin()
    executed.load_config({"execute": True})
    uncached = Plugin()
    uncached.load_config({"cache": False})
    assert not can_render_ahead(executed)
    assert not can_render_ahead(uncached)
    assert not can_render_ahead(None)


def test_a_code_cell_highlighted_in_the_last_render_is_not_highlighted_again() -> None:
    from pygments.formatters import HtmlFormatter

    from lessonkit.serve.notebook_reuse import KeptHighlights

    calls: list[str] = []

    def highlight(source, formatter, language="ipython", metadata=None, **options):
        calls.append(source)
        return f"<pre class='{formatter.cssclass}'>{source}</pre>"

    kept = KeptHighlights(highlight)
    html = kept("x = 1", HtmlFormatter(cssclass="hl-python"), "python", {})
    kept.next_render()
    assert kept("x = 1", HtmlFormatter(cssclass="hl-python"), "python", {}) == html
    assert kept("x = 1", HtmlFormatter(cssclass="hl-text"), "python", {}) != html  # other options
    kept("x = 1", HtmlFormatter(cssclass="hl-python"), "python", {"tags": ["hide"]})  # other metadata
    assert calls == ["x = 1"] * 3
    kept.next_render()
    kept.next_render()  # a render that did not show it: forgotten
    kept("x = 1", HtmlFormatter(cssclass="hl-python"), "python", {})
    assert len(calls) == 4
