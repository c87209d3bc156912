"""A lesson as one plain Markdown file: includes expanded, each example a bare
```python block followed by pytest-codeblocks' expected-output marker and the output.

Readers can download it; the test suite runs ``pytest --codeblocks`` over it.
"""

from __future__ import annotations

from dataclasses import replace

from .directives import PageContext, expand

FOOTNOTE_MARKER = "///Footnotes Go Here///"


def plain_markdown(body: str, page: PageContext) -> str:
    """The download for a page whose Markdown (front matter removed) is ``body``."""
    # Plain Markdown renderers put footnotes at the end anyway.
    body = body.lstrip("\n").replace(FOOTNOTE_MARKER + "\n", "")
    return expand(body, replace(page, plain=True)).rstrip("\n") + "\n"
