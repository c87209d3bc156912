"""What a build keeps for the next one: every cache of lessonkit reads and writes through here.

An entry is a header line and its payload::

    lessonkit-cache <format> <kind> <length> <sha256 of the payload>\\n<payload>

written atomically (a temporary file beside it, then a rename). :func:`read` returns the payload
only when the header names this format and the kind asked for and the payload has that length
and digest. Anything else (garbage, an empty or truncated file, an entry of another version or
another cache) is a miss: logged at debug level, removed, and made again by its owner. So what a
full disk, a killed copy or a bad restore of CI's cache leaves behind can neither crash the next
build nor change a page.

Files read by other programs (the notebook source mkdocs-jupyter renders) are written with
:func:`write_file`, atomically but without a header; :func:`drop_unreadable_json` removes what
a killed build may have left half-written in mkdocs-jupyter's own cache, which it would trust.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

FORMAT = "1"  # bump when the header or a cache's payload changes meaning
MAGIC = b"lessonkit-cache"
HEADER_MAX = 200  # bytes: longer than any header this module writes

log = logging.getLogger("mkdocs.plugins.lessonkit")


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and a rename: readers (and a build that
    is interrupted half-way) see the old file or the new one, never a part of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _header(kind: str, payload: bytes) -> bytes:
    return b"%s %s %s %d %s\n" % (
        MAGIC,
        FORMAT.encode(),
        kind.encode(),
        len(payload),
        hashlib.sha256(payload).hexdigest().encode(),
    )


def write(path: Path, kind: str, payload: bytes) -> None:
    """Store ``payload`` as an entry of cache ``kind`` (a word: ``run``, ``memo``, ...)."""
    write_file(path, _header(kind, payload) + payload)


def read(path: Path, kind: str) -> bytes | None:
    """The payload of the entry at ``path``, or None when there is none or it is not whole and
    of this format and kind (then it is removed)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None  # no entry: the ordinary miss
    end = data.find(b"\n", 0, HEADER_MAX)
    if end < 0:
        discard(path, "no header")
        return None
    fields = data[:end].split(b" ")
    if len(fields) != 5 or fields[0] != MAGIC:
        discard(path, "not a lessonkit cache entry")
        return None
    if fields[1] != FORMAT.encode() or fields[2] != kind.encode():
        discard(path, f"an entry of format {fields[1]!r} and kind {fields[2]!r}")
        return None
    payload = data[end + 1 :]
    if fields[3] != str(len(payload)).encode() or fields[4] != hashlib.sha256(payload).hexdigest().encode():
        discard(path, "its payload does not match its length and digest")
        return None
    return payload


def discard(path: Path, reason: str) -> None:
    """Remove a damaged entry (its owner makes it again); for owners whose own check of a whole
    payload fails, too."""
    log.debug(f"lessonkit: cache entry {path} discarded ({reason}); it is made again")
    try:
        path.unlink()
    except OSError:
        pass  # gone already, or not ours to remove: it is a miss all the same


def parts_digest(parts: Iterable[str | bytes]) -> str:
    """SHA-256 of ``parts``, each length-prefixed so that two different lists never collide."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(f"{len(data)}:".encode())
        digest.update(data)  # not concatenated: a figure's drawings are copied no more
    return digest.hexdigest()


def memo_bytes(directory: Path, parts: list[str | bytes], make: Callable[[], bytes]) -> bytes:
    """``make()``'s bytes, stored under a hash of ``parts`` and reused while they stay the same.

    For build products that are slow to make but pure, such as a drawn image."""
    entry = directory / "memo" / parts_digest(parts)
    found = read(entry, "memo")
    if found is not None:
        return found
    data = make()
    write(entry, "memo", data)
    return data


def drop_unreadable_json(
    folder: Path, keys: tuple[str, ...], checked: dict[str, tuple[int, int]] | None = None
) -> int:
    """Remove each ``*.json`` file in ``folder`` that is not a JSON object with ``keys``: another
    package's cache that trusts its files (mkdocs-jupyter writes them in place, so a killed
    build leaves half of one). ``checked`` remembers the files found whole, by size and
    modification time, so that a file is parsed again only when it changes. Returns how many
    files were removed."""
    checked = {} if checked is None else checked
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if not entry.name.endswith(".json") or not entry.is_file():
            continue
        stat = entry.stat()
        if checked.get(entry.path) == (stat.st_size, stat.st_mtime_ns):
            continue
        try:
            data = json.loads(Path(entry.path).read_bytes())
            whole = isinstance(data, dict) and all(key in data for key in keys)
        except (OSError, ValueError):
            whole = False
        if whole:
            checked[entry.path] = (stat.st_size, stat.st_mtime_ns)
        else:
            discard(Path(entry.path), f"not a JSON object with {', '.join(keys)}")
            removed += 1
    return removed
