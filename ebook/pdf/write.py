"""Lay the rendered book out as a PDF with WeasyPrint.

Every document is laid out by document.py in a child process (workers.py), which ends with it, or
taken from the documents of the last build if nothing it is made from changed (cache.py).
A book of up to about 150 pages is laid out whole. A bigger one is laid out on both cores
(WeasyPrint lays out on one core, and its time per page and its memory grow with the document):
1. the body in runs of entries of about equal size (runs.py), cut at the opening of a theme when one is
   near. The first run begins the body, and a run that begins with a theme's opening begins on
   a right-hand page: such a run knows its sides, and has its running heads ("first", "sided").
   Any other run is laid out without them, since it does not know on which side its pages fall.
   No run draws page numbers: beside the first, the ten digits are laid out as page numbers
   ("digits");
2. once the runs have noted where their pages fall (laid out, before they write their PDFs):
   the front matter (its contents with the numbers the runs gave), the contributors index, and
   the running heads and page numbers of the runs without them (furniture.html);
3. join.py joins them (the runs while 2. is laid out), puts in the blank pages a whole
   layout would have, draws the heads over the body, puts the page numbers of the first and sided
   runs together from the digits (page_numbers.py), and swaps the photos in for their stand-ins.
A right-to-left book is laid out the same way: its documents that must begin on a right-hand page
are laid out after a page that is then dropped (lead.html). Tests check the result against a
whole layout, page by page, in both directions.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from ebook.pdf.cache import LayoutCache
from ebook.pdf.document import LaidOut, Layout, Placed, lay_out
from ebook.pdf.jobs import Jobs
from ebook.pdf.page_numbers import (
    BodyNumbers,
    BookPages,
    Numbers,
    needs_whole_layout,
    stitches_digits,
)
from ebook.pdf.page_starts import PageStart
from ebook.pdf.runs import GROUP_WEIGHT as GROUP_WEIGHT  # the facade's: start_pdf's default
from ebook.pdf.runs import (
    FurniturePage,
    Piece,
    body_groups,
    body_pages,
    furniture_halves,
    furniture_pages,
    whole_body,
)
from ebook.pdf.stand_ins import StandIns
from ebook.pdf.workers import Workers
from ebook.problems import Problem, problem
from ebook.render.views import RenderedBook
from ebook.templates.load import Layouts

if TYPE_CHECKING:
    from ebook.pdf.join import Joining


@dataclass(frozen=True)
class LaidOutPdf:
    data: bytes
    pages: int
    page_starts: tuple[PageStart, ...]  # where each page begins, for the EPUB's page list


@dataclass(frozen=True)
class PlacedPdf:
    """A PDF whose every page has its place, while its front and back matter may still be writing:
    where each page begins is known (for the EPUB's page list), and join() waits for them."""

    pages: int
    page_starts: tuple[PageStart, ...]
    join: Callable[[], tuple[bytes | None, list[Problem]]]  # the PDF, or the problems found


class _Begun(Protocol):
    """A document whose layout has begun, or the last build's."""

    def placed(self) -> Placed | None:
        """Where its pages fall, waiting until that is known; None: it lost an id (see laid)."""

    def laid(self) -> LaidOut:
        """All of it, waiting for it if need be."""


@dataclass(frozen=True)
class _Kept:
    """A document the last build laid out from the same things."""

    kept: LaidOut

    def placed(self) -> Placed | None:
        return self.kept.placed

    def laid(self) -> LaidOut:
        return self.kept


@dataclass(frozen=True)
class _InWorkers:
    """A document being laid out in a child process, kept for the next build once it is done."""

    workers: Workers
    cache: LayoutCache
    number: int  # the workers' job
    key: str  # the cache's

    def placed(self) -> Placed | None:
        placed: Placed | None = self.workers.note(self.number)
        return placed

    def laid(self) -> LaidOut:
        laid: LaidOut = self.workers.result(self.number)
        self.cache.put(self.key, laid)
        return laid


@dataclass(frozen=True)
class _Laying:
    """Begins the layout of documents: in the workers, or none if the last build left it laid out."""

    workers: Workers
    cache: LayoutCache

    def begin(self, layout: Layout) -> _Begun:
        """The document, laid out in a child process, or kept from the last build."""
        layout = dataclasses.replace(layout, patches=self.workers.patches)  # WeasyPrint's, on or off
        key = self.cache.key(layout)
        kept = self.cache.get(key)
        if kept is not None:
            return _Kept(kept)
        return _InWorkers(self.workers, self.cache, self.workers.submit(lay_out, layout, noting=True), key)


@dataclass(frozen=True)
class PendingPdf:
    """A PDF whose layout has begun: the whole book, or the runs of its body (see place_pdf)."""

    jobs: Jobs
    laying: _Laying
    groups: list[tuple[Piece, ...]]
    openings: list[set[str]]  # the anchors in each run that start on a right-hand page
    begun: list[_Begun]  # the layouts begun: the whole book, or the runs
    stand_ins: StandIns
    sided: list[bool] = dataclasses.field(default_factory=list)  # each run: has its running heads
    digits: _Begun | None = None  # the digits the numbers of the first and sided runs' pages are made of


def build_pdf(
    rendered: RenderedBook,
    layouts: Layouts,
    workers: Workers,
    group_weight: int = GROUP_WEIGHT,
    progress: Callable[[str], None] = lambda stage: None,
) -> tuple[LaidOutPdf | None, list[Problem]]:
    """The PDF in one call, keeping no document for a later build (benchmarks/stages.py)."""
    placed, problems = place_pdf(start_pdf(rendered, layouts, workers, LayoutCache(None), group_weight), progress)
    if placed is None:
        return None, problems
    data, problems = placed.join()
    return (LaidOutPdf(data, placed.pages, placed.page_starts) if data else None), problems


def start_pdf(
    rendered: RenderedBook,
    layouts: Layouts,
    workers: Workers,
    cache: LayoutCache,
    group_weight: int = GROUP_WEIGHT,
) -> PendingPdf:
    """Begin the layout in the workers and return at once: the caller has other work meanwhile."""
    laying = _Laying(workers, cache)
    css = layouts.text("book.css") + "\n" + layouts.text("print.css")
    digits = stitches_digits(layouts)
    languages = {v.anchor: v.entry.language for v in rendered.entries}
    jobs = Jobs(rendered, layouts, css, languages, digits)
    groups = whole_body(rendered) if needs_whole_layout(layouts) else body_groups(rendered, group_weight)
    stand_ins = StandIns()  # no layout waits for the photos: they go in once it is done
    if len(groups) == 1:
        whole = jobs.make(
            "whole",
            pieces=groups[0],
            pictures=(*(stand_ins.standing_in(image) for image in rendered.images), rendered.cover.loaded()),
            anchors=(rendered.parts[0].anchor, *(v.anchor for v in rendered.entries)),
        )
        return PendingPdf(jobs, laying, groups, [], [laying.begin(whole)], stand_ins)
    begun = []
    # Pages that start on the right: each theme's opening, and the acknowledgements that close the body.
    openings = [{piece.part.anchor for piece in pieces if piece.opens} for pieces in groups]
    if rendered.acknowledgements:
        openings[-1].add("acknowledgements")
    # A run that begins on a right-hand page knows its sides and has its own running heads; but
    # only the first knows its page numbers, and the others' are drawn from digits only when the
    # layouts are the built-in ones: else their heads and numbers come from furniture.html.
    sided = [g == 0 or (digits and pieces[0].opens) for g, pieces in enumerate(groups)]
    digits_begun = None
    for g, (pieces, opening) in enumerate(zip(groups, openings, strict=True)):
        photos = (p.image for piece in pieces for view in piece.entries for p in view.photos)
        pictures = tuple(stand_ins.standing_in(image) for image in photos)  # swapped in when joined
        anchors = (*sorted(opening), *(v.anchor for piece in pieces for v in piece.entries))
        section = "first" if g == 0 else "sided" if sided[g] else "body"
        layout = jobs.make(section, pieces=pieces, pictures=pictures, anchors=anchors, closes=pieces is groups[-1])
        begun.append(laying.begin(layout))
        if g == 0 and digits:
            # Pages 0 to 9, for the numbers of the first and sided runs' pages: laid out beside the
            # first run, before the others, which hold fewer pages.
            digits_begun = laying.begin(jobs.make("digits", 0, furniture=(FurniturePage("", ""),) * 10))
    return PendingPdf(jobs, laying, groups, openings, begun, stand_ins, sided, digits_begun)


def place_pdf(
    pending: PendingPdf,
    progress: Callable[[str], None] = lambda stage: None,
    body_placed: Callable[[tuple[PageStart, ...]], None] = lambda starts: None,
) -> tuple[PlacedPdf | None, list[Problem]]:
    """Wait until the runs are laid out, lay out what needs their page numbers meanwhile, join the
    runs' PDFs as they come, and give the place of every page; the rest is joined by its join().
    body_placed: given where the body's pages begin (their places counted from the body's first)
    as soon as the runs have noted it, while they write their PDFs; not called for a book laid out
    whole."""
    # pikepdf is imported only now: importing it took 0.03 s before the first layout could begin.
    from ebook.pdf.join import Joining

    jobs, laying, groups, layouts = pending.jobs, pending.laying, pending.groups, pending.jobs.layouts
    rendered = jobs.rendered
    if len(groups) == 1:
        laid = pending.begun[0].laid()
        problems = _problems(laid, layouts)
        return (None, problems) if problems else (PlacedPdf(laid.pages, laid.page_starts, _Whole(pending, laid)), [])

    # What needs the runs' page numbers begins as soon as each run is laid out, while it writes its PDF.
    placed: list[Placed] = []
    for count, begun in enumerate(pending.begun, start=1):
        progress(f"laying out the PDF, part {count} of {len(groups)}")
        where = begun.placed()
        if where is None:  # it lost an id the contents needs: its result says which
            return None, _problems(begun.laid(), layouts)
        placed.append(where)
    body = BodyNumbers(body_pages(pending.openings, placed), placed)
    numbers = {anchor: jobs.other_pages.number(number) for anchor, number in body.of_anchors().items()}
    progress("laying out the PDF: contents, index, running heads")
    front_begun = laying.begin(  # first: the longest of these
        jobs.make("front", pictures=(rendered.cover.loaded(),), page_of=numbers.get)
    )
    back_begun = laying.begin(jobs.make("back", body.contributors(), page_of=numbers.get, anchors=("contributors",)))
    # The pages of runs laid out without running heads get them, with their numbers, from
    # furniture.html; those of sided runs from the digits, or the first run has its own.
    furniture = furniture_pages(groups, placed, body.body, layouts.labels["acknowledgements"])
    headless, halves = furniture_halves(body.body, pending.sided)
    heads = [laying.begin(jobs.make("furniture", begin + 1, furniture=furniture[begin:end])) for begin, end in halves]
    body_placed(tuple(body.page_starts(0, jobs.number_styles)))
    # The runs are joined as they finish, while the contents, the index and the heads are laid out.
    joining = Joining()
    run_problems: list[Problem] = []
    for number, begun in enumerate(pending.begun, start=1):
        laid = begun.laid()
        run_problems += _problems(laid, layouts)
        if not run_problems:
            joining.add(number, laid.data)
    front, back = front_begun.placed(), back_begun.placed()  # their places, while they write
    if front is None or back is None:  # one lost an id: its result says which
        joining.close()
        return None, _problems(front_begun.laid(), layouts) + _problems(back_begun.laid(), layouts)
    assert back.anchors["contributors"] == 1, "the contents gave the index the wrong page"
    book = BookPages.of(front, body, back, rendered.book.config.direction == "rtl")
    join = _Join(pending, joining, run_problems, body, book, front_begun, back_begun, heads, headless, halves)
    return PlacedPdf(len(book.sequence), book.page_starts(front, body, back, jobs.number_styles), join), []


@dataclass(frozen=True)
class _Whole:
    """The PDF of a book laid out whole, with its photos in."""

    pending: PendingPdf
    laid: LaidOut

    def __call__(self) -> tuple[bytes | None, list[Problem]]:
        from ebook.pdf.join import replace_pictures

        if not self.pending.jobs.rendered.images:
            return self.laid.data, []
        return replace_pictures(self.laid.data, self.pending.stand_ins.original), []


@dataclass(frozen=True)
class _Join:
    """The front and back matter joined to the runs once they are written, then the running heads,
    the page numbers and the photos: what is left of a book laid out in parts once its pages have
    their places."""

    pending: PendingPdf
    joining: Joining
    run_problems: list[Problem]
    body: BodyNumbers
    book: BookPages
    front: _Begun
    back: _Begun
    heads: list[_Begun]  # the documents of furniture.html
    headless: list[int]  # the body pages they go over
    halves: list[tuple[int, int]]  # the body pages each of them covers

    def __call__(self) -> tuple[bytes | None, list[Problem]]:
        pending, joining, layouts = self.pending, self.joining, self.pending.jobs.layouts
        groups, front_pages = pending.groups, self.book.front_pages
        problems = list(self.run_problems)
        with joining:
            # The index first: laid out after the contents and shorter, it is written first.
            for number, begun in ((len(groups) + 1, self.back), (0, self.front)):
                laid = begun.laid()
                problems += _problems(laid, layouts)
                if not problems:
                    joining.add(number, laid.data)
            heads_laid = [begun.laid() for begun in self.heads]
            digits_laid = pending.digits.laid() if pending.digits else None
            problems += [
                p for laid in [*heads_laid, *([digits_laid] if digits_laid else [])] for p in _problems(laid, layouts)
            ]
            if problems:
                return None, problems
            wanted = set(self.headless)
            overlays = [[front_pages + i if i in wanted else None for i in range(b, e)] for b, e in self.halves]
            stamped = self.body.stamped(pending.sided, front_pages)
            data = joining.finish(
                self.book.sequence,
                front_pages,
                list(zip((laid.data for laid in heads_laid), overlays, strict=True)),
                [0, *(0 if pieces[0].opens else len(pieces[0].entries) for pieces in groups), 0],
                pending.stand_ins.original,
                Numbers(digits_laid.data, digits_laid.widths, stamped) if digits_laid and stamped else None,
                pending.jobs.number_styles,
            )
        return data, []


def _problems(laid: LaidOut, layouts: Layouts) -> list[Problem]:
    if laid.lost:
        message = f'the layout dropped the id "{laid.lost}" that the contents and the page numbers need'
        return [problem(layouts.shown("pdf.html"), 0, 0, "L003", message)]
    return [problem(layouts.shown("pdf.html"), 0, 0, "L002", f"WeasyPrint: {m}") for m in laid.messages]
