"""``{{ curriculum }}`` on a line of its own: the course outline with the reader's progress
(the Learn page), from the site's curriculum file (see :mod:`lessonkit.curriculum`)."""

from __future__ import annotations

from .. import curriculum
from .base import DirectiveError, Expand, PageContext, expect_args
from .grammar import Directive

KIND = "curriculum"
BLOCK = True


def render(directive: Directive, page: PageContext, expand: Expand) -> str:
    expect_args(directive, page, 0, "no arguments")
    if page.outline is None:
        raise DirectiveError(
            f"{page.where(directive)} needs a course outline, but the site has none "
            "(set the lessonkit plugin's `curriculum` option to the outline's file)"
        )
    return curriculum.outline_markdown(page.outline, page.page)
