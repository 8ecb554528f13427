"""make-book build and make-book check."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ebook.build import WorkerDied, build, environ
from ebook.commands.report import EXIT_CONTENT, EXIT_OK, add_config, print_problems, progress, say
from ebook.options import Options, Result


def arguments(parser: argparse.ArgumentParser, command: str) -> None:
    add_config(parser)
    if command == "build":
        parser.add_argument("--out", metavar="dist", help="output folder (default: dist/ beside the book file)")
        parser.add_argument(
            "--no-cache", action="store_true", help="rebuild everything, ignoring what earlier builds kept"
        )
    parser.add_argument("-q", "--quiet", action="store_true", help="print problems only, no progress")


def run(ns: argparse.Namespace) -> int:
    config_text: str = ns.config
    config = Path(config_text)
    out = None
    if ns.command == "build":
        out = Path(ns.out) if ns.out else config.parent / "dist"
    options = Options(
        config=config.absolute(),
        shown_config=os.path.normpath(config_text),
        out=out.absolute() if out else None,
        use_cache=not getattr(ns, "no_cache", False),
        environ=environ(),
    )
    try:
        result = build(options, progress(not ns.quiet and sys.stderr.isatty()))
    except WorkerDied as e:  # killed (out of memory?): one line, the previous outputs stand
        say(f"{e}; the previous outputs are unchanged")
        return EXIT_CONTENT
    except OSError as e:  # the output folder is a file, is read-only, or the disk is full
        where = f" {e.filename}" if e.filename else ""
        say(f"cannot write{where}: {e.strerror or e}; the previous outputs are unchanged")
        return EXIT_CONTENT
    return _report(result, ns.command)


def _report(result: Result, command: str) -> int:
    if print_problems(result.problems):
        say("nothing was written" if command == "build" else "the book has errors")
        return EXIT_CONTENT
    if command == "build":
        note = (
            " (unchanged, nothing to rebuild)"
            if result.cached
            else (f", {result.pages} PDF pages" if result.pages else "")
        )
        for path in result.outputs:
            say(f"wrote {os.path.relpath(path)}")
        say(f"done{note}")
    else:
        say("the book is ready to build")
    return EXIT_OK
