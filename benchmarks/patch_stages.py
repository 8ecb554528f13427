"""The CPU each patch of WeasyPrint (ebook/pdf/weasyprint/registry.py) saves, stage by stage, on
the 140-entry benchmark book: finer than whole builds on a machine shared with others.

    python benchmarks/patch_stages.py [--rounds 4]

The book is built once in-process to record the documents its PDF is made of (the Layouts sent
to the workers). Then, round after round, every document is laid out and written in a child
forked from this process, as the layout process forks them (WeasyPrint imported, the book's
hyphenation dictionaries loaded), with every patch and with each "layout" or "write" patch off,
the variants in an order turned about from round to round; a child's CPU time comes from wait4.
The "import" patch is timed on a fresh interpreter importing WeasyPrint, the "hyphenation" one on
a child loading the book's dictionaries. Each figure is a median over the rounds of the sum over
the documents; the build's CPU is the sum of these and of make-book's own process.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.run import corpus
from ebook.build import environ
from ebook.options import Options
from ebook.pdf.document import Layout, lay_out
from ebook.pdf.weasyprint.hyphenation import cache_folder, load_hyphenation
from ebook.pdf.weasyprint.registry import NAMES, PATCHES
from ebook.pdf.workers import Workers


class Recording(Workers):
    def __init__(self) -> None:
        super().__init__()
        self.layouts: list[Layout] = []

    def submit(self, function: Callable[..., Any], *args: Any, noting: bool = False) -> int:
        self.layouts.append(args[0])
        return super().submit(function, *args, noting=noting)


def in_child(work: Callable[[], object]) -> float:
    """CPU seconds (user + system) of work done in a forked child."""
    pid = os.fork()
    if pid == 0:
        try:
            work()
        finally:
            os._exit(0)
    _, status, usage = os.wait4(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    return usage.ru_utime + usage.ru_stime


def _laying(layout: Layout, patches: tuple[str, ...]) -> Callable[[], object]:
    return lambda: lay_out(dataclasses.replace(layout, patches=patches))


def fresh_import(patches: tuple[str, ...]) -> tuple[float, float]:
    script = f"from ebook.pdf.weasyprint.fast_import import import_weasyprint\nimport_weasyprint({patches!r})"
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", script])
    _, status, usage = os.wait4(process.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    return usage.ru_utime + usage.ru_stime, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--weight", type=int, help="the PDF's run weight (10**9: the book laid out whole)")
    parser.add_argument("--only", nargs="*", default=[], help="these patches alone, and not the import's")
    args = parser.parse_args()
    from ebook.pipeline import run

    with tempfile.TemporaryDirectory() as tmp_name:
        book = corpus(Path(tmp_name), "b140", "--entries", "140")
        out = Path(tmp_name) / "out"
        options = Options(book / "book.yaml", "book.yaml", out, False, environ(), pdf_group_weight=args.weight)
        with Recording() as workers:
            started = time.process_time()
            result = run(options, Path(tmp_name) / "out", workers, {}, lambda stage: None)
            own = time.process_time() - started
            layouts = [dataclasses.replace(layout, patches=NAMES) for layout in workers.layouts]
        assert not result.problems, result.problems
    print(f"{len(layouts)} documents: {', '.join(layout.section for layout in layouts)}")
    print(f"make-book's own process: {own:.2f} s of CPU (reading, rendering, EPUB, joining)")
    import weasyprint  # noqa: F401  # as the layout process does, before it forks

    languages = sorted({language for layout in layouts for language in layout.languages.values()} | {"en"})
    load_hyphenation(languages, cache_folder(os.environ))

    variants = ["", *(p.name for p in PATCHES if p.stage in ("layout", "write") and p.name in (args.only or NAMES))]
    cpu: dict[str, list[float]] = {name: [] for name in variants}
    for round_number in range(args.rounds):
        shift = round_number % len(variants)
        for name in variants[shift:] + variants[:shift]:
            patches = tuple(n for n in NAMES if n != name)
            cpu[name].append(sum(in_child(_laying(layout, patches)) for layout in layouts))
            print(f"round {round_number + 1} {name or 'every patch'}: {cpu[name][-1]:.2f} s", flush=True)
    every = statistics.median(cpu[""])
    print(f"\nlaying out and writing every document, every patch: {every:.2f} s of CPU")
    for name in variants[1:]:
        saved = statistics.median(b - a for a, b in zip(cpu[""], cpu[name], strict=True))
        print(f"| {name} | {saved:+.3f} s | {100 * saved / (every + own):+.1f} % of the build's CPU |")

    if args.only:
        return
    imports: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
    for _ in range(args.rounds):
        for fast in (True, False):
            imports[fast].append(fresh_import(("libraries_found_in_linker_cache",) if fast else ()))
    for fast in (True, False):
        print(
            f"import {'with' if fast else 'without'} the linker's cache: "
            f"CPU {statistics.median(c for c, _ in imports[fast]):.3f} s, "
            f"wall {statistics.median(w for _, w in imports[fast]):.3f} s"
        )
    kept = cache_folder(os.environ)
    for folder, label in ((kept, "kept parsed"), (None, "parsed by Pyphen")):
        import pyphen

        def load(folder: Path | None = folder) -> None:
            pyphen.hdcache.clear()
            load_hyphenation(languages, folder)

        loads = statistics.median(in_child(load) for _ in range(args.rounds))
        print(f"hyphenation ({len(languages)} languages) {label}: {loads:.3f} s of CPU")


if __name__ == "__main__":
    main()
