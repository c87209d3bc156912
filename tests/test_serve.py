"""Under ``mkdocs serve``, editing a snippet re-runs only that snippet and the open page
reloads with the new output, and a failed rebuild shows its error in the browser; two
clean builds of the same commit are byte-identical."""

from __future__ import annotations

import contextlib
import filecmp
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import LESSON, mkdocs_build


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(predicate, what: str, deadline: float = 60.0) -> None:
    """Poll until ``predicate()``; a generous deadline, not a performance assertion."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what}")


@contextlib.contextmanager
def _serving(project: Path, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """``mkdocs serve --strict`` on ``project``; yields its base URL and its log file."""
    port = _free_port()
    log_path = tmp_path / "serve.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mkdocs",
                "serve",
                "--strict",
                "-f",
                str(project / "mkdocs.yml"),
                "--dev-addr",
                f"127.0.0.1:{port}",
            ],
            cwd=project,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
    try:
        _wait_for(lambda: "Serving on" in log_path.read_text(), "mkdocs serve to start")
        yield f"http://127.0.0.1:{port}/", log_path
    finally:
        server.terminate()
        server.wait(10)


@pytest.mark.browser
def test_editing_a_snippet_reruns_it_and_reloads_the_page(project: Path, tmp_path: Path, browser) -> None:
    folder = project / "snippets" / LESSON
    (folder / "serve-probe.py").write_text("print('probe version one')\n")
    (folder / "serve-probe.out").write_text("probe version one\n")
    page_md = project / "docs" / "lessons" / f"{LESSON}.md"
    page_md.write_text(page_md.read_text() + "\n{{ example serve-probe.py }}\n")

    with _serving(project, tmp_path) as (base, log_path):
        page = browser.new_page()
        page.goto(f"{base}lessons/{LESSON}/")
        assert "probe version one" in page.inner_text("article")

        (folder / "serve-probe.py").write_text("print('probe version two')\n")
        (folder / "serve-probe.out").write_text("probe version two\n")
        # No page.reload(): livereload must bring the new output in by itself.
        page.wait_for_function(
            "document.querySelector('article')?.innerText.includes('probe version two')", timeout=60_000
        )

        snippets = len(list((project / "snippets").glob("*/[!_]*.py")))  # every lesson's
        assert f"{snippets} snippets: 1 run, {snippets - 1} cached, 0 failed" in log_path.read_text()
        # One save, one rebuild: the build reading the watched files must not start another.
        time.sleep(2)
        assert log_path.read_text().count("Detected file changes") == 1
        page.close()


@pytest.mark.browser
def test_a_failed_rebuild_shows_its_error_in_the_browser_until_it_is_fixed(
    project: Path, tmp_path: Path, browser
) -> None:
    out = project / "snippets" / LESSON / "least-squares-with-rank-check.out"
    documented = out.read_text()
    with _serving(project, tmp_path) as (base, _log):
        page = browser.new_page()
        page.goto(f"{base}lessons/{LESSON}/")
        assert "least-squares-with-rank-check.py" in page.inner_text("article")

        out.write_text(documented.replace("rank", "rank (drifted)", 1))
        # No page.reload(): the open page reloads into the error page by itself.
        page.wait_for_selector("#lk-build-error", timeout=60_000)
        error = page.inner_text("#lk-build-error")
        assert f"snippets/{LESSON}/least-squares-with-rank-check.py printed output that differs" in error
        assert "rank (drifted)" in error  # the diff
        assert f"python -m lessonkit accept snippets/{LESSON}/least-squares-with-rank-check.py" in error
        other = browser.new_page()  # any page, requested while the build is broken, says so at once
        other.goto(f"{base}learn/")
        assert other.inner_text("h1") == "The site did not build"
        other.close()

        out.write_text(documented)
        page.wait_for_selector("article h1", timeout=60_000)
        assert "least-squares-with-rank-check.py" in page.inner_text("article")
        page.close()


def test_two_clean_builds_are_byte_identical(project: Path, tmp_path: Path) -> None:
    env = {"SOURCE_DATE_EPOCH": "1700000000", "LESSONKIT_NO_CACHE": "1"}
    first = mkdocs_build(project, tmp_path / "one", env=env)
    second = mkdocs_build(project, tmp_path / "two", env=env)
    assert first.ok and second.ok, first.output + second.output
    compared = filecmp.dircmp(tmp_path / "one", tmp_path / "two")
    differing: list[str] = []

    def collect(cmp: filecmp.dircmp, prefix: str = "") -> None:
        # dircmp compares shallowly by stat; compare contents to be sure.
        for name in cmp.common_files:
            if not filecmp.cmp(Path(cmp.left) / name, Path(cmp.right) / name, shallow=False):
                differing.append(prefix + name)
        differing.extend(prefix + n for n in cmp.left_only + cmp.right_only)
        for name, sub in cmp.subdirs.items():
            collect(sub, f"{prefix}{name}/")

    collect(compared)
    assert differing == []
    assert (tmp_path / "one" / "sitemap.xml.gz").exists()  # compared above like every other file


@pytest.mark.build
def test_after_an_edit_every_served_page_is_what_a_fresh_build_makes(project: Path, tmp_path: Path) -> None:
    # Under serve, pages whose inputs did not change keep their last rebuild's HTML: the
    # served site must still equal a clean build of the edited project, page for page.
    import re
    import urllib.request

    folder = project / "snippets" / LESSON
    (folder / "serve-probe.py").write_text("print('probe version one')\n")
    (folder / "serve-probe.out").write_text("probe version one\n")
    page_md = project / "docs" / "lessons" / f"{LESSON}.md"
    page_md.write_text(page_md.read_text() + "\n{{ example serve-probe.py }}\n")

    def fetch(url: str) -> str:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.read().decode("utf-8")
        except OSError:
            return ""

    pages = ["", "learn/", f"lessons/{LESSON}/", "lessons/logistic-regression-and-metrics/"]
    pages += [f"notebooks/{LESSON}/", "notebooks/logistic-regression-and-metrics/"]
    with _serving(project, tmp_path) as (base, log_path):
        _wait_for(lambda: "probe version one" in fetch(f"{base}lessons/{LESSON}/"), "the first build")
        (folder / "serve-probe.py").write_text("print('probe version two')\n")
        (folder / "serve-probe.out").write_text("probe version two\n")
        _wait_for(lambda: "probe version two" in fetch(f"{base}lessons/{LESSON}/"), "the rebuild")
        served = {url: fetch(base + url) for url in pages}
        # A notebook page's stylesheet, figures and script are files of the served site too.
        assets = sorted(
            {
                uri
                for url in pages
                for uri in re.findall(r'(?:href|src)="(?:\.\./)*(assets/notebooks/[^"]+)"', served[url])
            }
        )
        served_assets = {uri: fetch(base + uri) for uri in assets}
        # Unchanged pages keep their search entries too: the index is still the whole site's.
        served_index = fetch(base + "search/search_index.json")
        site_url = base
        # The other lesson and the home and learn pages did not change: their HTML was reused.
        log = log_path.read_text()
        assert "lessonkit: 3 page(s) unchanged since the last rebuild kept their HTML" in log
        # The edited lesson's notebook page was rendered while the other pages were built.
        assert "lessonkit: 1 notebook page(s) rendered by a side process during the build" in log

    built = tmp_path / "built"
    result = mkdocs_build(project, built, env={"SITE_URL": site_url})
    assert result.ok, result.output

    def article(html: str) -> str:
        found = re.search(r"<article\b.*?</article>", html, re.DOTALL)
        assert found, html[:500]
        return found[0]

    for url in pages:
        assert article(served[url]) == article((built / url / "index.html").read_text()), url
    assert served_index == (built / "search" / "search_index.json").read_text()
    assert any(uri.endswith(".css") for uri in assets) and any(uri.endswith(".svg") for uri in assets)
    assert served_assets == {uri: (built / uri).read_text() for uri in assets}
    assert "probe version two" in served_index
