"""PDF documents already laid out, kept in the output folder's bookkeeping by what they were made
from: when one entry changes, only the run of the body that holds it is laid out again, and the
contents, index and running heads too if the page numbers moved.

A document's key is a digest of everything its layout reads: its HTML and CSS, the pictures it
may fetch (the stand-ins of photos, which are swapped for the real ones when the parts are joined,
and the cover), the numbers it is given, the patches of WeasyPrint made (weasyprint/registry.py),
make-book's version, and the fonts and Python packages installed (fingerprints.py). Only
documents laid out without a problem are kept, as a line of JSON followed by the PDF (nothing in
the file is run), and a build keeps only those it used: the folder holds one book.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ebook import __version__
from ebook.bookkeeping.kept import keep_file
from ebook.pdf.document import LaidOut, Layout
from ebook.pdf.page_starts import PageStart


def layout_key(layout: Layout, versions: list[str]) -> str:
    pictures = sorted(
        (url, image.media_type, image.width, image.height, hashlib.sha256(image.data).hexdigest())
        for url, image in layout.assets.items()
    )
    made_from = [
        versions,
        layout.section,
        layout.html,
        layout.css,
        pictures,
        layout.first_number,
        layout.anchors,
        sorted(layout.languages.items()),
        layout.lead,
        layout.main_language,
        layout.identifier.hex(),
        layout.epoch,
        layout.patches,  # the same pages either way, but not the same bytes (registry.py)
        [layout.number_styles.front, layout.number_styles.body],
    ]
    return hashlib.sha256(json.dumps(made_from, ensure_ascii=False).encode()).hexdigest()


class LayoutCache:
    """The documents of the last build, in folder (None: nothing is kept or read)."""

    def __init__(self, folder: Path | None, installed: str = "") -> None:
        """installed: the fingerprint of the fonts and Python packages installed (installed.py)."""
        self.folder = folder
        self.used: set[str] = set()
        self.versions = [__version__, installed] if folder else []

    def key(self, layout: Layout) -> str:
        return layout_key(layout, self.versions) if self.folder else ""

    def get(self, key: str) -> LaidOut | None:
        if self.folder is None:
            return None
        try:
            head, data = (self.folder / key).read_bytes().split(b"\n", 1)
            kept = json.loads(head)
            starts = tuple(PageStart(*start) for start in kept["page_starts"])
            widths, blanks = tuple(kept["widths"]), tuple(kept["blanks"])
            laid = LaidOut(data, kept["pages"], kept["anchors"], starts, None, (), widths, blanks)
        except (OSError, ValueError, KeyError, TypeError):
            return None  # not kept, or kept by another version: laid out again
        self.used.add(key)
        return laid

    def put(self, key: str, laid: LaidOut) -> None:
        if self.folder is None or laid.lost or laid.messages:
            return
        starts = [[s.label, s.owner, s.characters_before, s.index] for s in laid.page_starts]
        head = json.dumps(
            {
                "pages": laid.pages,
                "anchors": laid.anchors,
                "page_starts": starts,
                "widths": laid.widths,
                "blanks": laid.blanks,
            }
        )
        keep_file(self.folder / key, head.encode() + b"\n" + laid.data)
        self.used.add(key)

    def keep_only_used(self) -> None:
        """After a build: the documents it did not use belong to older versions of the book."""
        if self.folder is None or not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.name not in self.used:
                path.unlink(missing_ok=True)
