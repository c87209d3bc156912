"""The warm zygotes of a build's workers (the run process keeps them across ``mkdocs serve``'s
rebuilds), and the heavy modules a snippet needs imported.

Before forking a snippet, a zygote imports the heavy, fork-safe packages the snippet imports
(numpy, matplotlib, scikit-learn, ...), once for every run after it: a page of numpy-only
examples does not wait for matplotlib. Two kinds, by what a run needs:

- numpy or nothing: a zygote per concurrent worker, so the forks of many short runs happen in
  parallel (one zygote for two workers made a course of 720 numpy snippets 15% slower);
- anything heavier: one zygote shared by every worker, so matplotlib and scikit-learn are
  imported once per build rather than once per worker (about 2 s of CPU on a cold build of the
  two lessons); its runs last long enough that a fork (2 ms) is nothing beside them.

A fully cached build never starts one.
"""

from __future__ import annotations

import ast
import atexit
import queue
import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from .imports import parse
from .zygote import Zygote

# Heavy packages that are safe to import before forking (no threads started at import).
PRELOADABLE = ("numpy", "matplotlib", "sklearn", "scipy", "pandas")


def imported_modules(source: bytes, filename: str) -> set[str]:
    """Dotted names of the absolute imports in ``source`` (``sklearn.linear_model`` for
    ``from sklearn.linear_model import LinearRegression``), and of the attributes used on an
    imported module that may be submodules (``numpy.random`` for ``np.random.default_rng``:
    numpy 2 imports ``random`` only when it is first used, about 15 ms of every child's run);
    none for a script that does not parse."""
    try:
        tree = parse(source, filename)
    except SyntaxError:
        return set()  # the run reports it
    names: set[str] = set()
    aliases: dict[str, str] = {}  # local name -> module
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                names.add(alias.name)
                if alias.asname:
                    aliases[alias.asname] = alias.name
                else:
                    aliases[alias.name.split(".")[0]] = alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            names.add(f"{aliases[node.value.id]}.{node.attr}")  # a function, or a lazy submodule
    return names


def preload_for(sources: Iterable[tuple[bytes, str]]) -> tuple[str, ...]:
    """What a zygote imports before forking these scripts: the modules they import from
    PRELOADABLE packages, parents before children, in a stable order."""
    wanted: set[str] = set()
    for source, filename in sources:
        for name in imported_modules(source, filename):
            if name.split(".")[0] in PRELOADABLE and name.split(".")[0] not in sys.stdlib_module_names:
                parts = name.split(".")
                wanted.update(".".join(parts[: i + 1]) for i in range(len(parts)))
    return tuple(sorted(wanted, key=lambda n: (n.split(".")[0], n.count("."), n)))


# Imported by every kind of zygote: cheap to import (0.1 s), and what most snippets need.
LIGHT = ("numpy",)


def is_light(preload: Iterable[str]) -> bool:
    return all(name.split(".")[0] in LIGHT for name in preload)


class ZygotePool:
    """Idle light zygotes and the shared heavy one; closed with :meth:`close`."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self._idle: queue.SimpleQueue[Zygote] = queue.SimpleQueue()
        self._heavy: Zygote | None = None
        self._started: list[Zygote] = []
        self._lock = threading.Lock()

    @contextmanager
    def zygote(self, preload: tuple[str, ...]) -> Iterator[Zygote]:
        """A zygote for one run that needs ``preload``: an idle light one (or a new one) while the
        run has it, or the shared heavy one. A zygote imports what a run asks for before forking
        it (``Zygote.run``); a new one imports ``preload`` as it starts."""
        if not is_light(preload):
            with self._lock:
                if self._heavy is None or not self._heavy.alive():
                    self._heavy = Zygote(self.env, preload=preload)
                    self._started.append(self._heavy)
                heavy = self._heavy
            yield heavy
            return
        zygote = self._idle_light()
        if zygote is None:
            zygote = Zygote(self.env, preload=preload)
            with self._lock:
                self._started.append(zygote)
        try:
            yield zygote
        finally:
            self._idle.put(zygote)

    def _idle_light(self) -> Zygote | None:
        while True:
            try:
                zygote = self._idle.get_nowait()
            except queue.Empty:
                return None
            if zygote.alive():
                return zygote

    def close(self) -> None:
        with self._lock:
            started, self._started, self._heavy = self._started, [], None
        for zygote in started:
            zygote.close()


def pool_until_exit(env: dict[str, str]) -> ZygotePool:
    """A pool whose zygotes end when this process exits (they also end when their pipes close)."""
    pool = ZygotePool(env)
    atexit.register(pool.close)
    return pool
