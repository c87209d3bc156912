"""Small throwaway projects for engine tests: a folder of snippets with documented outputs,
pages, and (for build tests) an mkdocs.yml with the plugin, outside the repository."""

from __future__ import annotations

import textwrap
from pathlib import Path

MKDOCS_YML = """\
site_name: Demo
theme:
  name: material
plugins:
  - search
  - lessonkit
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - pymdownx.arithmatex:
      generic: true
  - pymdownx.details
  - pymdownx.highlight
  - pymdownx.snippets:
      base_path: [!relative $config_dir]
      check_paths: true
  - pymdownx.superfences
"""

GREET = 'print("greeting hello")\nprint("answer", 6 * 7)\n'
COUNT = "for n in range(3):\n    print(n)\n"


def make_project(root: Path, pages: dict[str, str], snippets: dict[str, str] | None = None) -> Path:
    """A project at ``root``: ``pages`` (docs-relative path -> Markdown) and snippets
    (path under snippets/ -> source), each with its true documented output."""
    snippets = {"demo/greet.py": GREET, "demo/count.py": COUNT} if snippets is None else snippets
    (root / "docs").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    for src, text in pages.items():
        path = root / "docs" / src
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    outputs = {"demo/greet.py": "greeting hello\nanswer 42\n", "demo/count.py": "0\n1\n2\n"}
    (root / "snippets").mkdir()
    for rel, source in snippets.items():
        path = root / "snippets" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
        if rel in outputs:
            path.with_suffix(".out").write_text(outputs[rel], encoding="utf-8")
    return root


DEMO_PAGE = """\
---
title: Demo
snippets: demo
---

# Demo

{{ example greet.py }}

The answer is {{ value greet.py answer }}.

{{ example count.py }}
"""
