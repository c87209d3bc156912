"""Thin MkDocs glue for figures: publish what the figure snippets drew.

Listed in mkdocs.yml before mkdocs_hooks.py; its on_files runs after every
on_pre_build, so this build's snippet results are in ``state``. The logic is in
``lessonkit.figures``; the page syntax in ``lessonkit.directives``.
"""

from __future__ import annotations

import os

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from lessonkit import figures
from lessonkit.engine import run_project
from lessonkit.sitebuild import state


def on_files(files: Files, config: MkDocsConfig) -> Files:
    results = state.results
    if os.environ.get("LESSONKIT_EXECUTE", "1") == "0":
        # Snippets were not run, but a figure only exists once its script has drawn it (cached as usual).
        run = run_project(state.root, only=[path for path in results if figures.is_figure(path)])
        if run.failures:
            raise PluginError(run.error_report())
        results = run.results
    try:
        drawn = figures.site_files(results, state.root)
    except figures.FigureError as exc:
        raise PluginError(str(exc)) from None
    for uri, content in drawn.items():
        files.append(File.generated(config, uri, content=content))
    return files
