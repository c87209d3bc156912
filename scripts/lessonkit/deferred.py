"""Collapsed blocks published on their own and fetched when a reader opens them.

A block the page syntax marks ``<details data-lk-defer="URI">`` (URI: where to publish it,
from the site root) keeps its summary; its body moves to a small page of its own at URI.
In its place the page holds a link to that page, which is how readers without JavaScript
get there, and ``data-lk-fragment``, from which ``docs/assets/lessonkit-page.js`` fetches
the body into the block when it is first opened. So what most readers never open does not
weigh on every page load.

Works on the page as MkDocs renders it (after math and the accessibility pass), so the
published body is exactly what the page would have shown.
"""

from __future__ import annotations

import html
import posixpath
import re

DEFERRED = re.compile(
    r'<details (?P<before>[^>]*?)data-lk-defer="(?P<uri>[^"]+)"(?P<after>[^>]*)>\s*'
    r"<summary>(?P<summary>.*?)</summary>(?P<body>.*?)</details>",
    re.DOTALL,
)
TAGS = re.compile(r"<[^>]+>")


class DeferredError(Exception):
    """A deferred block that cannot be published as it is."""


def split(page: str, page_url: str, page_title: str) -> tuple[str, dict[str, str]]:
    """``page`` with each deferred block's body replaced by a link, and the pages to publish
    (site URI -> HTML). ``page_url`` is the page's URL from the site root (``lessons/x/``)."""
    published: dict[str, str] = {}

    def defer(match: re.Match[str]) -> str:
        uri, summary, body = match["uri"], match["summary"], match["body"]
        if "<details" in body:
            raise DeferredError(f"{page_url}: a deferred block ({uri}) may not hold another collapsed block")
        if uri in published:
            raise DeferredError(f"{page_url}: two deferred blocks are published at {uri}")
        heading = " ".join(html.unescape(TAGS.sub("", summary)).split())
        published[uri] = _standalone(f"{heading}: {page_title}", heading, body)
        href = html.escape(posixpath.relpath(uri, _folder(page_url)))
        attributes = f"{match['before']}{match['after'].strip()}".strip()
        return (
            f'<details {attributes} data-lk-fragment="{href}"><summary>{summary}</summary>'
            f'<p data-lk-fragment-slot><a href="{href}">Open “{html.escape(heading)}” on its own page</a></p>'
            "</details>"
        )

    return DEFERRED.sub(defer, page), published


def _folder(page_url: str) -> str:
    """The folder a page URL's relative links start from: ``lessons/x/`` or ``lessons/`` for
    ``lessons/x.html``; ``.`` for the home page."""
    folder = page_url if page_url.endswith("/") else posixpath.dirname(page_url)
    return folder or "."


def _standalone(title: str, heading: str, body: str) -> str:
    """A page of its own: readable as it is, and its <main> is what the lesson page inserts."""
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex">\n'
        f"<title>{html.escape(title)}</title>\n</head>\n<body>\n"
        f"<h1>{html.escape(heading)}</h1>\n<main>{body.strip()}\n</main>\n</body>\n</html>\n"
    )
