"""A throwaway copy of a lesson project, for tests that break things and for benchmarks."""

from __future__ import annotations

import shutil
from pathlib import Path

from .run.engine import CACHE_DIR

# What a copy needs to build; node_modules is linked, not copied.
PROJECT_FILES = ("mkdocs.yml", "docs", "snippets", "scripts", "package.json", "requirements.lock")


def copy_project(root: Path, destination: Path, *, with_cache: bool = False) -> Path:
    """Copy the project at ``root`` to ``destination``; ``with_cache`` reuses its cached runs
    (keys are path-relative), so only what the copy changes runs again."""
    destination.mkdir(parents=True)
    for name in PROJECT_FILES:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, destination / name)
    (destination / "node_modules").symlink_to(root / "node_modules")
    if with_cache and (root / CACHE_DIR).is_dir():
        shutil.copytree(root / CACHE_DIR, destination / CACHE_DIR)
    return destination
