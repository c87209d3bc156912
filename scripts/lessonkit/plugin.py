"""The lessonkit MkDocs plugin: routes MkDocs' events to the engine, nothing more.

    plugins:
      - search
      - lessonkit            # options: lessonkit.options

Page-level work (directives, KaTeX) is the ``lessonkit.markdown`` extension, which this
plugin registers; site-level products live in their own modules: running the snippets
(engine), figure assets (figures), the course (course, curriculum), the companion notebook
(notebook), the Markdown download (export), cards, robots.txt and llms.txt (publish).
Each build gets a fresh :class:`~lessonkit.sitebuild.SiteBuild`; problems found while
reading pages are collected there and reported together.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from concurrent.futures import Future
from importlib import metadata
from pathlib import Path, PurePosixPath

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import write_file

from . import store
from .ahead import Ahead
from .course import curriculum, placement
from .options import DEFAULTS, SANDBOX_MODES, WATCH_MODES, OptionsError, resolve
from .outputs import export, notebook, notebook_weight, publish
from .outputs.notebook_cache import notebook_bytes
from .page import a11y, deferred, katex, pages, slim
from .page.directives import DirectiveError
from .page.katex_cache import FormulaCache, formula_cache_location
from .run import figures
from .run.results import RunResult
from .run.run_process import RunProcess
from .run.snippet_runs import SnippetRuns
from .run.snippets import SnippetConfigError
from .serve.errors import ServeErrors
from .serve.lesson_reuse import LessonReuse
from .serve.notebook_render import DeferredNotebook, NotebookRenders, Toc, can_render_ahead
from .serve.page_reuse import RenderedPages
from .serve.rebuild_memo import RebuildMemo
from .serve.search_reuse import SearchEntries
from .serve.watch import notice_at_once
from .sitebuild import SiteBuild
from .templates import list_visible_files, template_cache
from .timing import NOTEBOOK as NOTEBOOK_PHASE
from .timing import SEARCH as SEARCH_PHASE
from .timing import SNIPPETS as SNIPPETS_PHASE
from .timing_events import TimingPlugin, observe_phases

log = logging.getLogger("mkdocs.plugins.lessonkit")
JUPYTER_CACHE_KEYS = ("content", "toc_tokens")  # what mkdocs-jupyter reads from its cache entries

EXTENSION = "lessonkit.markdown"
# The syntax our directives expand to, and the extension that reads it.
REQUIRED_EXTENSIONS = {
    "pymdownx.snippets": "includes each example's script (`--8<--`)",
    "pymdownx.superfences": "code blocks inside figures, solutions and other blocks",
    "pymdownx.highlight": "titled, numbered code blocks",
    "pymdownx.details": "the collapsed `???` blocks of figures and solutions",
    "pymdownx.arithmatex": "$math$, typeset by KaTeX",
    "attr_list": "attributes on figures and headings",
    "md_in_html": "Markdown inside the quiz, figure and outline HTML",
    "tables": "the tables snippets print",
}
# mkdocs-jupyter reads notebooks from disk, and its page wrapper finds a file's path through
# the file's source folder (a File.generated has none), so generated notebooks live in a
# source folder of their own, laid out like docs/.
NOTEBOOK_SRC = "notebook-src"
NOTEBOOK_DOWNLOAD = "Download notebook (.ipynb)"
MARKDOWN_DOWNLOAD = "Download as Markdown"
NO_DATE = "1970-01-01"  # gzip's "no timestamp": the sitemap carries no build date


class LessonkitConfig(Config):
    """The options' schema; their defaults are options.DEFAULTS."""

    snippets = c.Type(str, default=DEFAULTS["snippets"])
    curriculum = c.Optional(c.Type(str))
    cache_dir = c.Type(str, default=DEFAULTS["cache_dir"])
    jobs = c.Type(int, default=DEFAULTS["jobs"])
    execute = c.Type(bool, default=DEFAULTS["execute"])
    cache = c.Type(bool, default=DEFAULTS["cache"])
    timeout = c.Type((int, float), default=DEFAULTS["timeout"])
    katex = c.Type(str, default=DEFAULTS["katex"])
    require_description = c.Type(bool, default=DEFAULTS["require_description"])
    notebooks = c.Type(bool, default=DEFAULTS["notebooks"])
    sandbox = c.Choice(SANDBOX_MODES, default=DEFAULTS["sandbox"])
    # serve: "native" notices a save as it happens (inotify); "polling" is MkDocs' own twice a
    # second, for folders whose changes the system does not report (some container mounts).
    watch = c.Choice(WATCH_MODES, default=DEFAULTS["watch"])


