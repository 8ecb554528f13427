"""The runs a big book's body is laid out in: which entries go in each, and, once they are laid
out, the body's pages in order and the running heads of each (see write.py for the whole plan)."""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass

from ebook.pdf.document import Placed
from ebook.render.views import EntryView, PartView, RenderedBook

# A book of up to about 150 A5 pages (a unit is a character of text; a page break and a photo
# count for what they take) is laid out whole. A bigger one is laid out in runs of at most about
# 200 pages, two at a time, each in a child process that gives its memory back when it ends.
WHOLE_WEIGHT = 280_000
GROUP_WEIGHT = 380_000
# The running heads of more body pages than this are laid out in two documents, side by side.
FURNITURE_PAGES = 400
# A run is cut at a theme's opening, and so has its own running heads, if that makes it heavier
# or lighter by at most this share of a run's weight.
OPENING_REACH = 0.05

# A body page as (run, page of that run), or None for a blank page put in when the runs are joined.
BodyPage = tuple[int, int] | None


@dataclass(frozen=True)
class Piece:
    """A theme's share of one document: some of its entries, and its opening page or not."""

    part: PartView
    entries: tuple[EntryView, ...]
    opens: bool


@dataclass(frozen=True)
class FurniturePage:
    part: str  # the theme title the left-hand running head shows
    entry: str  # the entry title the right-hand running head shows


def whole_body(rendered: RenderedBook) -> list[tuple[Piece, ...]]:
    """The body in one run: the book is laid out whole."""
    return [tuple(Piece(part, part.entries, True) for part in rendered.parts)]


def body_groups(rendered: RenderedBook, limit: int) -> list[tuple[Piece, ...]]:
    """The body in runs of entries of about equal weight, at least two when it is not laid out
    whole, each cut at a theme's opening if one is near (then the run has its own running heads)."""

    def weight(view: EntryView) -> int:
        return 1_500 + len(view.body) + 2_000 * len(view.photos)

    opening = 2_000
    items = [(part, view) for part in rendered.parts for view in (None, *part.entries)]  # None: an opening page
    ends = list(itertools.accumulate(opening if view is None else weight(view) for _, view in items))
    total = ends[-1]
    if total <= min(WHOLE_WEIGHT, limit):
        return whole_body(rendered)
    count = max(2, -(-total // limit))
    target = total / count
    openings = [i for i, (_, view) in enumerate(items) if view is None]
    cuts = [0]  # where each run begins
    for k in range(1, count):
        ideal = k * target

        def off(i: int, ideal: float = ideal) -> float:
            return abs((ends[i - 1] if i else 0) - ideal)

        near = [i for i in openings if off(i) <= OPENING_REACH * target]
        cut = min(near, key=off) if near else bisect.bisect_right(ends, ideal)
        if cuts[-1] < cut < len(items):
            cuts.append(cut)
    groups = []
    for begin, end in itertools.pairwise([*cuts, len(items)]):
        pieces: list[Piece] = []
        for part, view in items[begin:end]:
            if view is None:
                pieces.append(Piece(part, (), True))
            elif pieces and pieces[-1].part is part:
                pieces[-1] = Piece(part, (*pieces[-1].entries, view), pieces[-1].opens)
            else:
                pieces.append(Piece(part, (view,), False))
        groups.append(tuple(pieces))
    return groups


def body_pages(openings: list[set[str]], laid_out: list[Placed]) -> list[BodyPage]:
    """Each body page in order as (run, page of that run), with None for the blank page before what
    would otherwise start on a left-hand page (body pages 1, 3, 5… are right-hand). A sided run
    (one that begins on a right-hand page and knows its sides) has those inside it already: there
    its openings fall on right-hand pages, and only a blank page before the run may be wanted."""
    body: list[BodyPage] = []
    for g, (anchors, laid) in enumerate(zip(openings, laid_out, strict=True)):
        right = {laid.anchors[anchor] - 1 for anchor in anchors}
        for page in range(laid.pages):
            if page in right and len(body) % 2:
                body.append(None)
            body.append((g, page))
    return body


def furniture_pages(
    groups: list[tuple[Piece, ...]], laid_out: list[Placed], body: list[BodyPage], closing: str
) -> tuple[FurniturePage, ...]:
    """The titles each body page's running heads show: those of the theme or entry that starts on
    it, or else of the last one before (print.css sets them from the headings)."""
    starts: dict[tuple[int, int], FurniturePage] = {}
    for g, (pieces, laid) in enumerate(zip(groups, laid_out, strict=True)):
        for piece in pieces:
            title = piece.part.part.theme.title
            if piece.opens:
                starts[(g, laid.anchors[piece.part.anchor] - 1)] = FurniturePage(title, "")
            for view in piece.entries:
                starts[(g, laid.anchors[view.anchor] - 1)] = FurniturePage(title, view.entry.title)
    if "acknowledgements" in laid_out[-1].anchors:
        starts[(len(groups) - 1, laid_out[-1].anchors["acknowledgements"] - 1)] = FurniturePage(closing, closing)
    pages, current = [], FurniturePage("", "")
    for place in body:
        current = starts.get(place, current) if place is not None else current
        pages.append(current)
    return tuple(pages)


def furniture_halves(body: list[BodyPage], sided: list[bool]) -> tuple[list[int], list[tuple[int, int]]]:
    """The body pages that get their running heads and numbers from furniture.html (those of runs
    laid out without them), and the ranges of body pages its one or two documents cover."""
    headless = [i for i, place in enumerate(body) if place is not None and not sided[place[0]]]
    if not headless:
        return headless, []
    start, end = headless[0] - headless[0] % 2, headless[-1] + 1  # heads begin on a right-hand page
    middle = start + (end - start) // 4 * 2 if end - start > FURNITURE_PAGES else end
    return headless, [(begin, stop) for begin, stop in ((start, middle), (middle, end)) if begin < stop]
