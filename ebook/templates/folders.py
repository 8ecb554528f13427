"""Where a book's layouts come from: the book folder's own layouts/ first, file by file, then the
built-in ones. Kept apart from layouts.py, which loads them, so that up_to_date.py can fingerprint
them without importing Jinja."""

from __future__ import annotations

import hashlib
from pathlib import Path

BUILT_IN = Path(__file__).resolve().parents[2] / "layouts"
if not BUILT_IN.is_dir():  # installed as a wheel: the layouts travel as package data
    BUILT_IN = Path(__file__).resolve().parents[1] / "layouts"


def layout_folders(book_folder: Path) -> tuple[Path, ...]:
    return tuple(dict.fromkeys(f for f in (book_folder / "layouts", BUILT_IN) if f.is_dir()))


def fingerprint(folders: tuple[Path, ...]) -> str:
    """Changes whenever any template, stylesheet or label file that could be used changes."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
