"""Where lessonkit stands in for a third-party function with its own copy of that function's
steps (nbconvert's notebook clean-up, Material's search ``on_page_context``), it does so only
for the version it copied, recognised by a digest of the function's source."""

from __future__ import annotations

import hashlib
import inspect
from typing import Any


def is_reproduced(function: Any, digest: str) -> bool:
    """Whether ``function``'s source has this sha256 ``digest`` (False if it has no source)."""
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return False
    return hashlib.sha256(source.encode("utf-8")).hexdigest() == digest
