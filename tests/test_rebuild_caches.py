"""What a rebuild reuses instead of redoing: typeset formulas and companion notebooks come
back byte for byte while their inputs stay the same, and are made again when one changes;
the phase clock accounts for all of a build's time, each moment once; under serve, values
are kept from one rebuild to the next only while their inputs stay the same."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from lessonkit import store
from lessonkit.outputs import notebook
from lessonkit.outputs.notebook_cache import notebook_bytes
from lessonkit.page import katex_cache
from lessonkit.page.directives import PageContext, scan
from lessonkit.page.katex import SCRIPT, KatexError, KatexRenderer
from lessonkit.run.results import RunResult
from lessonkit.serve.rebuild_memo import RebuildMemo
from lessonkit.timing import PhaseClock

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parent.parent
KATEX = ROOT / "node_modules" / "katex"
PAGE = '<p><span class="arithmatex">\\(x^2\\)</span> and <div class="arithmatex">\\[\\frac{a}{b}\\]</div></p>'


class CountingRenderer(KatexRenderer):
    """The real KaTeX process, counting the formulas sent to it."""

    def __init__(self, formulas: katex_cache.FormulaCache | None) -> None:
        super().__init__(KATEX, formulas)
        self.sent: list[tuple[str, bool]] = []

    def render_batch(self, items: list[tuple[str, bool]]) -> list[dict]:
        self.sent += items
        return super().render_batch(items)


def _cache(tmp_path: Path) -> katex_cache.FormulaCache:
    return katex_cache.FormulaCache(*katex_cache.formula_cache_location(KATEX, SCRIPT, tmp_path, True))


def test_a_cached_formula_gives_the_same_html_without_asking_katex_again(tmp_path: Path) -> None:
    uncached = CountingRenderer(None)
    expected = uncached.render_page(PAGE, "page.md")
    uncached.close()
    formulas = _cache(tmp_path)
    first = CountingRenderer(formulas)
    assert first.render_page(PAGE, "page.md") == expected
    assert first.render_page(PAGE, "other.md") == expected
    first.close()
    assert first.sent == [("x^2", False), ("\\frac{a}{b}", True)]  # once each, across pages

    formulas.save()
    reloaded = CountingRenderer(_cache(tmp_path))  # the next build, from the cache folder
    assert reloaded.render_page(PAGE, "page.md") == expected
    assert reloaded.sent == [] and reloaded._proc is None  # no node process at all


def test_the_same_tex_in_display_mode_is_a_different_entry(tmp_path: Path) -> None:
    renderer = CountingRenderer(_cache(tmp_path))
    renderer.render_page('<span class="arithmatex">\\(x\\)</span>', "a.md")
    renderer.render_page('<div class="arithmatex">\\[x\\]</div>', "b.md")
    renderer.close()
    assert renderer.sent == [("x", False), ("x", True)]


def test_a_formula_that_fails_is_reported_at_every_build_and_never_stored(tmp_path: Path) -> None:
    formulas = _cache(tmp_path)
    bad = '<span class="arithmatex">\\(\\frac{a}\\)</span>'
    for _ in range(2):
        renderer = CountingRenderer(formulas)
        with pytest.raises(KatexError, match=r"page\.md: 1 formula"):
            renderer.render_page(bad, "page.md")
        renderer.close()
        assert renderer.sent == [("\\frac{a}", False)]
    formulas.save()
    assert not list(tmp_path.rglob("*.json"))  # nothing worth saving


def test_saving_keeps_only_the_formulas_this_build_used_and_a_damaged_file_is_ignored(tmp_path: Path) -> None:
    formulas = _cache(tmp_path)
    renderer = CountingRenderer(formulas)
    renderer.render_page(PAGE, "page.md")
    formulas.save()
    formulas.start_build()
    renderer.render_page('<span class="arithmatex">\\(x^2\\)</span>', "page.md")
    renderer.close()
    formulas.save()
    assert list(json.loads(store.read(formulas.path, "katex"))) == ["inline\nx^2"]

    formulas.path.write_text("{not json")
    assert _cache(tmp_path).get(("x^2", False)) is None


def test_a_new_katex_version_or_render_script_starts_a_new_cache(tmp_path: Path) -> None:
    package = tmp_path / "katex"
    package.mkdir()
    (package / "package.json").write_text('{"version": "1"}')
    script = tmp_path / "render.js"
    script.write_text("// one")
    first = katex_cache.fingerprint(package, script)
    script.write_text("// two")
    second = katex_cache.fingerprint(package, script)
    (package / "package.json").write_text('{"version": "2"}')
    assert len({first, second, katex_cache.fingerprint(package, script)}) == 3
    assert katex_cache.fingerprint(tmp_path / "missing", script) is None


def _lesson(tmp_path: Path) -> tuple[PageContext, str, dict[Path, RunResult]]:
    folder = tmp_path / "snippets" / "demo"
    folder.mkdir(parents=True)
    (folder / "hello.py").write_text("print('hello')\n")
    page = PageContext(page="lessons/demo.md", root=tmp_path, folder=folder, outputs=lambda p: "")
    markdown = "# Demo\n\n## Greeting\n\n{{ example hello.py }}\n"
    results = {folder / "hello.py": RunResult(b"hello\n", b"", 0, 0.01)}
    return page, markdown, results


def test_a_notebook_is_rebuilt_only_when_an_input_changes(tmp_path: Path, monkeypatch) -> None:
    page, markdown, results = _lesson(tmp_path)
    meta = {"title": "Demo", "description": "A demo."}
    built = []
    real_build = notebook.build
    monkeypatch.setattr(notebook, "build", lambda *a: built.append(1) or real_build(*a))
    cache = tmp_path / "cache"

    first = notebook_bytes(cache, page, markdown, meta, results)
    assert first == notebook.to_bytes(real_build(page, markdown, meta, results))
    assert notebook_bytes(cache, page, markdown, meta, results) == first
    assert len(built) == 1  # the second call reused the first one's bytes

    path = next(iter(results))
    changed_output = {path: RunResult(b"hello again\n", b"", 0, 0.01)}
    assert b"hello again" in notebook_bytes(cache, page, markdown, meta, changed_output)
    assert b"Another title" in notebook_bytes(
        cache, page, markdown, {**meta, "title": "Another title"}, results
    )
    assert b"Salutation" in notebook_bytes(
        cache, page, markdown.replace("Greeting", "Salutation"), meta, results
    )
    path.write_text("print('hello')  # edited\n")
    assert b"# edited" in notebook_bytes(cache, page, markdown, meta, results)
    assert len(built) == 5


def test_a_copy_of_the_project_elsewhere_reuses_its_notebooks(tmp_path: Path, monkeypatch) -> None:
    meta = {"title": "Demo", "description": "A demo."}
    cache = tmp_path / "cache"
    here, markdown, results = _lesson(tmp_path / "here")
    first = notebook_bytes(cache, here, markdown, meta, results)
    built = []
    real_build = notebook.build
    monkeypatch.setattr(notebook, "build", lambda *a: built.append(1) or real_build(*a))
    there, _, moved = _lesson(tmp_path / "there")
    assert notebook_bytes(cache, there, markdown, meta, moved) == first
    assert built == [], "keyed by the snippets' paths in the project, not on disk"


def test_a_page_that_shows_no_code_has_no_notebook(tmp_path: Path) -> None:
    page, _, results = _lesson(tmp_path)
    assert notebook_bytes(tmp_path / "cache", page, "# Only prose\n", {}, results) is None


def test_the_phase_clock_charges_every_moment_to_exactly_one_phase() -> None:
    ticks = iter([0.0, 1.0, 1.5, 4.0, 4.25, 10.0])
    clock = PhaseClock(now=lambda: next(ticks))
    clock.start("config")  # 0.0
    clock.switch("pages")  # 1.0: config ran 1 s
    with clock.phase("katex"):  # 1.5: pages ran 0.5 s
        pass  # 4.0: katex ran 2.5 s, then pages again
    clock.switch("write")  # 4.25: pages ran 0.25 s more
    clock.stop()  # 10.0
    assert clock.seconds == {"config": 1.0, "pages": 0.75, "katex": 2.5, "write": 5.75}
    assert clock.total == 10.0
    clock.switch("after the end")  # a stopped clock charges nothing
    assert clock.total == 10.0


def test_theme_templates_compile_once_into_the_cache_folder_unless_caching_is_off(tmp_path: Path) -> None:
    from jinja2 import DictLoader, Environment

    from lessonkit.options import resolve
    from lessonkit.templates import template_cache

    (tmp_path / "snippets").mkdir()
    options = resolve({}, tmp_path, tmp_path / "docs", env={})
    source = {"page.html": "<p>{{ title | upper }}</p>"}
    first = Environment(loader=DictLoader(source), bytecode_cache=template_cache(options))
    assert first.get_template("page.html").render(title="x") == "<p>X</p>"
    assert list((tmp_path / ".cache" / "lessonkit" / "jinja").iterdir())  # compiled code stored
    second = Environment(loader=DictLoader(source), bytecode_cache=template_cache(options))
    assert second.get_template("page.html").render(title="y") == "<p>Y</p>"
    assert template_cache(resolve({}, tmp_path, tmp_path / "docs", env={"LESSONKIT_NO_CACHE": "1"})) is None


def test_a_rebuild_memo_keeps_a_value_while_its_inputs_stay_and_only_what_the_last_rebuild_used() -> None:
    memo: RebuildMemo[str] = RebuildMemo()
    made: list[str] = []

    def make(value: str):
        return lambda: made.append(value) or value

    assert memo.get(["page", "v1"], make("one")) == "one"
    memo.next_rebuild()
    assert memo.get(["page", "v1"], make("again")) == "one"  # same inputs: kept, not made
    assert memo.hits == 1
    assert memo.get(["page", "v2"], make("two")) == "two"  # an input changed: made again
    assert memo.get(["page", "v", "2"], make("three")) == "three"  # parts are not just joined
    memo.next_rebuild()
    memo.next_rebuild()  # a rebuild that used nothing: nothing survives it
    assert memo.get(["page", "v1"], make("fresh")) == "fresh"
    assert made == ["one", "two", "three", "fresh"]


def test_a_value_whose_making_fails_is_not_kept() -> None:
    memo: RebuildMemo[str] = RebuildMemo()

    def fail() -> str:
        raise ValueError("a TeX error")

    with pytest.raises(ValueError):
        memo.get(["page"], fail)
    assert memo.get(["page"], lambda: "fixed") == "fixed"


def _search_plugin():
    """Material's search plugin's index, as its on_config makes it, with its parses counted."""
    from types import SimpleNamespace

    from material.plugins.search.plugin import SearchIndex

    index = SearchIndex(lang=["en"], separator=r"[\s\-]+", pipeline=[], fields={})
    parsed: list[str] = []
    parse = index.add_entry_from_context

    def counting(page) -> None:
        parsed.append(page.content)
        parse(page)

    index.add_entry_from_context = counting
    return SimpleNamespace(search_index=index), parsed


def _search_page(content: str):
    from types import SimpleNamespace

    return SimpleNamespace(url="lessons/a/", title="A", meta={}, toc=[], content=content)


def test_a_page_indexed_while_snippets_run_is_not_parsed_again_unless_it_changed_since() -> None:
    from lessonkit.serve.search_reuse import SearchEntries

    plugin, parsed = _search_plugin()
    entries = SearchEntries()
    entries.install({"material/search": plugin})
    page = _search_page("<h1 id='a'>A</h1><p>old text</p>")
    entries.prepare(page, page.content)
    plugin.search_index.add_entry_from_context(page)  # what the search plugin calls later
    assert len(parsed) == 1
    assert "old text" in plugin.search_index.entries[0]["text"]

    changed = _search_page("<h1 id='a'>A</h1><p>placeholder</p>")
    entries.prepare(changed, changed.content)
    changed.content = "<h1 id='a'>A</h1><p>new text</p>"  # another plugin changed it since
    plugin.search_index.add_entry_from_context(changed)
    assert len(parsed) == 3
    assert "new text" in plugin.search_index.entries[-1]["text"]


def test_under_serve_an_unchanged_page_keeps_its_search_entries_from_the_last_rebuild() -> None:
    from lessonkit.serve.search_reuse import SearchEntries

    entries = SearchEntries()
    texts = []
    for content in (
        "<h1 id='a'>A</h1><p>same</p>",
        "<h1 id='a'>A</h1><p>same</p>",
        "<h1 id='a'>A</h1><p>edited</p>",
    ):
        plugin, parsed = _search_plugin()  # the search plugin makes a new index every rebuild
        entries.install({"material/search": plugin})
        plugin.search_index.add_entry_from_context(_search_page(content))
        texts.append((len(parsed), [e["text"] for e in plugin.search_index.entries]))
    assert texts == [(1, ["<p>same</p>"]), (0, ["<p>same</p>"]), (1, ["<p>edited</p>"])]


def _material_sections(html: str) -> list[tuple[str | None, str, str]]:
    from material.plugins.search.plugin import Parser

    parser = Parser()
    parser.feed(html)
    parser.close()
    return [(s.id, "".join(s.title), "".join(s.text)) for s in parser.data]


def test_code_blocks_without_their_token_spans_give_the_search_parser_the_same_sections() -> None:
    import markdown

    from lessonkit.serve.search_reuse import searchable_html

    source = """# Fit

