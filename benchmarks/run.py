"""make-book's benchmark: one run on this machine, medians of interleaved runs, peak memory.

    python benchmarks/run.py [--runs 3] [--skip-1400]

Scenarios (synthetic book folders from benchmarks/corpus.py, made fresh in a temporary folder):
  cold 140          full build (EPUB + PDF + page) with --no-cache into an empty folder
  pandoc 140        pandoc 3 (pypandoc_binary) EPUB, then PDF with --pdf-engine=weasyprint, same text
  unchanged 140     a rebuild with nothing changed (served from the build cache)
  one changed 140   a rebuild after one entry's text changed
  EPUB only, PDF only   the two writers timed in-process on the same book (see stages.py)
  cold 1400         ten times the entries
  photos cold/warm  140 entries, 60 of them with a 12-megapixel JPEG
Each figure is the median wall time of the runs, with the peak of the resident memory of all
the command's processes together (the build and its workers), sampled every 100 ms.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Figure:
    name: str
    seconds: list[float]
    peak_mib: float

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def tree_rss_mib(root: int) -> float:
    """Resident memory of a process and all its descendants, now, in MiB (from /proc; a few reads)."""
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
            todo += [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except (OSError, IndexError):
            continue  # it ended meanwhile
    return total / 2**20


def timed(commands: list[list[str]], cwd: Path | None = None) -> tuple[float, float]:
    """Wall seconds for the commands in sequence, and the peak of the memory all their processes
    hold at once (the build, its picture workers and its layout children, sampled every 100 ms)."""
    start = time.perf_counter()
    peaks = [0.0]
    for command in commands:
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

        done = threading.Event()

        def sample(pid: int, done: threading.Event = done) -> None:
            while not done.wait(0.1):
                peaks.append(tree_rss_mib(pid))

        sampler = threading.Thread(target=sample, args=(process.pid,), daemon=True)
        sampler.start()
        assert process.stderr is not None
        errors = process.stderr.read()  # the wall time is not rounded to the sampling interval
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        done.set()
        sampler.join()
        # A command over before the first sample: the peak of its biggest process (kilobytes).
        peaks.append(usage.ru_maxrss / 1024)
        if process.returncode != 0:
            raise SystemExit(f"failed: {' '.join(command)}\n{errors.decode()}")
    return time.perf_counter() - start, max(peaks)


def edit_body(entry: Path) -> None:
    """An editor's change to one entry: a sentence added to its text."""
    data = yaml.load(entry.read_text("utf-8"), Loader=yaml.BaseLoader)
    data["body"] = f"{data['body']}\n\nAdded at {time.time_ns()}."
    entry.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), "utf-8")


def make_book(book: Path, out: Path, *extra: str) -> list[str]:
    return [PYTHON, "-m", "ebook", "build", "--config", str(book / "book.yaml"), "--out", str(out), "-q", *extra]


def corpus(where: Path, name: str, *args: str) -> Path:
    target = where / name
    subprocess.run([PYTHON, str(HERE / "corpus.py"), str(target), *args], check=True, stdout=subprocess.DEVNULL)
    return target


def measure(name: str, runs: int, prepare: Callable[[], None], commands: Callable[[], list[list[str]]]) -> Figure:
    seconds, peak = [], 0.0
    for _ in range(runs):
        prepare()
        wall, mib = timed(commands())
        seconds.append(wall)
        peak = max(peak, mib)
    return Figure(name, seconds, peak)


