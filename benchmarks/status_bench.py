"""Time `make-book status` on a book of 1,400 entries, some of them damaged, as an editor runs it.

    python benchmarks/status_bench.py [--entries 1400] [--runs 5] [--keep FOLDER]

The book is benchmarks/corpus.py's (the sample's entries under new ids, some pending, a few photos),
then one entry in twenty is damaged the ways an editor's files are: consent false or missing, a
photo without alt text, a missing field, broken YAML, an unknown theme, a duplicate id. Each
format runs as a new process, the way the command is used, so imports count; the goal is 1 s.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_corpus

GOAL = 1.0
DAMAGES = (
    lambda t: t.replace("consent: 'true'", "consent: 'false'").replace("consent: true", "consent: false"),
    lambda t: "\n".join(line for line in t.splitlines() if not line.startswith("consent:")) + "\n",
    lambda t: t.replace("  role:", "  rôle:"),
    lambda t: t + "  - broken: [unclosed\n",
    lambda t: t.replace("theme: ", "theme: no-such-", 1),
)


def damage(book: Path) -> int:
    """Damage one file in twenty, in turn each way, and give one file a twin elsewhere."""
    files = sorted((book / "submissions").rglob("*.yaml"))
    damaged = 0
    for i, path in enumerate(files[::20]):
        path.write_text(DAMAGES[i % len(DAMAGES)](path.read_text("utf-8")), "utf-8")
        damaged += 1
    twin = book / "submissions" / "twins" / files[1].name
    twin.parent.mkdir(parents=True)
    twin.write_text(files[1].read_text("utf-8"), "utf-8")
    return damaged + 2


def time_runs(book: Path, arguments: list[str], runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of each run. On a machine others share, the CPU time is the
    figure that does not depend on them: the command runs on one core."""
    command = [sys.executable, "-m", "ebook", "status", "--config", str(book / "book.yaml"), *arguments]
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, check=False)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} exited {done.returncode}: {done.stderr.decode()}")
    return walls, cpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=1400)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="write the book here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        book = args.keep or Path(scratch) / "book"
        write_corpus(book, args.entries, photos=60, megapixels=0.3, pending=0.08)
        damaged = damage(book)
        print(f"{args.entries + 1} submission files, {damaged} of them damaged; {args.runs} runs each")
        worst = 0.0
        for label, arguments in (
            ("table", []),
            ("json", ["--format", "json"]),
            ("csv", ["--format", "csv"]),
            ("table + --html", ["--html", str(Path(scratch) / "status.html")]),
        ):
            walls, cpus = time_runs(book, arguments, args.runs)
            worst = max(worst, statistics.median(walls))
            print(
                f"{label:16} wall median {statistics.median(walls):.3f} s, best {min(walls):.3f} s; "
                f"CPU median {statistics.median(cpus):.3f} s"
            )
        print(f"goal {GOAL:.1f} s: {'met' if worst < GOAL else 'NOT met'} (slowest wall median {worst:.3f} s)")


if __name__ == "__main__":
    main()
