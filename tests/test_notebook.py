"""The lesson's companion notebook is generated at build time from its snippets, in page order,
carries this build's outputs, is published and linked from the site, loads nothing from other
hosts, and runs top to bottom in a fresh Jupyter kernel printing exactly the documented outputs."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from urllib.parse import urlparse
from xml.etree import ElementTree

import nbformat
import pytest
from bs4 import BeautifulSoup
from conftest import LESSON, ROOT, lesson_page, mkdocs_build
from mkdocs.utils.meta import get_data

from lessonkit.outputs import notebook
from lessonkit.page.directives import PageContext
from lessonkit.run.engine import run_project
from lessonkit.run.results import RunResult

PAGE_MD = f"lessons/{LESSON}.md"
NOTEBOOK = f"lessons/{LESSON}.ipynb"
NOTEBOOK_PAGE = f"notebooks/{LESSON}/index.html"
LESSON_PAGE = f"lessons/{LESSON}/index.html"
DOWNLOAD_LABEL = "Download notebook (.ipynb)"

FIGURE_SCRIPT = """\
import matplotlib.pyplot as plt

plt.rcParams["svg.hashsalt"] = "figure-test"  # same SVG bytes on every run
evidence = [1, 2, 3, 4, 5]
latency = [118, 141, 162, 181, 198]

if __name__ == "__main__":
    for scheme, ink in (("light", "black"), ("dark", "white")):
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.plot(evidence, latency, "o", color=ink)
        fig.savefig(f"{scheme}.svg", metadata={"Date": None}, transparent=True)
        plt.close(fig)
    print("points", len(evidence))