def _check_extensions(config: MkDocsConfig, root: Path) -> None:
    configured = set(config.markdown_extensions)
    for name, purpose in REQUIRED_EXTENSIONS.items():
        if name not in configured:
            raise PluginError(
                f"mkdocs.yml: markdown_extensions must include {name} (lessonkit needs it for {purpose})"
            )
    if config.mdx_configs.get("pymdownx.arithmatex", {}).get("generic") is not True:
        raise PluginError("mkdocs.yml: pymdownx.arithmatex needs `generic: true` (KaTeX typesets its output)")
    snippets = config.mdx_configs.get("pymdownx.snippets", {})
    bases = snippets.get("base_path", ["."])
    bases = [bases] if isinstance(bases, str) else bases
    if not any(Path(b).resolve() == root for b in bases) or snippets.get("check_paths") is not True:
        raise PluginError(
            "mkdocs.yml: pymdownx.snippets needs `base_path: [!relative $config_dir]` and "
            "`check_paths: true`, so examples are included from the project and a missing one fails"
        )


def _source_date_epoch(root: Path) -> None:
    # Dates in the sitemap come from SOURCE_DATE_EPOCH: default it to the last commit's time,
    # so the same commit always builds the same bytes.
    if "SOURCE_DATE_EPOCH" not in os.environ and shutil.which("git"):
        commit_time = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True
        ).stdout.strip()
        if commit_time.isdigit():
            os.environ["SOURCE_DATE_EPOCH"] = commit_time


