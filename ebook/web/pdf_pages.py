"""The pages of the PDF edition each entry fills, from where the PDF's pages begin (page_starts.py).

A page start names the element its first text belongs to. Walking the pages in order, each is
credited to the piece of the book (an entry, a theme's opening, the foreword...) that element is
part of; an entry then runs from the page it begins on to the last page that begins before the
next piece does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ebook.pdf.page_starts import PageStart

_PIECE = re.compile(r"(entry-\d+|part-\d+|foreword|acknowledgements|contributors)(?:-|$)")


@dataclass(frozen=True)
class PageRange:
    first: str  # the labels printed on the pages: "57"
    last: str

    @property
    def single(self) -> bool:
        return self.first == self.last


def entry_pages(anchors: Iterable[str], starts: tuple[PageStart, ...]) -> dict[str, PageRange]:
    """anchors: every piece of the book in reading order (part-1, entry-1, entry-2, part-2...);
    the page ranges of those that are entries, by anchor."""
    order = {anchor: position for position, anchor in enumerate(anchors)}
    pages: list[tuple[int, bool, str]] = []  # (position of the piece, begins with it, label)
    position = -1
    for start in sorted(starts, key=lambda s: s.index):
        found = _PIECE.match(start.owner)
        if found and found[1] in order:
            position = order[found[1]]
            begins = start.characters_before == 0 and start.owner in (found[1], f"{found[1]}-title")
        else:  # furniture or the front and back matter: it belongs to what is around it
            begins = False
        pages.append((position, begins, start.label))
    ranges: dict[str, PageRange] = {}
    for anchor, at in order.items():
        if not anchor.startswith("entry-"):
            continue
        first = last = None
        for piece, begins, label in pages:
            if piece < at or (piece == at and begins):
                first = label
            if piece <= at:
                last = label
        if first is not None and last is not None:
            ranges[anchor] = PageRange(first, last)
    return ranges
