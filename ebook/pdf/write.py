"""Lay the rendered book out as a PDF with WeasyPrint.

Every document is laid out by lay_out.py in a child process (workers.py), which ends with it, or
taken from the documents of the last build if nothing it is made from changed (layout_cache.py).
A book of up to about 150 pages is laid out whole. A bigger one is laid out on both cores
(WeasyPrint lays out on one core, and its time per page and its memory grow with the document):
1. the body in runs of entries of about equal size, cut at the opening of a theme when one is
   near. The first run begins the body, and a run that begins with a theme's opening begins on
   a right-hand page: such a run knows its sides, and has its running heads ("first", "sided").
   Any other run is laid out without them, since it does not know on which side its pages fall.
   No run draws page numbers: beside the first, the ten digits are laid out as page numbers
   ("digits");
2. once the runs have noted where their pages fall (laid out, before they write their PDFs):
   the front matter (its contents with the numbers the runs gave), the contributors index, and
   the running heads and page numbers of the runs without them (furniture.html);
3. merge_pdf.py joins them (the runs while 2. is laid out), puts in the blank pages a whole
   layout would have, draws the heads over the body, puts the page numbers of the first and sided
   runs together from the digits, and swaps the photos in for their stand-ins.
A right-to-left book is laid out the same way: its documents that must begin on a right-hand page
are laid out after a page that is then dropped (lead.html). Tests check the result against a
whole layout, page by page, in both directions.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
from collections.abc import Callable
from dataclasses import dataclass

from ebook.pdf.cache import LayoutCache
from ebook.pdf.document import ASSET_SCHEME, DRAWN_OVER, LINK_SCHEME, LaidOut, Layout, Placed, lay_out
from ebook.pdf.page_starts import PageStart
from ebook.pdf.stand_ins import StandIns
from ebook.pdf.workers import Workers
from ebook.problems import Problem, problem
from ebook.render.pictures import PreparedImage
from ebook.render.views import EntryView, PartView, RenderedBook
from ebook.templates.load import Layouts


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


@dataclass(frozen=True)
class _Jobs:
    """Makes the Layout of each document of one book."""

    rendered: RenderedBook
    layouts: Layouts
    css: str
    languages: dict[str, str]  # entry anchor -> language

    def make(
        self,
        section: str,
        first_number: int = 1,
        pieces: tuple[Piece, ...] = (),
        pictures: tuple[PreparedImage, ...] = (),
        page_of: Callable[[str], str | None] = lambda anchor: None,
        anchors: tuple[str, ...] = (),
        furniture: tuple[FurniturePage, ...] = (),
        closes: bool = False,
    ) -> Layout:
        rendered, book = self.rendered, self.rendered.book
        # In a right-to-left book these begin on a right-hand page, which WeasyPrint would put on the left.
        lead = book.config.direction == "rtl" and section in ("first", "sided", "back", "furniture")
        template = self.layouts.env.get_template("furniture.html" if section in DRAWN_OVER else "pdf.html")
        html = template.render(
            book=book,
            labels=self.layouts.labels,
            section=section,
            parts=rendered.parts,
            pieces=pieces,
            pages=furniture,
            foreword=rendered.foreword,
            acknowledgements=rendered.acknowledgements,
            countries=rendered.countries,
            cover=rendered.cover,
            first_number=first_number,
            closes=closes,
            lead=lead,
            src=lambda image: ASSET_SCHEME + image.name,
            href=lambda view: _link(view.anchor, page_of),
            link=lambda anchor: _link(anchor, page_of),
            page_of=page_of,
        )
        assets = {ASSET_SCHEME + image.name: image for image in pictures}
        used = {a: self.languages[a] for a in anchors if a in self.languages}
        return Layout(
            section,
            html,
            self.css,
            assets,
            first_number,
            anchors,
            used,
            lead,
            book.config.language,
            book.config.identifier.encode(),
            int(book.modified.timestamp()),
        )


@dataclass(frozen=True)
class _Laying:
    """Begins the layout of documents: in the workers, or none if the last build left it laid out."""

    workers: Workers
    cache: LayoutCache

    def begin(self, layout: Layout) -> _Begun:
        """The document, laid out in a child process, or kept from the last build."""
        key = self.cache.key(layout)
        kept = self.cache.get(key)
        if kept is not None:
            return _Begun(lambda: kept.placed, lambda: kept)
        number = self.workers.submit(lay_out, layout, noting=True)

        def result() -> LaidOut:
            laid: LaidOut = self.workers.result(number)
            self.cache.put(key, laid)
            return laid

        return _Begun(lambda: self.workers.note(number), result)


@dataclass(frozen=True)
class _Begun:
    """A document whose layout has begun, or the last build's."""

    placed: Callable[[], Placed | None]  # where its pages fall, waiting until that is known; None: see laid
    laid: Callable[[], LaidOut]  # all of it, waiting for it if need be


