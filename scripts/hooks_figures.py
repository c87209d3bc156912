"""Thin MkDocs glue for figures: publish what the figure snippets drew.

Listed in mkdocs.yml before mkdocs_hooks.py; its on_files runs after every
on_pre_build, so this build's snippet results (checked: each figure left both
SVGs) are in ``state``. The logic is in ``lessonkit.figures``; the page syntax
in ``lessonkit.directives``.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from lessonkit import figures
from lessonkit.sitebuild import state


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for uri, content in figures.site_files(state.results).items():
        files.append(File.generated(config, uri, content=content))
    return files
