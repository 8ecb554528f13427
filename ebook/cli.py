"""make-book's command line: the only place that prints or exits."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from ebook import __version__
from ebook.build import build, environ
from ebook.options import Options, Result
from ebook.problems import has_errors, summary

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="make-book", description="Build an EPUB, a PDF and a download page from book.yaml and submissions/."
    )
    parser.add_argument("--version", action="version", version=f"make-book {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="{build,check}")
    for name, text in (
        ("build", "build the EPUB, the PDF and the download page (the default)"),
        ("check", "validate the book and its submissions; write nothing"),
    ):
        sub = commands.add_parser(name, help=text, description=text)
        sub.add_argument(
            "--config", default="book.yaml", metavar="book.yaml", help="the book file (default: ./book.yaml)"
        )
        if name == "build":
            sub.add_argument("--out", metavar="dist", help="output folder (default: dist/ beside the book file)")
            sub.add_argument(
                "--no-cache", action="store_true", help="rebuild everything, ignoring what earlier builds kept"
            )
        sub.add_argument("-q", "--quiet", action="store_true", help="print problems only, no progress")
    return parser


def _progress(enabled: bool) -> Callable[[str], None]:
    def show(stage: str) -> None:
        if enabled:
            print(f"make-book: {stage}…", file=sys.stderr, flush=True)

    return show


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in ("build", "check", "-h", "--help", "--version"):
        args = ["build", *args]
    try:
        ns = _parser().parse_args(args)
    except SystemExit as e:
        return EXIT_USAGE if e.code not in (0, None) else EXIT_OK
    config_text: str = ns.config
    config = Path(config_text)
    shown_config = os.path.normpath(config_text)
    out = None
    if ns.command == "build":
        out = Path(ns.out) if ns.out else config.parent / "dist"
    options = Options(
        config=config.absolute(),
        shown_config=shown_config,
        out=out.absolute() if out else None,
        use_cache=not getattr(ns, "no_cache", False),
        environ=environ(),
    )
    try:
        result = build(options, _progress(not ns.quiet and sys.stderr.isatty()))
    except KeyboardInterrupt:
        print("make-book: interrupted; the previous outputs are unchanged", file=sys.stderr)
        return 130
    except OSError as e:  # the output folder is a file, is read-only, or the disk is full
        where = f" {e.filename}" if e.filename else ""
        print(f"make-book: cannot write{where}: {e.strerror or e}; the previous outputs are unchanged", file=sys.stderr)
        return EXIT_CONTENT
    return _report(result, ns.command)


def _report(result: Result, command: str) -> int:
    for p in result.problems:
        print(p.format(), file=sys.stderr)
    failed = has_errors(result.problems)
    if result.problems:
        print(f"make-book: {summary(result.problems)}", file=sys.stderr)
    if failed:
        print(
            "make-book: nothing was written" if command == "build" else "make-book: the book has errors",
            file=sys.stderr,
        )
        return EXIT_CONTENT
    if command == "build":
        note = (
            " (unchanged, nothing to rebuild)"
            if result.cached
            else (f", {result.pages} PDF pages" if result.pages else "")
        )
        for path in result.outputs:
            print(f"make-book: wrote {os.path.relpath(path)}", file=sys.stderr)
        print(f"make-book: done{note}", file=sys.stderr)
    else:
        print("make-book: the book is ready to build", file=sys.stderr)
    return EXIT_OK
