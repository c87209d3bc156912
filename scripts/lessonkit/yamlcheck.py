"""Reading the site's YAML data files (the course outline, quizzes) with one kind of message:
the file, where in it (line or key), what is wrong."""

from __future__ import annotations

from collections.abc import Iterable

import yaml


class DataError(Exception):
    """A data file that cannot be used; the message names the file and the place in it."""


# libyaml's parser is about ten times faster; the pure-Python one says more precisely where a
# document goes wrong, so a document that fails is read again by it for the message.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(text: str, source: str) -> object:
    try:
        return yaml.load(text, Loader=_FAST_LOADER)  # a safe loader: plain data only
    except yaml.YAMLError:
        pass
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise DataError(f"{source}: {where}not valid YAML: {problem}") from None


def mapping(item: object, allowed: Iterable[str], where: str, source: str) -> dict:
    """``item`` as a mapping whose keys are all in ``allowed``."""
    allowed = sorted(allowed)
    if not isinstance(item, dict):
        raise DataError(f"{source}: {where} must be a mapping with keys {', '.join(allowed)}")
    unknown = sorted(map(str, set(item) - set(allowed)))
    if unknown:
        raise DataError(
            f"{source}: {where} has unknown key(s) {', '.join(unknown)}; allowed: {', '.join(allowed)}"
        )
    return item


def text(value: object, where: str, source: str, *, numbers: bool = False) -> str:
    """Non-empty text with runs of whitespace folded; ``numbers`` also accepts 12 or 0.5."""
    if numbers and isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise DataError(f"{source}: {where} must be non-empty text, got {value!r}")
    return " ".join(value.split())
