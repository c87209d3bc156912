"""KaTeX's HTML for each formula, remembered so a rebuild typesets only formulas it has not seen.

KaTeX renders each formula on its own (``renderToString`` per formula, no state between
them), so its HTML depends only on the TeX, the display mode, the KaTeX package and our
render script: those name the entry. The lessonkit plugin keeps one :class:`FormulaCache`
across ``mkdocs serve``'s rebuilds (in memory) and stores the formulas a build used in the
cache folder, so the next build of an unchanged site needs no ``node`` process at all.
Formulas that fail are never remembered: the error is reported again at every build.
"""

from __future__ import annotations

import json
from pathlib import Path

from .. import store
from ..store import parts_digest

Formula = tuple[str, bool]  # (TeX, display mode)


def fingerprint(package: Path, script: Path) -> str | None:
    """What every entry depends on besides its formula: the KaTeX version and our render script
    (None when KaTeX is not installed: nothing can be rendered, so nothing is cached)."""
    manifest = package / "package.json"
    if not manifest.is_file():
        return None
    return parts_digest([manifest.read_bytes(), script.read_bytes()])


def _key(formula: Formula) -> str:
    tex, display = formula
    return f"{'display' if display else 'inline'}\n{tex}"


class FormulaCache:
    """Rendered formulas in memory, loaded from and saved to ``path`` (None: memory only)."""

    def __init__(self, version: str | None, path: Path | None) -> None:
        self.version = version
        self.path = path
        self._html: dict[str, str] = {}
        self._used: set[str] = set()  # this build's formulas: what gets saved
        self._on_disk: set[str] = set()
        payload = store.read(path, "katex") if path is not None else None
        if payload is not None:
            try:
                stored = json.loads(payload)
            except ValueError:
                stored = None
            if isinstance(stored, dict) and all(isinstance(v, str) for v in stored.values()):
                self._html, self._on_disk = stored, set(stored)
            else:
                store.discard(path, "not a table of formulas")

    def start_build(self) -> None:
        self._used = set()

    def get(self, formula: Formula) -> str | None:
        key = _key(formula)
        found = self._html.get(key)
        if found is not None:
            self._used.add(key)
        return found

    def put(self, formula: Formula, html: str) -> None:
        key = _key(formula)
        self._html[key] = html
        self._used.add(key)

    def save(self) -> None:
        """Store the formulas this build used (formulas no page has any more drop out)."""
        if self.path is None or self._used == self._on_disk:
            return
        kept = {key: self._html[key] for key in sorted(self._used)}
        store.write(self.path, "katex", json.dumps(kept, sort_keys=True).encode())
        self._on_disk = set(kept)


def formula_cache_location(
    package: Path, script: Path, cache_dir: Path, use_disk: bool
) -> tuple[str | None, Path | None]:
    """(version, file) of a site's formula cache: a cache made for the same pair is reusable."""
    version = fingerprint(package, script)
    return version, cache_dir / "katex" / f"{version}.json" if use_disk and version else None
