"""The time from a saved edit to the page showing it, with make-book serve running for real.

    python benchmarks/serve_latency.py [BOOK_FOLDER] [--saves 15] [--browser]

The book (by default the sample book beside this folder: book.yaml and submissions/) is copied to
a temporary folder, never edited in place. serve starts on a free port of 127.0.0.1; then, for
each save, one entry's text gets a new first line and the clock runs from just before the file is
written until:
- without --browser: the page's event stream (/__make-book/events) has announced the reload and
  the entry's page, fetched again, holds the new line: what a browser waits for, less drawing;
- with --browser: the entry's page, open in Chromium (Playwright, /usr/bin/chromium), has
  reloaded itself with the new line and finished loading (the page's own clock, its load event).
Entries are taken in turn across the book. Prints each save's time, then the median and the most.
"""

from __future__ import annotations

import argparse
import http.client
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1]


def start(folder: Path) -> tuple[subprocess.Popen[str], int]:
    process = subprocess.Popen(
        [sys.executable, "-m", "ebook", "serve", "--port", "0"],
        cwd=folder,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    for line in process.stderr:
        if found := re.search(r"serving the web edition at http://127\.0\.0\.1:(\d+)/", line):
            return process, int(found[1])
        print(line, end="", file=sys.stderr)
    raise SystemExit("make-book serve did not start")


def get(port: int, path: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    body = connection.getresponse().read().decode()
    connection.close()
    return body


def version_of(page: str) -> int:
    found = re.search(r'data-version="(\d+)"', page)
    assert found, "the page has no reload script"
    return int(found[1])


def entry_files(folder: Path, port: int, count: int) -> list[tuple[Path, str]]:
    """(submission file, page path) for entries spread across the book, by the contents' links."""
    contents = get(port, "/index.html")
    pages = list(dict.fromkeys(re.findall(r'href="([^"/]+\.html)"', contents)))
    found = []
    for page in pages:
        name = page.removesuffix(".html")
        files = list((folder / "submissions").rglob(f"{name}.yaml"))
        if len(files) == 1 and "\nbody: |\n" in files[0].read_text("utf-8"):
            found.append((files[0], f"/{page}"))
    step = max(1, len(found) // count)
    return found[::step][:count]


def save(path: Path, marker: str) -> None:
    text = path.read_text("utf-8")
    path.write_text(text.replace("\nbody: |\n", f"\nbody: |\n  {marker}\n\n", 1), "utf-8")


def over_http(port: int, targets: list[tuple[Path, str]]) -> list[float]:
    times = []
    for n, (path, page) in enumerate(targets):
        marker = f"Saved edit number {n} for the benchmark."
        since = version_of(get(port, page))
        events = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        events.request("GET", f"/__make-book/events?since={since}")
        stream = events.getresponse()
        start = time.perf_counter()
        save(path, marker)
        while not stream.readline().startswith(b"event: reload"):
            pass
        shown = marker in get(port, page)
        elapsed = time.perf_counter() - start
        events.close()
        assert shown, f"{page} does not show the edit"
        times.append(elapsed)
        print(f"{page}: {elapsed * 1000:.0f} ms")
        time.sleep(0.3)  # an editor does not save twice in the same instant
    return times


def in_browser(port: int, targets: list[tuple[Path, str]]) -> list[float]:
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        tab = browser.new_page()
        for n, (path, page) in enumerate(targets):
            marker = f"Saved edit number {n} for the benchmark."
            tab.goto(f"http://127.0.0.1:{port}{page}")
            tab.wait_for_function("() => document.readyState === 'complete'")
            time.sleep(0.2)  # the event stream connects
            saved = time.time() * 1000
            save(path, marker)
            shows = "m => document.body && document.body.innerText.includes(m)"
            tab.wait_for_function(shows, arg=marker, timeout=10000)
            # The page's own clock: when the reloaded page had loaded (its stylesheet too), so that
            # the time Playwright takes to notice is not counted.
            loaded = tab.evaluate(
                "() => performance.timeOrigin + performance.getEntriesByType('navigation')[0].loadEventEnd"
            )
            elapsed = (loaded - saved) / 1000
            times.append(elapsed)
            print(f"{page}: {elapsed * 1000:.0f} ms")
            time.sleep(0.3)
        browser.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("book", nargs="?", type=Path, default=SAMPLE)
    parser.add_argument("--saves", type=int, default=15)
    parser.add_argument("--browser", action="store_true", help="measure in Chromium, the page reloading itself")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="serve-latency-") as temporary:
        folder = Path(temporary) / "book"
        folder.mkdir()
        shutil.copy2(args.book / "book.yaml", folder / "book.yaml")
        shutil.copytree(args.book / "submissions", folder / "submissions")
        if (args.book / "layouts").is_dir() and args.book != SAMPLE:  # the sample's layouts/ is the built-in one
            shutil.copytree(args.book / "layouts", folder / "layouts")
        began = time.perf_counter()
        process, port = start(folder)
        print(f"serve started, first edition made: {time.perf_counter() - began:.2f} s")
        try:
            targets = entry_files(folder, port, args.saves)
            times = (in_browser if args.browser else over_http)(port, targets)
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=10)
    how = "in Chromium" if args.browser else "over HTTP (event, then the page fetched)"
    print(
        f"save -> page showing it, {how}: median {statistics.median(times) * 1000:.0f} ms, "
        f"most {max(times) * 1000:.0f} ms, least {min(times) * 1000:.0f} ms, {len(times)} saves"
    )


if __name__ == "__main__":
    main()
