"""Content-addressed cache of snippet runs.

The key hashes everything that can change a snippet's output: its source and
path, the local files it declares or imports, the Python version and the locked
dependency versions. Entries go through :mod:`.store`: written atomically, and an entry that
is damaged, or not one this version wrote, is a miss (removed, and the snippet runs again).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import sys
from pathlib import Path

from .. import store
from .imports import top_level_imports
from .results import RunResult
from .snippets import Snippet

CACHE_VERSION = "1"
# Files whose content pins the environment snippets run in.
LOCK_FILES = ("requirements.lock",)


@functools.lru_cache(maxsize=1024)
def _importable_names(folder: Path, mtime_ns: int) -> frozenset[str]:
    """Module names a script in ``folder`` could import from it (keyed by the folder's mtime,
    which changes when a file is added, removed or renamed there)."""
    names = {p.stem for p in folder.glob("*.py")} | {p.name for p in folder.iterdir() if p.is_dir()}
    return frozenset(name for name in names if name.isidentifier())


def local_imports(snippet: Snippet) -> list[Path]:
    """Project files a snippet imports, resolved like ``python snippet.py`` would (its folder first)."""
    source = snippet.path.read_bytes()
    folder = snippet.path.parent
    importable = _importable_names(folder, folder.stat().st_mtime_ns) - {snippet.path.stem}
    if not any(name.encode() in source for name in importable):
        return []  # names no module of its folder: skip parsing (the common case, and cheap)
    try:
        names = top_level_imports(source, str(snippet.path))
    except SyntaxError:
        return []  # the run reports the syntax error
    found = []
    for name in sorted(names):
        module = snippet.path.parent / f"{name}.py"
        package = snippet.path.parent / name
        if module.exists():
            found.append(module)
        elif package.is_dir():
            found.extend(sorted(package.rglob("*.py")))
    return found


def cache_key(snippet: Snippet, environment: str) -> str:
    digest = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        digest.update(f"{label}:{len(data)}:".encode())
        digest.update(data)

    add("version", CACHE_VERSION.encode())
    add("environment", environment.encode())
    add("path", snippet.rel.encode())
    add("source", snippet.path.read_bytes())
    for dep in [*snippet.depends, *local_imports(snippet)]:
        add(f"dep {dep.name}", dep.read_bytes() if dep.exists() else b"<missing>")
    return digest.hexdigest()


def environment_fingerprint(root: Path) -> str:
    """Python version plus the locked dependency set, as one string."""
    parts = [sys.version, sys.platform]
    for name in LOCK_FILES:
        lock = root / name
        parts.append(hashlib.sha256(lock.read_bytes()).hexdigest() if lock.exists() else f"no {name}")
    return "\n".join(parts)


class RunCache:
    def __init__(self, directory: Path, enabled: bool = True) -> None:
        self.directory = directory
        self.enabled = enabled

    def _entry(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def has(self, key: str) -> bool:
        """Whether there is an entry for ``key`` (``get`` still checks it before trusting it)."""
        return self.enabled and self._entry(key).is_file()

    def get(self, key: str) -> RunResult | None:
        if not self.enabled:
            return None
        entry = self._entry(key)
        payload = store.read(entry, "run")
        if payload is None:
            return None
        try:
            data = json.loads(payload)
            return RunResult(
                stdout=base64.b64decode(data["stdout"]),
                stderr=base64.b64decode(data["stderr"]),
                returncode=data["returncode"],
                duration=data["duration"],
                artifacts={k: base64.b64decode(v) for k, v in data["artifacts"].items()},
                cached=True,
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            store.discard(entry, f"not a run: {exc!r}")
            return None

    def put(self, key: str, result: RunResult) -> None:
        """Store a successful run; failures, time-outs and runs that confinement had to stop or
        clean up after (leftover processes) are always re-run."""
        if not self.enabled or result.returncode != 0 or result.timed_out or result.sandbox_events:
            return
        payload = {
            "stdout": base64.b64encode(result.stdout).decode(),
            "stderr": base64.b64encode(result.stderr).decode(),
            "returncode": result.returncode,
            "duration": result.duration,
            "artifacts": {k: base64.b64encode(v).decode() for k, v in result.artifacts.items()},
        }
        store.write(self._entry(key), "run", json.dumps(payload).encode())
