"""DAISY Ace on the EPUB, and the download page opened in a real browser (Debian's Chromium)."""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import os
import subprocess
import threading
from pathlib import Path

import pytest
from conftest import BookFolder
from playwright.sync_api import sync_playwright

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
ACE = ROOT / ".tools/ace/node_modules/.bin/ace-cli"
CHROMIUM = "/usr/bin/chromium"
# As root in a container Chromium needs --no-sandbox; the rest keep it off a network it cannot reach.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def run_ace(epub: Path, report: Path) -> dict[str, object]:
    assert ACE.exists(), "DAISY Ace is not installed: `make test` installs it into .tools/ace"
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": CHROMIUM}
    subprocess.run(
        [str(ACE), "--force", "--silent", "--outdir", str(report), str(epub)],
        env=env,
        check=True,
        timeout=600,
        capture_output=True,
    )
    return json.loads((report / "report.json").read_text())  # type: ignore[no-any-return]


def violations(report: dict[str, object]) -> list[str]:
    found = []
    for document in report["assertions"]:  # type: ignore[attr-defined]
        for assertion in document.get("assertions", []):
            found.append(
                f"{document['earl:testSubject']['url']}: {assertion['earl:test']['dct:title']} "
                f"({assertion['earl:test']['earl:impact']})"
            )
    return found


def test_ace_finds_no_violation(built: BookFolder, tmp_path: Path) -> None:
    report = run_ace(built.dist / "voices-of-2020.epub", tmp_path / "ace")
    assert violations(report) == []
    assert report["earl:result"] == {"earl:outcome": "pass"}
    metadata = report["a11y-metadata"]
    assert set(metadata["missing"]) <= {"a11y:certifiedBy", "a11y:certifierCredential", "a11y:certifierReport"}  # type: ignore[index]


def test_download_page_in_a_browser(built: BookFolder) -> None:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(built.dist))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    errors: list[str] = []
    downloaded = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            page = browser.new_page(accept_downloads=True)
            page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/index.html")
            assert page.title() == "Voices of 2020"
            assert page.locator("img").first.evaluate("i => i.complete && i.naturalWidth > 0")
            assert page.locator("a[href='read/index.html']").count() == 1  # the web edition
            for link in page.locator("a[download]").all():
                with page.expect_download() as download:
                    link.click()
                downloaded[link.get_attribute("href")] = Path(download.value.path()).read_bytes()
            schema = json.loads(page.locator("script[type='application/ld+json']").inner_text())
            browser.close()
    finally:
        server.shutdown()
    assert errors == []
    assert set(downloaded) == {"voices-of-2020.epub", "voices-of-2020.pdf"}
    for name, data in downloaded.items():
        assert hashlib.sha256(data).digest() == hashlib.sha256((built.dist / name).read_bytes()).digest()
    assert schema["@type"] == "Book" and schema["name"] == "Voices of 2020"
