"""Publishing: the deploy workflow runs the README's commands before it publishes; the site
works at a domain root and under a project sub-path; every page carries its own title,
description, canonical URL and preview card; the site has a sitemap, robots.txt, llms.txt and
a helpful 404 page; search works offline; and the lesson prints as a clean document."""

from __future__ import annotations

import functools
import gzip
import http.server
import re
import shutil
import struct
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import LESSON, ROOT, mkdocs_build

from lessonkit.outputs import publish

ROOT_URL = "https://lessons.example.org/"
SUB_URL = "https://example.github.io/executable-lessons/"
WORKFLOW = ROOT / ".github" / "workflows" / "deploy.yml"
LESSON_PAGE = f"lessons/{LESSON}/index.html"
UPLOAD_ACTION = "actions/upload-pages-artifact@"
ZIZMOR = str(Path(sys.executable).with_name("zizmor"))  # installed beside Python by requirements.lock


# --- Helpers -------------------------------------------------------------------------------


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _front_matter(page: Path) -> dict:
    text = page.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n", 2)[1])


def _meta(soup: BeautifulSoup, key: str) -> str:
    tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
    assert tag is not None, f"no <meta> {key}"
    return tag["content"]


def _html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def _page_url(site: Path, page: Path, site_url: str) -> str:
    """The address a built page is served at. The 404 page is served for any missing
    address, so it is checked from deep inside the site, where relative links would break."""
    rel = page.relative_to(site).as_posix()
    if rel == "404.html":
        return site_url + "no/such/page/"
    return site_url + rel.removesuffix("index.html")


def _built_file(site: Path, site_url: str, url: str) -> Path | None:
    """The built file an absolute URL on this site names, or None if there is none."""
    parsed, base = urlparse(url), urlparse(site_url)
    path = unquote(parsed.path)
    if parsed.netloc != base.netloc or not path.startswith(base.path):
        return None
    target = site / path[len(base.path) :]
    if target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