Intro with `inline_code()` and <span class="note">a span outside code</span>.

```python title="fit.py" linenums="1" hl_lines="2"
import numpy as np  # a < b & c > d
x = np.array([1.0,   2.0])

print("w  =", x @ x)
```

## Output {#output}

```text
mse 2.8
    indented line	with a tab
```

<div data-search-exclude markdown>

```python
hidden = "not indexed"
```

</div>
"""
    html = markdown.markdown(
        source,
        extensions=["attr_list", "md_in_html", "toc", "pymdownx.highlight", "pymdownx.superfences"],
        extension_configs={
            "pymdownx.highlight": {"linenums_style": "pymdownx-inline", "pygments_lang_class": True}
        },
    )
    slim = searchable_html(html)
    assert html.count("<span") > 30
    # Outside <pre> the parser walks every tag still: the file name and the prose's span.
    assert slim.count("<span") == 2
    assert 'hidden = "not indexed"' not in _material_sections(html)[-1][2]
    assert _material_sections(slim) == _material_sections(html)


def _render_with_highlights(source: str, memo) -> str:
    import markdown

    configs = {
        "pymdownx.highlight": {"linenums_style": "pymdownx-inline", "pygments_lang_class": True},
        "lessonkit.markdown": {"katex": False, "highlights": memo} if memo is not None else {"katex": False},
    }
    return markdown.markdown(
        source,
        extensions=["attr_list", "pymdownx.highlight", "pymdownx.superfences", "lessonkit.markdown"],
        extension_configs=configs,
    )


def test_under_serve_an_unchanged_code_block_keeps_its_highlighted_html_from_the_last_rebuild() -> None:
    blocks = [
        '```python linenums="1"\nx = 1\n```',
        '```python hl_lines="1"\ny = 2\n```',
        "```text\nmse 2.8\n```",
    ]
    memo = RebuildMemo()
    first = _render_with_highlights("\n\n".join(blocks), memo)
    assert first == _render_with_highlights("\n\n".join(blocks), None)
    assert memo.hits == 0

    memo.next_rebuild()
    blocks[1] = '```python hl_lines="1"\ny = 3\n```'  # the edit
    second = _render_with_highlights("\n\n".join(blocks), memo)
    assert second == _render_with_highlights("\n\n".join(blocks), None)
    assert memo.hits == 2  # the first and the last block; the edited one was highlighted anew

    memo.next_rebuild()
    moved = _render_with_highlights("\n\n".join(["```python\nz = 0\n```", *blocks]), memo)
    # Every block moved down one place: its number (in its line anchors) changed, so none is kept.
    assert memo.hits == 0
    assert moved == _render_with_highlights("\n\n".join(["```python\nz = 0\n```", *blocks]), None)


def test_the_search_plugin_strips_its_attributes_where_they_are_and_skips_the_strip_elsewhere(
    tmp_path: Path, monkeypatch
) -> None:
    from types import SimpleNamespace

    import material.plugins.search.plugin as material_search
    from mkdocs.config import load_config

    from lessonkit.serve.search_reuse import SearchEntries

    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: t\ntheme: material\nplugins: [search]\n")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    SearchEntries().install(config.plugins)
    strips = []
    real_sub = material_search.re.sub
    monkeypatch.setattr(material_search.re, "sub", lambda *a, **k: strips.append(a[0]) or real_sub(*a, **k))

    def context_of(content: str):
        page = SimpleNamespace(url="a/", title="A", meta={}, toc=[], content=content)
        config.plugins.on_page_context({}, page=page, config=config, nav=None)
        return page.content

    marked = "<h1 id='a'>A</h1><p data-search-exclude=\"true\">hidden</p><p>shown</p>"
    assert context_of(marked) == "<h1 id='a'>A</h1><p>hidden</p><p>shown</p>"  # Material's own strip
    assert len(strips) == 1
    plain = "<h1 id='a'>A</h1><p>nothing to strip</p>"
    assert context_of(plain) == plain
    assert len(strips) == 1  # not run where it would change nothing
    index = next(p for p in config.plugins.values() if hasattr(p, "search_index")).search_index
    assert [e["text"] for e in index.entries] == ["<p>shown</p>", "<p>nothing to strip</p>"]


def test_the_theme_files_are_the_same_when_hidden_theme_folders_are_not_walked(tmp_path: Path) -> None:
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    from lessonkit.templates import list_visible_files

    (tmp_path / "docs").mkdir()
    overrides = tmp_path / "overrides"
    (overrides / ".hidden").mkdir(parents=True)
    (overrides / ".hidden" / "secret.css").write_text("")
    (overrides / "extra.css").write_text("")
    (tmp_path / "mkdocs.yml").write_text("site_name: t\ntheme:\n  name: material\n  custom_dir: overrides\n")

    def theme_files(visible_only: bool) -> tuple[list[str], int]:
        config = load_config(str(tmp_path / "mkdocs.yml"))
        if visible_only:
            list_visible_files(config.theme)
        env = config.theme.get_env()
        files = Files([])
        files.add_files_from_theme(env, config)
        return [f.src_uri for f in files], len(env.list_templates())

    (walked, listed_all), (kept, listed_visible) = theme_files(False), theme_files(True)
    assert kept == walked and "extra.css" in kept
    assert listed_all - listed_visible > 10_000  # Material's .icons, and the hidden override


def _lesson_page(tmp_path: Path):
    from lessonkit.page.pages import Page

    folder = tmp_path / "snippets" / "a"
    folder.mkdir(parents=True)
    (folder / "fit.py").write_text("print(1)\n")
    (folder / "lesson.toml").write_text("")
    source = "---\nsnippets: a\n---\n{{ example fit.py }}\n"
    page = Page("lessons/a.md", tmp_path / "a.md", source, "{{ example fit.py }}\n", 3, {}, folder)
    return page, folder


def _rebuild(tmp_path: Path, reuse, results: dict):
    """A serve rebuild's SiteBuild, sharing ``reuse`` with the last one."""
    from lessonkit.options import resolve
    from lessonkit.sitebuild import SiteBuild

    (tmp_path / "docs").mkdir(exist_ok=True)
    reuse.next_rebuild()
    options = resolve({}, tmp_path, tmp_path / "docs", env={})
    return SiteBuild(options, "serve", results=dict(results), kept_lessons=reuse)


