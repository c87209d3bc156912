"""The theme's Jinja templates compiled once, not at every build.

MkDocs makes a new Jinja environment for each build, so every build (and every rebuild
under ``mkdocs serve``) compiles mkdocs-material's templates again, about a third of a
second here. A Jinja bytecode cache keeps the compiled code in the cache folder, keyed by
template name and checked (by Jinja) against a hash of its source and the Python version,
its entries written and checked by :mod:`.store`: the pages rendered are the same, only
compiled once.

Before that, MkDocs lists every file in the theme's folders through the environment's loader
and drops, among others, every path with a part that starts with a dot. Material ships some
14,000 icons under ``.icons/`` (its icon lookup reads them from disk, not as theme files), so
walking them and filtering each name cost 0.08 s a build. :func:`list_visible_files` makes
the loader's listing leave hidden folders out: the same theme files, without the walk.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache, FileSystemLoader
from jinja2.bccache import Bucket

from . import store
from .options import Options


class TemplateCache(BytecodeCache):
    """Jinja's compiled templates, one store entry per template (Jinja's public bucket API)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _entry(self, bucket: Bucket) -> Path:
        return self.folder / f"{bucket.key}.cache"

    def load_bytecode(self, bucket: Bucket) -> None:
        data = store.read(self._entry(bucket), "jinja")
        if data is not None:
            bucket.bytecode_from_string(data)  # Jinja resets a bucket of another source or Python

    def dump_bytecode(self, bucket: Bucket) -> None:
        store.write(self._entry(bucket), "jinja", bucket.bytecode_to_string())


def template_cache(options: Options) -> BytecodeCache | None:
    """A bytecode cache for the build's theme templates (None when the cache is switched off)."""
    if not options.use_cache:
        return None
    return TemplateCache(options.cache_dir / "jinja")


def _visible_templates(loader: FileSystemLoader) -> list[str]:
    """Jinja's ``FileSystemLoader.list_templates``, without descending into hidden folders."""
    found = set()
    for searchpath in loader.searchpath:
        for dirpath, dirnames, filenames in os.walk(searchpath, followlinks=loader.followlinks):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for filename in filenames:
                template = os.path.join(dirpath, filename)[len(searchpath) :].strip(os.path.sep)
                template = template.replace(os.path.sep, "/")
                found.add(template[2:] if template[:2] == "./" else template)
    return sorted(found)


def list_visible_files(theme: Any) -> None:
    """Make the environments ``theme`` creates list their files without hidden folders (which
    MkDocs' theme-file filter drops, path by path, anyway)."""
    get_env = theme.get_env

    def get_env_listing_visible_files() -> Any:
        env = get_env()
        loader = env.loader
        if type(loader) is FileSystemLoader:
            loader.list_templates = lambda: _visible_templates(loader)
        return env

    theme.get_env = get_env_listing_visible_files
