"""A lesson as one plain Markdown file: includes expanded, each example a bare
```python block followed by pytest-codeblocks' expected-output marker and the output.

Readers can download it; the test suite runs ``pytest --codeblocks`` over it.
"""

from __future__ import annotations

import re

from .directives import Lesson, expand

FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
FOOTNOTE_MARKER = "///Footnotes Go Here///"


def plain_markdown(source: str, lesson: Lesson) -> str:
    body = FRONT_MATTER.sub("", source, count=1).lstrip("\n")
    # Plain Markdown renderers put footnotes at the end anyway.
    body = body.replace(FOOTNOTE_MARKER + "\n", "")
    return expand(body, lesson, plain=True).rstrip("\n") + "\n"
