"""lessonkit: run, cache and check the code snippets of executable lessons.

The engine is plain Python; ``lessonkit.plugin`` connects it to MkDocs (the ``lessonkit``
plugin) and ``lessonkit.markdown`` carries the page-level work as a Python-Markdown
extension that needs no MkDocs.
"""
