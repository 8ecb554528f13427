"""Whether the last build's outputs stand, decided from the files alone, before anything is parsed.

A build's key is a digest of everything it reads: book.yaml, every file under submissions/
(pictures included), the other files book.yaml points to (a cover anywhere in the book folder),
the layouts (the book's own and the built-in ones), make-book's version, the fonts and Python
packages installed (installed.py), SOURCE_DATE_EPOCH, the weight of the PDF's runs and which patches
of WeasyPrint are made (MAKE_BOOK_PLAIN_WEASYPRINT). Equal keys give equal outputs.

Which other files a build reads is known only once book.yaml is parsed, so the last build's state
(publish.py) keeps them, with its key and its warnings: while book.yaml is unchanged so are they,
and once it changes so does the key. An unchanged rebuild hashes the files, compares the keys, and
reports the warnings the last build found, without parsing anything.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ebook import __version__
from ebook.bookkeeping.fingerprints import installed_fingerprint
from ebook.bookkeeping.kept import digest_if_readable
from ebook.pdf.weasyprint.registry import wanted
from ebook.problems import Problem, Severity
from ebook.publish.outputs import outputs_intact, read_state
from ebook.templates.folders import fingerprint, layout_folders

if TYPE_CHECKING:
    from ebook.options import Options


def input_digests(config: Path) -> dict[Path, str]:
    """The content hash of book.yaml and of every file under submissions/ that can be read (the
    reading of the book reports those it needs and cannot read)."""
    folder = config.parent
    files = [config, *sorted(p for p in (folder / "submissions").rglob("*") if p.is_file())]
    return {path: digest for path in files if (digest := digest_if_readable(path)) is not None}


def input_key(options: Options, digests: dict[Path, str], others: Iterable[Path]) -> str:
    """others: the files book.yaml points to besides those of digests."""
    folder = options.config.parent
    epoch = options.environ.get("SOURCE_DATE_EPOCH", "")
    patches = ",".join(wanted(options.environ))  # WeasyPrint patched or not: other bytes
    digest = hashlib.sha256(f"make-book {__version__}\0{epoch}\0{options.pdf_group_weight}\0{patches}\0".encode())
    read = dict(digests)
    for path in others:
        if path not in read:
            read[path] = digest_if_readable(path) or "missing"
    for path, file_hash in read.items():
        digest.update(f"{path.relative_to(folder)}\0{file_hash}\0".encode())
    digest.update(fingerprint(layout_folders(folder)).encode())
    digest.update(installed_fingerprint(options.environ).encode())
    return digest.hexdigest()


def made_from(options: Options, key: str, others: Iterable[Path], warnings: Iterable[Problem]) -> dict[str, object]:
    """What the state keeps of a build for the next one to compare (served)."""
    folder = options.config.parent
    return {
        "key": key,
        "read": [str(path.relative_to(folder)) for path in others],
        "warnings": [[p.path, p.line, p.column, p.code, p.message] for p in warnings],
    }


def served(
    options: Options, out: Path, digests: dict[Path, str]
) -> tuple[tuple[Path, ...], tuple[Problem, ...]] | None:
    """The last build's outputs and warnings, if nothing they were made from has changed since."""
    state = read_state(out)
    made = state.get("made_from")
    if not isinstance(made, dict) or not isinstance(outputs := state.get("outputs"), dict):
        return None
    folder = options.config.parent
    try:
        others = [folder / str(name) for name in made["read"]]
        warnings = tuple(
            Problem(str(path), int(line), int(column), str(code), str(message), Severity.WARNING)
            for path, line, column, code, message in made["warnings"]
        )
        if made["key"] != input_key(options, digests, others):
            return None
    except (KeyError, TypeError, ValueError, OSError):  # kept by another version, or tampered with
        return None
    if not outputs_intact(out, state):
        return None
    # The files a reader opens: the editions, the download page and the web edition's contents.
    return tuple(out / str(name) for name in outputs if "/" not in str(name) or name == "read/index.html"), warnings
