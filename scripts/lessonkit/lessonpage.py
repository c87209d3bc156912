"""Facts shown around a lesson page: its reading time and its share links."""

from __future__ import annotations

import html
import math
import re
from urllib.parse import quote, urljoin

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
