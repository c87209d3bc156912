"""Find the snippets of a project and the settings each one carries.

Layout: ``snippets/<lesson>/<name>.py`` with its documented output beside it as
``<name>.out``. Files named ``_<name>.py`` are modules that snippets import, not
snippets (a change to one re-runs the snippets that import it).
Optional per-folder settings live in ``snippets/<lesson>/snippets.toml``::

    [slow-example]          # table name = snippet file stem
    timeout = 120           # seconds, default DEFAULT_TIMEOUT
    allow_stderr = true     # stderr is shown but not an error
    depends = ["data.csv"]  # extra files (relative to the folder) that feed the output
    memory = "8GiB"         # memory cap, default DEFAULT_MEMORY ("512MiB", "1.5GiB", ...)
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_TIMEOUT = 60.0
SETTINGS_FILE = "snippets.toml"
OUTPUT_SUFFIX = ".out"
DEFAULT_MEMORY = 4 * 2**30
_KNOWN_SETTINGS = {"timeout", "allow_stderr", "depends", "memory"}
_SIZE_UNITS = {"KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40}
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(KiB|MiB|GiB|TiB)\s*")


class SnippetConfigError(Exception):
    """A snippets.toml that cannot be understood."""


@dataclass(frozen=True)
class Snippet:
    path: Path  # absolute path of the .py file
    root: Path  # project root, for display and cache keys
    timeout: float = DEFAULT_TIMEOUT
    allow_stderr: bool = False
    depends: tuple[Path, ...] = field(default=())
    memory: int = DEFAULT_MEMORY  # bytes

    @property
    def lesson(self) -> str:
        return self.path.parent.name

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def expected_path(self) -> Path:
        return self.path.with_suffix(OUTPUT_SUFFIX)

    @property
    def rel(self) -> str:
        """Path relative to the project root, as shown in messages and includes."""
        return self.path.relative_to(self.root).as_posix()


def parse_size(text: object) -> int | None:
    """Bytes in a size written as ``"8GiB"`` (units KiB, MiB, GiB, TiB); None if it is not one."""
    match = _SIZE.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        return None
    size = int(float(match[1]) * _SIZE_UNITS[match[2]])
    return size if size > 0 else None


def format_size(size: int) -> str:
    """``4 GiB``, ``512 MiB``: the largest unit that shows ``size`` to a tenth."""
    for unit, factor in reversed(_SIZE_UNITS.items()):
        if size >= factor:
            return f"{size / factor:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


def _load_settings(folder: Path) -> dict[str, dict]:
    file = folder / SETTINGS_FILE
    if not file.exists():
        return {}
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SnippetConfigError(f"{file}: {exc}") from exc
    for stem, settings in data.items():
        unknown = set(settings) - _KNOWN_SETTINGS
        if unknown:
            raise SnippetConfigError(f"{file}: [{stem}] has unknown settings {sorted(unknown)}")
        if not (folder / f"{stem}.py").exists():
            raise SnippetConfigError(f"{file}: [{stem}] names no snippet ({stem}.py is missing)")
        if "memory" in settings and parse_size(settings["memory"]) is None:
            raise SnippetConfigError(
                f"{file}: [{stem}] memory = {settings['memory']!r} is not a size; write it as a "
                f'string such as "512MiB" or "8GiB" (units KiB, MiB, GiB, TiB)'
            )
    return data


def discover(snippets_dir: Path, root: Path) -> list[Snippet]:
    """All snippets under ``snippets_dir``, sorted by path, with their settings applied."""
    found: list[Snippet] = []
    for folder in sorted(p for p in snippets_dir.iterdir() if p.is_dir()):
        settings = _load_settings(folder)
        for path in sorted(folder.glob("[!_]*.py")):  # _name.py: a module snippets import
            own = settings.get(path.stem, {})
            found.append(
                Snippet(
                    path=path,
                    root=root,
                    timeout=float(own.get("timeout", DEFAULT_TIMEOUT)),
                    allow_stderr=bool(own.get("allow_stderr", False)),
                    depends=tuple(folder / d for d in own.get("depends", [])),
                    memory=parse_size(own.get("memory", "")) or DEFAULT_MEMORY,
                )
            )
    return found


def orphaned_outputs(snippets_dir: Path) -> list[Path]:
    """Documented outputs whose snippet no longer exists."""
    return sorted(
        out for out in snippets_dir.glob(f"*/[!_]*{OUTPUT_SUFFIX}") if not out.with_suffix(".py").exists()
    )
