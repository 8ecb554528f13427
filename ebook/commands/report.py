"""What every command prints the same way: problems, their count, the exit statuses."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable

from ebook.problems import Problem, has_errors, sort_key, summary

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def print_problems(problems: Iterable[Problem]) -> bool:
    """Every problem on stderr, sorted by file and line, then their count; True if any is an error."""
    found = sorted(set(problems), key=sort_key)
    for p in found:
        print(p.format(), file=sys.stderr)
    if found:
        say(summary(found))
    return has_errors(found)


def say(line: str) -> None:
    print(f"make-book: {line}", file=sys.stderr, flush=True)


def progress(enabled: bool) -> Callable[[str], None]:
    """Stages shown as the work goes, on a terminal only (a log or a pipe gets problems alone)."""

    def show(stage: str) -> None:
        if enabled:
            say(f"{stage}…")

    return show


def add_config(parser: object) -> None:
    parser.add_argument(  # type: ignore[attr-defined]
        "--config", default="book.yaml", metavar="book.yaml", help="the book file (default: ./book.yaml)"
    )