class LessonkitPlugin(BasePlugin[LessonkitConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        self.build: SiteBuild | None = None
        self.nav: Navigation | None = None
        self.formulas: FormulaCache | None = None  # kept across serve's rebuilds
        self.run_process = RunProcess()  # runs the snippets (and keeps its zygotes) across serve's rebuilds
        self.default_card: Ahead[bytes] | None = None
        self.rendered = RenderedPages()  # pages' HTML, reused across serve's rebuilds
        self.kept_lessons = LessonReuse()  # lessons' checks and downloads, likewise
        self.search_entries = SearchEntries()  # unchanged pages' search entries, likewise
        # A page's final HTML and published blocks, by its templated HTML; likewise.
        self.finished_pages: RebuildMemo[tuple[str, dict[str, str]]] = RebuildMemo()
        # Downloads whose content waits for the snippet runs: lesson page -> its Markdown file,
        # notebook page -> (lesson page, notebook file, its download copy).
        self.pending_downloads: dict[str, File] = {}
        self.pending_notebooks: dict[str, tuple] = {}
        self.pending_card: File | None = None  # the default preview card, drawn in a thread
        self.notebook_renders = NotebookRenders()  # a worker kept across serve's rebuilds
        self.notebook_tocs: RebuildMemo[Toc] = RebuildMemo()
        # Code blocks' highlighted HTML and notebook pages' HTML made fit for the site, likewise.
        self.highlights: RebuildMemo[str] = RebuildMemo()
        self.notebook_html: RebuildMemo[notebook_weight.LightPage] = RebuildMemo()
        self.notebook_css: dict[str, tuple[str, ...]] = {}  # this build's notebook page -> its stylesheets
        self.reading_minutes: RebuildMemo[int] = RebuildMemo()  # by the page's HTML
        self.jupyter: BasePlugin | None = None  # this build's mkdocs-jupyter, if it has one
        self.jupyter_cache_whole: dict[str, tuple[int, int]] = {}  # its cache files found whole
        # This build's notebook pages rendered ahead (page -> its render), and those whose
        # HTML is filled in just before their template.
        self.renders_ahead: dict[str, Future[str]] = {}
        self.deferred_notebooks: dict[str, DeferredNotebook] = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command  # defining on_startup keeps this instance across serve's rebuilds

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).resolve().parent
        try:
            options = resolve(dict(self.config), root, Path(config.docs_dir))
        except OptionsError as exc:
            raise PluginError(f"mkdocs.yml: {exc}") from None
        _check_extensions(config, root)
        _source_date_epoch(root)
        list_visible_files(config.theme)
        where = formula_cache_location(options.katex, katex.SCRIPT, options.cache_dir, options.use_cache)
        if self.formulas is None or (self.formulas.version, self.formulas.path) != where:
            self.formulas = FormulaCache(*where)
        self.build = SiteBuild(
            options,
            self.command,
            site_dir=Path(config.site_dir),
            formulas=self.formulas,
            kept_lessons=self.kept_lessons if self.command == "serve" else None,
        )
        # Snippets run while MkDocs reads the site; a page waits only for the outputs it shows.
        self.build.runs = SnippetRuns(options, self.run_process)
        self.default_card = self._draw_default_card(config) if config.site_url else None
        self.pending_downloads, self.pending_notebooks, self.pending_card = {}, {}, None
        self.renders_ahead, self.deferred_notebooks, self.notebook_css = {}, {}, {}
        self.jupyter = config.plugins.get("mkdocs-jupyter")
        if self.jupyter is not None and self.jupyter.config.get("cache"):
            # mkdocs-jupyter trusts its cache files and writes them in place: a killed build's
            # half-written file would crash this one. The keys are those its render reads; were
            # they to change, its entries would only be made again (tested on the locked version).
            store.drop_unreadable_json(
                Path(self.jupyter.config["cache_dir"]), JUPYTER_CACHE_KEYS, self.jupyter_cache_whole
            )
        observe_phases(
            config.plugins, self.build.clock, self.build.notebook_pages.__contains__, options.timings
        )
        if EXTENSION not in config.markdown_extensions:
            config.markdown_extensions.append(EXTENSION)
        # Math is typeset in on_post_page, after the search index has read the page's TeX.
        config.mdx_configs[EXTENSION] = {"build": self.build, "katex": False, "root": str(root)}
        if self.command == "serve":
            config.mdx_configs[EXTENSION]["highlights"] = self.highlights
        return config

    def _draw_default_card(self, config: MkDocsConfig) -> Ahead[bytes]:
        # Reuse the card while its inputs stay the same; draw it while the build waits for its
        # snippets.
        name, tagline, cache_dir = (
            config.site_name,
            config.site_description or "",
            self._site().options.cache_dir,
        )
        # Pillow draws it, in matplotlib's DejaVu fonts.
        versions = [metadata.version("pillow"), metadata.version("matplotlib")]
        card_inputs = [name, tagline, *versions, Path(publish.__file__).read_bytes()]
        return Ahead(
            lambda: store.memo_bytes(cache_dir, card_inputs, lambda: publish.default_card(name, tagline)),
            "lessonkit-card",
        )

    def _site(self) -> SiteBuild:
        assert self.build is not None, "on_config runs first"
        return self.build

    def _finish_runs(self) -> None:
        """Wait for every snippet run; report its problems before any other (as when the runs
        were done in on_pre_build, before anything else)."""
        build = self._site()
        assert build.runs is not None, "on_config starts them"
        try:
            with build.clock.phase(SNIPPETS_PHASE):
                run, results, build.run_summary = build.runs.finish()
        except SnippetConfigError as exc:
            raise PluginError(str(exc)) from None
        if run.failures:
            raise PluginError(run.error_report())
        if not build.results:
            build.results = results  # complete, in discovery order
            for note in run.notes:
                log.info(note)

    # Before mkdocs-jupyter's on_files (priority 0), which turns the generated notebooks into pages.
    @event_priority(50)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        build = self._site()
        self.search_entries.install(config.plugins)  # after every plugin's on_config
        if self.command == "serve":
            self.finished_pages.next_rebuild()
            self.notebook_tocs.next_rebuild()
            self.highlights.next_rebuild()
            self.notebook_html.next_rebuild()
            self.kept_lessons.next_rebuild()
            self.reading_minutes.next_rebuild()
        docs = {f.src_uri: Path(f.abs_src_path) for f in files.documentation_pages() if f.abs_src_path}
        try:
            build.pages = pages.index(
                docs, build.options.snippets_dir, build.options.rel(build.options.docs_dir)
            )
            if build.options.curriculum is not None:
                build.outline = curriculum.load(
                    build.options.curriculum, build.pages, build.options.rel(build.options.curriculum)
                )
        except (pages.PageError, curriculum.CurriculumError) as exc:
            self._finish_runs()
            raise PluginError(str(exc)) from None
        build.check_lessons()
        for uri, source in katex.static_assets(build.options.katex).items():
            files.append(File.generated(config, uri, abs_src_path=str(source)))
        try:
            katex_css = katex.stylesheet(build.options.katex)
        except katex.KatexError as exc:
            self._finish_runs()
            raise PluginError(str(exc)) from None
        if katex_css is not None:
            files.append(File.generated(config, katex.STYLESHEET, content=katex_css))
        with build.clock.phase(SNIPPETS_PHASE):
            drawn = build.runs.wait_for_figures()
        if build.runs.any_failed:
            self._finish_runs()
        for uri, content in figures.site_files(drawn).items():
            files.append(File.generated(config, uri, content=content))
        self._add_lesson_downloads(files, config)
        if config.site_url:
            self._add_publish_files(files, config)
        if self.command == "serve" and build.runs.over and not build.runs.any_failed:
            # An edit's runs are usually over by now: the notebooks render during the rest.
            for notebook_page in list(self.pending_notebooks):
                self._write_notebook(notebook_page)
        return files

    def _add_lesson_downloads(self, files: Files, config: MkDocsConfig) -> None:
        """Each lesson's Markdown download and notebook, as files whose content is made once
        the snippets have run (``_write_downloads``): their links are known now."""
        build = self._site()
        src_dir = build.options.cache_dir / NOTEBOOK_SRC
        for page in build.lessons():
            try:
                shown = build.lesson_value(
                    "shown", page, lambda context, page=page: notebook.shown_snippets(page.body, context)
                )
            except DirectiveError:
                continue  # the page's own render reports the same problems, with the others
            generated = File.generated(config, page.src + ".txt", content="")
            generated.dest_uri = page.src  # published as lessons/<name>.md
            files.append(generated)
            self.pending_downloads[page.src] = generated
            markdown_link = {"label": MARKDOWN_DOWNLOAD, "url": page.src}
            build.downloads[page.src] = [markdown_link]
            if not build.options.notebooks or not shown:
                continue
            stem = PurePosixPath(page.src).stem
            download = PurePosixPath(page.src).with_suffix(".ipynb").as_posix()
            notebook_page = f"notebooks/{stem}.ipynb"
            files.append(File(notebook_page, str(src_dir), config.site_dir, config.use_directory_urls))
            copy = File.generated(config, download, content=b"")
            files.append(copy)
            self.pending_notebooks[notebook_page] = (page, src_dir / notebook_page, copy)
            link = {"label": NOTEBOOK_DOWNLOAD, "url": download}
            build.downloads[page.src] = [link, markdown_link]  # the notebook first, then the Markdown
            build.downloads[notebook_page] = [link]
            build.notebook_pages[notebook_page] = (
                f"{page.meta.get('title', stem)} as a Jupyter notebook with this build's outputs. "
                f"{page.meta.get('description', '')}"
            ).strip()

    def _write_notebook(self, notebook_page: str) -> None:
        """The notebook's file (read by mkdocs-jupyter) and its download, from this build's runs."""
        build = self._site()
        page, path, copy = self.pending_notebooks.pop(notebook_page)
        self._finish_runs()
        try:
            with build.clock.phase(NOTEBOOK_PHASE):
                data = build.lesson_value(
                    "notebook",
                    page,
                    lambda context: notebook_bytes(
                        build.options.cache_dir, context, page.body, page.meta, build.results
                    ),
                    outputs=True,
                    plain=False,
                )
        except (notebook.NotebookError, DirectiveError) as exc:
            raise PluginError(str(exc)) from None
        assert data is not None  # the page shows a snippet's code (checked in on_files)
        store.write_file(path, data)
        copy.content_bytes = data
        if self.command == "serve" and can_render_ahead(self.jupyter):
            ahead = self.notebook_renders.start(self.jupyter, path)
            if ahead is not None:
                self.renders_ahead[notebook_page] = ahead

    def _write_downloads(self) -> None:
        """Every download not written yet (after the build's problems were reported)."""
        build = self._site()
        for notebook_page in list(self.pending_notebooks):
            self._write_notebook(notebook_page)
        for src, generated in self.pending_downloads.items():
            page = build.pages[src]
            try:
                generated.content_string = build.lesson_value(
                    "download",
                    page,
                    lambda context, page=page: export.plain_markdown(page.body, context),
                    outputs=True,
                )
            except DirectiveError as exc:
                raise PluginError(f"{build.file(src)}: its Markdown download: {exc}") from None
        self.pending_downloads = {}
        if self.pending_card is not None:
            assert self.default_card is not None, "on_config starts drawing it"
            self.pending_card.content_bytes = self.default_card.result()
            self.pending_card = None

    def _wait_for_outputs(self, src: str) -> None:
        """Before page ``src`` is read: its snippets' runs, and any run problem reported."""
        build = self._site()
        entry = build.pages.get(src)
        if build.runs is not None and entry is not None and entry.folder is not None:
            with build.clock.phase(SNIPPETS_PHASE):
                build.runs.wait_for_folder(entry.folder)
        if build.runs is not None and build.runs.any_failed:
            self._finish_runs()

    # Before mkdocs-jupyter's on_pre_page (priority 0), which reads the notebook's file.
    @event_priority(50)
    def _write_notebook_of(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
        if page.file.src_uri in self.pending_notebooks:
            self._write_notebook(page.file.src_uri)
        return page

    # After mkdocs-jupyter's on_pre_page, which sets the page's render.
    @event_priority(-50)
    def _defer_notebook(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
        ahead = self.renders_ahead.get(page.file.src_uri)
        if ahead is not None:
            # Filled in at on_page_context, unless another plugin reads the content before.
            later = all(
                isinstance(getattr(handler, "__self__", None), LessonkitPlugin | TimingPlugin)
                for handler in config.plugins.events["page_content"]
            )
            deferred = DeferredNotebook(page, ahead, self.jupyter, self.notebook_tocs, later=later)
            self.deferred_notebooks[page.file.src_uri] = deferred
        return page

    on_pre_page = CombinedEvent(_write_notebook_of, _defer_notebook)

    def _add_publish_files(self, files: Files, config: MkDocsConfig) -> None:
        build = self._site()
        self.pending_card = File.generated(config, publish.DEFAULT_CARD_URI, content=b"")  # drawn by on_env
        files.append(self.pending_card)
        drawn_in: dict[Path, dict[Path, RunResult]] = {}  # by folder: each lesson looks at its own
        for path, result in build.runs.wait_for_figures().items():  # done: on_files waited for them
            drawn_in.setdefault(path.parent, {})[path] = result
        for page in build.lessons():
            try:
                drawn = drawn_in.get(page.folder, {})
                lesson_card = publish.lesson_card(page.folder, drawn, page.source, build.options.root)
            except publish.PublishError as exc:
                raise PluginError(str(exc)) from None
            if lesson_card is None:
                continue
            if files.get_file_from_path(lesson_card.uri) is None:
                files.append(File.generated(config, lesson_card.uri, content=lesson_card.png))
            build.cards[page.src] = lesson_card
        files.append(File.generated(config, "robots.txt", content=publish.robots_txt(config.site_url)))

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        return nav

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        build = self._site()
        src = page.file.src_uri
        self._wait_for_outputs(src)
        config.mdx_configs[EXTENSION]["page"] = src  # the page the extension expands next
        if src in build.notebook_pages:  # a notebook has no front matter of its own
            page.meta.setdefault("description", build.notebook_pages[src])
            # Search finds the lesson page, which holds the same code and outputs; indexing the
            # notebook page too would parse ~700 KB of inlined JupyterLab CSS at every build.
            page.meta.setdefault("search", {"exclude": True})
        description = page.meta.get("description")
        if build.options.require_description and (
            not isinstance(description, str) or not description.strip()
        ):
            build.problems.append(
                f"{build.file(src)}: the front matter needs a `description:` (one or two sentences); "
                "it becomes the page's meta description and its preview text when shared"
            )
        if src in build.downloads:
            page.meta["downloads"] = build.downloads[src]
        entry = build.outline.for_page(src) if build.outline else None
        if entry is not None:

            def url_of(src_uri: str | None) -> str | None:
                found = files.get_file_from_path(src_uri) if src_uri else None
                return found.url if found else None

            page.meta["course"] = placement.lesson_meta(
                build.outline, entry, url_of, config.site_url, page.url
            )
        if self.command == "serve" and src not in build.notebook_pages:
            self.rendered.wrap(page, build, files)  # unchanged pages keep their last rebuild's HTML
        return markdown

    def _page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if "course" in page.meta:
            # Counting a lesson's words takes a few ms: under serve, not again for the same HTML.
            minutes = self.reading_minutes.get([html], lambda: placement.reading_minutes(html))
            page.meta["course"]["minutes"] = minutes
        if page.file.src_uri in self._site().notebook_pages:
            deferred = self.deferred_notebooks.get(page.file.src_uri)
            if deferred is not None and not deferred.filled:
                return html  # made fit for the site once filled in (_fill_notebook)
            return self._notebook_html(html, page)
        return html

    # After every plugin's on_page_content: the page's HTML as the search plugin will see it.
    @event_priority(-90)
    def _index_while_waiting(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        runs = self._site().runs
        if self.command == "build" and runs is not None and not runs.over:
            with self._site().clock.phase(SEARCH_PHASE):
                self.search_entries.prepare(page, html)  # else parsed after the last snippet
        return html

    on_page_content = CombinedEvent(_page_content, _index_while_waiting)

    def _notebook_html(self, html: str, page: Page) -> str:
        # Its stylesheets and figures become files of the site (notebook_weight), written at
        # every build: MkDocs empties the site folder before each one, serve's rebuilds included.
        try:
            light = self.notebook_html.get(
                [page.url, html], lambda: notebook_weight.lighten(notebook.site_html(html), page.url)
            )
        except (notebook.NotebookError, notebook_weight.NotebookWeightError) as exc:
            raise PluginError(f"{page.file.src_uri}: {exc}") from None
        site_dir = self._site().site_dir
        assert site_dir is not None  # set in on_config
        for uri, data in light.files.items():
            write_file(data, str(site_dir / uri))
        self.notebook_css[page.file.src_uri] = light.stylesheets
        return light.html

    # Before the search plugin's on_page_context and our own, which read the content.
    @event_priority(90)
    def _fill_notebook(self, context: dict, *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
        deferred = self.deferred_notebooks.get(page.file.src_uri)
        if deferred is not None and not deferred.filled:
            with self._site().clock.phase(NOTEBOOK_PHASE):
                deferred.fill()
                page.content = self._notebook_html(page.content or "", page)
        return context

    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        build = self._site()
        self._finish_runs()
        env.bytecode_cache = template_cache(build.options)  # the theme compiled once, not per build
        unused = build.unused_snippets()
        if unused:
            names = "\n".join(f"  {build.options.rel(p)}" for p in unused)
            build.problems.append(
                f"{len(unused)} snippet(s) are not used by any page (add an `{{{{ example NAME }}}}`, "
                f"`{{{{ table NAME }}}}` or `{{{{ value NAME KEY }}}}` to a page, or delete them):\n{names}"
            )
        if build.problems:
            raise PluginError(f"{len(build.problems)} problem(s):\n\n" + "\n\n".join(build.problems))
        self._write_downloads()
        assert self.nav is not None
        lessons = [page for page in self.nav.pages if build.is_lesson(page.file.src_uri)]
        env.globals["lk_lessons"] = lessons  # the 404 page lists them
        if config.site_url:
            links = [
                publish.LessonLink(p.title, p.meta.get("description", ""), p.file.src_uri) for p in lessons
            ]
            text = publish.llms_txt(config.site_name, config.site_description or "", config.site_url, links)
            files.append(File.generated(config, "llms.txt", content=text))
        for page_file in files.documentation_pages():
            if page_file.page is not None:
                page_file.page.update_date = NO_DATE
        return env

    def _page_context(self, context: dict, *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
        # Only pages with formulas load KaTeX's stylesheet, and they preload its two main fonts
        # (docs/overrides/partials/lk-head.html).
        if katex.uses_math(page.content or ""):
            fonts = [f"{katex.FONTS}/{name}" for name in katex.PRELOADED_FONTS]
            context["lk_katex"] = {"stylesheet": katex.STYLESHEET, "fonts": fonts}
        context["lk_notebook_css"] = self.notebook_css.get(page.file.src_uri, ())
        if not config.site_url:
            return context
        build = self._site()
        card = build.cards.get(page.file.src_uri)
        is_lesson = build.is_lesson(page.file.src_uri)
        context["lk_social"] = {
            "type": "article" if is_lesson else "website",
            "title": page.title,
            "description": page.meta.get("description", config.site_description or ""),
            "url": page.canonical_url,
            "image": publish.absolute_url(config.site_url, card.uri if card else publish.DEFAULT_CARD_URI),
            "image_width": publish.CARD_SIZE[0],
            "image_height": publish.CARD_SIZE[1],
            "image_alt": f"The first figure of {page.title}"
            if card
            else f"{config.site_name}: {config.site_description}",
        }
        return context

    on_page_context = CombinedEvent(_fill_notebook, _page_context)

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        def finish() -> tuple[str, dict[str, str]]:
            return self._finish_page(output, page.file.src_uri, page.url, page.title or "")

        if self.command == "serve":  # the same templated page as at the last rebuild: same result
            katex_options = repr(self._site().options.katex)
            finished, published = self.finished_pages.get(
                [katex_options, page.file.src_uri, page.url, page.title or "", output], finish
            )
        else:
            finished, published = finish()
        for uri, text in published.items():  # collapsed blocks published on their own
            write_file(text.encode("utf-8"), str(Path(config.site_dir) / uri))
        return finished

    def _finish_page(self, output: str, src: str, url: str, title: str) -> tuple[str, dict[str, str]]:
        """A page's final HTML (math typeset, accessible, slimmed) and the collapsed blocks it
        publishes on their own, by site URI."""
        try:
            output = self._site().katex.render_page(output, src)
        except katex.KatexError as exc:
            raise PluginError(str(exc)) from None
        output = a11y.accessible_html(slim.slim_html(output))
        try:
            output, published = deferred.split(output, url, title)
        except deferred.DeferredError as exc:
            raise PluginError(str(exc)) from None
        # After the split: a published block keeps its own inline styles, standing alone.
        return slim.hoist_styles(output), published

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        build = self._site()
        build.close()
        build.finish()
        log.info(build.run_summary)
        log.info(build.bindings_summary())
        if self.command == "serve" and self.rendered.summary():
            log.info(self.rendered.summary())
        ahead = [n for n in self.deferred_notebooks.values() if n.made_ahead]
        if ahead:
            log.info(f"lessonkit: {len(ahead)} notebook page(s) rendered by a side process during the build")
        if self.command == "serve":
            log.debug(
                f"lessonkit: search entries of {self.search_entries.memo.hits} page(s) and final HTML "
                f"of {self.finished_pages.hits} page(s) kept from the last rebuild"
            )
        else:
            log.debug(f"lessonkit: {self.search_entries.memo.hits} page(s) indexed while snippets ran")

    def on_build_error(self, *, error: Exception) -> None:
        if self.build is None:
            return
        self.build.close()
        site_dir = self.build.site_dir
        if self.command == "build" and site_dir is not None and site_dir.exists():
            # Never leave a half-built (or stale) site behind to be published by mistake.
            shutil.rmtree(site_dir)
            log.error(f"lessonkit: build failed; removed {site_dir} so nothing partial is published")

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        build = self._site()
        ServeErrors.install(server)
        if can_render_ahead(self.jupyter):
            self.notebook_renders.warm()  # ready before the first save
        server.watch(str(build.options.snippets_dir))
        if build.options.curriculum is not None:
            server.watch(str(build.options.curriculum))
        if self.config["watch"] == "native":
            notice_at_once(server)
        return server
