"""Where page numbers come from in a book laid out in parts (a book laid out whole numbers its own
pages: print.css). The body's pages are numbered from 1 on its first page and the back matter
follows; the front matter is numbered in roman (print.css), and its pages are put before the
body's, with a blank page where the body would otherwise begin on a left-hand page. The contents
and the index get the numbers of pages in other documents as data-page; the runs without running
heads get heads and numbers from furniture.html; the numbers of the other runs' pages are put
together from ten pages numbered 0 to 9 ("digits").
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ebook.pdf.document import Placed
from ebook.pdf.page_starts import PageStart
from ebook.pdf.runs import BodyPage


@dataclass(frozen=True)
class Numbers:
    """Page numbers put together from a document of the ten digits, each centred on its page as a
    page number, for pages laid out without theirs (only with the built-in layouts, see above)."""

    digits: bytes  # its page d shows the digit d
    widths: tuple[float, ...]  # the width of each digit, in points
    pages: dict[int, str]  # the number each page of the book shows, by its index

    def placed(self, number: str) -> list[tuple[int, float]]:
        """Each digit of a number, and how far right of its own page's place it goes."""
        left = -sum(self.widths[int(d)] for d in number) / 2
        placed = []
        for digit in map(int, number):
            placed.append((digit, left + self.widths[digit] / 2))
            left += self.widths[digit]
        return placed


@dataclass(frozen=True)
class BodyNumbers:
    """The body's pages in order, once its runs are laid out: the number of each, and of the places
    the contents and the index point to."""

    body: list[BodyPage]  # see runs.body_pages
    placed: list[Placed]  # each run's

    def index(self) -> dict[tuple[int, int], int]:
        """Each run's page -> its place in the body, from 0 (its number is one more)."""
        return {place: i for i, place in enumerate(self.body) if place is not None}

    def contributors(self) -> int:
        """The first number of the back matter: the index starts on a right-hand page."""
        return len(self.body) + 1 + len(self.body) % 2

    def of_anchors(self) -> dict[str, int]:
        """The number of the page each place the contents and the index point to is on."""
        index = self.index()
        runs = enumerate(self.placed)
        numbers = {anchor: index[(g, page - 1)] + 1 for g, run in runs for anchor, page in run.anchors.items()}
        numbers["contributors"] = self.contributors()
        return numbers

    def stamped(self, sided: list[bool], front_pages: int) -> dict[int, str]:
        """The number each page of a sided run shows, by its place in the book: a page WeasyPrint
        left blank in a run has none, as in a whole layout."""
        return {
            front_pages + i: str(i + 1)
            for i, place in enumerate(self.body)
            if place is not None and sided[place[0]] and place[1] not in self.placed[place[0]].blanks
        }


@dataclass(frozen=True)
class BookPages:
    """The book's pages in order as (document, page of it), with None for a blank page; documents
    are numbered 0 (the front matter), 1… (the runs), then the back matter."""

    sequence: list[tuple[int, int] | None]
    front_pages: int  # the pages before the body, the blank one included (numbered in roman)

    @classmethod
    def of(cls, front: Placed, body: BodyNumbers, back: Placed, right_to_left: bool) -> BookPages:
        # The body begins on a right-hand page: the book's first page is a right-hand one, or in a
        # right-to-left book a left-hand one.
        blank = (front.pages + right_to_left) % 2
        sequence: list[tuple[int, int] | None] = [(0, p) for p in range(front.pages)] + [None] * blank
        sequence += [None if place is None else (place[0] + 1, place[1]) for place in body.body]
        sequence += [None] * (len(body.body) % 2) + [(len(body.placed) + 1, p) for p in range(back.pages)]
        return cls(sequence, front.pages + blank)

    def page_starts(self, front: Placed, body: BodyNumbers, back: Placed) -> tuple[PageStart, ...]:
        """Where pages begin, with the places and numbers they have in the book."""
        index = body.index()
        starts = [*front.page_starts]
        for g, run in enumerate(body.placed):
            for begins in run.page_starts:
                at = index[(g, begins.index)]  # in the body
                starts.append(dataclasses.replace(begins, label=str(at + 1), index=self.front_pages + at))
        back_at = len(self.sequence) - back.pages
        starts += [dataclasses.replace(begins, index=back_at + begins.index) for begins in back.page_starts]
        return tuple(starts)
