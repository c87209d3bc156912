"""``{{ figure figure-NAME.py }}`` on a line of its own, directly followed by two lines::

    {{ figure figure-fitted-line.py }}
    alt: what the figure shows, for readers who cannot see it (plain text)
    caption: what the figure means (Markdown)

shows the figure the snippet drew (see :mod:`lessonkit.run.figures`), light and dark variants
following the reader's palette, each a link to the full-size SVG; the caption below it;
then a collapsed "How this figure is made" block with the script and its printed summary,
published on a page of its own and fetched when opened (:mod:`lessonkit.page.deferred`).
Both fields are required and may quote outputs with ``{{ value ... }}``.
"""

from __future__ import annotations

import re
from pathlib import Path

from ...run import figures
from .base import DirectiveError, Expand, PageContext, expect_args
from .example import render_snippet
from .grammar import Directive

KIND = "figure"
BLOCK = True
FIELDS = {"alt": "what the figure shows", "caption": "what it means"}


def _fields(directive: Directive, page: PageContext) -> dict[str, str]:
    found = dict(directive.fields)
    unknown = [key for key, _ in directive.fields if key not in FIELDS]
    if unknown:
        raise DirectiveError(
            f"{page.where(directive)} has an unknown field `{unknown[0]}:` (known: {', '.join(FIELDS)})"
        )
    for key, purpose in FIELDS.items():
        if not found.get(key):
            raise DirectiveError(
                f"{page.where(directive)} has no {key} text; add a line `{key}: <{purpose}>` right below it"
            )
    return found


def _escape_alt(text: str) -> str:
    """Alt text kept literal in Markdown image syntax.

    Only what acts before the image pattern needs a backslash: escapes, code spans,
    the brackets themselves and arithmatex's ``$``.
    """
    return re.sub(r"([\\`\[\]$])", r"\\\1", text)


def render_figure(path: Path, alt: str, caption: str, page: PageContext) -> str:
    light, dark = (figures.asset_link(page.page, path, f"{variant}.svg") for variant in figures.VARIANTS)
    alt = _escape_alt(alt)
    if page.plain:
        # The script itself goes to the download's appendix (lessonkit.outputs.export), so the lesson
        # reads on without a few hundred lines of drawing code in the middle.
        pointer = f"*The script that draws it, `{path.name}`, is in the appendix.*"
        return f"![{alt}]({light})\n\n{caption}\n\n{pointer}\n"
    drawn = page.artifacts(path)
    if figures.REQUIRED[0] not in drawn:
        missing = figures.REQUIRED[0]
        raise DirectiveError(f"{page.file or page.page}: {path.name} drew no {missing} in this build")
    # Width and height keep the figure's space while it loads; lazy loading means the variant
    # of the palette not shown (display: none) is never fetched.
    width, height = figures.svg_size(drawn[figures.REQUIRED[0]])
    image = f'{{ width="{width}" height="{height}" loading="lazy" decoding="async" }}'
    # The script and its output are published on their own page and fetched when the block is
    # opened (lessonkit.page.deferred): a figure script weighs more than most of the lesson's text.
    source = figures.asset_uri(path, figures.SOURCE_PAGE)
    return (
        '<figure class="lk-figure" markdown="span">\n'
        f"[![{alt}]({light}#only-light){image}]({light})\n"
        f"[![{alt}]({dark}#only-dark){image}]({dark})\n"
        f'<figcaption markdown="span">{caption}</figcaption>\n'
        "</figure>\n\n"
        f'<details class="example lk-figure-source" data-lk-defer="{source}" markdown="block">\n'
        "<summary>How this figure is made</summary>\n\n"
        f"{render_snippet(path, page)}\n\n"
        "</details>\n"
    )


def render(directive: Directive, page: PageContext, expand: Expand) -> str:
    (name,) = expect_args(directive, page, 1, "one snippet name")
    if not figures.is_figure(Path(name)):
        raise DirectiveError(
            f"{page.where(directive)} names {name}, but figure snippets are named {figures.PREFIX}*.py"
        )
    path = page.snippet(name, directive)
    fields = _fields(directive, page)
    # Fields may quote outputs with {{ value }}.
    alt, caption = (expand(fields[key], page) for key in ("alt", "caption"))
    return render_figure(path, alt, caption, page)
