"""The engine's settings for one project: the plugin's options in mkdocs.yml, resolved to
paths, with the environment variables that override them for one run. :data:`DEFAULTS` is the
one table of their defaults (the plugin's config schema, the engine and the CLI read it).

    plugins:
      - lessonkit:
          snippets: snippets            # folder of snippet folders, relative to mkdocs.yml
          curriculum: docs/curriculum.yml   # the course outline; course features are on when it exists
          cache_dir: .cache/lessonkit
          jobs: 0                       # snippets run at once; 0: one per core
          execute: true                 # false: show documented outputs, run only figures
          cache: true
          timeout: 60                   # default seconds per snippet (snippets.toml may raise it)
          katex: node_modules/katex     # the KaTeX package that typesets math
          require_description: false    # every page needs `description:` in its front matter
          notebooks: true               # a companion notebook for each lesson
          sandbox: auto                 # auto | required | off: how snippets are confined

Environment overrides: LESSONKIT_NO_CACHE=1, LESSONKIT_EXECUTE=0, LESSONKIT_JOBS=N,
LESSONKIT_SANDBOX=required|auto|off; LESSONKIT_TIMINGS=FILE writes where the build's time went
(JSON, for the benchmark; see ``timing``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

CURRICULUM_FILE = "docs/curriculum.yml"  # the outline's default place, relative to the project root
SANDBOX_MODES = ("required", "auto", "off")  # how snippets are confined (see run.sandbox)
WATCH_MODES = ("native", "polling")  # how serve notices saves (see serve.watch)
DEFAULT_TIMEOUT = 60.0  # seconds a snippet may run, unless its snippets.toml says otherwise

DEFAULTS: dict[str, object] = {
    "snippets": "snippets",
    "curriculum": None,  # None: CURRICULUM_FILE if it exists
    "cache_dir": ".cache/lessonkit",
    "jobs": 0,
    "execute": True,
    "cache": True,
    "timeout": DEFAULT_TIMEOUT,
    "katex": "node_modules/katex",
    "require_description": False,
    "notebooks": True,
    "sandbox": "auto",
    "watch": "native",  # read by the plugin under serve only
}


class OptionsError(Exception):
    """An option or override that cannot be used; the message names it."""


@dataclass(frozen=True)
class Options:
    root: Path  # the folder holding mkdocs.yml
    docs_dir: Path
    snippets_dir: Path
    curriculum: Path | None  # None: the site has no course outline
    cache_dir: Path
    jobs: int  # >= 1
    execute: bool
    use_cache: bool
    timeout: float
    katex: Path
    require_description: bool
    notebooks: bool
    sandbox: str  # auto | required | off; LESSONKIT_SANDBOX overrides it where confinement is decided
    timings: Path | None = None  # LESSONKIT_TIMINGS: where to write the build's phase times

    def rel(self, path: Path) -> str:
        """``path`` as named in messages: relative to the project when inside it."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


def _env_flag(env: Mapping[str, str], name: str, off: str) -> bool | None:
    return None if name not in env else env[name] != off


def resolve(
    values: Mapping[str, object], root: Path, docs_dir: Path, env: Mapping[str, str] = os.environ
) -> Options:
    """Options from the plugin's ``values`` (missing keys take DEFAULTS) and ``env``."""
    merged = {**DEFAULTS, **{k: v for k, v in values.items() if v is not None or k == "curriculum"}}
    jobs = merged["jobs"]
    if "LESSONKIT_JOBS" in env:
        try:
            jobs = int(env["LESSONKIT_JOBS"])
        except ValueError:
            raise OptionsError(
                f"LESSONKIT_JOBS={env['LESSONKIT_JOBS']!r}: must be a whole number of parallel snippet runs"
            ) from None
    if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 0:
        raise OptionsError(f"lessonkit option `jobs`: must be 0 (one per core) or more, not {jobs!r}")
    timeout = merged["timeout"]
    if not isinstance(timeout, int | float) or isinstance(timeout, bool) or timeout <= 0:
        raise OptionsError(
            f"lessonkit option `timeout`: must be a positive number of seconds, not {timeout!r}"
        )
    if merged["sandbox"] not in SANDBOX_MODES:
        raise OptionsError(
            f"lessonkit option `sandbox`: must be one of {', '.join(SANDBOX_MODES)}, "
            f"not {merged['sandbox']!r}"
        )
    snippets_dir = root / str(merged["snippets"])
    if not snippets_dir.is_dir():
        raise OptionsError(
            f"lessonkit option `snippets`: {snippets_dir} is not a folder; create it or point the "
            "option at the folder holding the snippet folders"
        )
    if merged["curriculum"] is None:
        default = root / CURRICULUM_FILE
        curriculum = default if default.is_file() else None
    else:
        curriculum = root / str(merged["curriculum"])
        if not curriculum.is_file():
            raise OptionsError(f"lessonkit option `curriculum`: {curriculum} does not exist")
    execute = _env_flag(env, "LESSONKIT_EXECUTE", "0")
    no_cache = _env_flag(env, "LESSONKIT_NO_CACHE", "0")
    return Options(
        root=root,
        docs_dir=docs_dir,
        snippets_dir=snippets_dir,
        curriculum=curriculum,
        cache_dir=root / str(merged["cache_dir"]),
        jobs=jobs or (os.cpu_count() or 1),
        execute=bool(merged["execute"]) if execute is None else execute,
        use_cache=bool(merged["cache"]) and not no_cache,
        timeout=float(timeout),
        katex=root / str(merged["katex"]),
        require_description=bool(merged["require_description"]),
        notebooks=bool(merged["notebooks"]),
        sandbox=str(merged["sandbox"]),
        timings=Path(env["LESSONKIT_TIMINGS"]) if env.get("LESSONKIT_TIMINGS") else None,
    )
