"""A lesson's own data for the lesson rules: ``snippets/<lesson>/lesson.toml``.

    [numbers.allowed]          # numbers the page may type by hand: inputs and definitions
    "0.05" = "the learning rate of the gradient loop"
    "x = 6" = "the evidence length the lesson asks a prediction for"

    [prose]
    terms = ["np.linalg.lstsq"]  # names the prose uses as names (see lessonkit.rules.prose_code)

A bare number is allowed anywhere on the page; any other entry is a fragment of the page
whose numbers are allowed there only. Each entry says why it is an input, not a result.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

LESSON_FILE = "lesson.toml"


class LessonDataError(Exception):
    """A lesson.toml that cannot be used; the message names the file and key."""


@dataclass(frozen=True)
class LessonData:
    allowed_numbers: dict[str, str] = field(default_factory=dict)  # entry -> why it is an input
    terms: tuple[str, ...] = ()  # code the prose names as a name, not as code on the page


def _table(data: dict, key: str, where: str) -> dict:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise LessonDataError(f"{where}: `{key}` must be a table")
    return value


def load(folder: Path, where: str) -> LessonData:
    """The lesson's data (empty when the folder has no lesson.toml); ``where`` names the file."""
    path = folder / LESSON_FILE
    if not path.is_file():
        return LessonData()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise LessonDataError(f"{where}: not valid TOML: {exc}") from None
    unknown = sorted(set(data) - {"numbers", "prose"})
    if unknown:
        raise LessonDataError(f"{where}: unknown table(s) {', '.join(unknown)} (known: numbers, prose)")
    numbers = _table(data, "numbers", where)
    unknown = sorted(set(numbers) - {"allowed"})
    if unknown:
        raise LessonDataError(f"{where}: [numbers] has unknown key(s) {', '.join(unknown)} (known: allowed)")
    allowed = _table(numbers, "allowed", where)
    for entry, why in allowed.items():
        if not isinstance(why, str) or not why.strip():
            raise LessonDataError(
                f"{where}: [numbers.allowed] {entry!r} must say why it is an input, as text"
            )
    prose = _table(data, "prose", where)
    unknown = sorted(set(prose) - {"terms"})
    if unknown:
        raise LessonDataError(f"{where}: [prose] has unknown key(s) {', '.join(unknown)} (known: terms)")
    terms = prose.get("terms", [])
    if not isinstance(terms, list) or not all(isinstance(term, str) and term.strip() for term in terms):
        raise LessonDataError(f'{where}: [prose] terms must be a list of code names, e.g. ["np.c_"]')
    return LessonData(allowed_numbers=dict(allowed), terms=tuple(terms))