"""


def _shown_in_page(page: Path) -> list[tuple[str, str]]:
    """(snippet name, nearest heading above it) for each example or figure line, in page order."""
    shown, section = [], ""
    for line in page.read_text(encoding="utf-8").splitlines():
        if re.match(r"#{1,6} ", line):
            section = line.lstrip("#").strip()
        directive = re.fullmatch(r"\{\{ (?:example|figure) (\S+) \}\}", line.strip())
        if directive:
            shown.append((directive[1], section))
    return shown


def _stdout(cell: nbformat.NotebookNode) -> str:
    return "".join(o["text"] for o in cell.outputs if o["output_type"] == "stream" and o["name"] == "stdout")


def _images(cell: nbformat.NotebookNode) -> list[str]:
    return [o["data"]["image/svg+xml"] for o in cell.outputs if "image/svg+xml" in o.get("data", {})]


def _expected_output_types(stem: str, documented: str) -> list[str]:
    """A printout if the snippet prints; for a figure snippet, then its image."""
    return (["stream"] if documented else []) + (["display_data"] if stem.startswith("figure-") else [])


def _soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def built(site: Path) -> nbformat.NotebookNode:
    """The notebook as a reader downloads it from the built site."""
    return nbformat.reads((site / NOTEBOOK).read_text(encoding="utf-8"), as_version=4)


def execute(nb: nbformat.NotebookNode, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run every cell in a fresh ipykernel of this very Python, in an empty working directory,
    which is returned."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    # A kernelspec of our own, so no user-level or system kernel of another Python is picked up.
    spec_dir = tmp_path / "kernels" / "python3"
    spec_dir.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec_dir / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "Python 3", "language": "python"})
    )
    # Kernel state (connection files, IPython profile, matplotlib cache) stays out of the home directory;
    # matplotlib gets Jupyter's own inline backend, as for a reader.
    for name in ("JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "MPLCONFIGDIR"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    monkeypatch.delenv("MPLBACKEND", raising=False)
    manager = KernelManager(
        kernel_name="python3", kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")])
    )
    assert manager.kernel_spec.argv[0] == sys.executable
    cwd = tmp_path / "cwd"
    cwd.mkdir(exist_ok=True)
    # A busy machine can split one cell's printout into several stream messages (the kernel flushes
    # on a timer); Jupyter shows them as one text, so they are compared as one.
    NotebookClient(
        nb, km=manager, timeout=120, coalesce_streams=True, resources={"metadata": {"path": str(cwd)}}
    ).execute()
    return cwd


# --- The file ---


def test_notebook_is_valid_and_has_one_code_cell_per_shown_snippet_in_page_order(built) -> None:
    nbformat.validate(built)
    shown = _shown_in_page(ROOT / "docs" / PAGE_MD)
    assert len(shown) == len(set(shown)) >= 11
    code = [cell for cell in built.cells if cell.cell_type == "code"]
    assert [cell.id for cell in code] == [Path(name).stem for name, _ in shown]
    for cell, (name, _) in zip(code, shown, strict=True):
        source = (ROOT / "snippets" / LESSON / name).read_text(encoding="utf-8").rstrip("\n")
        if name.startswith("figure-"):  # run in a scratch folder, the SVG it saved shown inline
            source = notebook.figure_cell_source(source)
        assert cell.source == source


def test_each_code_cell_follows_a_markdown_cell_naming_its_section(built) -> None:
    assert built.cells[0].cell_type == "markdown"
    assert built.cells[0].source.startswith("# Linear Regression from Scratch")
    pairs = list(zip(built.cells[1::2], built.cells[2::2], strict=True))
    previous = None
    for (note, code), (name, section) in zip(pairs, _shown_in_page(ROOT / "docs" / PAGE_MD), strict=True):
        assert note.cell_type == "markdown" and code.cell_type == "code"
        # A section's heading opens its first example; later ones in it name it in words.
        if section != previous:
            assert note.source.startswith(f"## {section}\n"), note.source
        else:
            assert note.source.endswith(f"also from the section *{section}*"), note.source
        assert f"`{name}`" in note.source
        previous = section


def test_stored_outputs_are_the_documented_outputs(built) -> None:
    for cell in (c for c in built.cells if c.cell_type == "code"):
        documented = (ROOT / "snippets" / LESSON / f"{cell.id}.out").read_text(encoding="utf-8")
        assert _stdout(cell) == documented, cell.id
        assert [o["output_type"] for o in cell.outputs] == _expected_output_types(cell.id, documented)


def test_same_notebook_bytes_from_a_fresh_run_in_another_checkout(site: Path, project: Path) -> None:
    """No timestamps, random ids or machine paths: another copy of the project, run afresh
    in another process, yields the very bytes the site published."""
    run = run_project(project, use_cache=False)
    assert not run.failures, run.error_report()
    body, meta = get_data((project / "docs" / PAGE_MD).read_text(encoding="utf-8"))
    lesson = lesson_page(project, LESSON, _stdout_of(run.results))
    assert (
        notebook.to_bytes(notebook.build(lesson, body, meta, run.results)) == (site / NOTEBOOK).read_bytes()
    )


# --- In the site ---


def test_notebook_page_is_rendered_and_in_the_navigation(site: Path) -> None:
    soup = _soup(site, NOTEBOOK_PAGE)
    assert soup.select_one("article h1").get_text().startswith("Linear Regression from Scratch")
    assert len(soup.select("article .jp-CodeCell[id]")) == len(_shown_in_page(ROOT / "docs" / PAGE_MD))
    first = (ROOT / "snippets" / LESSON / "inspect-the-request-replay.out").read_text(encoding="utf-8")
    outputs = [pre.get_text() for pre in soup.select("article .jp-OutputArea-output pre")]
    assert any(first.strip() in text for text in outputs)
    nav = [a["href"] for a in _soup(site, LESSON_PAGE).select("nav.md-nav a.md-nav__link[href]")]
    assert f"../../notebooks/{LESSON}/" in nav


@pytest.mark.parametrize("page", [LESSON_PAGE, NOTEBOOK_PAGE])
def test_download_link_is_relative_and_resolves_to_the_notebook(site: Path, page: str) -> None:
    links = _soup(site, page).find_all("a", string=DOWNLOAD_LABEL)
    assert len(links) == 1
    href = links[0]["href"]
    # Relative, so it works wherever the site is served (any site_url path).
    assert not urlparse(href).scheme and not href.startswith("/")
    assert ((site / page).parent / href).resolve() == (site / NOTEBOOK).resolve()


def test_cdn_scripts_are_removed_and_a_leftover_remote_asset_fails_loudly(site: Path) -> None:
    scripts = _soup(site, NOTEBOOK_PAGE).find_all("script")
    sources = [s["src"] for s in scripts if s.has_attr("src")]
    assert sources and all(src.startswith("../../assets/") for src in sources), sources
    assert not [s for s in scripts if re.search(r"https?://|MathJax", s.get_text())]
    with pytest.raises(notebook.NotebookError, match="remote asset"):
        notebook.site_html('<div><link rel="stylesheet" href="https://cdn.example.org/x.css"></div>')


@pytest.mark.browser
def test_notebook_page_requests_only_its_own_origin(browser, site: Path, serve) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{serve(site)}notebooks/{LESSON}/")
    page.wait_for_load_state("networkidle")
    page.mouse.wheel(0, 20000)
    page.wait_for_load_state("networkidle")
    assert page.locator("article .jp-CodeCell").first.is_visible()
    assert {urlparse(url).hostname for url in requests if not url.startswith("data:")} == {"127.0.0.1"}
    assert errors == []
    context.close()


def test_math_in_a_section_heading_is_typeset_and_python_files_in_docs_stay_files(
    project: Path, tmp_path: Path
) -> None:
    (project / "docs" / "lessons" / "helper.py").write_text('print("not a page")\n', encoding="utf-8")
    page = project / "docs" / PAGE_MD
    source = page.read_text(encoding="utf-8")
    heading = "### Beating the average: the baseline and R-squared"
    assert heading in source
    page.write_text(
        source.replace(heading, "### Beating the average: the baseline and $R^2$"), encoding="utf-8"
    )
    result = mkdocs_build(project, tmp_path / "site")
    assert result.ok, result.output
    ipynb = nbformat.reads((tmp_path / "site" / NOTEBOOK).read_text(encoding="utf-8"), as_version=4)
    assert any(c.source.startswith("## Beating the average: the baseline and $R^2$\n") for c in ipynb.cells)
    markdown = _soup(tmp_path / "site", NOTEBOOK_PAGE).select("article .jp-RenderedMarkdown")
    typeset = [m for m in markdown if m.select(".katex")]
    assert len(typeset) == 1
    assert "$" not in typeset[0].get_text()
    # mkdocs-jupyter's `include` takes notebooks only: a .py under docs/ is copied, not rendered.
    assert (tmp_path / "site" / "lessons" / "helper.py").is_file()
    assert not (tmp_path / "site" / "lessons" / "helper").exists()


# --- Figures (figure-*.py writes light.svg and dark.svg; see the figure contract) ---


def _lesson_with_figure(project: Path) -> tuple[PageContext, str, dict, dict[Path, RunResult]]:
    folder = project / "snippets" / LESSON
    (folder / "figure-test.py").write_text(FIGURE_SCRIPT, encoding="utf-8")
    (folder / "figure-test.out").write_text("points 5\n", encoding="utf-8")
    page = project / "docs" / PAGE_MD
    source = page.read_text(encoding="utf-8")
    anchor = "{{ example score-candidate-line-against-baseline.py }}\n"
    page.write_text(source.replace(anchor, anchor + "\n{{ figure figure-test.py }}\n"), encoding="utf-8")
    run = run_project(project)
    assert not run.failures, run.error_report()
    body, meta = get_data(page.read_text(encoding="utf-8"))
    return lesson_page(project, LESSON, _stdout_of(run.results)), body, meta, run.results


def test_figure_cell_shows_the_saved_svg_and_runs_in_a_kernel(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lesson, body, meta, results = _lesson_with_figure(project)
    nb = notebook.build(lesson, body, meta, results)
    ids = [c.id for c in nb.cells if c.cell_type == "code"]
    after = ids.index("score-candidate-line-against-baseline") + 1
    assert ids[after] == "figure-test"
    cell = next(c for c in nb.cells if c.id == "figure-test")
    assert cell.source == notebook.figure_cell_source(FIGURE_SCRIPT)
    assert FIGURE_SCRIPT.rstrip("\n") in cell.source, "the script itself, unchanged"
    assert 'display(SVG(filename="light.svg"))' in cell.source
    light_svg = results[project / "snippets" / LESSON / "figure-test.py"].artifacts["light.svg"]
    assert _stdout(cell) == "points 5\n"
    assert [o["output_type"] for o in cell.outputs] == ["stream", "display_data"]
    (image,) = _images(cell)
    assert image.startswith("<svg")  # as IPython's SVG shows it: the element, no XML prolog
    assert ElementTree.canonicalize(image) == ElementTree.canonicalize(light_svg.decode("utf-8"))

    stored = [dict(o) for o in cell.outputs]
    (tmp_path / "cwd").mkdir()
    (tmp_path / "cwd" / "light.svg").write_text("the reader's own file", encoding="utf-8")
    cwd = execute(nb, tmp_path, monkeypatch)
    # Jupyter shows what the page shows: same printout, same image.
    assert [dict(o) for o in cell.outputs] == stored
    # The drawings went to a scratch folder: the reader's folder is as it was.
    assert [p.name for p in cwd.iterdir()] == ["light.svg"]
    assert (cwd / "light.svg").read_text(encoding="utf-8") == "the reader's own file"


def test_figure_snippet_without_light_svg_is_an_error_naming_it(project: Path) -> None:
    folder = project / "snippets" / LESSON
    path = folder / "figure-broken.py"
    path.write_text('print("drew nothing")\n', encoding="utf-8")
    lesson = lesson_page(project, LESSON)
    results = {path: RunResult(b"drew nothing\n", b"", 0, 0.0)}
    with pytest.raises(notebook.NotebookError, match=f"snippets/{LESSON}/figure-broken.py .*light.svg"):
        notebook.build(lesson, "## Drawing\n\n{{ figure figure-broken.py }}\n", {}, results)


def _stdout_of(results: dict[Path, RunResult]):
    return lambda path: results[path].stdout.decode("utf-8")


# --- Runs for real ---


def test_notebook_runs_top_to_bottom_in_a_fresh_kernel_printing_the_documented_outputs(
    built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    nb = nbformat.from_dict(json.loads(json.dumps(built)))  # a copy: the fixture stays as published
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    cwd = execute(nb, tmp_path, monkeypatch)
    assert list(cwd.iterdir()) == [], "running the notebook leaves no file in the reader's folder"
    ran = [c for c in nb.cells if c.cell_type == "code"]
    stored = [c for c in built.cells if c.cell_type == "code"]
    assert len(ran) >= 11
    for cell, published in zip(ran, stored, strict=True):
        documented = (ROOT / "snippets" / LESSON / f"{cell.id}.out").read_text(encoding="utf-8")
        assert _stdout(cell) == documented, cell.id
        assert [o["output_type"] for o in cell.outputs] == _expected_output_types(cell.id, documented)
        # A reader who runs all cells gets exactly what the notebook (and the page) shows.
        assert cell.outputs == published.outputs, cell.id
