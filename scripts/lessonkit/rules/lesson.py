"""The rules every lesson must pass, in every build and in ``python -m lessonkit check``.

- Every number the page types by hand is an input named in the lesson's ``lesson.toml``
  (``[numbers.allowed]``, see :mod:`lessonkit.rules.lessondata`); results are quoted from
  snippet output (:mod:`lessonkit.rules.claims`). Allow-list entries the page no longer uses
  must go, so the list stays a true account of the page's inputs.
- Code named in the prose is code on the page: an inline code span that is code occurs in
  a snippet the page shows, or is a term in ``[prose] terms`` (:mod:`lessonkit.rules.prose_code`);
  terms no span needs must go.
- A lesson folder with a ``quiz.yml`` shows it: the page has a ``{{ quiz }}`` directive. The
  quiz rules themselves (:mod:`lessonkit.course.quiz`) are checked where the quiz is rendered.
"""

from __future__ import annotations

from ..course import quiz
from ..page.directives import scan
from ..page.pages import Page
from . import claims, lessondata, prose_code


def lesson_problems(page: Page, file: str, rel) -> list[str]:
    """Problems of one lesson page; ``file`` names the page, ``rel`` makes paths readable."""
    assert page.folder is not None
    data_file = rel(page.folder / lessondata.LESSON_FILE)
    try:
        data = lessondata.load(page.folder, data_file)
    except lessondata.LessonDataError as exc:
        return [str(exc)]
    problems = []
    unbound = claims.unbound_numbers(page.source, data.allowed_numbers)
    if unbound:
        listing = "\n".join(f"  {file}:{u.line}: {u.number!r} in: {u.text.strip()}" for u in unbound)
        problems.append(
            f"{file}: {len(unbound)} number(s) typed by hand; quote each result with "
            f"`{{{{ value NAME.py KEY }}}}`, or if it is an input, add it to {data_file} "
            f"under [numbers.allowed] with the reason:\n{listing}"
        )
    stale = [entry for entry in data.allowed_numbers if entry not in page.source]
    if stale:
        problems.append(
            f"{data_file}: [numbers.allowed] lists {', '.join(map(repr, stale))}, which {file} no "
            "longer contains; remove the entries"
        )
    problems += [u.message(file) for u in prose_code.check_page(page.source, page.folder, data.terms)]
    unused = prose_code.unused_terms(page.source, data.terms)
    if unused:
        problems.append(
            f"{data_file}: [prose] terms lists {', '.join(map(repr, unused))}, which no code span of "
            f"{file} needs; remove them"
        )
    has_quiz_file = (page.folder / quiz.QUIZ_FILE).is_file()
    shows_quiz = any(d.kind == "quiz" for d in scan(page.body).directives)
    if has_quiz_file and not shows_quiz:
        problems.append(
            f"{file}: the lesson has {rel(page.folder / quiz.QUIZ_FILE)} but the page does not show it; "
            "add `{{ quiz }}` on a line of its own"
        )
    return problems
