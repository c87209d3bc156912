"""What runs snippets and checks them: discovering a lesson's scripts and their settings, running
each confined (zygotes, the sandbox, a process of their own), caching results, and comparing
what a run printed with its documented output. The figure contract (what a figure snippet
writes) lives here too, as the checks need it.

Imports: options, processes, store (nothing of page, rules, course, outputs or serve).
"""
