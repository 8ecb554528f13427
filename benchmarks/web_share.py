"""The web edition's share of a cold build: its pages, search index and pictures made and
published, against the whole build of the same book.

    python benchmarks/web_share.py [--entries 140] [--photos 60] [--runs 3]

The cold build is `make-book build --no-cache` into an empty folder (median of the runs); the web
edition is timed in one process on the same book, from the rendered book to its files written
under read/ the way publish() writes them (each synced to disk), median of the runs.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import write_corpus

from ebook.options import Options
from ebook.pipeline import load_book
from ebook.publish.outputs import locked, publish
from ebook.render.cover import cover_image
from ebook.render.pictures import ImageJobs
from ebook.render.views import render_book
from ebook.web.edition import web_edition, web_site


def cold_build(book: Path, out: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "ebook", "build", "--no-cache", "--config", str(book / "book.yaml"), "--out", str(out)],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def web_alone(book: Path, out: Path) -> tuple[float, int, int, int]:
    """Seconds, files, bytes in all, bytes of the search index."""
    loaded, layouts, problems = load_book(Options((book / "book.yaml").absolute(), "book.yaml"))
    assert loaded is not None and layouts is not None, problems
    with ImageJobs([p.source for e in loaded.entries for p in e.photos], None) as jobs:
        images = {source: jobs.image(source) for source in jobs.plans}
        assert not jobs.failures()  # every picture ready, as they are when the build gets there
        rendered = render_book(loaded, images, cover_image(loaded.config, None))
        start = time.perf_counter()
        files = web_edition(web_site(rendered, layouts, (), None))
        with locked(out):
            publish(out, {f"read/{name}": data for name, data in files.items()}, {})
        seconds = time.perf_counter() - start
    return seconds, len(files), sum(map(len, files.values())), len(files["assets/search-index.js"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=140)
    parser.add_argument("--photos", type=int, default=0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        book = Path(folder) / "book"
        write_corpus(book, args.entries, args.photos, 12, 0.05)
        builds, webs = [], []
        for run in range(args.runs):
            builds.append(cold_build(book, Path(folder) / f"dist-{run}"))
            seconds, files, size, index = web_alone(book, Path(folder) / f"web-{run}")
            webs.append(seconds)
    build, web = statistics.median(builds), statistics.median(webs)
    print(f"{args.entries} entries, {args.photos} photos, median of {args.runs} runs")
    print(f"cold build (web edition included)  {build:6.2f} s")
    print(f"web edition alone                  {web:6.2f} s  ({100 * web / build:.1f} % of the cold build)")
    print(f"web edition: {files} files, {size / 2**20:.1f} MiB; search index {index / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
