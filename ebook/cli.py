"""make-book's command line: which command runs. Each lives in commands/, imported only when it
runs, so that an unchanged rebuild imports nothing it does not need."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import importlib
import os
import sys
from typing import NoReturn

from ebook import __version__
from ebook.commands.report import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, say
from ebook.frame_stack import call_with_room

# name: (module in ebook.commands, one line of help). "build" is the default command.
COMMANDS = {
    "build": ("build", "build the EPUB, the PDF, the web edition and the download page (the default)"),
    "check": ("build", "validate the book and its submissions; write nothing"),
    "proof": ("proof", "a PDF proof of entries, laid out as in the book and marked as a proof"),
    "new": ("new", "start a book: a commented book.yaml and one example submission"),
    "import": ("importing", "turn a form export (CSV, XLSX, ODS) and its files into submissions"),
    "serve": ("serve", "serve the web edition, pending entries too, kept current as the book changes"),
    "status": ("status", "where the book stands: entries by status and theme, and what each still owes"),
}


def _parser(command: str | None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="make-book",
        description="Turn a call's submissions into a free e-book: EPUB, PDF, a web edition and a download page.",
    )
    parser.add_argument("--version", action="version", version=f"make-book {__version__}")
    subs = parser.add_subparsers(dest="command", metavar="{" + ",".join(COMMANDS) + "}")
    for name, (module, text) in COMMANDS.items():
        sub = subs.add_parser(name, help=text, description=text)
        if name == command:  # only the command that runs is imported
            importlib.import_module(f"ebook.commands.{module}").arguments(sub, name)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in (*COMMANDS, "-h", "--help", "--version"):
        args = ["build", *args]
    command = args[0] if args[0] in COMMANDS else None
    try:
        try:
            ns = _parser(command).parse_args(args)  # imports the command's module: Ctrl-C may come here
        except SystemExit as e:
            return EXIT_USAGE if e.code not in (0, None) else EXIT_OK
        code: int = importlib.import_module(f"ebook.commands.{COMMANDS[ns.command][0]}").run(ns)
        return code
    except KeyboardInterrupt:
        say("interrupted; the previous outputs are unchanged")
        return 130
    except BrokenPipeError:  # the reader of the output stopped reading (make-book status | head)
        return EXIT_OK
    except Exception as e:  # a bug of make-book's, never a traceback for the user
        say(f"internal error: {type(e).__name__}: {e}; please report it with the command you ran")
        return EXIT_CONTENT


def entry() -> NoReturn:
    """The command `make-book` and `python -m ebook`: main(), then the process ends at once. What
    the program registered to run at exit runs, the output streams are flushed, and every output
    is already on disk by then; only Python's freeing of each of its objects one by one, which the
    system does at once, is skipped (0.06 s of a build of the 140-entry benchmark book). main()
    runs with room on Python's frame stack (frame_stack.py), and so do the layout process and
    every child forked beneath it."""
    code = call_with_room(main)
    atexit._run_exitfuncs()  # as the interpreter would, before its own teardown
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (make-book | head): nothing to say
            stream.flush()
    os._exit(code)
