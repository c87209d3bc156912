"""One site build's state, made fresh for every build and passed explicitly: the options,
the page index, this build's snippet results, what the pages used and quoted, and every
problem found on the way (reported together, once all pages are read)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from .course.curriculum import Curriculum
from .options import Options
from .outputs.publish import Card
from .page import katex, katex_cache
from .page.directives import DirectiveError, PageContext, Tally
from .page.pages import Page
from .rules import lesson as rules
from .run.results import RunResult
from .run.snippet_runs import SnippetRuns
from .serve.lesson_reuse import LessonReuse
from .store import parts_digest
from .timing import SNIPPETS, PhaseClock

T = TypeVar("T")


@dataclass
class SiteBuild:
    options: Options
    command: str = "build"  # "build" or "serve"
    results: dict[Path, RunResult] = field(default_factory=dict)
    run_summary: str = ""
    pages: dict[str, Page] = field(default_factory=dict)  # docs-relative path -> page
    outline: Curriculum | None = None
    used: set[Path] = field(default_factory=set)  # snippets some page refers to
    tallies: dict[str, Tally] = field(default_factory=dict)  # page -> what it quotes from outputs
    problems: list[str] = field(default_factory=list)
    downloads: dict[str, list[dict]] = field(default_factory=dict)  # page -> its download links, in order
    notebook_pages: dict[str, str] = field(default_factory=dict)  # generated notebook page -> description
    cards: dict[str, Card] = field(default_factory=dict)  # lesson page -> its preview card
    site_dir: Path | None = None
    katex: katex.KatexRenderer | None = None
    clock: PhaseClock = field(default_factory=PhaseClock)  # where this build's time goes
    formulas: katex_cache.FormulaCache | None = None  # typeset formulas, kept across serve's rebuilds
    runs: SnippetRuns | None = None  # this build's snippet runs while they go on (results: once over)
    kept_lessons: LessonReuse | None = None  # under serve: lessons' checks and downloads, kept
    _folder_states: dict[tuple[Path, bool], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.formulas is not None:
            self.formulas.start_build()
        self.katex = katex.KatexRenderer(self.options.katex, self.formulas)

    def _result(self, path: Path) -> RunResult | None:
        result = self.results.get(path)
        if result is None and self.runs is not None:
            with self.clock.phase(SNIPPETS):
                result = self.runs.result(path)  # waits for this snippet's run alone
        return result

    def output(self, path: Path) -> str:
        result = self._result(path)
        if result is None:
            raise DirectiveError(f"{self.options.rel(path)} was not run by this build")
        if self.runs is not None and self.runs.failed(path):
            # Reported with every run problem before the site is written; read it without tripping.
            return result.stdout.decode("utf-8", "replace")
        return result.stdout.decode("utf-8")

    def file(self, src: str) -> str:
        """How messages name a page: its path from the project root."""
        return self.options.rel(self.options.docs_dir / src)

    def page_context(self, src: str, *, plain: bool = False) -> PageContext:
        """What the directives of page ``src`` see; its tally is the page's, kept for the log."""
        page = self.pages.get(src)
        tally = Tally() if plain else self.tallies.setdefault(src, Tally())
        return PageContext(
            page=src,
            file=self.file(src),
            root=self.options.root,
            folder=page.folder if page else None,
            outputs=self.output,
            used=self.used,
            outline=self.outline,
            line_offset=page.line_offset if page else 0,
            plain=plain,
            tally=tally,
            artifacts=self.artifacts,
        )

    def is_lesson(self, src: str) -> bool:
        page = self.pages.get(src)
        return page is not None and page.is_lesson

    def lessons(self) -> list[Page]:
        return [page for page in self.pages.values() if page.is_lesson]

    def folder_state(self, folder: Path, *, outputs: bool) -> str:
        """A hash of a snippets folder's files (and, with ``outputs``, of this build's results
        of its snippets, waited for): what a lesson's page and downloads are made from besides
        its own text, for what ``serve`` keeps from one rebuild to the next. Made once per
        build. Files count by path, size and modification time, as Python's bytecode cache
        checks a source: reading every file of every lesson at each rebuild took 12 ms a lesson."""
        key = (folder, outputs)
        if key not in self._folder_states:
            arrived: dict[Path, RunResult] = {}
            if outputs:
                arrived = self.runs.wait_for_folder(folder) if self.runs is not None else self.results
            parts: list[str | bytes] = []
            for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
                stat = path.stat()
                parts += [path.as_posix(), f"{stat.st_size}:{stat.st_mtime_ns}"]
                result = arrived.get(path) or self.results.get(path) if outputs else None
                if result is not None:
                    parts += [result.stdout, result.stderr, repr((result.returncode, result.timed_out))]
                    for name, data in sorted(result.artifacts.items()):
                        parts += [name, data]
                elif outputs:
                    parts.append("<no result>")
            self._folder_states[key] = parts_digest(parts)
        return self._folder_states[key]

    def lesson_value(
        self,
        what: str,
        page: Page,
        make: Callable[[PageContext], T],
        *,
        outputs: bool = False,
        plain: bool = True,
    ) -> T:
        """``make`` of lesson ``page``'s context, kept across serve's rebuilds while its inputs
        stay (``outputs``: it reads the lesson's snippet outputs, all run by now)."""
        context = self.page_context(page.src, plain=plain)
        if self.kept_lessons is None or page.folder is None:
            return make(context)
        inputs = [what, page.src, page.source, self.folder_state(page.folder, outputs=outputs)]
        return self.kept_lessons.kept(
            inputs, page.folder, context, make, settings=(self.options, self.outline)
        )

    def check_lessons(self) -> None:
        for page in self.lessons():
            self.problems += self.lesson_value(
                "problems",
                page,
                lambda _, page=page: rules.lesson_problems(page, self.file(page.src), self.options.rel),
            )

    def unused_snippets(self) -> list[Path]:
        return [p for p in sorted(self.results) if p not in self.used]

    def artifacts(self, path: Path) -> dict[str, bytes]:
        result = self._result(path)
        return result.artifacts if result is not None else {}

    def bindings_summary(self) -> str:
        total = Tally()
        for tally in self.tallies.values():
            total.add(tally)
        pages = sum(1 for t in self.tallies.values() if t.values or t.tables)
        return (
            f"lessonkit: {total.numbers} numbers bound to snippet output on {pages} page(s) "
            f"({total.values} values, {total.tables} tables), each checked at this build"
        )

    def close(self) -> None:
        if self.katex is not None:
            self.katex.close()
        if self.runs is not None:
            try:
                self.runs.finish()  # a failed build still lets its runs end before the next one
            except Exception:
                pass  # already reported, or superseded by the error that ended the build

    def finish(self) -> None:
        """After a successful build: keep what the next build can reuse."""
        if self.formulas is not None:
            self.formulas.save()
