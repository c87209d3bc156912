"""The course outline (docs/curriculum.yml): topics and lessons in order, which of
them are published, where a lesson sits in the course, and the Learn page listing it.

A lesson with id X is published when the page ``docs/lessons/X.md`` exists, so a new
lesson needs a page and a snippets folder, not a code change. Every page under
``docs/lessons/`` must be a lesson of the outline.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .. import yamlcheck
from ..options import CURRICULUM_FILE

LEARN_PAGE = "learn.md"  # the page showing the whole outline, linked from every lesson
LESSON_PAGES = "lessons/"  # docs-relative folder holding one page per published lesson
DIFFICULTIES = ("Easy", "Medium", "Hard")
ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TOPIC_KEYS = {"name", "lessons"}
LESSON_KEYS = {"id", "title", "difficulty", "subject", "summary"}
UNPUBLISHED = '<span class="lk-unpublished">not yet published</span>'


class CurriculumError(yamlcheck.DataError):
    """The outline file is malformed or disagrees with the pages; the message names the file."""


@dataclass(frozen=True)
class LessonEntry:
    id: str
    title: str
    topic: str  # the topic's name
    topic_id: str  # the topic's anchor on the Learn page
    step: int  # 1-based position in the whole course
    difficulty: str | None = None
    subject: str | None = None
    summary: str | None = None
    page: str | None = None  # docs-relative page path, when published

    @property
    def published(self) -> bool:
        return self.page is not None


@dataclass(frozen=True)
class Topic:
    name: str
    id: str  # anchor on the Learn page
    lessons: tuple[LessonEntry, ...]


@dataclass(frozen=True)
class Curriculum:
    topics: tuple[Topic, ...]
    lessons: tuple[LessonEntry, ...]

    def lesson(self, lesson_id: str) -> LessonEntry:
        for entry in self.lessons:
            if entry.id == lesson_id:
                return entry
        raise KeyError(lesson_id)

    def for_page(self, page_src: str) -> LessonEntry | None:
        """The lesson whose page is ``page_src`` (docs-relative), or None for other pages."""
        for entry in self.lessons:
            if entry.page == page_src:
                return entry
        return None

    def previous(self, entry: LessonEntry) -> LessonEntry | None:
        return self.lessons[entry.step - 2] if entry.step > 1 else None

    def next(self, entry: LessonEntry) -> LessonEntry | None:
        return self.lessons[entry.step] if entry.step < len(self.lessons) else None


def slug(text: str) -> str:
    text = text.lower().replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _text(value: object, where: str, source: str, *, required: bool = True) -> str | None:
    if value is None and not required:
        return None
    return yamlcheck.text(value, where, source)


def _unknown_keys(item: dict, allowed: set[str], where: str, source: str) -> None:
    yamlcheck.mapping(item, allowed, where, source)


def parse(text: str, pages: Iterable[str], source: str = CURRICULUM_FILE) -> Curriculum:
    """Build the outline from YAML text; ``pages`` are the site's docs-relative page paths."""
    try:
        return _parse(text, set(pages), source)
    except yamlcheck.DataError as exc:
        raise CurriculumError(str(exc)) from None


def _parse(text: str, pages: set[str], source: str) -> Curriculum:
    data = yamlcheck.load(text, source)
    if not isinstance(data, dict) or set(data) != {"topics"} or not isinstance(data["topics"], list):
        raise CurriculumError(f"{source}: expected one key, `topics`, holding a list of topics")
    topics: list[Topic] = []
    lessons: list[LessonEntry] = []
    seen: dict[str, str] = {}
    for t, item in enumerate(data["topics"], start=1):
        if not isinstance(item, dict):
            raise CurriculumError(f"{source}: topic {t} must be a mapping with a name and lessons")
        _unknown_keys(item, TOPIC_KEYS, f"topic {t}", source)
        name = _text(item.get("name"), f"topic {t} `name`", source)
        entries = item.get("lessons")
        if not isinstance(entries, list) or not entries:
            raise CurriculumError(f"{source}: topic {name!r} needs a non-empty list of lessons")
        topic_lessons = []
        for raw in entries:
            where = f"topic {name!r}, lesson {len(topic_lessons) + 1}"
            if not isinstance(raw, dict):
                raise CurriculumError(f"{source}: {where} must be a mapping with id and title")
            _unknown_keys(raw, LESSON_KEYS, where, source)
            lesson_id = raw.get("id")
            if not isinstance(lesson_id, str) or not ID.match(lesson_id):
                raise CurriculumError(
                    f"{source}: {where} has id {lesson_id!r}; use lowercase words joined by -"
                )
            if lesson_id in seen:
                raise CurriculumError(
                    f"{source}: lesson id {lesson_id!r} is used twice (also in {seen[lesson_id]})"
                )
            seen[lesson_id] = where
            where = f"lesson {lesson_id!r}"
            page = f"{LESSON_PAGES}{lesson_id}.md"
            entry = LessonEntry(
                id=lesson_id,
                title=_text(raw.get("title"), f"{where} `title`", source),
                topic=name,
                topic_id=slug(name),
                step=len(lessons) + 1,
                difficulty=_text(raw.get("difficulty"), f"{where} `difficulty`", source, required=False),
                subject=_text(raw.get("subject"), f"{where} `subject`", source, required=False),
                summary=_text(raw.get("summary"), f"{where} `summary`", source, required=False),
                page=page if page in pages else None,
            )
            if entry.difficulty is not None and entry.difficulty not in DIFFICULTIES:
                raise CurriculumError(
                    f"{source}: {where} has difficulty {entry.difficulty!r}, not {' or '.join(DIFFICULTIES)}"
                )
            topic_lessons.append(entry)
            lessons.append(entry)
        topics.append(Topic(name=name, id=slug(name), lessons=tuple(topic_lessons)))
    stray = sorted(p for p in pages if p.startswith(LESSON_PAGES) and p[len(LESSON_PAGES) : -3] not in seen)
    if stray:
        raise CurriculumError(
            f"{source}: no lesson has the id of page(s) {', '.join('docs/' + p for p in stray)}; "
            "a lesson's page is docs/lessons/<id>.md"
        )
    return Curriculum(topics=tuple(topics), lessons=tuple(lessons))


