"""Command line: ``python -m lessonkit {check,accept} [SNIPPET ...]``, in any project whose
``mkdocs.yml`` uses the lessonkit plugin (found at or above the current folder, or ``-f``).

check   run snippets (cached), compare with their documented outputs, and check every
        page's directives and every lesson's rules, as a build would
accept  run snippets afresh and record their output as the documented output
"""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import replace
from pathlib import Path

from .course import curriculum
from .options import Options, OptionsError, resolve
from .page import pages
from .page.directives import DirectiveError, expand
from .run import check
from .run.engine import run_project, run_site
from .run.snippets import SnippetConfigError
from .sitebuild import SiteBuild


class UsageError(Exception):
    """Something on the command line or in the project's configuration; the message says what."""


def find_config(start: Path) -> Path:
    for folder in [start, *start.parents]:
        if (folder / "mkdocs.yml").is_file():
            return folder / "mkdocs.yml"
    raise UsageError(f"no mkdocs.yml at or above {start}; run from a project folder or pass -f")


def load_options(config_file: Path) -> tuple[Options, dict[str, Path]]:
    """The project's lessonkit options and its documentation pages (docs-relative path -> file)."""
    from mkdocs.config import load_config  # imported here: `accept` of one snippet needs no docs
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.structure.files import get_files

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    try:
        config = load_config(str(config_file))
    except ConfigurationError as exc:
        raise UsageError(f"{config_file}: {exc}") from None
    if "lessonkit" not in config.plugins:
        raise UsageError(f"{config_file}: the lessonkit plugin is not in `plugins:`")
    root = config_file.resolve().parent
    try:
        options = resolve(dict(config.plugins["lessonkit"].config), root, Path(config.docs_dir))
    except OptionsError as exc:
        raise UsageError(f"{config_file}: {exc}") from None
    files = get_files(config)
    docs = {f.src_uri: Path(f.abs_src_path) for f in files.documentation_pages() if f.abs_src_path}
    return options, docs


def _snippet_paths(args: list[str]) -> list[Path] | None:
    if not args:
        return None
    paths = []
    for arg in args:
        path = Path(arg).resolve()
        if path.suffix == ".out":
            path = path.with_suffix(".py")
        if not path.is_file():
            raise UsageError(f"{arg}: no such snippet")
        paths.append(path)
    return paths


def site_problems(options: Options, docs: dict[str, Path], build: SiteBuild) -> list[str]:
    """What a build would report about the pages: directives, lesson rules, unused snippets."""
    build.pages = pages.index(docs, options.snippets_dir, options.rel(options.docs_dir))
    if options.curriculum is not None:
        build.outline = curriculum.load(options.curriculum, build.pages, options.rel(options.curriculum))
    build.check_lessons()
    for src, page in build.pages.items():
        try:
            expand(page.body, build.page_context(src))
        except DirectiveError as exc:
            build.problems += exc.messages
    unused = build.unused_snippets()
    if unused:
        build.problems.append(
            "snippet(s) not used by any page: " + ", ".join(options.rel(path) for path in unused)
        )
    return build.problems


def cmd_check(config_file: Path, only: list[Path] | None, use_cache: bool) -> int:
    options, docs = load_options(config_file)
    if not use_cache:
        options = replace(options, use_cache=False)
    run, results, summary = run_site(options, only=only)
    print(summary)
    for note in run.notes:  # e.g. that snippets ran unconfined
        print(note, file=sys.stderr)
    if run.failures:
        print(run.error_report(), file=sys.stderr)
        return 1
    if only is not None:
        return 0
    build = SiteBuild(options, results=results)
    try:
        problems = site_problems(options, docs, build)
    finally:
        build.close()
    if problems:
        print(f"{len(problems)} problem(s):\n\n" + "\n\n".join(problems), file=sys.stderr)
        return 1
    print(f"lessonkit: {len(build.lessons())} lesson(s) and {len(build.pages)} page(s) checked")
    return 0


def cmd_accept(config_file: Path, only: list[Path] | None) -> int:
    options, _ = load_options(config_file)
    run = run_project(
        options.root,
        snippets_dir=options.snippets_dir,
        cache_dir=options.cache_dir,
        use_cache=False,
        jobs=options.jobs,
        timeout=options.timeout,
        sandbox_mode=options.sandbox,
        only=only,
    )
    accepted, refused = 0, 0
    for snippet in run.snippets:
        result = run.results[snippet.path]
        # Only drift or a missing record may be accepted; crashes and stderr must be fixed.
        blocking = [str(p) for p in check.problems(snippet, result) if p.kind not in check.ACCEPTABLE]
        if blocking:
            print("\n".join(blocking), file=sys.stderr)
            refused += 1
            continue
        old = snippet.expected_path.read_bytes() if snippet.expected_path.exists() else None
        if old != result.stdout:
            snippet.expected_path.write_bytes(result.stdout)
            print(f"accepted {options.rel(snippet.expected_path)}")
            accepted += 1
    # What accept did, not the run's own tally: the drift it accepted counts as failed there.
    unchanged = len(run.snippets) - accepted - refused
    print(
        f"lessonkit: {len(run.snippets)} snippet(s): {accepted} accepted, {unchanged} unchanged, "
        f"{refused} refused (a crash, a time-out or stderr needs a fix, not a new record)"
        if refused
        else f"lessonkit: {len(run.snippets)} snippet(s): {accepted} accepted, {unchanged} unchanged"
    )
    return 1 if refused else 0


def main(argv: list[str] | None = None) -> int:
    # -f is read before or after the verb (`-f x check` or `check -f x`); SUPPRESS keeps the
    # verb's parser from overwriting a -f given before it.
    config = argparse.ArgumentParser(add_help=False)
    config.add_argument(
        "-f", "--config-file", type=Path, default=argparse.SUPPRESS, help="the project's mkdocs.yml"
    )
    parser = argparse.ArgumentParser(
        prog="python -m lessonkit", description=__doc__.split("\n\n")[0], parents=[config]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_check = sub.add_parser(
        "check", parents=[config], help="run snippets and check them, the pages and the lessons"
    )
    p_check.add_argument("snippets", nargs="*", help="snippet files (default: all, and every page)")
    p_check.add_argument("--no-cache", action="store_true", help="re-run even if a cached run exists")
    p_accept = sub.add_parser(
        "accept", parents=[config], help="record snippets' current output as documented output"
    )
    p_accept.add_argument("snippets", nargs="*", help="snippet files (default: all)")
    args = parser.parse_args(argv)
    try:
        config_file = getattr(args, "config_file", None) or find_config(Path.cwd())
        only = _snippet_paths(args.snippets)
        if args.command == "check":
            return cmd_check(config_file, only, use_cache=not args.no_cache)
        return cmd_accept(config_file, only)
    except (UsageError, SnippetConfigError, pages.PageError, curriculum.CurriculumError) as exc:
        print(f"lessonkit: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
