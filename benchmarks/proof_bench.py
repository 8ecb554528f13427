"""make-book proof against a cold build of the same book: one proof, and all proofs (--all).

    python benchmarks/proof_bench.py [--runs 3] [--book /work/main] [--entry ID]

Each run makes fresh copies of the book (book.yaml, submissions/, its own layouts/ if any) and times, in
turn, as the command line runs them:
  cold build        make-book build --no-cache into an empty folder (the goal's yardstick)
  one, no build     make-book proof ID in a copy never built: the book's runs are laid out first
  all, no build     make-book proof --all in a copy never built
  one, built        make-book proof ID in a copy built once (the build's kept documents are read)
  all, built        make-book proof --all in that copy
The figures are medians of the runs, and each proof's ratio to the cold build's median
(goals: one proof at most 0.2 x, all proofs at most 1.2 x).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PYTHON = sys.executable
REPOSITORY = Path(__file__).resolve().parents[1]


def copy_book(source: Path, target: Path) -> Path:
    target.mkdir(parents=True)
    shutil.copy2(source / "book.yaml", target / "book.yaml")
    # The repository's own layouts/ are the built-in ones, not a book's.
    for folder in ("submissions", "layouts") if source != REPOSITORY else ("submissions",):
        if (source / folder).is_dir():
            shutil.copytree(source / folder, target / folder)
    return target


def timed(args: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run([PYTHON, "-m", "ebook", *args], cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"make-book {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return seconds


def first_entry(book: Path) -> str:
    for path in sorted((book / "submissions").rglob("*.yaml")):
        if "status: approved" in path.read_text("utf-8"):
            return path.stem
    raise SystemExit("the book has no approved entry")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--book", type=Path, default=REPOSITORY)
    parser.add_argument("--entry", help="the entry to proof (default: the first approved one)")
    ns = parser.parse_args()
    entry = ns.entry or first_entry(ns.book)
    figures: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="proof-bench-") as temporary:
        root = Path(temporary)
        env = {**os.environ, "XDG_CACHE_HOME": str(root / "cache"), "SOURCE_DATE_EPOCH": "1600000000"}
        warm = copy_book(ns.book, root / "warm-up")  # the hyphenation dictionaries, parsed once
        timed(["build", "-q", "--no-cache", "--out", str(root / "warm-up-dist")], warm, env)
        for run in range(ns.runs):
            base = root / f"run-{run}"
            built = copy_book(ns.book, base / "built")
            scenarios = [
                ("cold build", ["build", "-q", "--no-cache", "--out", str(base / "cold-dist")], built),
                ("one, no build", ["proof", "-q", entry], copy_book(ns.book, base / "one")),
                ("all, no build", ["proof", "-q", "--all"], copy_book(ns.book, base / "all")),
            ]
            for name, args, cwd in scenarios:
                figures.setdefault(name, []).append(timed(args, cwd, env))
            timed(["build", "-q"], built, env)  # keeps its documents in dist/.make-book/cache
            for name, args in (("one, built", ["proof", "-q", entry]), ("all, built", ["proof", "-q", "--all"])):
                shutil.rmtree(built / "proofs", ignore_errors=True)
                figures.setdefault(name, []).append(timed(args, built, env))
    cold = statistics.median(figures["cold build"])
    print(f"book: {ns.book}, entry: {entry}, runs: {ns.runs}, cores: {len(os.sched_getaffinity(0))}")
    for name, seconds in figures.items():
        median = statistics.median(seconds)
        print(f"{name:16} {median:7.2f} s   {median / cold:5.2f} x the cold build")


if __name__ == "__main__":
    main()
