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

from lessonkit.notebook_render import NotebookRenders, cache_entry, can_render_ahead, notebook_toc, wait
from lessonkit.rebuild_memo import RebuildMemo

pytestmark = pytest.mark.build  # starts a process that imports nbconvert


def _notebook(path: Path, text: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {text}"), nbformat.v4.new_code_cell("print(2 + 2)")]
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="4\n")]
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


def test_a_worker_that_rendered_before_renders_the_next_notebook_as_mkdocs_jupyter_does(
    tmp_path: Path,
) -> None:
    # The worker keeps nbconvert's compiled templates from one render to the next.
    first = _notebook(tmp_path / "first.ipynb", "First")
    second = _notebook(tmp_path / "second.ipynb", "Second")
    second_in_process = _page_render(_jupyter(tmp_path / "fresh-cache"), second)
    jupyter = _jupyter(tmp_path / "cache")
    renders = NotebookRenders()
    try:
        for notebook in (first, second):
            ahead = renders.start(jupyter, notebook)
            assert ahead is not None and wait(ahead)
    finally:
        renders.close()
    assert _page_render(jupyter, second).content == second_in_process.content


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
