"""Collapsed blocks published on their own and fetched when a reader opens them.

A collapsed block (``<details>`` without ``open``) is deferred when its body weighs more
than :data:`DEFER_ABOVE` bytes (solutions, the mastery check, long answers), or when the page
syntax asks for it with ``data-lk-defer="URI"`` (URI: where to publish it, from the site
root; figure scripts use it). A deferred block keeps its summary; its body moves to a small
page of its own, by default beside the page (``lessons/x/show-solution-….html``). In its
place the page holds a link to that page, which is how readers without JavaScript get
there, and ``data-lk-fragment``, from which ``docs/assets/lessonkit-page.js`` fetches the
body into the block when it is first opened. So what most readers never open does not weigh
on every page load.

Works on the page as MkDocs renders it (after math and the accessibility pass), so the
published body is exactly what the page would have shown.
"""

from __future__ import annotations

import html
import itertools
import posixpath
import re
from dataclasses import dataclass

from markdown.extensions.toc import slugify

# Below this a block costs less inline than a request does when it is opened.
DEFER_ABOVE = 2_000
DETAILS_TAG = re.compile(r"<details\b(?P<attrs>[^>]*)>|</details>")
BLOCK = re.compile(r"\s*<summary>(?P<summary>.*?)</summary>(?P<body>.*)", re.DOTALL)
EXPLICIT_URI = re.compile(r'\s*data-lk-defer="(?P<uri>[^"]+)"')
OPEN = re.compile(r"\sopen\b")
TAGS = re.compile(r"<[^>]+>")
STYLESHEET = re.compile(r'<link rel="stylesheet" href="(?P<href>[^"]+)"(?P<rest>[^>]*)>')


class DeferredError(Exception):
    """A deferred block that cannot be published as it is."""


@dataclass(frozen=True)
class _Block:
    start: int  # of "<details"
    end: int  # after "</details>"
    attrs: str
    inner: str  # between the opening and closing tags
    nested: bool  # holds another collapsed block


def split(page: str, page_url: str, page_title: str) -> tuple[str, dict[str, str]]:
    """``page`` with each deferred block's body replaced by a link, and the pages to publish
    (site URI -> HTML). ``page_url`` is the page's URL from the site root (``lessons/x/``)."""
    published: dict[str, str] = {}
    pieces, last = [], 0
    for block in _outer_blocks(page):
        parts = BLOCK.match(block.inner)
        explicit = EXPLICIT_URI.search(block.attrs)
        if parts is None or OPEN.search(block.attrs):
            if explicit:
                raise DeferredError(
                    f"{page_url}: a deferred block ({explicit['uri']}) needs a summary and no `open`"
                )
            continue
        summary, body = parts["summary"], parts["body"]
        if not explicit and (len(body.encode("utf-8")) <= DEFER_ABOVE or block.nested):
            continue  # small, or holding collapsed blocks of its own: stays on the page
        if block.nested:
            raise DeferredError(
                f"{page_url}: a deferred block ({explicit['uri']}) may not hold another collapsed block"
            )
        heading = " ".join(html.unescape(TAGS.sub("", summary)).split())
        uri = explicit["uri"] if explicit else _beside(page_url, heading, published)
        if uri in published:
            raise DeferredError(f"{page_url}: two deferred blocks are published at {uri}")
        links = [_relinked(link, _folder(page_url), uri) for link in STYLESHEET.finditer(page)]
        back = _link_back(page_url, uri)
        published[uri] = _standalone(f"{heading}: {page_title}", heading, body, links, (back, page_title))
        href = html.escape(posixpath.relpath(uri, _folder(page_url)))
        attributes = EXPLICIT_URI.sub("", block.attrs).strip()
        pieces += [
            page[last : block.start],
            f'<details {attributes} data-lk-fragment="{href}"><summary>{summary}</summary>'
            f'<p data-lk-fragment-slot><a href="{href}">Open “{html.escape(heading)}” on its own page</a></p>'
            "</details>",
        ]
        last = block.end
    pieces.append(page[last:])
    return "".join(pieces), published


def _outer_blocks(page: str) -> list[_Block]:
    """The page's outermost <details> blocks, in order."""
    blocks, depth, start, opened, attrs, nested = [], 0, 0, 0, "", False
    for tag in DETAILS_TAG.finditer(page):
        if tag[0] != "</details>":
            if depth == 0:
                start, opened, attrs, nested = tag.start(), tag.end(), tag["attrs"], False
            else:
                nested = True
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                blocks.append(_Block(start, tag.end(), attrs, page[opened : tag.start()], nested))
    return blocks


def _beside(page_url: str, heading: str, taken: dict[str, str]) -> str:
    """A file in the page's own folder named after the block's summary."""
    stem = slugify(heading, "-") or "collapsed"
    names = itertools.chain([f"{stem}.html"], (f"{stem}-{count}.html" for count in itertools.count(2)))
    uris = (posixpath.normpath(posixpath.join(_folder(page_url), name)) for name in names)
    return next(uri for uri in uris if uri not in taken)  # two blocks on one page may share a summary


def _folder(page_url: str) -> str:
    """The folder a page URL's relative links start from: ``lessons/x/`` or ``lessons/`` for
    ``lessons/x.html``; ``.`` for the home page."""
    folder = page_url if page_url.endswith("/") else posixpath.dirname(page_url)
    return folder or "."


def _relinked(link: re.Match[str], page_folder: str, uri: str) -> str:
    """One of the page's stylesheet links, as the published page at ``uri`` reaches it."""
    href = link["href"]
    if "://" not in href and not href.startswith("/"):
        target = posixpath.normpath(posixpath.join(page_folder, href))
        href = posixpath.relpath(target, posixpath.dirname(uri) or ".")
    return f'<link rel="stylesheet" href="{html.escape(href)}"{link["rest"]}>'


def _link_back(page_url: str, uri: str) -> str:
    """The page a block came from, as a link from where the block is published."""
    target = page_url.rstrip("/") or "."
    back = posixpath.relpath(target, posixpath.dirname(uri) or ".")
    return f"{back}/" if page_url.endswith("/") or not page_url else back


def _standalone(title: str, heading: str, body: str, links: list[str], back: tuple[str, str]) -> str:
    """A page of its own, styled as the lesson is (its stylesheets), for readers who follow the
    link; its <main> is what the lesson page inserts."""
    head = "".join(f"{link}\n" for link in links)
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex">\n'
        f"<title>{html.escape(title)}</title>\n{head}</head>\n"
        '<body class="md-typeset lk-standalone">\n'
        f'<header><p><a href="{html.escape(back[0])}">Back to “{html.escape(back[1])}”</a></p>\n'
        f"<h1>{html.escape(heading)}</h1></header>\n<main>{body.strip()}\n</main>\n</body>\n</html>\n"
    )