# Elements that make a browser fetch something as it renders the page (links to follow don't).
RESOURCE_ATTRIBUTES = [
    ("script", "src"),
    ("img", "src"),
    ("img", "srcset"),
    ("source", "src"),
    ("source", "srcset"),
    ("iframe", "src"),
    ("video", "src"),
    ("audio", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("link", "href"),
]
NAVIGATION_RELS = {"canonical", "alternate"}


def _references(soup: BeautifulSoup) -> Iterator[tuple[str, bool]]:
    """(url, is_a_resource_load) for every href/src/srcset/data in a page."""
    for tag_name, attribute in RESOURCE_ATTRIBUTES:
        for tag in soup.find_all(tag_name, attrs={attribute: True}):
            resource = tag_name != "link" or not NAVIGATION_RELS & set(tag.get("rel", []))
            values = tag[attribute].split(",") if attribute == "srcset" else [tag[attribute]]
            for value in values:
                yield value.strip().split(" ")[0], resource
    for tag in soup.find_all("a", href=True):
        yield tag["href"], False


def _unresolved_references(site: Path, site_url: str) -> tuple[list[str], list[str]]:
    """(local references that name no built file, resources loaded from another host)."""
    broken, external = [], []
    for page in _html_pages(site):
        where = page.relative_to(site).as_posix()
        base = _page_url(site, page, site_url)
        for value, resource in _references(_soup(page)):
            if not value or value.startswith(("#", "mailto:", "tel:", "data:", "javascript:")):
                continue
            url = urljoin(base, value)
            if urlparse(url).netloc != urlparse(site_url).netloc:
                if resource:
                    external.append(f"{where}: {value}")
                continue
            if _built_file(site, site_url, url) is None:
                broken.append(f"{where}: {value}")
    for stylesheet in sorted(site.rglob("*.css")):
        where = stylesheet.relative_to(site).as_posix()
        base = site_url + where
        for value in _stylesheet_loads(stylesheet.read_text(encoding="utf-8")):
            url = urljoin(base, value)
            if urlparse(url).netloc != urlparse(site_url).netloc:
                external.append(f"{where}: {value}")
            elif _built_file(site, site_url, url) is None:
                broken.append(f"{where}: {value}")
    return broken, external


def _stylesheet_loads(css: str) -> list[str]:
    """Every url() a stylesheet names (a @font-face `src:` list included, fallbacks and all: a
    browser may fetch any of them, and a link checker follows each)."""
    return [u for u in re.findall(r"url\(\s*['\"]?([^'\")]+)", css) if not u.startswith("data:")]


def _documentation_pages() -> list[tuple[Path, str]]:
    """(source, built page) for every page under docs/, with MkDocs' directory URLs."""
    pages = []
    for source in sorted((ROOT / "docs").rglob("*.md")):
        rel = source.relative_to(ROOT / "docs").with_suffix("")
        folder = rel.parent if rel.name == "index" else rel
        pages.append((source, (folder / "index.html").as_posix()))
    return pages


def _lessons_in_nav() -> list[str]:
    """Lesson page sources (relative to docs/) in nav order, read from mkdocs.yml."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    return re.findall(r":\s*(lessons/[\w.-]+\.md)\s*$", text, flags=re.MULTILINE)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The real site built for a domain root and for a project sub-path."""
    sites = {}
    for name, url in (("root", ROOT_URL), ("sub", SUB_URL)):
        out = tmp_path_factory.mktemp(f"site-{name}") / "site"
        result = mkdocs_build(ROOT, out, env={"SITE_URL": url})
        assert result.ok, result.output
        sites[url] = out
    return sites


both_addresses = pytest.mark.parametrize("site_url", [ROOT_URL, SUB_URL], ids=["root", "sub-path"])


# --- 1. The deploy workflow ----------------------------------------------------------------


def _readme_commands() -> dict[str, str]:
    """The README's commands: the two in "Two commands" (keyed by what their comment says they
    do) and the build command after "To build without serving"."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Two commands", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.DOTALL)[1]
    commands = {}
    for line in block.splitlines():
        command, _, comment = line.partition("#")
        commands["test" if "test suite" in comment else "serve"] = command.strip()
    commands["build"] = re.search(r"To build without serving: `([^`]+)`", readme)[1]
    return commands


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def _steps(job: str) -> list[dict]:
    return _workflow()["jobs"][job]["steps"]


def _run_lines(steps: list[dict]) -> list[str]:
    return [line.strip() for step in steps for line in step.get("run", "").splitlines() if line.strip()]


def test_readme_names_a_test_a_serve_and_a_build_command() -> None:
    commands = _readme_commands()
    assert set(commands) == {"test", "serve", "build"}
    assert commands["test"].startswith("bash scripts/")
    assert "--strict" in commands["build"]


def test_workflow_publishes_on_push_to_main() -> None:
    workflow = _workflow()
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["branches"] == ["main"]


def test_workflow_runs_the_readme_test_then_build_command_and_only_then_uploads() -> None:
    commands = _readme_commands()
    steps = _steps("build")
    runs = _run_lines(steps)
    assert commands["test"] in runs and commands["build"] in runs
    assert commands["serve"] not in runs
    # Installs only as the README does: its commands bootstrap .venv and node_modules.
    assert not [line for line in runs if re.search(r"\bpip\b|\bnpm\b|playwright install", line)]
    order = [
        next(i for i, s in enumerate(steps) if s.get("run", "").strip() == commands["test"]),
        next(i for i, s in enumerate(steps) if s.get("run", "").strip() == commands["build"]),
        next(i for i, s in enumerate(steps) if s.get("uses", "").startswith(UPLOAD_ACTION)),
    ]
    assert order == sorted(order), "test, then build, then upload"
    assert not any("continue-on-error" in step or "if" in step for step in steps), "no step may be skipped"


def test_workflow_deploys_only_after_the_build_job_and_uploads_what_mkdocs_built() -> None:
    workflow = _workflow()
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert deploy["environment"]["name"] == "github-pages"
    upload = next(s for s in _steps("build") if s.get("uses", "").startswith(UPLOAD_ACTION))
    configured = re.search(r"^site_dir:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    assert upload["with"]["path"] == (configured[1] if configured else "site")  # MkDocs' default


def test_workflow_builds_for_the_pages_address() -> None:
    commands = _readme_commands()
    steps = _steps("build")
    pages = next(s for s in steps if s.get("uses", "").startswith("actions/configure-pages@"))
    build = next(s for s in steps if s.get("run", "").strip() == commands["build"])
    assert build["env"]["SITE_URL"] == "${{ steps." + pages["id"] + ".outputs.base_url }}/"
    assert "SITE_URL" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")


def test_workflow_permissions_are_the_least_each_job_needs() -> None:
    workflow = _workflow()
    assert workflow["permissions"] == {}
    assert workflow["jobs"]["build"]["permissions"] == {"contents": "read"}
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_workflow_actions_are_pinned_to_commit_shas_with_their_tag() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    uses = re.findall(r"uses:\s*(\S+)(.*)", text)
    assert len(uses) >= 6
    for action, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), action
        assert re.fullmatch(r"\s*# v\d+(\.\d+)*", comment), f"{action}: name the release tag"


def test_workflow_caches_pip_and_npm_downloads_keyed_by_the_lock_files() -> None:
    steps = {s["uses"].split("@")[0]: s for s in _steps("build") if "uses" in s}
    python = steps["actions/setup-python"]["with"]
    node = steps["actions/setup-node"]["with"]
    assert python["cache"] == "pip" and python["cache-dependency-path"] == "requirements.lock"
    assert node["cache"] == "npm" and node["cache-dependency-path"] == "package-lock.json"
    assert (ROOT / python["cache-dependency-path"]).is_file()
    assert (ROOT / node["cache-dependency-path"]).is_file()
    assert python["python-version"] == "3.11" and node["node-version"] == "20"


def test_workflow_keeps_the_snippet_cache_keyed_by_the_environment_and_restored_before_the_tests() -> None:
    steps = _steps("build")
    names = [s.get("name") for s in steps]
    (cache,) = [s for s in steps if s.get("uses", "").startswith("actions/cache@")]
    assert cache["with"]["path"] == ".cache/lessonkit"
    key, fallback = cache["with"]["key"], cache["with"]["restore-keys"]
    assert "hashFiles('requirements.lock', 'package-lock.json')" in key and "py3.11" in key
    assert key.startswith(fallback), "a newer commit starts from the latest cache of the same environment"
    assert names.index(cache["name"]) < names.index("Test")


def test_workflow_passes_zizmor_audits_offline() -> None:
    """zizmor (a GitHub Actions linter and security auditor) checks syntax, schema, pinning,
    permissions, template injection and credential persistence."""
    run = subprocess.run(
        [ZIZMOR, "--offline", "--persona=pedantic", "--no-progress", str(WORKFLOW)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "No findings" in run.stdout


# --- 2. Works at a domain root and under a sub-path ----------------------------------------


@both_addresses
def test_every_local_link_and_resource_names_a_built_file(builds: dict[str, Path], site_url: str) -> None:
    broken, _ = _unresolved_references(builds[site_url], site_url)
    assert broken == []


@both_addresses
def test_no_page_loads_anything_from_another_host(builds: dict[str, Path], site_url: str) -> None:
    _, external = _unresolved_references(builds[site_url], site_url)
    assert external == []


def test_link_checker_catches_a_404_page_built_for_the_wrong_address(
    builds: dict[str, Path], tmp_path: Path
) -> None:
    """The check above can fail: the root build's 404 page, served under a sub-path, breaks."""
    site = tmp_path / "site"
    shutil.copytree(builds[ROOT_URL], site)
    broken, _ = _unresolved_references(site, SUB_URL)
    assert broken and all(line.startswith("404.html: /") for line in broken)


@both_addresses
def test_absolute_urls_name_the_configured_address_and_resolve(builds: dict, site_url: str) -> None:
    site = builds[site_url]
    for page in [site / "index.html", site / LESSON_PAGE]:
        soup = _soup(page)
        urls = [soup.find("link", rel="canonical")["href"]]
        urls += [_meta(soup, key) for key in ("og:url", "og:image", "twitter:image")]
        for url in urls:
            assert url.startswith(site_url), url
            assert _built_file(site, site_url, url) is not None, url


# --- 3. Discoverable and shareable ---------------------------------------------------------


def test_each_page_has_its_own_title_description_and_sharing_tags(site: Path) -> None:
    for source, built in _documentation_pages():
        front = _front_matter(source)
        soup = _soup(site / built)
        assert soup.title.get_text().startswith(front["title"]), built
        assert _meta(soup, "description") == front["description"], built
        assert _meta(soup, "og:title") == _meta(soup, "twitter:title") == front["title"], built
        assert _meta(soup, "og:description") == _meta(soup, "twitter:description") == front["description"]
        assert _meta(soup, "twitter:card") == "summary_large_image"
        assert _meta(soup, "og:image:width") == "1200" and _meta(soup, "og:image:height") == "630"
        assert _meta(soup, "og:image:alt")
        assert _meta(soup, "og:url") == soup.find("link", rel="canonical")["href"]
    assert _meta(_soup(site / LESSON_PAGE), "og:type") == "article"
    assert _meta(_soup(site / "index.html"), "og:type") == "website"


def test_without_a_figure_card_pages_share_the_card_the_build_draws(builds: dict[str, Path]) -> None:
    cards = []
    for site_url, site in builds.items():
        # The home page has no figure; the lesson's first figure draws the lesson's own card.
        assert _meta(_soup(site / "index.html"), "og:image") == site_url + publish.DEFAULT_CARD_URI
        lesson_card = _meta(_soup(site / LESSON_PAGE), "og:image")
        assert lesson_card == f"{site_url}assets/figures/{LESSON}/figure-fitted-line/card.png"
        png = (site / publish.DEFAULT_CARD_URI).read_bytes()
        assert publish.png_size(png) == publish.CARD_SIZE
        assert b"tEXt" not in png and b"tIME" not in png, "no metadata, no date"
        cards.append(png)
    assert cards[0] == cards[1], "drawn the same way every build"
    assert not list((ROOT / "docs").rglob("*.png")), "the card is drawn, not committed"


FAKE_FIGURE = '''\
"""A stand-in figure: writes light.svg, dark.svg and a card.png of one colour."""
import struct
import zlib

WIDTH, HEIGHT = 1200, 630


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


pixels = (b"\\x00" + bytes([200, 60, 60]) * WIDTH) * HEIGHT
png = b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0))
png += chunk(b"IDAT", zlib.compress(pixels)) + chunk(b"IEND", b"")
open("card.png", "wb").write(png)
for name in ("light.svg", "dark.svg"):
    open(name, "w").write('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
print(f"card {WIDTH}x{HEIGHT}")
'''


def _add_fake_figure(project: Path, width: int = 1200) -> bytes:
    """A figure snippet that draws a card, used by the lesson page; returns the card's bytes."""
    folder = project / "snippets" / LESSON
    source = FAKE_FIGURE.replace("WIDTH, HEIGHT = 1200", f"WIDTH, HEIGHT = {width}")
    (folder / "figure-test.py").write_text(source, encoding="utf-8")
    (folder / "figure-test.out").write_text(f"card {width}x630\n", encoding="utf-8")
    page = project / "docs" / "lessons" / f"{LESSON}.md"
    # Named before the lesson's own figures, so it is the lesson's first figure.
    heading = "# Linear Regression from Scratch\n"
    mention = heading + "\nThe test card is {{ value figure-test.py card }} pixels.\n"
    page.write_text(page.read_text(encoding="utf-8").replace(heading, mention, 1), encoding="utf-8")
    scratch = project / "scratch"
    scratch.mkdir()
    subprocess.run([sys.executable, str(folder / "figure-test.py")], cwd=scratch, check=True)
    return (scratch / "card.png").read_bytes()


def test_a_lessons_first_figure_card_becomes_its_preview_image(project: Path, tmp_path: Path) -> None:
    card = _add_fake_figure(project)
    result = mkdocs_build(project, tmp_path / "site", env={"SITE_URL": SUB_URL})
    assert result.ok, result.output
    site = result.site
    uri = f"assets/figures/{LESSON}/figure-test/card.png"
    lesson = _soup(site / LESSON_PAGE)
    assert _meta(lesson, "og:image") == _meta(lesson, "twitter:image") == SUB_URL + uri
    assert (site / uri).read_bytes() == card
    assert _meta(lesson, "og:image:alt") == "The first figure of Linear Regression from Scratch"
    # Pages that are not lessons keep the site's own card.
    assert _meta(_soup(site / "index.html"), "og:image") == SUB_URL + publish.DEFAULT_CARD_URI


def test_a_figure_card_of_the_wrong_size_fails_the_build_naming_the_snippet(
    project: Path, tmp_path: Path
) -> None:
    _add_fake_figure(project, width=1000)
    result = mkdocs_build(project, tmp_path / "site")
    assert not result.ok
    assert (
        f"snippets/{LESSON}/figure-test.py: its card.png is 1000x630; "
        "a social preview card must be a 1200x630 PNG"
    ) in result.output
    assert not (tmp_path / "site").exists()


def test_a_page_without_a_description_fails_the_build_naming_it(project: Path, tmp_path: Path) -> None:
    page = project / "docs" / "lessons" / f"{LESSON}.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(re.sub(r"^description:.*\n", "", text, count=1, flags=re.MULTILINE), encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    assert not result.ok
    assert f"lessons/{LESSON}.md: the front matter needs a `description:`" in result.output


@both_addresses
def test_sitemap_lists_each_page_canonically_with_no_build_date(builds: dict, site_url: str) -> None:
    site = builds[site_url]
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    # Every page: those written under docs/ and each lesson's generated notebook page.
    notebooks = [f"notebooks/{Path(lesson).stem}/index.html" for lesson in _lessons_in_nav()]
    pages = [_soup(site / built) for built in [b for _, b in _documentation_pages()] + notebooks]
    canonical = [page.find("link", rel="canonical")["href"] for page in pages]
    assert sorted(locations) == sorted(canonical)
    assert "lastmod" not in sitemap
    packed = (site / "sitemap.xml.gz").read_bytes()
    assert gzip.decompress(packed).decode("utf-8") == sitemap
    assert struct.unpack("<I", packed[4:8])[0] == 0, "gzip header carries no timestamp"


@both_addresses
def test_robots_txt_points_crawlers_to_the_sitemap(builds: dict[str, Path], site_url: str) -> None:
    robots = (builds[site_url] / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *\nAllow: /\n" in robots
    sitemap = re.search(r"^Sitemap: (\S+)$", robots, re.MULTILINE)[1]
    assert sitemap == site_url + "sitemap.xml"
    assert _built_file(builds[site_url], site_url, sitemap) is not None


@both_addresses
def test_llms_txt_lists_every_lesson_with_its_plain_markdown(builds: dict[str, Path], site_url: str) -> None:
    site = builds[site_url]
    text = (site / "llms.txt").read_text(encoding="utf-8")
    config_name = re.search(r"^site_name: (.+)$", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)[1]
    assert text.startswith(f"# {config_name}\n\n> ")
    lessons = text.split("## Lessons\n", 1)[1]
    links = re.findall(r"^- \[([^\]]+)\]\((\S+)\): (.+)$", lessons, re.MULTILINE)
    expected = _lessons_in_nav()
    assert len(links) == len(expected) >= 1
    for (title, url, description), source in zip(links, expected, strict=True):
        front = _front_matter(ROOT / "docs" / source)
        assert (title, description) == (front["title"], front["description"])
        assert url == site_url + source
        export = _built_file(site, site_url, url)
        assert export is not None and export.read_text(encoding="utf-8").startswith(f"# {title}\n")


@both_addresses
def test_404_page_links_home_and_every_lesson(builds: dict[str, Path], site_url: str) -> None:
    site = builds[site_url]
    article = _soup(site / "404.html").select_one("article")
    assert article.h1.get_text() == "Page not found"
    targets = {
        _built_file(site, site_url, urljoin(site_url + "deep/missing/page/", a["href"]))
        for a in article.find_all("a", href=True)
    }
    assert site / "index.html" in targets
    for source in _lessons_in_nav():
        assert site / source.removesuffix(".md") / "index.html" in targets


# --- Browser: the site served under a sub-path, search, print ------------------------------


class _PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Serves like GitHub Pages for a project site: files under /<repo>/, 404.html otherwise."""

    prefix = "/"

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "no-such-file")
        return super().translate_path("/" + path[len(self.prefix) :])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404:
            return super().send_error(code, message, explain)
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def pages_server(builds: dict[str, Path]) -> Iterator[str]:
    """The sub-path build served at http://127.0.0.1:<port>/executable-lessons/."""
    prefix = urlparse(SUB_URL).path
    handler = type("Handler", (_PagesHandler,), {"prefix": prefix})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(builds[SUB_URL]))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}{prefix}"
    server.shutdown()