def interleaved(
    runs: int,
    a: tuple[str, Callable[[], None], Callable[[], list[list[str]]]],
    b: tuple[str, Callable[[], None], Callable[[], list[list[str]]]],
) -> tuple[Figure, Figure]:
    """A B A B …: a drift in the machine's speed touches both alike."""
    first, second = Figure(a[0], [], 0), Figure(b[0], [], 0)
    for _ in range(runs):
        for (_, prepare, commands), figure in ((a, first), (b, second)):
            prepare()
            wall, mib = timed(commands())
            figure.seconds.append(wall)
            figure.peak_mib = max(figure.peak_mib, mib)
    return first, second


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-1400", action="store_true")
    args = parser.parse_args()
    import pypandoc

    pandoc = pypandoc.get_pandoc_path()
    env_path = str(Path(PYTHON).parent) + os.pathsep + os.environ.get("PATH", "")
    os.environ["PATH"] = env_path  # pandoc finds the weasyprint command of this environment
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        b140 = corpus(tmp, "b140", "--entries", "140", "--markdown")
        out = tmp / "out"

        def fresh() -> None:
            shutil.rmtree(out, ignore_errors=True)

        cold, pd = interleaved(
            args.runs,
            ("cold build, 140 entries", fresh, lambda: [make_book(b140, out, "--no-cache")]),
            (
                "pandoc EPUB + PDF, same text",
                lambda: None,
                lambda: [
                    [pandoc, str(b140 / "book.md"), "-o", str(tmp / "p.epub")],
                    [pandoc, str(b140 / "book.md"), "-o", str(tmp / "p.pdf"), "--pdf-engine=weasyprint"],
                ],
            ),
        )
        figures += [cold, pd]
        subprocess.run(make_book(b140, out), check=True, capture_output=True)
        figures.append(measure("rebuild, nothing changed", args.runs, lambda: None, lambda: [make_book(b140, out)]))
        entry = next((b140 / "submissions").rglob("*.yaml"))
        original = entry.read_text("utf-8")

        def touch_one() -> None:
            edit_body(entry)

        figures.append(measure("rebuild, one entry changed", args.runs, touch_one, lambda: [make_book(b140, out)]))
        entry.write_text(original, "utf-8")
        for stage in ("epub", "pdf"):
            figures.append(
                measure(
                    f"{stage.upper()} only (in-process, after loading)",
                    args.runs,
                    lambda: None,
                    lambda stage=stage: [[PYTHON, str(HERE / "stages.py"), str(b140), "--only", stage]],
                )
            )

        photos = corpus(tmp, "photos", "--entries", "140", "--photos", "60", "--megapixels", "12")
        pout = tmp / "pout"

        def fresh_photos() -> None:
            shutil.rmtree(pout, ignore_errors=True)

        figures.append(
            measure(
                "cold build, 140 entries, 60 × 12 MP photos", args.runs, fresh_photos, lambda: [make_book(photos, pout)]
            )
        )
        pentry = next(p for p in (photos / "submissions").rglob("*.yaml") if "photos:" in p.read_text("utf-8"))

        def touch_photo_entry() -> None:
            edit_body(pentry)

        figures.append(
            measure(
                "warm rebuild (one entry changed), 60 × 12 MP photos",
                args.runs,
                touch_photo_entry,
                lambda: [make_book(photos, pout)],
            )
        )
        if not args.skip_1400:
            b1400 = corpus(tmp, "b1400", "--entries", "1400")
            figures.append(
                measure(
                    "cold build, 1,400 entries",
                    1,
                    lambda: shutil.rmtree(tmp / "o1400", ignore_errors=True),
                    lambda: [make_book(b1400, tmp / "o1400", "--no-cache")],
                )
            )
    print_table(figures)


def print_table(figures: list[Figure]) -> None:
    by_name = {f.name: f for f in figures}
    print("| scenario | median s | runs (s) | peak MiB |")
    print("| --- | ---: | --- | ---: |")
    for f in figures:
        runs = ", ".join(f"{s:.2f}" for s in f.seconds)
        print(f"| {f.name} | {f.median:.2f} | {runs} | {f.peak_mib:.0f} |")
    cold = by_name["cold build, 140 entries"].median
    print()
    print(f"- cold build / pandoc: {cold / by_name['pandoc EPUB + PDF, same text'].median:.2f}×")
    print(f"- unchanged rebuild / cold build: {by_name['rebuild, nothing changed'].median / cold:.3f}×")
    photo = by_name["cold build, 140 entries, 60 × 12 MP photos"].median
    print(f"- photo overhead, cold: {photo - cold:+.2f} s")
    warm = by_name["warm rebuild (one entry changed), 60 × 12 MP photos"].median
    print(f"- photo overhead, warm: {warm - by_name['rebuild, one entry changed'].median:+.2f} s")
    if "cold build, 1,400 entries" in by_name:
        big = by_name["cold build, 1,400 entries"]
        print(f"- 1,400 / 140 entries: {big.median / cold:.1f}×, peak {big.peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
