"""What a build publishes besides pages: each lesson's companion notebook and plain-Markdown
download, and the sharing files (sitemap, robots.txt, llms.txt, preview cards).

Imports: course, page, run, options, store, yamlcheck (nothing of rules or serve).
"""