@pytest.fixture
def new_page(browser):
    contexts = []

    def make(**options):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
        contexts.append(context)
        page = context.new_page()
        page.failures = []  # requests that failed or answered with an error
        page.hosts = set()
        page.on("request", lambda request: page.hosts.add(urlparse(request.url).hostname))
        page.on("requestfailed", lambda request: page.failures.append(request.url))
        page.on(
            "response",
            lambda response: (
                page.failures.append(f"{response.status} {response.url}")
                if response.status >= 400 and response.request.resource_type != "document"
                else None
            ),
        )
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.mark.browser
def test_under_a_sub_path_a_missing_page_shows_the_styled_404_with_working_links(
    new_page, pages_server: str
) -> None:
    page = new_page()
    response = page.goto(pages_server + "some/old/address/")
    assert response.status == 404
    page.wait_for_load_state("networkidle")
    assert page.locator("article h1").inner_text() == "Page not found"
    # Styled by the theme: the header is laid out as a bar, not as unstyled text.
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
    assert page.failures == []
    page.locator("article a", has_text="Linear Regression from Scratch").click()
    page.wait_for_load_state("networkidle")
    assert page.url == pages_server + f"lessons/{LESSON}/"
    assert page.title().startswith("Linear Regression from Scratch")
    assert page.failures == []
    assert page.hosts == {"127.0.0.1"}