@dataclass(frozen=True)
class PendingPdf:
    """A PDF whose layout has begun: the whole book, or the runs of its body (see finish_pdf)."""

    jobs: _Jobs
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
    jobs = _Jobs(rendered, layouts, css, {v.anchor: v.entry.language for v in rendered.entries})
    groups = _body_groups(rendered, group_weight)
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
    sided = [g == 0 or pieces[0].opens for g, pieces in enumerate(groups)]
    digits = None
    for g, (pieces, opening) in enumerate(zip(groups, openings, strict=True)):
        photos = (p.image for piece in pieces for view in piece.entries for p in view.photos)
        pictures = tuple(stand_ins.standing_in(image) for image in photos)  # swapped in when joined
        anchors = (*sorted(opening), *(v.anchor for piece in pieces for v in piece.entries))
        section = "first" if g == 0 else "sided" if sided[g] else "body"
        layout = jobs.make(section, pieces=pieces, pictures=pictures, anchors=anchors, closes=pieces is groups[-1])
        begun.append(laying.begin(layout))
        if g == 0:
            # Pages 0 to 9, for the numbers of the first and sided runs' pages: laid out beside the
            # first run, before the others, which hold fewer pages.
            digits = laying.begin(jobs.make("digits", 0, furniture=(FurniturePage("", ""),) * 10))
    return PendingPdf(jobs, laying, groups, openings, begun, stand_ins, sided, digits)


def place_pdf(
    pending: PendingPdf, progress: Callable[[str], None] = lambda stage: None
) -> tuple[PlacedPdf | None, list[Problem]]:
    """Wait until the runs are laid out, lay out what needs their page numbers meanwhile, join the
    runs' PDFs as they come, and give the place of every page; the rest is joined by its join()."""
    # pikepdf is imported only now: importing it took 0.03 s before the first layout could begin.
    from ebook.pdf.join import Joining, Numbers, replace_pictures

    jobs, laying, groups, layouts = pending.jobs, pending.laying, pending.groups, pending.jobs.layouts
    rendered, stand_ins = jobs.rendered, pending.stand_ins
    if len(groups) == 1:
        laid = pending.begun[0].laid()
        problems = _problems(laid, layouts)
        if problems:
            return None, problems

        def whole() -> tuple[bytes | None, list[Problem]]:
            return (replace_pictures(laid.data, stand_ins.original) if rendered.images else laid.data), []

        return PlacedPdf(laid.pages, laid.page_starts, whole), []

    # What needs the runs' page numbers begins as soon as each run is laid out, while it writes its PDF.
    placed: list[Placed] = []
    for count, begun in enumerate(pending.begun, start=1):
        progress(f"laying out the PDF, part {count} of {len(groups)}")
        where = begun.placed()
        if where is None:  # it lost an id the contents needs: its result says which
            return None, _problems(begun.laid(), layouts)
        placed.append(where)
    body = _body_pages(pending.openings, placed)
    index = {place: i for i, place in enumerate(body)}
    numbers = {
        anchor: str(index[(g, page - 1)] + 1) for g, run in enumerate(placed) for anchor, page in run.anchors.items()
    }
    numbers["contributors"] = str(len(body) + 1 + len(body) % 2)  # it starts on a right-hand page
    progress("laying out the PDF: contents, index, running heads")
    front_begun = laying.begin(  # first: the longest of these
        jobs.make("front", pictures=(rendered.cover.loaded(),), page_of=numbers.get)
    )
    back_begun = laying.begin(
        jobs.make("back", int(numbers["contributors"]), page_of=numbers.get, anchors=("contributors",))
    )
    # The pages of runs laid out without running heads get them, with their numbers, from
    # furniture.html; those of the first and sided runs get their numbers from the digits.
    furniture = _furniture(groups, placed, body, layouts.labels["acknowledgements"])
    headless = [i for i, place in enumerate(body) if place is not None and not pending.sided[place[0]]]
    halves = []
    if headless:
        start, end = headless[0] - headless[0] % 2, headless[-1] + 1  # heads begin on a right-hand page
        middle = start + (end - start) // 4 * 2 if end - start > FURNITURE_PAGES else end
        halves = [(begin, stop) for begin, stop in ((start, middle), (middle, end)) if begin < stop]
    heads = [laying.begin(jobs.make("furniture", begin + 1, furniture=furniture[begin:end])) for begin, end in halves]
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
    # The body begins on a right-hand page: the book's first page is a right-hand one, or in a
    # right-to-left book a left-hand one.
    blank = (front.pages + (rendered.book.config.direction == "rtl")) % 2
    front_pages = front.pages + blank
    sequence: list[tuple[int, int] | None] = [(0, p) for p in range(front.pages)] + [None] * blank
    sequence += [None if place is None else (place[0] + 1, place[1]) for place in body]
    sequence += [None] * (len(body) % 2) + [(len(groups) + 1, p) for p in range(back.pages)]
    # Where pages begin, with the places and numbers they have in the book.
    starts = [*front.page_starts]
    for g, run in enumerate(placed):
        for begins in run.page_starts:
            at = index[(g, begins.index)]  # in the body
            starts.append(dataclasses.replace(begins, label=str(at + 1), index=front_pages + at))
    back_at = len(sequence) - back.pages
    starts += [dataclasses.replace(begins, index=back_at + begins.index) for begins in back.page_starts]

    def join() -> tuple[bytes | None, list[Problem]]:
        """The front and back matter joined to the runs once they are written, then the rest."""
        problems = list(run_problems)
        with joining:
            # The index first: laid out after the contents and shorter, it is written first.
            for number, begun in ((len(groups) + 1, back_begun), (0, front_begun)):
                laid = begun.laid()
                problems += _problems(laid, layouts)
                if not problems:
                    joining.add(number, laid.data)
            heads_laid = [begun.laid() for begun in heads]
            digits_laid = pending.digits.laid() if pending.digits else None
            problems += [
                p for laid in [*heads_laid, *([digits_laid] if digits_laid else [])] for p in _problems(laid, layouts)
            ]
            if problems:
                return None, problems
            wanted = set(headless)
            overlays = [[front_pages + i if i in wanted else None for i in range(begin, end)] for begin, end in halves]
            stamped = {  # a page WeasyPrint left blank in a run has no number, as in a whole layout
                front_pages + i: str(i + 1)
                for i, place in enumerate(body)
                if place is not None and pending.sided[place[0]] and place[1] not in placed[place[0]].blanks
            }
            data = joining.finish(
                sequence,
                front_pages,
                list(zip((laid.data for laid in heads_laid), overlays, strict=True)),
                [0, *(0 if pieces[0].opens else len(pieces[0].entries) for pieces in groups), 0],
                stand_ins.original,
                Numbers(digits_laid.data, digits_laid.widths, stamped) if digits_laid and stamped else None,
            )
        return data, []

    return PlacedPdf(len(sequence), tuple(starts), join), []


