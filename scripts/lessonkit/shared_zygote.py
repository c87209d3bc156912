"""The warm zygote a build's workers share (the run process keeps it across ``mkdocs serve``'s
rebuilds), and the heavy modules a snippet needs imported.

Before forking a snippet, the zygote imports the heavy, fork-safe packages the snippet imports
(numpy, matplotlib, scikit-learn, ...), once for every run after it: a page of numpy-only
examples does not wait for matplotlib, and nothing is imported twice. One zygote serves all the
workers, since it forks a run in about 2 ms and runs many at once; a zygote per worker imported
matplotlib and scikit-learn once each, about 2 s more CPU on a cold build of the two lessons.
A fully cached build never starts one.
"""

from __future__ import annotations

import ast
import atexit
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


class SharedZygote:
    """The shared zygote, started on first use and again if it died; closed with :meth:`close`."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self._zygote: Zygote | None = None
        self._started: list[Zygote] = []
        self._lock = threading.Lock()

    def get(self, preload: tuple[str, ...]) -> Zygote:
        """The zygote, a new one importing ``preload`` at its start if there is none alive (a
        live one imports what a run asks for before forking it: see ``Zygote.run``)."""
        with self._lock:
            if self._zygote is None or not self._zygote.alive():
                self._zygote = Zygote(self.env, preload=preload)
                self._started.append(self._zygote)
            return self._zygote

    def close(self) -> None:
        with self._lock:
            started, self._started, self._zygote = self._started, [], None
        for zygote in started:
            zygote.close()


def shared_until_exit(env: dict[str, str]) -> SharedZygote:
    """A pool whose zygote ends when this process exits (it also ends when its pipes close)."""
    pool = SharedZygote(env)
    atexit.register(pool.close)
    return pool
