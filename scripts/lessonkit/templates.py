"""The theme's Jinja templates compiled once, not at every build.

MkDocs makes a new Jinja environment for each build, so every build (and every rebuild
under ``mkdocs serve``) compiles mkdocs-material's templates again, about a third of a
second here. Jinja's own file-system bytecode cache keeps the compiled code in the cache
folder, keyed by template name and checked against a hash of its source and the Python
version, written atomically: the pages rendered are the same, only compiled once.
"""

from __future__ import annotations

from jinja2 import BytecodeCache, FileSystemBytecodeCache

from .options import Options


def template_cache(options: Options) -> BytecodeCache | None:
    """A bytecode cache for the build's theme templates (None when the cache is switched off)."""
    if not options.use_cache:
        return None
    folder = options.cache_dir / "jinja"
    folder.mkdir(parents=True, exist_ok=True)
    return FileSystemBytecodeCache(str(folder))