def _link(anchor: str, page_of: Callable[[str], str | None]) -> str:
    """A place in this document is a fragment; a place laid out in another one, a LINK_SCHEME URI."""
    return f"{LINK_SCHEME}{anchor}" if page_of(anchor) else f"#{anchor}"


def _body_groups(rendered: RenderedBook, limit: int) -> list[tuple[Piece, ...]]:
    """The body in runs of entries of about equal weight, at least two when it is not laid out
    whole, each cut at a theme's opening if one is near (then the run has its own running heads)."""

    def weight(view: EntryView) -> int:
        return 1_500 + len(view.body) + 2_000 * len(view.photos)

    opening = 2_000
    items = [(part, view) for part in rendered.parts for view in (None, *part.entries)]  # None: an opening page
    ends = list(itertools.accumulate(opening if view is None else weight(view) for _, view in items))
    total = ends[-1]
    if total <= min(WHOLE_WEIGHT, limit):
        return [tuple(Piece(part, part.entries, True) for part in rendered.parts)]
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


def _body_pages(openings: list[set[str]], laid_out: list[Placed]) -> list[tuple[int, int] | None]:
    """Each body page in order as (run, page of that run), with None for the blank page before what
    would otherwise start on a left-hand page (body pages 1, 3, 5… are right-hand). A run that
    begins on a right-hand page (the first, and the sided ones) has those inside it already."""
    body: list[tuple[int, int] | None] = []
    for g, (anchors, laid) in enumerate(zip(openings, laid_out, strict=True)):
        right = {laid.anchors[anchor] - 1 for anchor in anchors} if g else set()
        for page in range(laid.pages):
            if page in right and len(body) % 2:
                body.append(None)
            body.append((g, page))
    return body


def _furniture(
    groups: list[tuple[Piece, ...]], laid_out: list[Placed], body: list[tuple[int, int] | None], closing: str
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


def _problems(laid: LaidOut, layouts: Layouts) -> list[Problem]:
    if laid.lost:
        message = f'the layout dropped the id "{laid.lost}" that the contents and the page numbers need'
        return [problem(layouts.shown("pdf.html"), 0, 0, "L003", message)]
    return [problem(layouts.shown("pdf.html"), 0, 0, "L002", f"WeasyPrint: {m}") for m in laid.messages]
