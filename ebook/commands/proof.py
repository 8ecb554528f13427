"""make-book proof: a PDF of each entry named (or of every approved or pending one), laid out as in
the book and marked as a proof (ebook/review/proof.py)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ebook.build import environ
from ebook.commands.report import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, add_config, print_problems, progress, say
from ebook.options import Options
from ebook.pdf.workers import WorkerDied


def arguments(parser: argparse.ArgumentParser, command: str) -> None:
    parser.add_argument("ids", nargs="*", metavar="ID", help="the id of an entry (its file name without .yaml)")
    parser.add_argument("--all", action="store_true", help="every approved or pending entry")
    parser.add_argument("--out", metavar="proofs", help="where the proofs go (default: proofs/ beside the book file)")
    add_config(parser)
    parser.add_argument("-q", "--quiet", action="store_true", help="print problems only, no progress")


def run(ns: argparse.Namespace) -> int:
    from ebook.review.proof import make_proofs  # the layout's imports, only when there is work

    ids: list[str] = ns.ids
    if bool(ids) == bool(ns.all):
        say("name the entries to proof by their ids, or give --all")
        return EXIT_USAGE
    config = Path(ns.config).absolute()
    out = (Path(ns.out) if ns.out else config.parent / "proofs").absolute()
    dist = config.parent / "dist"
    if out.resolve() == dist.resolve() or dist.resolve() in out.resolve().parents:
        say(f"proofs never go into the build's output folder {os.path.relpath(dist)}: choose another --out")
        return EXIT_USAGE
    options = Options(config=config, shown_config=os.path.normpath(ns.config), environ=environ())
    try:
        proofs = make_proofs(options, tuple(ids), out, progress(not ns.quiet and sys.stderr.isatty()))
    except WorkerDied as e:  # a layout process was killed (out of memory, a user's kill)
        say(f"{e}; no proof was written")
        return EXIT_CONTENT
    except OSError as e:  # the proofs' folder is a file, is read-only, or the disk is full
        where = f" {e.filename}" if e.filename else ""
        say(f"cannot write{where}: {e.strerror or e}")
        return EXIT_CONTENT
    if proofs.unknown:
        say(f"no submission has the id {', '.join(repr(i) for i in proofs.unknown)}; nothing was written")
        return EXIT_USAGE
    errors = print_problems(proofs.problems)
    if len(proofs.written) > 10:
        say(f"wrote {len(proofs.written)} proofs into {os.path.relpath(out)}")
    else:
        for path in proofs.written:
            say(f"wrote {os.path.relpath(path)}")
    if errors:
        say(f"{len(proofs.written)} proof{'s' * (len(proofs.written) != 1)} written; entries with errors have none")
        return EXIT_CONTENT
    return EXIT_OK
