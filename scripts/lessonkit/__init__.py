"""lessonkit: run, cache and check the code snippets of executable lessons.

    run/      runs snippets and checks their output (snippets, runner, zygotes, sandbox, cache)
    page/     renders a page (directives, KaTeX, the passes over its HTML)
    rules/    checks a lesson (numbers bound, code in prose, quiz rules)
    course/   the outline, a lesson's place in it, the mastery check
    outputs/  what a build publishes besides pages (notebooks, downloads, sharing files)
    serve/    what only makes `mkdocs serve` faster (a site built without it is the same)

The adapters sit beside them: ``plugin`` (the MkDocs plugin) with ``sitebuild`` (one build's
state), ``markdown`` (the Python-Markdown extension, which needs no MkDocs) and ``__main__``
(``python -m lessonkit check | accept``). Shared by all: ``options`` (the options and their one
defaults table), ``store`` (the one cache layer), ``processes``, ``timing``, ``yamlcheck``.
Each subpackage's docstring says what it may import; tests/test_layout.py checks it, and that
the import graph has no cycle.
"""
