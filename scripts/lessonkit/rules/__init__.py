"""What checks a lesson: every number bound to snippet output or allowed, code named in prose
shown on the page, the quiz rules, read with the lesson's own data (lesson.toml).

Imports: course, page, run, options, store, yamlcheck (nothing of outputs or serve).
"""
