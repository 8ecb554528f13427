"""What each patch of WeasyPrint (ebook/pdf/weasyprint/registry.py) buys on a cold build.

    python benchmarks/patches.py [--rounds 5] [--pandoc]

The 140-entry benchmark book (corpus.py) is built cold (--no-cache, into an empty folder) with
every patch, and with each patch off (MAKE_BOOK_PLAIN_WEASYPRINT=<name>) and all of them off
(=1), side by side: each round builds every variant once, in an order turned about from round to
round, so that a drift of the machine touches all alike, and a patch's gain is the median of its
differences with the round's build with every patch. Each build is timed in wall seconds and in
CPU seconds of all its processes (the build, its layout process and children, its picture
workers: rusage of the reaped tree), which a machine shared with others disturbs much less.
With --pandoc, pandoc's EPUB and PDF of the same text are timed in each round too.
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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.run import PYTHON, corpus, make_book
from ebook.pdf.weasyprint.registry import NAMES


def timed_cpu(commands: list[list[str]], environ: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, the whole process tree once reaped)."""
    wall = cpu = 0.0
    for command in commands:
        start = time.perf_counter()
        process = subprocess.Popen(command, env=environ, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        assert process.stderr is not None
        errors = process.stderr.read()
        _, status, usage = os.wait4(process.pid, 0)
        wall += time.perf_counter() - start
        cpu += usage.ru_utime + usage.ru_stime
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"failed: {' '.join(command)}\n{errors.decode()}")
    return wall, cpu


def cold(book: Path, out: Path, switch: str) -> tuple[float, float]:
    shutil.rmtree(out, ignore_errors=True)
    environ = {k: v for k, v in os.environ.items() if k != "MAKE_BOOK_PLAIN_WEASYPRINT"}
    if switch:
        environ["MAKE_BOOK_PLAIN_WEASYPRINT"] = switch
    return timed_cpu([make_book(book, out, "--no-cache")], environ)


def _table(title: str, figures: dict[str, list[float]], variants: list[str]) -> None:
    every = statistics.median(figures[""])
    print(f"\n{title}: every patch {every:.2f} s (median of {len(figures[''])})")
    print("| patch turned off | cold build (median) | cost of turning it off (median of differences) |")
    print("| --- | ---: | ---: |")
    for name in variants[1:]:
        gain = statistics.median(b - a for a, b in zip(figures[""], figures[name], strict=True))
        label = "all (MAKE_BOOK_PLAIN_WEASYPRINT=1)" if name == "1" else name
        print(f"| {label} | {statistics.median(figures[name]):.2f} s | {gain:+.2f} s ({100 * gain / every:+.1f} %) |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pandoc", action="store_true")
    parser.add_argument("--only", nargs="*", default=[], help="these variants alone (patch names, or 1 for all off)")
    args = parser.parse_args()
    variants = ["", *(name for name in (*NAMES, "1") if name in (args.only or (*NAMES, "1")))]
    wall: dict[str, list[float]] = {name: [] for name in variants}
    cpu: dict[str, list[float]] = {name: [] for name in variants}
    pandoc_seconds: list[float] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        book = corpus(tmp, "b140", "--entries", "140", "--markdown")
        out = tmp / "out"
        cold(book, out, "")  # the fonts and the dictionaries in the system's caches, as in every run after
        pandoc = None
        environ = dict(os.environ)
        if args.pandoc:
            import pypandoc

            pandoc = pypandoc.get_pandoc_path()
            environ["PATH"] = str(Path(PYTHON).parent) + os.pathsep + environ.get("PATH", "")
        for round_number in range(args.rounds):
            shift = round_number % len(variants)
            for name in variants[shift:] + variants[:shift]:
                seconds, used = cold(book, out, name)
                wall[name].append(seconds)
                cpu[name].append(used)
                print(
                    f"round {round_number + 1} {name or 'every patch'}: {seconds:.2f} s, CPU {used:.2f} s", flush=True
                )
            if pandoc:
                seconds, _ = timed_cpu(
                    [
                        [pandoc, str(book / "book.md"), "-o", str(tmp / "p.epub")],
                        [pandoc, str(book / "book.md"), "-o", str(tmp / "p.pdf"), "--pdf-engine=weasyprint"],
                    ],
                    environ,
                )
                pandoc_seconds.append(seconds)
                print(f"round {round_number + 1} pandoc: {seconds:.2f} s", flush=True)
    _table("CPU seconds", cpu, variants)
    _table("wall seconds", wall, variants)
    if pandoc_seconds:
        pd = statistics.median(pandoc_seconds)
        print(f"\npandoc EPUB + PDF: median {pd:.2f} s (wall)")
        for name, label in (("", "every patch"), ("1", "all off")):
            ratios = [a / b for a, b in zip(wall[name], pandoc_seconds, strict=True)]
            print(f"ratio to pandoc, {label}: median {statistics.median(ratios):.2f} x (of each round's pair)")


if __name__ == "__main__":
    main()