@pytest.mark.browser
@pytest.mark.parametrize(
    "query, found_in",
    [
        ("normal equation", "lesson text"),
        ("lstsq", "code"),
        ("latency_range", "output"),
    ],
)
def test_search_finds_the_lesson_offline_under_a_sub_path(
    new_page, pages_server: str, query: str, found_in: str
) -> None:
    page = new_page()
    page.goto(pages_server)
    page.wait_for_load_state("networkidle")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query, delay=20)  # fill() does not trigger mkdocs-material's search
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    hrefs = page.locator(".md-search-result__item a").evaluate_all("links => links.map(a => a.href)")
    assert any(href.startswith(pages_server + f"lessons/{LESSON}/") for href in hrefs), found_in
    assert page.hosts == {"127.0.0.1"}
    assert page.failures == []


def _print_to_pdf(page, url: str, path: Path) -> Path:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready")
    page.pdf(path=str(path), format="A4")
    return path


def _pdf_text(pdf: Path) -> str:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def _normalised(text: str) -> str:
    return " ".join(text.split())


def _solutions(site: Path) -> list[str]:
    """The opening words of each collapsible block's body, as the page has them: its first
    paragraph, or for a block of code alone the code's title. A figure's script is left out:
    on paper the figure stands for it."""
    soup = _soup(site / LESSON_PAGE)
    answers = []
    for details in soup.select("article details:not(.lk-figure-source)"):
        opening = details.find("p") or details.select_one("span.filename")
        words = _normalised(opening.get_text()).split()
        answers.append(" ".join(words[:6]))
    return answers


