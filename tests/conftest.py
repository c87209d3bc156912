"""Shared fixtures: the project root, a strict build of the real site, throwaway
copies of the project for fault injection, a local HTTP server and a headless browser."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from lessonkit.page.directives import PageContext
from lessonkit.project import copy_project

ROOT = Path(__file__).resolve().parent.parent
LESSON = "linear-regression-from-scratch"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class BuildResult:
    returncode: int
    output: str  # stdout and stderr together, as an author would see them
    site: Path

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def mkdocs_build(
    project: Path, site: Path, *extra: str, env: dict | None = None, cwd: Path | None = None
) -> BuildResult:
    """Run ``mkdocs build --strict`` on ``project`` into ``site``, as a user would (from
    ``cwd``, by default the project folder)."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-f",
            str(project / "mkdocs.yml"),
            "-d",
            str(site),
            *extra,
        ],
        cwd=cwd or project,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        timeout=600,
    )
    return BuildResult(proc.returncode, proc.stdout + proc.stderr, site)


def lesson_page(
    root: Path, lesson: str, outputs=None, *, page: str | None = None, plain: bool = False
) -> PageContext:
    """The directives' view of page ``lessons/<lesson>.md`` in the project at ``root``;
    ``outputs`` maps a snippet path to its stdout (default: its documented output)."""
    return PageContext(
        page=page or f"lessons/{lesson}.md",
        root=root,
        folder=root / "snippets" / lesson,
        outputs=outputs or (lambda path: path.with_suffix(".out").read_text(encoding="utf-8")),
        plain=plain,
    )


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once per test session with --strict."""
    out = tmp_path_factory.mktemp("site") / "site"
    result = mkdocs_build(ROOT, out)
    assert result.ok, result.output
    return out


# The lessons a copy of the project keeps: the build tests break and rebuild these two (one
# to edit, one to stay the same), so their cost stays that of two lessons however many the
# course publishes; each lesson's own facts are tested on the one build of the real site.
PROJECT_LESSONS = (LESSON, "logistic-regression-and-metrics")


def keep_only_lessons(project: Path, keep: tuple[str, ...]) -> Path:
    """``project`` without the pages, snippets and nav entries of every lesson not in ``keep``."""
    dropped = [p.stem for p in (project / "docs" / "lessons").glob("*.md") if p.stem not in keep]
    for lesson in dropped:
        (project / "docs" / "lessons" / f"{lesson}.md").unlink()
        shutil.rmtree(project / "snippets" / lesson, ignore_errors=True)
    config = project / "mkdocs.yml"
    lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
    named = tuple(f"{folder}/{lesson}.{suffix}" for lesson in dropped for folder, suffix in NAV_FILES)
    config.write_text("".join(line for line in lines if not line.rstrip().endswith(named)), encoding="utf-8")
    return project


NAV_FILES = (("lessons", "md"), ("notebooks", "ipynb"))  # a lesson's nav entries: page and notebook


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A private copy of the project to break on purpose (reusing the real cached runs), with
    the two lessons of PROJECT_LESSONS."""
    return keep_only_lessons(copy_project(ROOT, tmp_path / "project", with_cache=True), PROJECT_LESSONS)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def serve() -> Iterator:
    """Start a static HTTP server on 127.0.0.1 for a directory; returns its base URL."""
    servers = []

    def start(directory: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(directory))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}/"

    yield start
    for server in servers:
        server.shutdown()


def chromium_executable() -> str | None:
    """Debian's Chromium when present (never download here); None lets Playwright use its own."""
    explicit = os.environ.get("LESSONKIT_CHROMIUM")
    if explicit:
        return explicit
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    from playwright.sync_api import sync_playwright

    # Keep Chromium's crash reports and config out of the home directory.
    os.environ.setdefault("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg")))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


TIERS = ("unit", "build", "browser")
# What a test needs decides its tier, unless it is marked: a browser, then a built site or a
# throwaway project (which builds), else it runs in-process.
BROWSER_FIXTURES = {"browser"}
BUILD_FIXTURES = {"site", "project", "builds"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        marked = [tier for tier in TIERS if item.get_closest_marker(tier)]
        if len(marked) > 1:
            raise pytest.UsageError(f"{item.nodeid} is marked {' and '.join(marked)}; a test has one tier")
        if marked:
            continue
        needs = set(getattr(item, "fixturenames", ()))
        tier = "browser" if needs & BROWSER_FIXTURES else "build" if needs & BUILD_FIXTURES else "unit"
        item.add_marker(getattr(pytest.mark, tier))


def page_as_read(site: Path, page: str) -> BeautifulSoup:
    """A built page as a reader with every collapsed block opened sees it: each block the
    build published on its own (lessonkit.page.deferred) filled from that file, as the page's
    script does."""
    path = site / page
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    for block in soup.select("details[data-lk-fragment]"):
        published = path.parent / block["data-lk-fragment"]
        main = BeautifulSoup(published.read_text(encoding="utf-8"), "html.parser").main
        block.select_one("[data-lk-fragment-slot]").replace_with(*main.contents)
    return soup