def load(path: Path, pages: Iterable[str], source: str) -> Curriculum:
    """The outline in ``path`` (named ``source`` in messages)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CurriculumError(f"{source}: cannot be read: {exc.strerror}") from None
    return parse(text, pages, source)


def _markdown_text(text: str) -> str:
    """Plain text safe inside Markdown: HTML-escaped, Markdown punctuation backslash-escaped."""
    return re.sub(r"([\\`*_\[\]#!])", r"\\\1", html.escape(text, quote=False))


def progress_widget(curriculum: Curriculum) -> str:
    """The reader's progress across the course; filled in by lessonkit-course.js.

    Hidden until the script runs: without it there is no progress to show.
    """
    total = len(curriculum.lessons)
    ids = " ".join(entry.id for entry in curriculum.lessons)
    return (
        f'<div class="lk-progress" data-lk-progress data-lk-lessons="{ids}" hidden>'
        f'<p class="lk-progress__summary"><span data-lk-progress-count>0 of {total} lessons completed</span>'
        ' <span class="lk-progress__percent" data-lk-progress-percent>(0%)</span></p>'
        '<div class="lk-progress__bar" aria-hidden="true"><div data-lk-progress-bar></div></div>'
        '<button type="button" class="lk-progress__reset" data-lk-progress-reset>Reset progress</button>'
        '<p class="lk-storage-note" data-lk-storage-note role="status" hidden></p>'
        "</div>"
    )


def published_markdown(curriculum: Curriculum, from_page: str) -> str:
    """The published lessons in course order, each linked (relative to ``from_page``) with its
    summary: the home page's list, which publishing a lesson's page updates."""
    base = posixpath.dirname(from_page) or "."
    items = []
    for entry in curriculum.lessons:
        if entry.published:
            link = f"[{_markdown_text(entry.title)}]({posixpath.relpath(entry.page, base)})"
            items.append(f"- {link}: {_markdown_text(entry.summary)}" if entry.summary else f"- {link}")
    return "\n".join(items or ["No lesson is published yet."]) + "\n"


def outline_markdown(curriculum: Curriculum, from_page: str) -> str:
    """The Learn page body: progress, then each topic with its lessons; links only to published ones.

    Links are Markdown links relative to ``from_page`` so that MkDocs checks and rewrites them.
    """
    total = len(curriculum.lessons)
    published = sum(entry.published for entry in curriculum.lessons)
    parts = [
        progress_widget(curriculum),
        "",
        f"The course has {total} lessons in {len(curriculum.topics)} topics; {published} "
        f"{'is' if published == 1 else 'are'} published so far. The others are listed to show where "
        "each lesson leads.",
    ]
    base = posixpath.dirname(from_page)
    for topic in curriculum.topics:
        count = len(topic.lessons)
        live = sum(entry.published for entry in topic.lessons)
        parts += [
            "",
            '<section class="lk-topic" data-lk-topic markdown>',
            f"## {_markdown_text(topic.name)} {{#{topic.id}}}",
            "",
            f'<p class="lk-topic__counts"><span>{count} lessons, {live} published</span>'
            " <span data-lk-topic-done hidden></span></p>",
            "",
            f'<ol class="lk-outline" start="{topic.lessons[0].step}" markdown>',
        ]
        for entry in topic.lessons:
            title = _markdown_text(entry.title)
            if entry.published:
                item = f"[{title}]({posixpath.relpath(entry.page, base or '.')})"
            else:
                item = f'<span class="lk-outline__title">{title}</span> {UNPUBLISHED}'
            parts.append(
                f'<li class="lk-outline__lesson" data-lk-outline-lesson="{entry.id}" markdown="span">{item}'
                '<span class="lk-done-mark" data-lk-done-mark hidden> completed</span></li>'
            )
        parts += ["</ol>", "</section>"]
    return "\n".join(parts) + "\n"
