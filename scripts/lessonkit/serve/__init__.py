"""What only makes `mkdocs serve` faster, or a rebuild cheaper: work kept from one rebuild to
the next (pages, search entries, highlighted code, lessons' checks, notebook renders), saves
noticed as they happen, and the error page shown while a build is broken. A site built without
any of it is the same.

Imports: course, outputs, page, run, options, processes, store. Only the adapters (plugin,
markdown, sitebuild) import serve/.
"""