def test_under_serve_a_lessons_value_is_kept_while_its_page_folder_and_outputs_stay(tmp_path: Path) -> None:
    from lessonkit.serve.lesson_reuse import LessonReuse

    page, folder = _lesson_page(tmp_path)
    script = folder / "fit.py"
    results = {script: RunResult(b"1\n", b"", 0, 0.1)}
    reuse, made = LessonReuse(), []

    def make(context: PageContext) -> str:
        made.append(1)
        context.snippet("fit.py", next(iter(scan(page.body).directives)))  # marks it used
        return context.outputs(script)

    def value() -> tuple[str, set]:
        build = _rebuild(tmp_path, reuse, results)
        build.pages[page.src] = page
        return build.lesson_value("download", page, make, outputs=True), build.used

    assert value() == ("1\n", {script}) and len(made) == 1
    assert value() == ("1\n", {script}) and len(made) == 1  # kept, and the snippet marked used again
    results[script] = RunResult(b"2\n", b"", 0, 0.1)  # a new output
    assert value() == ("2\n", {script}) and len(made) == 2
    (folder / "lesson.toml").write_text("[numbers.allowed]\n")  # a file of the folder
    value()
    assert len(made) == 3
    page = dataclasses.replace(page, source=page.source + "\nMore prose.\n")  # the page
    value()
    value()
    assert len(made) == 4


def test_a_lessons_value_that_used_a_snippet_of_another_folder_is_not_kept(tmp_path: Path) -> None:
    from lessonkit.serve.lesson_reuse import LessonReuse

    page, _ = _lesson_page(tmp_path)
    elsewhere = tmp_path / "snippets" / "b" / "other.py"
    reuse, made = LessonReuse(), []

    def make(context: PageContext) -> str:
        made.append(1)
        return context.outputs(elsewhere)

    for _ in range(2):
        build = _rebuild(tmp_path, reuse, {elsewhere: RunResult(b"out\n", b"", 0, 0.1)})
        build.pages[page.src] = page
        build.lesson_value("download", page, make, outputs=True)
    assert len(made) == 2
