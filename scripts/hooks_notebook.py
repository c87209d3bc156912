"""Thin MkDocs glue for the lessons' companion notebooks (the logic is lessonkit.notebook).

For each lesson page ``lessons/<name>.md`` the build publishes
  lessons/<name>.ipynb       the notebook to download, next to the Markdown download
  notebooks/<name>/          the notebook rendered by mkdocs-jupyter (``notebooks/<name>.ipynb``)
and links the download from both pages. Must be listed before mkdocs_hooks.py, whose
``on_post_page`` typesets the math this hook marks in notebook pages.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

from lessonkit import directives, notebook
from lessonkit.cache import write_atomically
from lessonkit.sitebuild import state

# mkdocs-jupyter reads notebooks from disk, and its page wrapper finds a file's path through
# the file's source folder (a File.generated has none), so generated notebooks live in a
# source folder of their own, laid out like docs/.
GENERATED_SRC_DIR = ".cache/lessonkit/notebook-src"
DOWNLOAD_LABEL = "Download notebook (.ipynb)"


class _built:
    downloads: ClassVar[dict[str, str]] = {}  # lesson or notebook page src_uri -> download uri
    notebook_pages: ClassVar[set[str]] = set()
    descriptions: ClassVar[dict[str, str]] = {}  # notebook page src_uri -> meta description


# mkdocs-jupyter turns .ipynb files into pages in its own on_files (priority 0); adding the
# generated notebooks earlier is what lets it see them.
@event_priority(50)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    _built.downloads.clear()
    _built.notebook_pages.clear()
    _built.descriptions.clear()
    for page_file in list(files.documentation_pages()):
        body, meta = get_data(Path(page_file.abs_src_path).read_text(encoding="utf-8"))
        lesson = state.lesson(page_file.src_uri, meta)
        if lesson is None:
            continue
        try:
            made = notebook.build(lesson, body, meta, state.results)
        except (notebook.NotebookError, directives.DirectiveError) as exc:
            raise PluginError(str(exc)) from None
        if made is None:
            continue
        data = notebook.to_bytes(made)
        stem = Path(page_file.src_uri).stem
        download = Path(page_file.src_uri).with_suffix(".ipynb").as_posix()
        page_uri = f"notebooks/{stem}.ipynb"
        src_dir = state.root / GENERATED_SRC_DIR
        write_atomically(src_dir / page_uri, data)
        files.append(File(page_uri, str(src_dir), config.site_dir, config.use_directory_urls))
        files.append(File.generated(config, download, content=data))
        _built.downloads[page_file.src_uri] = download
        _built.downloads[page_uri] = download
        _built.notebook_pages.add(page_uri)
        _built.descriptions[page_uri] = (
            f"{meta.get('title', stem)} as a Jupyter notebook with this build's outputs. "
            f"{meta.get('description', '')}"
        ).strip()
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.file.src_uri in _built.descriptions:  # a notebook has no front matter of its own
        page.meta.setdefault("description", _built.descriptions[page.file.src_uri])
        # Search finds the lesson page, which holds the same code and outputs; indexing the
        # notebook page too would parse ~700 KB of inlined JupyterLab CSS at every build.
        page.meta.setdefault("search", {"exclude": True})
    download = _built.downloads.get(page.file.src_uri)
    if download is not None:
        page.meta.setdefault("downloads", []).append({"label": DOWNLOAD_LABEL, "url": download})
    return markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.file.src_uri not in _built.notebook_pages:
        return html
    try:
        return notebook.site_html(html)
    except notebook.NotebookError as exc:
        raise PluginError(f"{page.file.src_uri}: {exc}") from None
