"""Find the snippets of a project and the settings each one carries.

Layout: ``snippets/<lesson>/<name>.py`` with its documented output beside it as
``<name>.out``. Files named ``_<name>.py`` are modules that snippets import, not
snippets (a change to one re-runs the snippets that import it).
Optional per-folder settings live in ``snippets/<lesson>/snippets.toml``::

    [slow-example]          # table name = snippet file stem
    timeout = 120           # seconds, default: the plugin's `timeout` option (60)
    allow_stderr = true     # stderr is shown but not an error
    depends = ["data.csv"]  # extra files (relative to the folder) that feed the output
    memory = "8GiB"         # memory cap, default DEFAULT_MEMORY ("512MiB", "1.5GiB", ...)
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..options import DEFAULT_TIMEOUT

DEFAULT_MEMORY = 4 * 2**30
_SIZE_UNITS = {"KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40}
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(KiB|MiB|GiB|TiB)\s*")
SETTINGS_FILE = "snippets.toml"
OUTPUT_SUFFIX = ".out"
SNIPPET_GLOB = "[!_]*.py"  # _name.py: a module snippets import


class SnippetConfigError(Exception):
    """A snippets.toml that cannot be understood; the message names the file and key."""


@dataclass(frozen=True)
class Snippet:
    path: Path  # absolute path of the .py file
    root: Path  # project root, for display and cache keys
    timeout: float = DEFAULT_TIMEOUT
    allow_stderr: bool = False
    depends: tuple[Path, ...] = field(default=())
    memory: int = DEFAULT_MEMORY  # bytes

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


def snippet_paths(folder: Path) -> list[Path]:
    """The snippets of one lesson folder, sorted."""
    return sorted(folder.glob(SNIPPET_GLOB))


def _timeout(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return float(value)
    return None


def _depends(value: object) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(item, str) and item for item in value):
        return tuple(value)
    return None


def _allow_stderr(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


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


# Each setting: how to read it, and what it must be (for the message when it is not).
SETTINGS = {
    "timeout": (_timeout, "a positive number of seconds, e.g. `timeout = 120`"),
    "allow_stderr": (_allow_stderr, "true or false"),
    "depends": (_depends, 'a list of file names in the folder, e.g. `depends = ["data.csv"]`'),
    "memory": (parse_size, 'a size in KiB, MiB, GiB or TiB, e.g. `memory = "8GiB"`'),
}


def load_settings(folder: Path, root: Path) -> dict[str, dict]:
    """``{snippet stem: {setting: value}}`` from the folder's snippets.toml, checked."""
    file = folder / SETTINGS_FILE
    if not file.exists():
        return {}
    where = file.relative_to(root).as_posix()
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SnippetConfigError(f"{where}: not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise SnippetConfigError(f"{where}: not UTF-8 text") from None
    checked: dict[str, dict] = {}
    for stem, settings in data.items():
        if not isinstance(settings, dict):
            raise SnippetConfigError(
                f"{where}: `{stem}` must be a table of settings, e.g. `[{stem}]` then `timeout = 120`"
            )
        if not (folder / f"{stem}.py").exists():
            raise SnippetConfigError(f"{where}: [{stem}] names no snippet ({stem}.py is missing)")
        checked[stem] = {}
        for key, value in settings.items():
            if key not in SETTINGS:
                raise SnippetConfigError(
                    f"{where}: [{stem}] has an unknown setting `{key}` (known: {', '.join(SETTINGS)})"
                )
            read, expected = SETTINGS[key]
            parsed = read(value)
            if parsed is None:
                raise SnippetConfigError(f"{where}: [{stem}] `{key}` must be {expected}, not {value!r}")
            checked[stem][key] = parsed
        for name in checked[stem].get("depends", ()):
            if not (folder / name).is_file():
                raise SnippetConfigError(f"{where}: [{stem}] `depends` names {name}, which does not exist")
    return checked


def discover(snippets_dir: Path, root: Path, *, default_timeout: float = DEFAULT_TIMEOUT) -> list[Snippet]:
    """All snippets under ``snippets_dir``, sorted by path, with their settings applied."""
    found: list[Snippet] = []
    if not snippets_dir.is_dir():
        return found
    for folder in sorted(p for p in snippets_dir.iterdir() if p.is_dir()):
        settings = load_settings(folder, root)
        for path in snippet_paths(folder):
            own = settings.get(path.stem, {})
            found.append(
                Snippet(
                    path=path,
                    root=root,
                    timeout=own.get("timeout", default_timeout),
                    allow_stderr=own.get("allow_stderr", False),
                    depends=tuple(folder / d for d in own.get("depends", ())),
                    memory=own.get("memory", DEFAULT_MEMORY),
                )
            )
    return found


def orphaned_outputs(snippets_dir: Path) -> list[Path]:
    """Documented outputs whose snippet no longer exists."""
    return sorted(
        out for out in snippets_dir.glob(f"*/[!_]*{OUTPUT_SUFFIX}") if not out.with_suffix(".py").exists()
    )
