"""make-book status: where the book stands, as a table, JSON or CSV, and as a page of charts."""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from pathlib import Path

from ebook.commands.report import EXIT_CONTENT, EXIT_OK, add_config, print_problems, say
from ebook.problems import problem
from ebook.read.config import load_config


def arguments(parser: argparse.ArgumentParser, command: str) -> None:
    add_config(parser)
    parser.add_argument(
        "--format",
        choices=("table", "json", "csv"),
        default="table",
        help="table (the default), json, or csv for a spreadsheet, on the standard output",
    )
    parser.add_argument("--html", metavar="FILE", help="also write a page of charts to FILE")


def run(ns: argparse.Namespace) -> int:
    config_path = Path(ns.config)
    shown = os.path.normpath(ns.config)
    if not config_path.is_file():
        print_problems([problem(shown, 0, 0, "B004", "there is no such book file")])
        return EXIT_CONTENT
    config, problems = load_config(config_path.absolute(), shown)
    if config is None:
        print_problems(problems)
        say("the book file cannot be read, so neither can its submissions")
        return EXIT_CONTENT

    # Imported here: the report's modules are needed only once the book file is known to be good.
    from ebook.review.status import book_status

    status = book_status(config)
    if ns.html:
        import jinja2

        from ebook.review.status_page import write_status_page

        try:
            write_status_page(status, config.folder, Path(ns.html))
        except OSError as e:
            say(f"cannot write {ns.html}: {e.strerror or e}")
            return EXIT_CONTENT
        except jinja2.TemplateError as e:  # a book's own layouts/status.html that does not work
            say(f"layouts/status.html cannot be used: {e}")
            return EXIT_CONTENT
        say(f"wrote {ns.html}")
    if ns.format == "json":
        from ebook.review.status_formats import as_json

        json.dump(as_json(status), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif ns.format == "csv":
        from ebook.review.status_formats import csv_rows

        csv.writer(sys.stdout).writerows(csv_rows(status))
    else:
        from rich.console import Console

        from ebook.review.status_table import status_report

        # Colour only on a terminal (rich's own test), and never when NO_COLOR is set.
        Console(file=sys.stdout, markup=False, emoji=False, highlight=False).print(status_report(status))
    return EXIT_OK
