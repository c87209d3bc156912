"""Thin MkDocs glue for the course around a lesson: the Learn page's outline, the lesson
header and footer (place in the curriculum, reading time, previous and next lessons,
progress, share links). The logic lives in lessonkit.curriculum and lessonkit.lessonpage;
the mastery check is the ``{{ quiz }}`` directive (lessonkit.quiz).

Listed before mkdocs_hooks.py in mkdocs.yml, so ``{{ curriculum }}`` is replaced before
that hook expands the lesson directives.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from lessonkit import curriculum, lessonpage

OUTLINE_DIRECTIVE = re.compile(r"^\{\{\s*curriculum\s*\}\}[ \t]*$", re.MULTILINE)


class _course:
    outline: curriculum.Curriculum | None = None


def on_files(files: Files, config: MkDocsConfig) -> Files:
    root = Path(config.config_file_path).resolve().parent
    pages = [page.src_uri for page in files.documentation_pages()]
    try:
        _course.outline = curriculum.load(root, pages)
    except curriculum.CurriculumError as exc:
        raise PluginError(str(exc)) from None
    return files


def _url(files: Files, src_uri: str | None) -> str | None:
    found = files.get_file_from_path(src_uri) if src_uri else None
    return found.url if found else None


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    outline = _course.outline
    assert outline is not None
    markdown = OUTLINE_DIRECTIVE.sub(
        lambda _: curriculum.outline_markdown(outline, page.file.src_uri), markdown
    )
    entry = outline.for_page(page.file.src_uri)
    if entry is None:
        return markdown
    learn_url = _url(files, curriculum.LEARN_PAGE)
    previous, following = outline.previous(entry), outline.next(entry)
    page.meta["course"] = {
        "lesson_id": entry.id,
        "topic": entry.topic,
        "topic_url": f"{learn_url}#{entry.topic_id}" if learn_url is not None else None,
        "learn_url": learn_url,
        "difficulty": entry.difficulty,
        "subject": entry.subject,
        "step": entry.step,
        "total": len(outline.lessons),
        "previous": previous and {"title": previous.title, "url": _url(files, previous.page)},
        "next": following
        and {"title": following.title, "url": _url(files, following.page), "summary": following.summary},
        "progress": curriculum.progress_widget(outline),
        # Share links need the page's public address; without a site_url there is none.
        "share": lessonpage.share_links(config.site_url, page.url, entry.title) if config.site_url else [],
    }
    return markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if "course" in page.meta:
        page.meta["course"]["minutes"] = lessonpage.reading_minutes(html)
    return html
