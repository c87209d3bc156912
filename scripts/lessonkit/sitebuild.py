"""What one site build knows about its snippets, shared by the MkDocs hook files.

The snippets hook fills it in ``on_pre_build``; other hooks (figures, notebook,
course pages) read it. One build at a time per process, as MkDocs works.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .directives import DirectiveError, Lesson, Tally, lesson_folder
from .results import RunResult


@dataclass
class SiteBuild:
    root: Path = Path()
    site_dir: Path = Path()
    command: str = "build"  # "build" or "serve"
    results: dict[Path, RunResult] = field(default_factory=dict)
    used: set[Path] = field(default_factory=set)
    summary: str = ""
    bindings: dict[str, Tally] = field(default_factory=dict)  # page -> what it quotes from outputs

    def output(self, path: Path) -> str:
        try:
            return self.results[path].stdout.decode("utf-8")
        except KeyError:
            raise DirectiveError(f"{path} was not run by this build") from None

    def artifacts(self, path: Path) -> dict[str, bytes]:
        result = self.results.get(path)
        return result.artifacts if result is not None else {}

    def bindings_summary(self) -> str:
        total = Tally()
        for tally in self.bindings.values():
            total.add(tally)
        pages = sum(1 for t in self.bindings.values() if t.values or t.tables)
        return (
            f"lessonkit: {total.numbers} numbers bound to snippet output on {pages} page(s) "
            f"({total.values} values, {total.tables} tables), each checked at this build"
        )

    def lesson(self, page_src: str, meta: dict) -> Lesson | None:
        """The lesson a page belongs to, or None for pages without a snippets folder.

        Only Markdown pages are lessons: a generated page (a notebook, say) named after a
        lesson is not the lesson itself."""
        if not page_src.endswith(".md"):
            return None
        folder = lesson_folder(self.root, page_src, meta)
        if not folder.is_dir():
            return None
        return Lesson(
            page=page_src,
            folder=folder,
            root=self.root,
            outputs=self.output,
            used=self.used,
            artifacts=self.artifacts,
        )


state = SiteBuild()
