"""The course around a lesson page: where it sits in the outline (topic, step, previous and
next lessons, the progress widget), its reading time and its share links. The theme's
lesson header and footer partials render ``page.meta["course"]``."""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable
from urllib.parse import quote, urljoin

from . import curriculum

WORDS_PER_MINUTE = 200
TAG = re.compile(r"<[^>]+>")
# Not read as prose: code blocks (with outputs and line numbers), the quiz form (answering it
# takes its own time) and heading permalinks.
NOT_PROSE = re.compile(r"<pre\b.*?</pre>|<form\b.*?</form>|<a [^>]*class=\"headerlink\".*?</a>", re.DOTALL)
FORMULA = re.compile(r'<(span|div) class="arithmatex">.*?</\1>', re.DOTALL)  # before KaTeX renders it

# Plain links to each site's public share form: no script or image is loaded from these hosts.
SHARE_FORMS = (
    ("X", "https://x.com/intent/post?url={url}&text={title}"),
    ("LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?url={url}"),
    ("Bluesky", "https://bsky.app/intent/compose?text={title_and_url}"),
    ("Reddit", "https://www.reddit.com/submit?url={url}&title={title}"),
    ("Hacker News", "https://news.ycombinator.com/submitlink?u={url}&t={title}"),
    ("Facebook", "https://www.facebook.com/sharer/sharer.php?u={url}"),
    ("Email", "mailto:?subject={title}&body={title_and_url}"),
)


def word_count(page_html: str) -> int:
    """Words of prose on the page, each formula counted as one word."""
    text = FORMULA.sub(" formula ", NOT_PROSE.sub(" ", page_html))
    return len(html.unescape(TAG.sub(" ", text)).split())


def reading_minutes(page_html: str) -> int:
    """Whole minutes at WORDS_PER_MINUTE, rounded up; at least one."""
    return max(1, math.ceil(word_count(page_html) / WORDS_PER_MINUTE))


def share_links(site_url: str, page_url: str, title: str) -> list[dict[str, str]]:
    """``[{"label", "url"}]`` for each share form; the page's address is ``site_url`` joined
    with its site-relative URL, every parameter percent-encoded."""
    address = urljoin(site_url if site_url.endswith("/") else site_url + "/", page_url)
    values = {
        "url": quote(address, safe=""),
        "title": quote(title, safe=""),
        "title_and_url": quote(f"{title} {address}", safe=""),
    }
    return [{"label": label, "url": form.format(**values)} for label, form in SHARE_FORMS]


def lesson_meta(
    outline: curriculum.Curriculum,
    entry: curriculum.LessonEntry,
    url_of: Callable[[str | None], str | None],
    site_url: str | None,
    page_url: str,
) -> dict:
    """What the lesson header and footer show; ``url_of`` maps a docs-relative page to its URL."""
    learn_url = url_of(curriculum.LEARN_PAGE)
    previous, following = outline.previous(entry), outline.next(entry)
    return {
        "lesson_id": entry.id,
        "topic": entry.topic,
        "topic_url": f"{learn_url}#{entry.topic_id}" if learn_url is not None else None,
        "learn_url": learn_url,
        "difficulty": entry.difficulty,
        "subject": entry.subject,
        "step": entry.step,
        "total": len(outline.lessons),
        "previous": previous and {"title": previous.title, "url": url_of(previous.page)},
        "next": following
        and {"title": following.title, "url": url_of(following.page), "summary": following.summary},
        "progress": curriculum.progress_widget(outline),
        # Share links need the page's public address; without a site_url there is none.
        "share": share_links(site_url, page_url, entry.title) if site_url else [],
    }
