"""Thin MkDocs glue for publishing: preview cards, sharing tags, robots.txt, llms.txt,
the 404 page's lesson list and a sitemap without build dates. Logic lives in
lessonkit.publish; snippet results come from lessonkit.sitebuild (filled by mkdocs_hooks).

Listed before mkdocs_hooks.py in mkdocs.yml.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path
from typing import ClassVar

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

from lessonkit import publish
from lessonkit.cache import memo_bytes
from lessonkit.engine import CACHE_DIR
from lessonkit.sitebuild import state

# gzip's "no timestamp" (mtime 0): MkDocs stamps pages with today's date and uses the
# latest one as sitemap.xml.gz's mtime; the sitemap template in docs/overrides prints none.
NO_DATE = "1970-01-01"


class _build:
    cards: ClassVar[dict[str, publish.Card]] = {}  # page src_uri -> its lesson's figure card
    nav: Navigation | None = None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if not config.site_url:
        raise PluginError(
            "mkdocs.yml: site_url must be set (canonical links, sitemap.xml, robots.txt, llms.txt "
            "and preview cards need absolute URLs); set it or the SITE_URL environment variable"
        )
    return config


@event_priority(-50)  # after other hooks' on_files, so a card another hook already publishes is reused
def on_files(files: Files, config: MkDocsConfig) -> Files:
    _build.cards = {}
    # Drawing the card costs about a second of matplotlib; reuse it while its inputs stay the same.
    name, tagline = config.site_name, config.site_description or ""
    card_inputs = [name, tagline, metadata.version("matplotlib"), Path(publish.__file__).read_bytes()]
    card = memo_bytes(state.root / CACHE_DIR, card_inputs, lambda: publish.default_card(name, tagline))
    files.append(File.generated(config, publish.DEFAULT_CARD_URI, content=card))
    for page_file in list(files.documentation_pages()):
        source = Path(page_file.abs_src_path).read_text(encoding="utf-8")
        lesson = state.lesson(page_file.src_uri, get_data(source)[1])
        if lesson is None:
            continue
        try:
            card = publish.lesson_card(lesson.folder, state.results, source, state.root)
        except publish.PublishError as exc:
            raise PluginError(str(exc)) from None
        if card is None:
            continue
        if files.get_file_from_path(card.uri) is None:
            files.append(File.generated(config, card.uri, content=card.png))
        _build.cards[page_file.src_uri] = card
    files.append(File.generated(config, "robots.txt", content=publish.robots_txt(config.site_url)))
    return files


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    _build.nav = nav
    return nav


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    description = page.meta.get("description")
    if not isinstance(description, str) or not description.strip():
        raise PluginError(
            f"{page.file.src_uri}: the front matter needs a `description:` (one or two sentences); "
            "it becomes the page's meta description and its preview text when shared"
        )
    return markdown


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
    card = _build.cards.get(page.file.src_uri)
    if card is not None:
        image_alt = f"The first figure of {page.title}"
    else:
        image_alt = f"{config.site_name}: {config.site_description}"
    context["lk_social"] = {
        "type": "article" if _is_lesson(page) else "website",
        "title": page.title,
        "description": page.meta["description"],
        "url": page.canonical_url,
        "image": publish.absolute_url(config.site_url, card.uri if card else publish.DEFAULT_CARD_URI),
        "image_alt": image_alt,
    }
    return context


def on_env(env, config: MkDocsConfig, files: Files):
    assert _build.nav is not None
    lessons = [page for page in _build.nav.pages if _is_lesson(page)]
    env.globals["lk_lessons"] = lessons  # the 404 page lists them
    links = []
    for page in lessons:
        export = page.file.src_uri  # the lesson's plain-Markdown export (mkdocs_hooks.on_files)
        if not any(f.dest_uri == export for f in files):
            raise PluginError(f"{export}: the lesson's plain-Markdown export is missing from the build")
        links.append(publish.LessonLink(page.title, page.meta["description"], export))
    text = publish.llms_txt(config.site_name, config.site_description or "", config.site_url, links)
    files.append(File.generated(config, "llms.txt", content=text))
    for page_file in files.documentation_pages():
        if page_file.page is not None:
            page_file.page.update_date = NO_DATE
    return env


def _is_lesson(page: Page) -> bool:
    return state.lesson(page.file.src_uri, page.meta) is not None