@pytest.mark.browser
def test_printed_lesson_is_a_clean_document(new_page, site: Path, serve, tmp_path: Path) -> None:
    pdf = _print_to_pdf(new_page(), serve(site) + f"lessons/{LESSON}/", tmp_path / "lesson.pdf")
    pages = int(re.search(r"^Pages:\s+(\d+)$", subprocess.check_output(["pdfinfo", pdf], text=True), re.M)[1])
    # About 22 A4 pages today; far fewer means content was lost, far more means chrome or blank pages.
    assert 12 <= pages <= 40
    text = _pdf_text(pdf)
    assert text.startswith("Linear Regression from Scratch")
    soup = _soup(site / LESSON_PAGE)
    for link in soup.select(".headerlink"):
        link.decompose()
    for heading in soup.select("article h2"):
        if not heading.select(".katex"):
            assert _normalised(heading.get_text()) in text
    solutions = _solutions(site)
    assert len(solutions) >= 4
    for opening in solutions:
        assert opening in text, f"solution not printed: {opening}"
    for chrome in ("Skip to content", "Table of contents", "Made with", "Download as Markdown"):
        assert chrome not in text
    # Math printed with KaTeX's fonts, embedded in the PDF.
    fonts = subprocess.check_output(["pdffonts", pdf], text=True)
    assert "KaTeX_Main" in fonts and "KaTeX_Math" in fonts
    # No blank pages: every page rendered by pdftoppm has ink on it.
    subprocess.run(["pdftoppm", "-r", "30", "-gray", str(pdf), str(tmp_path / "page")], check=True)
    renders = sorted(tmp_path.glob("page-*.pgm"))
    assert len(renders) == pages
    for render in renders:
        pixels = render.read_bytes().split(b"\n", 3)[3]
        assert min(pixels) < 128, f"{render.name} is blank"  # a blank page is white (255) throughout


