"""A lesson as one plain Markdown file: includes expanded, each example a bare
```python block followed by pytest-codeblocks' expected-output marker and the output;
the figures' scripts in an appendix at the end.

Readers can download it; the test suite runs ``pytest --codeblocks`` over it.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..page.directives import PageContext, expand, scan
from ..page.directives.base import fence

FOOTNOTE_MARKER = "///Footnotes Go Here///"
INLINEHILITE_MARKER = re.compile(r"(?<=`)#!python\s+")  # `#!python x` is x highlighted, on the site only
APPENDIX_TITLE = "## Appendix: the figure scripts"


def figure_appendix(page: PageContext, names: list[str]) -> str:
    """Each figure's script and its printed output, in page order ('' for a page without figures)."""
    if not names:
        return ""
    parts = [
        APPENDIX_TITLE,
        "",
        "Each figure in this lesson is drawn by one of these scripts. Run on its own, a script "
        "prints the numbers it drew and saves its drawings in the current folder: `light.svg` and "
        "`dark.svg`, and for the lesson's first figure the site's preview image `card.png`.",
    ]
    assert page.folder is not None, "figures are resolved before the appendix is written"
    for name in names:
        path = page.folder / name
        code, output = path.read_text(encoding="utf-8"), page.outputs(path)
        # `python title=...` rather than a bare `python` fence: pytest-codeblocks skips it. The build
        # already runs and checks figure scripts, and pytest-codeblocks would exec this one with
        # __name__ != "__main__", so it would draw nothing and print nothing to compare.
        parts += [
            "",
            f"### {name}",
            "",
            f'{fence(code)}python title="{path.name}"\n{code.rstrip()}\n{fence(code)}',
            "",
            f"{fence(output)}text\n{output}{fence(output)}",
        ]
    return "\n".join(parts) + "\n"


def plain_markdown(body: str, page: PageContext) -> str:
    """The download for a page whose Markdown (front matter removed) is ``body``."""
    stripped = body.lstrip("\n")
    page = replace(
        page, plain=True, line_offset=page.line_offset + body.count("\n", 0, len(body) - len(stripped))
    )
    # Plain Markdown renderers put footnotes at the end anyway.
    body = INLINEHILITE_MARKER.sub("", stripped.replace(FOOTNOTE_MARKER + "\n", ""))
    names = [d.args[0] for d in scan(body).directives if d.kind == "figure" and len(d.args) == 1]
    text = expand(body, page).rstrip("\n") + "\n"
    appendix = figure_appendix(page, list(dict.fromkeys(names)))
    return f"{text}\n{appendix}" if appendix else text
