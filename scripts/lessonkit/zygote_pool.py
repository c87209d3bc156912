"""Warm zygotes for a build's workers, owned by whoever runs the snippets (the run process keeps
one pool across ``mkdocs serve``'s rebuilds), and the heavy modules a snippet needs imported.

Before forking a snippet, its zygote imports the heavy, fork-safe packages the snippet imports
(numpy, matplotlib, scikit-learn, ...), once: the snippet starts with them imported, a page of
numpy-only examples does not wait for matplotlib, and figures do not wait for scikit-learn.
Each concurrent worker gets its own zygote, so forks happen in parallel; a fully cached build
never starts one.
"""

from __future__ import annotations

import ast
import atexit
import queue
import sys
import threading
from collections.abc import Iterable

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
        tree = ast.parse(source, filename=filename)
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


class ZygotePool:
    """Idle zygotes, each with the modules it has imported; closed with :meth:`close`."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self._idle: queue.SimpleQueue[Zygote] = queue.SimpleQueue()
        self._started: list[Zygote] = []
        self._lock = threading.Lock()

    def acquire(self, preload: tuple[str, ...]) -> Zygote:
        """An idle zygote, preferably one that has ``preload`` imported already (a zygote imports
        what a run asks for before forking it: see ``Zygote.run``), or a new one with ``preload``."""
        passed_over: list[Zygote] = []
        try:
            while True:
                try:
                    zygote = self._idle.get_nowait()
                except queue.Empty:
                    break
                if not zygote.alive():
                    continue
                if set(preload) <= set(zygote.preload):
                    return zygote
                passed_over.append(zygote)
            if passed_over:
                return passed_over.pop(0)  # it imports the rest once, rather than a new process
        finally:
            for zygote in passed_over:
                self._idle.put(zygote)
        zygote = Zygote(self.env, preload=preload)
        with self._lock:
            self._started.append(zygote)
        return zygote

    def release(self, zygote: Zygote) -> None:
        self._idle.put(zygote)

    def close(self) -> None:
        with self._lock:
            started, self._started = self._started, []
        for zygote in started:
            zygote.close()


def pool_until_exit(env: dict[str, str]) -> ZygotePool:
    """A pool whose zygotes end when this process exits (they also end when its pipes close)."""
    pool = ZygotePool(env)
    atexit.register(pool.close)
    return pool
