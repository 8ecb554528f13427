"""Checks on picture paths and files, before anything is decoded.

A path must name a regular file inside the book's own folder (no URL, no `..`, no symbolic link,
exact case), and the file must really be a JPEG or PNG whose declared size stays under the pixel
cap. Pillow only warns about decompression bombs below 178 MP, so the cap is checked here from the
header alone.
"""

from __future__ import annotations

import os
import re
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from ebook.model import Book
from ebook.problems import Problem, problem

MAX_PIXELS = 100_000_000
_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}


@dataclass(frozen=True)
class ImageFile:
    source: Path
    width: int
    height: int
    media_type: str


def _walk_exact(root: Path, parts: list[str]) -> tuple[Path | None, str | None]:
    """Follow the path one name at a time, refusing links and names whose case differs."""
    current = root
    for i, name in enumerate(parts):
        try:
            names = os.listdir(current)
        except OSError:
            return None, "is missing"
        if name not in names:
            # The YAML's text is NFC; macOS writes file names decomposed (NFD, "cafe\u0301.jpg"):
            # the same name to a reader, so the same file here.
            same = [n for n in names if unicodedata.normalize("NFC", n) == name]
            if same:
                name = same[0]
        if name not in names:
            similar = [n for n in names if n.lower() == name.lower()]
            if similar:
                fixed = "/".join([*parts[:i], similar[0], *parts[i + 1 :]])
                return None, f"is missing (there is {fixed}: the case of the letters differs)"
            return None, "is missing"
        current = current / name
        if current.is_symlink():
            return None, "is a symbolic link; copy the picture into the folder instead"
    if not current.is_file():
        return None, "is not a file"
    return current, None


def _truncated(path: Path, media_type: str) -> bool:
    """A cheap end-of-file test; a damaged middle is caught when the picture is decoded."""
    with path.open("rb") as f:
        f.seek(max(0, path.stat().st_size - 64))
        tail = f.read().rstrip(b"\0")
    return not (tail.endswith(b"\xff\xd9") if media_type == "image/jpeg" else b"IEND" in tail[-12:])


def _is_heif(path: Path) -> bool:
    """An ISO base media file whose brand is HEIF's or AVIF's (ISO/IEC 23008-12): Pillow cannot read it."""
    with path.open("rb") as f:
        head = f.read(12)
    return head[4:8] == b"ftyp" and head[8:12] in (
        b"heic",
        b"heix",
        b"hevc",
        b"heim",
        b"heis",
        b"mif1",
        b"msf1",
        b"avif",
    )


def check_image_path(
    text: str, base: Path, root: Path, shown: str, line: int, column: int, what: str
) -> tuple[ImageFile | None, list[Problem]]:
    """base is the folder the path is relative to; root the folder it must stay inside."""

    def fail(code: str, message: str) -> tuple[None, list[Problem]]:
        return None, [problem(shown, line, column, code, f'{what} "{text}" {message}')]

    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", text) or text.startswith("//"):
        return fail("P001", "is a URL; pictures must be files inside the book folder")
    if text.startswith(("/", "\\")) or os.path.isabs(text):
        return fail("P001", "is an absolute path; write it relative to the YAML file")
    parts = [p for p in re.split(r"[/\\]", text) if p not in ("", ".")]
    if ".." in parts:
        return fail("P001", "contains ..; pictures must be inside the folder of the YAML file")
    relative_base = base.relative_to(root).parts if base != root else ()
    found, why = _walk_exact(root, list(relative_base) + parts)
    if found is None:
        return fail("P002" if why and "symbolic" in why else "P003", why or "is missing")
    if not found.resolve().is_relative_to(root.resolve()):
        return fail("P002", "resolves to a place outside the book folder")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(found) as image:
                kind, width, height = image.format, image.width, image.height
    except Image.DecompressionBombError:
        return fail("P006", f"declares more than {MAX_PIXELS // 1_000_000} megapixels")
    except (OSError, ValueError, SyntaxError):
        if _is_heif(found):
            return fail(
                "P004",
                "is a HEIC/HEIF photo (as phones save them); save it as JPEG, or let make-book import convert it",
            )
        return fail("P004", "is not a JPEG or PNG picture")
    if kind not in _FORMATS:
        return fail("P004", f"is a {kind} file; use JPEG or PNG")
    if width * height > MAX_PIXELS:
        return fail("P006", f"declares {width} × {height} pixels, more than {MAX_PIXELS // 1_000_000} megapixels")
    if _truncated(found, _FORMATS[kind]):
        return fail("P005", "is truncated: the end of the picture is missing")
    return ImageFile(found, width, height, _FORMATS[kind]), []


def picture_problems(book: Book, shown_config: str, failures: dict[Path, str]) -> list[Problem]:
    """P005 for every photo (and the cover) that could not be prepared: failures by source, as
    render/pictures.ImageJobs reports them."""
    found = [
        problem(e.shown_path, p.line, p.column, "P005", f'photo "{p.source.name}" {failures[p.source]}')
        for e in book.entries
        for p in e.photos
        if p.source in failures
    ]
    if book.config.cover in failures:
        found.append(
            problem(shown_config, 0, 0, "P005", f'cover "{book.config.cover.name}" {failures[book.config.cover]}')
        )
    return found
