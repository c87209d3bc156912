"""What renders a page: reading it (front matter), the directives that tie prose to snippet
output, math typeset by KaTeX, and the passes over the built HTML (accessibility, slimming,
collapsed blocks published on their own).

Imports: course, run, options, processes, store, yamlcheck (nothing of rules, outputs or serve).
"""
