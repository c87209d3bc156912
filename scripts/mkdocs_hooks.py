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
import subprocess
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import write_file
from mkdocs.utils.meta import get_data

from lessonkit import a11y, deferred, directives, export, figures, katex, slim
from lessonkit.engine import run_project
from lessonkit.results import RunResult
from lessonkit.sitebuild import state

log = logging.getLogger("mkdocs.lessonkit")


class _katex:
    renderer: katex.KatexRenderer | None = None  # one node process per build


def on_startup(command: str, dirty: bool) -> None:
    state.command = command


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    state.root = Path(config.config_file_path).resolve().parent
    state.site_dir = Path(config.site_dir)
    # Dates in the sitemap come from SOURCE_DATE_EPOCH: default it to the last commit's time,
    # so the same commit always builds the same bytes.
    if "SOURCE_DATE_EPOCH" not in os.environ and shutil.which("git"):
        commit_time = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=state.root, capture_output=True, text=True
        ).stdout.strip()
        if commit_time.isdigit():
            os.environ["SOURCE_DATE_EPOCH"] = commit_time
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    state.used.clear()
    state.bindings.clear()
    use_cache = os.environ.get("LESSONKIT_NO_CACHE") != "1"
    if os.environ.get("LESSONKIT_EXECUTE", "1") == "0":
        # Pages show the documented outputs; only figures run, since one exists only once drawn.
        paths = sorted((state.root / "snippets").glob("*/[!_]*.py"))
        figure_paths = [p for p in paths if figures.is_figure(p)]
        run = run_project(state.root, use_cache=use_cache, only=figure_paths)
        state.results = {p: RunResult(p.with_suffix(".out").read_bytes(), b"", 0, 0.0) for p in paths}
        state.results.update(run.results)
        state.summary = (
            f"lessonkit: execution switched off; {len(paths)} documented outputs shown "
            f"({len(figure_paths)} figures drawn)"
        )
    else:
        run = run_project(state.root, use_cache=use_cache)
        state.results = run.results
        state.summary = run.summary()
    if run.failures:
        raise PluginError(run.error_report())
    for note in run.notes:
        log.info(note)
    try:
        _katex.renderer = katex.KatexRenderer(state.root)
    except katex.KatexError as exc:
        raise PluginError(str(exc)) from None


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for uri, source in katex.static_assets(state.root).items():
        files.append(File.generated(config, uri, abs_src_path=str(source)))
    try:
        files.append(File.generated(config, katex.STYLESHEET, content=katex.stylesheet(state.root)))
    except katex.KatexError as exc:
        raise PluginError(str(exc)) from None
    for page_file in list(files.documentation_pages()):
        source = Path(page_file.abs_src_path).read_text(encoding="utf-8")
        meta = _front_matter(source)
        lesson = state.lesson(page_file.src_uri, meta)
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
    lesson = state.lesson(page.file.src_uri, page.meta)
    if lesson is None:
        return markdown
    # Download links shown above the lesson title; other hooks may append their own.
    page.meta.setdefault("downloads", []).append({"label": "Download as Markdown", "url": page.file.src_uri})
    try:
        markdown = directives.expand(markdown, lesson)
    except directives.DirectiveError as exc:
        raise PluginError(str(exc)) from None
    state.bindings[page.file.src_uri] = lesson.tally
    return markdown


def on_env(env, config: MkDocsConfig, files: Files):
    unused = [p for p in sorted(state.results) if p not in state.used]
    if unused:
        names = "\n".join(f"  {p.relative_to(state.root).as_posix()}" for p in unused)
        raise PluginError(
            f"{len(unused)} snippet(s) are not used by any page (add an `{{{{ example NAME }}}}`, "
            f"`{{{{ table NAME }}}}` or `{{{{ value NAME KEY }}}}` to a page, or delete them):\n{names}"
        )
    return env


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    # Only pages with formulas load KaTeX's stylesheet, and they preload its two main fonts
    # (docs/overrides/partials/lk-head.html).
    if katex.uses_math(page.content or ""):
        fonts = [f"{katex.FONTS}/{name}" for name in katex.PRELOADED_FONTS]
        context["lk_katex"] = {"stylesheet": katex.STYLESHEET, "fonts": fonts}
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    assert _katex.renderer is not None
    try:
        output = _katex.renderer.render_page(output, page.file.src_uri)
    except katex.KatexError as exc:
        raise PluginError(str(exc)) from None
    output = slim.slim_html(a11y.accessible_html(output))
    try:
        output, published = deferred.split(output, page.url, page.title or "")
    except deferred.DeferredError as exc:
        raise PluginError(str(exc)) from None
    for uri, text in published.items():
        write_file(text.encode("utf-8"), str(Path(config.site_dir) / uri))
    return output


def _close_renderer() -> None:
    if _katex.renderer is not None:
        _katex.renderer.close()
        _katex.renderer = None


def on_post_build(config: MkDocsConfig) -> None:
    _close_renderer()
    log.info(state.summary)
    log.info(state.bindings_summary())


def on_build_error(error: Exception) -> None:
    _close_renderer()
    if state.command == "build" and state.site_dir.exists():
        # Never leave a half-built (or stale) site behind to be published by mistake.
        shutil.rmtree(state.site_dir)
        log.error(f"lessonkit: build failed; removed {state.site_dir} so nothing partial is published")


def on_serve(server, config: MkDocsConfig, builder):
    server.watch(str(state.root / "snippets"))
    return server
