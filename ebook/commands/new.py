"""make-book new FOLDER: a book folder that builds at once, with every field of book.yaml shown."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import uuid
from importlib import resources
from pathlib import Path

from ebook.commands.report import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, say

# The files of a new book, package data of ebook.importing (new_book/).
_FILES = ("book.yaml", "submissions/example.yaml")


def arguments(parser: argparse.ArgumentParser, command: str) -> None:
    parser.add_argument("folder", metavar="FOLDER", help="the new book's folder: it must not exist or must be empty")


def run(ns: argparse.Namespace) -> int:
    folder = Path(ns.folder)
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        say(f"{ns.folder} exists and is not a folder; choose another name")
        return EXIT_USAGE
    if folder.is_dir() and any(folder.iterdir()):
        say(f"{ns.folder} is not empty; make-book new starts a book only in a new or empty folder")
        return EXIT_USAGE
    template = resources.files("ebook.importing").joinpath("new_book")
    fill = {"{uuid}": str(uuid.uuid4()), "{date}": dt.date.today().isoformat()}
    try:
        for relative in _FILES:
            text = template.joinpath(relative).read_text(encoding="utf-8")
            for mark, value in fill.items():
                text = text.replace(mark, value)
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("x", encoding="utf-8") as f:
                f.write(text)
    except OSError as e:
        say(f"cannot write {e.filename or ns.folder}: {e.strerror or e}")
        return EXIT_CONTENT
    say(f"wrote {os.path.join(ns.folder, 'book.yaml')} and an example in {os.path.join(ns.folder, 'submissions')}")
    say(f"next: cd {ns.folder} && make-book")
    return EXIT_OK
