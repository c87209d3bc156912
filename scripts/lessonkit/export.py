"""A lesson as one plain Markdown file: includes expanded, each example a bare
```python block followed by pytest-codeblocks' expected-output marker and the output;
the figures' scripts in an appendix at the end.

Readers can download it; the test suite runs ``pytest --codeblocks`` over it.
"""

from __future__ import annotations

import re

from .directives import FIGURE_BLOCK, Lesson, _fence, expand

FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
FOOTNOTE_MARKER = "///Footnotes Go Here///"
INLINEHILITE_MARKER = re.compile(r"(?<=`)#!python\s+")  # `#!python x` is x highlighted, on the site only
APPENDIX_TITLE = "## Appendix: the figure scripts"


def figure_appendix(lesson: Lesson, names: list[str]) -> str:
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
    for name in names:
        path = lesson.snippet(name, f"{{{{ figure {name} }}}}")
        code, output = path.read_text(encoding="utf-8"), lesson.outputs(path)
        # `python title=...` rather than a bare `python` fence: pytest-codeblocks skips it. The build
        # already runs and checks figure scripts, and pytest-codeblocks would exec this one with
        # __name__ != "__main__", so it would draw nothing and print nothing to compare.
        parts += [
            "",
            f"### {name}",
            "",
            f'{_fence(code)}python title="{path.name}"\n{code.rstrip()}\n{_fence(code)}',
            "",
            f"{_fence(output)}text\n{output}{_fence(output)}",
        ]
    return "\n".join(parts) + "\n"


def plain_markdown(source: str, lesson: Lesson) -> str:
    body = FRONT_MATTER.sub("", source, count=1).lstrip("\n")
    # Plain Markdown renderers put footnotes at the end anyway.
    body = body.replace(FOOTNOTE_MARKER + "\n", "")
    body = INLINEHILITE_MARKER.sub("", body)
    figures = list(dict.fromkeys(match["figure"].strip() for match in FIGURE_BLOCK.finditer(body)))
    text = expand(body, lesson, plain=True).rstrip("\n") + "\n"
    appendix = figure_appendix(lesson, figures)
    return f"{text}\n{appendix}" if appendix else text
