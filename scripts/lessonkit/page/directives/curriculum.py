"""``{{ curriculum }}`` on a line of its own: the course outline with the reader's progress
(the Learn page); ``{{ curriculum published }}``: the published lessons with their summaries
(the home page). Both come from the site's curriculum file (see :mod:`lessonkit.course.curriculum`)."""

from __future__ import annotations

from ...course import curriculum
from .base import DirectiveError, Expand, PageContext
from .grammar import Directive

KIND = "curriculum"
BLOCK = True


def render(directive: Directive, page: PageContext, expand: Expand) -> str:
    if directive.args not in ((), ("published",)):
        raise DirectiveError(
            f"{page.where(directive)} takes no argument (the whole outline) or `published` "
            "(the published lessons)"
        )
    if page.outline is None:
        raise DirectiveError(
            f"{page.where(directive)} needs a course outline, but the site has none "
            "(set the lessonkit plugin's `curriculum` option to the outline's file)"
        )
    if directive.args:
        return curriculum.published_markdown(page.outline, page.page)
    return curriculum.outline_markdown(page.outline, page.page)
