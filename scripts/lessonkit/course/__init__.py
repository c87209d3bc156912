"""The course: the outline (docs/curriculum.yml) and what is published, where a lesson sits in
it (header, footer, reading time, share links), and the mastery check.

Imports: options, store, yamlcheck (no other subpackage).
"""