@pytest.mark.browser
def test_solutions_print_open_even_with_javascript_off(new_page, site: Path, serve, tmp_path: Path) -> None:
    page = new_page(java_script_enabled=False)
    text = _pdf_text(_print_to_pdf(page, serve(site) + f"lessons/{LESSON}/", tmp_path / "no-js.pdf"))
    for opening in _solutions(site):
        assert opening in text


@pytest.mark.browser
def test_dark_mode_prints_in_the_light_palette_and_comes_back_dark(
    new_page, site: Path, serve, tmp_path: Path
) -> None:
    page = new_page(color_scheme="dark")
    page.goto(serve(site) + f"lessons/{LESSON}/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    # Registered after the site's own listener, so it sees the scheme the page is printed in.
    page.evaluate(
        "addEventListener('beforeprint', () => { window.printed = document.body.dataset.mdColorScheme })"
    )
    page.pdf(path=str(tmp_path / "dark.pdf"), format="A4")
    assert page.evaluate("window.printed") == "default"
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"


@pytest.mark.unit
def test_the_default_card_is_a_card_sized_png_without_metadata_drawn_the_same_every_time() -> None:
    card = publish.default_card("Executable ML", "Every number computed by the build.")
    assert publish.png_size(card) == publish.CARD_SIZE
    # Drawn again, not taken from default_card's in-process cache.
    assert card == publish.default_card.__wrapped__("Executable ML", "Every number computed by the build.")
    assert card != publish.default_card("Another site", "Every number computed by the build.")
    chunks, at = [], 8
    while at < len(card):
        length, kind = struct.unpack(">I4s", card[at : at + 8])
        chunks.append(kind)
        at += 12 + length
    assert not {b"tEXt", b"iTXt", b"zTXt", b"tIME"} & set(chunks), chunks  # no software name, no date
