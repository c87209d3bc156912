"""Command line: ``python -m lessonkit {check,accept} [SNIPPET ...]``.

check   run snippets (cached) and compare with their documented outputs
accept  run snippets afresh and record their output as the documented output
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import check
from .engine import run_project


def _project_root(start: Path) -> Path:
    for folder in [start, *start.parents]:
        if (folder / "mkdocs.yml").exists() and (folder / "snippets").is_dir():
            return folder
    raise SystemExit(f"no project (mkdocs.yml + snippets/) found at or above {start}")


def _snippet_paths(args: list[str]) -> list[Path] | None:
    if not args:
        return None
    paths = []
    for arg in args:
        path = Path(arg).resolve()
        if path.suffix == ".out":
            path = path.with_suffix(".py")
        if not path.is_file():
            raise SystemExit(f"{arg}: no such snippet")
        paths.append(path)
    return paths


def cmd_check(root: Path, only: list[Path] | None, use_cache: bool) -> int:
    run = run_project(root, only=only, use_cache=use_cache)
    print(run.summary())
    for note in run.notes:  # e.g. that snippets ran unconfined
        print(note, file=sys.stderr)
    if run.failures:
        print(run.error_report(), file=sys.stderr)
        return 1
    return 0


def cmd_accept(root: Path, only: list[Path] | None) -> int:
    run = run_project(root, only=only, use_cache=False)
    status = 0
    for snippet in run.snippets:
        result = run.results[snippet.path]
        # Only drift or a missing record may be accepted; crashes and stderr must be fixed.
        blocking = [str(p) for p in check.problems(snippet, result) if p.kind not in check.ACCEPTABLE]
        if blocking:
            print("\n".join(blocking), file=sys.stderr)
            status = 1
            continue
        old = snippet.expected_path.read_bytes() if snippet.expected_path.exists() else None
        if old != result.stdout:
            snippet.expected_path.write_bytes(result.stdout)
            print(f"accepted {snippet.expected_path.relative_to(root).as_posix()}")
    print(run.summary())
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lessonkit", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_check = sub.add_parser("check", help="run snippets and compare with their documented outputs")
    p_check.add_argument("snippets", nargs="*", help="snippet files (default: all)")
    p_check.add_argument("--no-cache", action="store_true", help="re-run even if a cached run exists")
    p_accept = sub.add_parser("accept", help="record snippets' current output as documented output")
    p_accept.add_argument("snippets", nargs="*", help="snippet files (default: all)")
    args = parser.parse_args(argv)

    root = _project_root(Path.cwd())
    only = _snippet_paths(args.snippets)
    if args.command == "check":
        return cmd_check(root, only, use_cache=not args.no_cache)
    return cmd_accept(root, only)


if __name__ == "__main__":
    sys.exit(main())
