"""Find the snippets of a project and the settings each one carries.

Layout: ``snippets/<lesson>/<name>.py`` with its documented output beside it as
``<name>.out``. Files named ``_<name>.py`` are modules that snippets import, not
snippets (a change to one re-runs the snippets that import it).
Optional per-folder settings live in ``snippets/<lesson>/snippets.toml``::

    [slow-example]          # table name = snippet file stem
    timeout = 120           # seconds, default DEFAULT_TIMEOUT
    allow_stderr = true     # stderr is shown but not an error
    depends = ["data.csv"]  # extra files (relative to the folder) that feed the output
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_TIMEOUT = 60.0
SETTINGS_FILE = "snippets.toml"
OUTPUT_SUFFIX = ".out"
_KNOWN_SETTINGS = {"timeout", "allow_stderr", "depends"}


class SnippetConfigError(Exception):
    """A snippets.toml that cannot be understood."""


@dataclass(frozen=True)
class Snippet:
    path: Path  # absolute path of the .py file
    root: Path  # project root, for display and cache keys
    timeout: float = DEFAULT_TIMEOUT
    allow_stderr: bool = False
    depends: tuple[Path, ...] = field(default=())

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
                )
            )
    return found


def orphaned_outputs(snippets_dir: Path) -> list[Path]:
    """Documented outputs whose snippet no longer exists."""
    return sorted(
        out for out in snippets_dir.glob(f"*/[!_]*{OUTPUT_SUFFIX}") if not out.with_suffix(".py").exists()
    )
