"""``{{ example NAME.py }}`` on a line of its own: the snippet's code (included from its file,
titled with its name, numbered) followed by an "Output" block holding this build's output.
For the plain-Markdown download: a bare ``python`` block, pytest-codeblocks' marker, the output."""

from __future__ import annotations

from pathlib import Path

from .base import Expand, PageContext, expect_args, fence
from .grammar import Directive

KIND = "example"
BLOCK = True


def render_snippet(path: Path, page: PageContext) -> str:
    output = page.outputs(path)
    if page.plain:
        code = path.read_text(encoding="utf-8")
        return (
            f"{fence(code)}python\n{code.rstrip()}\n{fence(code)}\n\n"
            "<!--pytest-codeblocks:expected-output-->\n\n"
            f"{fence(output)}text\n{output}{fence(output)}"
        )
    shown = output if output.strip() else "(no output)\n"
    return (
        f'```python title="{path.name}" linenums="1"\n--8<-- "{page.rel(path)}"\n```\n\n'
        f'{fence(shown)}text title="Output"\n{shown}{fence(shown)}'
    )


def render(directive: Directive, page: PageContext, expand: Expand) -> str:
    (name,) = expect_args(directive, page, 1, "one snippet name")
    return render_snippet(page.snippet(name, directive), page)
