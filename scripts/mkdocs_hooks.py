"""Thin MkDocs glue around lessonkit: every decision lives in the lessonkit package.

Environment switches:
  LESSONKIT_NO_CACHE=1  re-run every snippet, ignoring the cache
  LESSONKIT_EXECUTE=0   do not run snippets; pages show the documented outputs
                        (only for measuring the bare build; checks are skipped)
  LESSONKIT_JOBS=N      parallel snippet runs (default: one per core)
"""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

from lessonkit import directives, export, katex
from lessonkit.engine import run_project

log = logging.getLogger("mkdocs.lessonkit")


@dataclass
class _Build:
    """State shared by the hooks of one build."""

    root: Path = Path()
    site_dir: Path = Path()
    command: str = "build"
    outputs: dict[Path, str] = field(default_factory=dict)
    used: set[Path] = field(default_factory=set)
    snippets: list[Path] = field(default_factory=list)
    summary: str = ""
    renderer: katex.KatexRenderer | None = None


state = _Build()


def _lesson(page_src: str, meta: dict) -> directives.Lesson | None:
    folder = directives.lesson_folder(state.root, page_src, meta)
    if not folder.is_dir():
        return None
    return directives.Lesson(page=page_src, folder=folder, root=state.root, outputs=_output, used=state.used)


def _output(path: Path) -> str:
    try:
        return state.outputs[path]
    except KeyError:
        raise directives.DirectiveError(f"{path} was not run by this build") from None


def on_startup(command: str, dirty: bool) -> None:
    state.command = command


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    state.root = Path(config.config_file_path).resolve().parent
    state.site_dir = Path(config.site_dir)
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    state.used = set()
    if os.environ.get("LESSONKIT_EXECUTE", "1") == "0":
        run = None
        paths = sorted((state.root / "snippets").glob("*/*.py"))
        state.outputs = {p: p.with_suffix(".out").read_text(encoding="utf-8") for p in paths}
        state.summary = f"lessonkit: execution switched off; {len(paths)} documented outputs shown"
    else:
        run = run_project(state.root, use_cache=os.environ.get("LESSONKIT_NO_CACHE") != "1")
        if run.failures:
            raise PluginError(run.error_report())
        state.outputs = {p: r.stdout.decode("utf-8") for p, r in run.results.items()}
        state.summary = run.summary()
    state.snippets = sorted(state.outputs)
    try:
        state.renderer = katex.KatexRenderer(state.root)
    except katex.KatexError as exc:
        raise PluginError(str(exc)) from None


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for uri, source in katex.static_assets(state.root).items():
        files.append(File.generated(config, uri, abs_src_path=str(source)))
    for page_file in list(files.documentation_pages()):
        source = Path(page_file.abs_src_path).read_text(encoding="utf-8")
        meta = _front_matter(source)
        lesson = _lesson(page_file.src_uri, meta)
        if lesson is None:
            continue
        try:
            content = export.plain_markdown(source, lesson)
        except directives.DirectiveError as exc:
            raise PluginError(str(exc)) from None
        generated = File.generated(config, page_file.src_uri + ".txt", content=content)
        generated.dest_uri = page_file.src_uri  # published as lessons/<name>.md
        files.append(generated)
    return files


def _front_matter(source: str) -> dict:
    return get_data(source)[1]


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    lesson = _lesson(page.file.src_uri, page.meta)
    if lesson is None:
        return markdown
    page.meta["markdown_download"] = page.file.src_uri
    try:
        return directives.expand(markdown, lesson)
    except directives.DirectiveError as exc:
        raise PluginError(str(exc)) from None


def on_env(env, config: MkDocsConfig, files: Files):
    unused = [p for p in state.snippets if p not in state.used]
    if unused:
        names = "\n".join(f"  {p.relative_to(state.root).as_posix()}" for p in unused)
        raise PluginError(
            f"{len(unused)} snippet(s) are not used by any page (add an `{{{{ example NAME }}}}` "
            f"or `{{{{ value NAME KEY }}}}` to a page, or delete them):\n{names}"
        )
    return env


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    assert state.renderer is not None
    try:
        return state.renderer.render_page(output, page.file.src_uri)
    except katex.KatexError as exc:
        raise PluginError(str(exc)) from None


def _close_renderer() -> None:
    if state.renderer is not None:
        state.renderer.close()
        state.renderer = None


def on_post_build(config: MkDocsConfig) -> None:
    _close_renderer()
    log.info(state.summary)


def on_build_error(error: Exception) -> None:
    _close_renderer()
    if state.command == "build" and state.site_dir.exists():
        # Never leave a half-built (or stale) site behind to be published by mistake.
        shutil.rmtree(state.site_dir)
        log.error(f"lessonkit: build failed; removed {state.site_dir} so nothing partial is published")


def on_serve(server, config: MkDocsConfig, builder):
    server.watch(str(state.root / "snippets"))
    return server
