"""lessonkit's page-level work as a Python-Markdown extension: directives expanded before
anything else reads the page, math typeset with KaTeX after everything else has written it.

Under MkDocs the lessonkit plugin registers it and hands it the build (this build's
snippet results, the page index, where problems are collected). Without MkDocs it works
on its own, running the snippets a page names through the engine's cache::

    markdown.Markdown(
        extensions=["lessonkit.markdown", "pymdownx.snippets", "pymdownx.superfences", ...],
        extension_configs={"lessonkit.markdown": {"root": "/path/to/project", "snippets": "demo"}},
    )

The page's Markdown must not carry front matter (strip it first, as site generators do).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from . import timing
from .page import katex
from .page.directives import DirectiveError, PageContext, expand
from .run import check, engine
from .serve.highlight_memo import keep_highlights
from .sitebuild import SiteBuild

# Before pymdownx.snippets (32), which includes the files our example blocks name.
DIRECTIVES_PRIORITY = 34
# Before SuperFences (25) highlights the page's code blocks.
HIGHLIGHTS_PRIORITY = 40
# After the raw-HTML postprocessor (30) has put arithmatex's markup back into the page.
KATEX_PRIORITY = 5


class StandaloneOutputs:
    """Snippet outputs for a page rendered outside a site build: each snippet run (or taken
    from the cache) the first time the page asks, and checked like the build checks it."""

    def __init__(self, root: Path, execute: bool) -> None:
        self.root = root
        self.execute = execute
        self._outputs: dict[Path, str] = {}

    def __call__(self, path: Path) -> str:
        if path not in self._outputs:
            if not self.execute:
                self._outputs[path] = path.with_suffix(".out").read_text(encoding="utf-8")
            else:
                run = engine.run_project(self.root, snippets_dir=path.parent.parent, only=[path])
                problems = [str(p) for s in run.snippets for p in check.problems(s, run.results[s.path])]
                if problems:
                    raise DirectiveError(*problems)
                self._outputs[path] = run.results[path].stdout.decode("utf-8")
        return self._outputs[path]


class DirectivePreprocessor(Preprocessor):
    def __init__(self, md: Markdown, extension: LessonkitExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        page, build = self.extension.page_context(), self.extension.build
        try:
            if build is None:
                return expand("\n".join(lines), page).split("\n")
            with build.clock.phase(timing.DIRECTIVES):
                return expand("\n".join(lines), page).split("\n")
        except DirectiveError as exc:
            if build is None:
                raise
            build.problems += exc.messages  # reported with every other problem of the build
            return lines


class KeepHighlights(Preprocessor):
    """Changes no line: makes this page's SuperFences reuse the last rebuild's code blocks."""

    def __init__(self, md: Markdown, memo: Any) -> None:
        super().__init__(md)
        self.memo = memo

    def run(self, lines: list[str]) -> list[str]:
        keep_highlights(self.md, self.memo)  # every extension is registered by now
        return lines


class KatexPostprocessor(Postprocessor):
    def __init__(self, md: Markdown, renderer: katex.KatexRenderer, page: str) -> None:
        super().__init__(md)
        self.renderer = renderer
        self.page = page

    def run(self, text: str) -> str:
        return self.renderer.render_page(text, self.page)


class LessonkitExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "root": [".", "the project folder: snippet paths in pages and messages are relative to it"],
            "snippets": ["", "the page's snippets folder, under <root>/snippets (standalone use)"],
            "page": ["page.md", "the page's path, named in messages and used for relative links"],
            "execute": [True, "standalone use: run snippets (cached); false shows documented outputs"],
            "katex": [True, "typeset $math$ with KaTeX once the page is rendered"],
            "katex_package": ["node_modules/katex", "the KaTeX package folder, relative to root"],
            "build": ["", "set by the lessonkit MkDocs plugin: the site build this page belongs to"],
            "highlights": ["", "set by the lessonkit MkDocs plugin under serve: code blocks' HTML kept"],
        }
        super().__init__(**kwargs)
        self._renderer: katex.KatexRenderer | None = None

    @property
    def build(self) -> SiteBuild | None:
        return self.getConfig("build") or None

    def page_context(self) -> PageContext:
        page = self.getConfig("page")
        if self.build is not None:
            return self.build.page_context(page)
        root = Path(self.getConfig("root")).resolve()
        folder = self.getConfig("snippets")
        return PageContext(
            page=page,
            root=root,
            folder=root / "snippets" / folder if folder else None,
            outputs=StandaloneOutputs(root, bool(self.getConfig("execute"))),
        )

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        md.preprocessors.register(
            DirectivePreprocessor(md, self), "lessonkit-directives", DIRECTIVES_PRIORITY
        )
        if self.getConfig("highlights"):
            md.preprocessors.register(
                KeepHighlights(md, self.getConfig("highlights")), "lessonkit-highlights", HIGHLIGHTS_PRIORITY
            )
        if self.getConfig("katex"):
            if self._renderer is None:
                root = Path(self.getConfig("root")).resolve()
                self._renderer = katex.KatexRenderer(root / self.getConfig("katex_package"))
            md.postprocessors.register(
                KatexPostprocessor(md, self._renderer, self.getConfig("page")),
                "lessonkit-katex",
                KATEX_PRIORITY,
            )

    def close(self) -> None:
        """Stop the KaTeX process (it also stops when the interpreter exits)."""
        if self._renderer is not None:
            self._renderer.close()


def makeExtension(**kwargs: Any) -> LessonkitExtension:
    return LessonkitExtension(**kwargs)
