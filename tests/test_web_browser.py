"""The web edition in Debian's Chromium, driven by Playwright: the search in three scripts from
file:// and from a local server, axe-core on the pages readers meet, no request leaving the
folder, and every page readable without JavaScript."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import BookFolder
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
AXE = Path(__file__).resolve().parents[1] / ".tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (make test installs it)")


@pytest.fixture(scope="module")
def dist(built: BookFolder) -> Path:
    """The output folder of the fixture book (fixture_book.py), built once for the session."""
    return built.dist


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server(dist: Path) -> Iterator[str]:
    """The output folder over HTTP on the loopback address, as a web host would serve it."""
    handler = functools.partial(_Quiet, directory=str(dist))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as httpd:
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
        httpd.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


def _open(browser: Browser, url: str, requests: list[str], **context: object) -> Page:
    page = browser.new_context(**context).new_page()  # type: ignore[arg-type]
    page.on("request", lambda request: requests.append(request.url))
    # A script error or a refused load (the pages' Content-Security-Policy) is a failure too.
    page.on("console", lambda message: requests.append(f"console {message.type}: {message.text}"))
    page.on("pageerror", lambda error: requests.append(f"error: {error}"))
    page.goto(url)
    return page


def _search(page: Page, query: str) -> list[str]:
    page.fill("input[type=search]", query)
    page.wait_for_function(
        "q => new URLSearchParams(location.search).get('q') === q && "
        "document.getElementById('search-status').textContent !== ''",
        arg=query,
    )
    return page.eval_on_selector_all("#search-results a", "links => links.map(a => a.getAttribute('href'))")


@pytest.mark.parametrize("where", ["file", "http"])
def test_search_in_latin_arabic_and_japanese(browser: Browser, dist: Path, server: str, where: str) -> None:
    base = (dist / "read").as_uri() if where == "file" else f"{server}/read"
    requests: list[str] = []
    page = _open(browser, f"{base}/index.html", requests)
    assert _search(page, "emile") == ["zola.html"]  # Émile Zola: case and accents ignored
    assert _search(page, "ÉMILE zol") == ["zola.html"]
    assert _search(page, "الأَشِعَّة") == ["haddad.html"]  # vowel marks and the hamza's alef ignored
    assert _search(page, "الاشعة") == ["haddad.html"]
    assert _search(page, "撮影") == ["oba.html"]  # inside ポータブル撮影装置, written without spaces
    assert _search(page, "集中治療室") == ["oba.html"]
    assert _search(page, "radiographer") == [
        "first.html",
        "ruiz.html",
        "zola.html",
        "haddad.html",
        "anon.html",
        "oba.html",
    ]
    assert _search(page, "hidden") == []  # the anonymous contributor's name is not in the index
    assert page.inner_text("#search-status") == "No entry found"
    _search(page, "撮影")
    page.click("#search-results a")
    page.wait_for_url("**/oba.html")
    assert page.locator("html").get_attribute("lang") == "ja"
    page.go_back()
    page.wait_for_function("document.querySelectorAll('#search-results a').length === 1")  # Back keeps the results
    assert all(url.startswith(base.split("/read")[0]) for url in requests), requests
    page.context.close()


def _axe(page: Page) -> list[str]:
    page.add_script_tag(content=AXE.read_text("utf-8"))  # from the test, not the page: its CSP allows no inline script
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
    )
    return [f"{v['id']}: {v['help']} ({[n['target'] for n in v['nodes']]})" for v in result["violations"]]


@pytest.mark.skipif(not AXE.is_file(), reason="needs axe-core from npm (make test installs it)")
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "name", ["index.html", "zola.html", "haddad.html", "ruiz.html", "book/contributors.html", "book/theme-1.html"]
)
def test_axe_finds_no_violation(browser: Browser, server: str, name: str, scheme: str) -> None:
    requests: list[str] = []
    page = _open(browser, f"{server}/read/{name}", requests, color_scheme=scheme, bypass_csp=True)
    if name == "index.html":
        _search(page, "night")  # the search form and its results count too
    assert _axe(page) == []
    page.context.close()


def test_pages_read_without_javascript_and_print_without_their_navigation(browser: Browser, dist: Path) -> None:
    requests: list[str] = []
    page = _open(browser, (dist / "read" / "haddad.html").as_uri(), requests, java_script_enabled=False)
    assert "كانت الممرات هادئة" in page.inner_text("article")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.eval_on_selector("nav.turn", "n => getComputedStyle(n).display") != "none"
    page.emulate_media(media="print")
    assert page.eval_on_selector("nav.turn", "n => getComputedStyle(n).display") == "none"
    page.goto((dist / "read" / "index.html").as_uri())
    assert page.locator("form.search").is_hidden()  # a search box that cannot work is not offered
    assert page.locator("a[href='zola.html']").is_visible()
    page.context.close()


@pytest.mark.parametrize("where", ["file", "http"])
def test_the_books_fonts_load_from_the_folder(browser: Browser, dist: Path, server: str, where: str) -> None:
    base = (dist / "read").as_uri() if where == "file" else f"{server}/read"
    requests: list[str] = []
    page = _open(browser, f"{base}/haddad.html", requests)
    for font in ("NotoSerif-Regular", "NotoNaskhArabic-Regular"):
        loaded = page.evaluate(
            "url => new FontFace('Test', `url(${url})`).load().then(face => face.status, error => String(error))",
            f"assets/fonts/{font}.woff2",
        )
        assert loaded == "loaded", font
    assert requests and all(url.startswith(base) for url in requests), requests
    page.context.close()


def test_right_to_left_pages_are_mirrored(browser: Browser, dist: Path) -> None:
    requests: list[str] = []
    page = _open(browser, (dist / "read" / "haddad.html").as_uri(), requests, viewport={"width": 900, "height": 800})
    box = page.locator("nav.turn li.previous").bounding_box()
    assert box is not None and box["x"] > 450  # "previous" on the right, where a right-to-left reader starts
    page.context.close()
