"""make-book import EXPORT: a form export and the files it names -> submission files."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ebook.bookkeeping.kept import user_cache_folder
from ebook.commands.report import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, add_config, print_problems, say
from ebook.importing.run import ImportRequest, run_import


def arguments(parser: argparse.ArgumentParser, command: str) -> None:
    parser.add_argument("export", metavar="EXPORT", help="the form's responses: .csv, .xlsx or .ods")
    parser.add_argument(
        "--map", metavar="import.yaml", help="which column feeds which field (default: beside the book file)"
    )
    parser.add_argument("--files", metavar="FOLDER", help="where the uploaded files are (default: the export's folder)")
    parser.add_argument(
        "--into",
        metavar="FOLDER",
        help="where the new submissions go (default: submissions/incoming/ beside the book file)",
    )
    add_config(parser)
    parser.add_argument("-q", "--quiet", action="store_true", help="print problems only")


def run(ns: argparse.Namespace) -> int:
    config = Path(ns.config)
    book = config.parent
    export = Path(ns.export)
    map_path = Path(ns.map) if ns.map else book / "import.yaml"
    into = Path(ns.into) if ns.into else book / "submissions" / "incoming"
    files = Path(ns.files) if ns.files else export.parent
    if ns.files and not files.is_dir():
        say(f"--files {ns.files} is not a folder")
        return EXIT_USAGE
    request = ImportRequest(
        export=export.absolute(),
        shown_export=os.path.normpath(ns.export),
        config=config.absolute(),
        shown_config=os.path.normpath(ns.config),
        map_path=map_path.absolute(),
        shown_map=os.path.normpath(map_path),
        files=files.absolute(),
        shown_files=os.path.normpath(files),
        into=into.absolute(),
        shown_into=os.path.normpath(into),
        cache=user_cache_folder(os.environ, "names"),
    )
    try:
        result = run_import(request)
    except OSError as e:
        where = f" {e.filename}" if e.filename else ""
        say(f"cannot write{where}: {e.strerror or e}")
        return EXIT_CONTENT
    errors = print_problems(result.problems)
    if result.proposed_map is not None:
        say(f"wrote {os.path.relpath(result.proposed_map)}; nothing was imported")
        return EXIT_CONTENT
    if not ns.quiet:
        if result.written:
            say(f"wrote {len(result.written)} submission(s) into {os.path.relpath(request.into)}")
        if result.already:
            say(f"{result.already} response(s) were imported before and were skipped")
        if not result.written and not result.already and not errors:
            say("nothing to import")
    return EXIT_CONTENT if errors else EXIT_OK
