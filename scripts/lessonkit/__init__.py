"""lessonkit: run, cache and check the code snippets of executable lessons.

Plain Python, independent of any site generator; ``scripts/mkdocs_hooks.py``
connects it to MkDocs.
"""
