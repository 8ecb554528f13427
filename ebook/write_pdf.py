"""Lay the rendered book out as a PDF with WeasyPrint.

A book of up to about 400 pages is laid out whole, in this process. A bigger one is laid out in
groups of themes, each in a child process that ends with it, then the back matter and the front
matter with the page numbers the groups gave, and merge_pdf.py joins them (WeasyPrint's time per
page and its memory grow with the document; this way they stay those of one group).

WeasyPrint's default fetcher reads any local file and the network, and `<link rel=attachment>`
embeds files into the PDF, so it gets a fetcher that serves only the build's own pictures from
memory; anything else it asks for, and any warning it logs, fails the build.
"""

from __future__ import annotations

import bisect
import contextlib
import gc
import logging
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from ebook.images import PreparedImage
from ebook.layouts import Layouts
from ebook.merge_pdf import LINK_SCHEME, merge
from ebook.pages import PageStart, find_page_starts, page_labels
from ebook.problems import Problem, problem
from ebook.render import PartView, RenderedBook
from ebook.stand_ins import StandIns

ASSET_SCHEME = "make-book-asset:"


@dataclass(frozen=True)
class LaidOutPdf:
    data: bytes
    pages: int
    page_starts: tuple[PageStart, ...]  # where each page begins, for the EPUB's page list


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def _fewer_full_collections() -> Iterator[None]:
    """Layout makes millions of small objects that live until the PDF is written. Python's full
    collections scan them all again and again, which made a 1,400-entry build grow faster than
    its size; young generations are still collected. Measured on 420 entries: 48.3 s -> 42.3 s,
    the same peak memory."""
    saved = gc.get_threshold()
    gc.set_threshold(50_000, 50, 1_000)
    try:
        yield
    finally:
        gc.set_threshold(*saved)


@contextlib.contextmanager
def _remembered_page_references() -> Iterator[None]:
    """pydyf rebuilds its list of page references at every use, and WeasyPrint's tagging uses it
    once per tag: quadratic in the page count, about a third of a 1,400-entry build. While make-book
    writes a PDF, the list is kept until a page is added (pages are only ever appended)."""
    import pydyf

    original = pydyf.PDF.page_references

    def page_references(pdf: Any) -> tuple[bytes, ...]:
        count = len(pdf.pages["Kids"])
        cached = pdf.__dict__.get("_make_book_page_references")
        if cached is None or cached[0] != count:
            cached = (count, original.fget(pdf))
            pdf.__dict__["_make_book_page_references"] = cached
        return cached[1]  # type: ignore[no-any-return]

    pydyf.PDF.page_references = property(page_references)
    try:
        yield
    finally:
        pydyf.PDF.page_references = original


@contextlib.contextmanager
def _faster_compression() -> Iterator[None]:
    """pydyf compresses every stream at zlib's level 9. Level 6 makes the PDF 0.8 % bigger and the
    whole PDF step 9 % faster (a 150-page part: 4.4 s -> 4.0 s)."""
    import types
    import zlib

    import pydyf

    saved = pydyf.zlib
    pydyf.zlib = types.SimpleNamespace(
        compress=lambda data, level=6: zlib.compress(data, 6), compressobj=lambda level=6: zlib.compressobj(6)
    )
    try:
        yield
    finally:
        pydyf.zlib = saved


@contextlib.contextmanager
def _source_date(epoch: int) -> Iterator[None]:
    """fontTools stamps the fonts it subsets with the current time unless SOURCE_DATE_EPOCH is set,
    and WeasyPrint offers no way to pass the date on; without this two builds differ in the fonts."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def _fetcher(assets: dict[str, PreparedImage], stand_ins: StandIns | None) -> Any:
    """Serves the book's pictures and nothing else; JPEGs as stand-ins, if given them."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class AssetsOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url not in assets:
                raise ValueError(f"make-book serves only its own pictures, not {url[:200]}")
            image = assets[url]
            jpeg = image.media_type == "image/jpeg"
            data = stand_ins.data(image) if stand_ins is not None and jpeg else image.data
            return URLFetcherResponse(url, data, {"Content-Type": image.media_type})

    return AssetsOnly(allowed_protocols=(), allow_redirects=False)


@dataclass(frozen=True)
class Layout:
    """One WeasyPrint document to lay out, with everything it needs: it can go to a child process."""

    section: str  # "whole", or "front", "body" (a group of themes), "back"; see pdf.html
    html: str
    css: str
    assets: dict[str, PreparedImage]  # the pictures it may fetch, by URL
    first_number: int  # the printed number of its first body page (body and back)
    anchors: tuple[str, ...]  # the ids whose pages the contents and the index need
    languages: dict[str, str]  # entry id -> language, for the article tags
    main_language: str
    identifier: bytes
    epoch: int


@dataclass(frozen=True)
class LaidOut:
    data: bytes
    pages: int
    anchors: dict[str, int]  # each wanted id -> the 1-based page of this document it is on
    page_starts: tuple[PageStart, ...]
    front_pages: int  # whole: the pages before the first theme, numbered in roman
    lost: str | None  # a wanted id the layout dropped
    messages: tuple[str, ...]  # WeasyPrint's warnings


# About 400 A5 pages of text (a unit is a character; a page break and a photo count for what they take).
# A book bigger than this is laid out in groups of themes, one child process each, and joined:
# time grows with the book instead of faster, memory stays that of one group, and the pictures of
# later groups are prepared on the other core while the first ones are laid out.
GROUP_WEIGHT = 800_000


def build_pdf(
    rendered: RenderedBook,
    layouts: Layouts,
    group_weight: int = GROUP_WEIGHT,
    progress: Callable[[str], None] = lambda stage: None,
) -> tuple[LaidOutPdf | None, list[Problem]]:
    book = rendered.book
    template = layouts.env.get_template("pdf.html")
    css = layouts.text("book.css") + "\n" + layouts.text("print.css")
    groups = _theme_groups(rendered, group_weight)
    entry_anchors = tuple(v.anchor for v in rendered.entries)
    languages = {v.anchor: v.entry.language for v in rendered.entries}

    def job(
        section: str,
        parts: tuple[PartView, ...],
        pictures: tuple[PreparedImage, ...],
        first_number: int,
        page_of: Callable[[str], str | None],
        anchors: tuple[str, ...],
    ) -> Layout:
        html = template.render(
            book=book,
            labels=layouts.labels,
            section=section,
            parts=parts,
            foreword=rendered.foreword,
            acknowledgements=rendered.acknowledgements,
            countries=rendered.countries,
            cover=rendered.cover,
            first_number=first_number,
            src=lambda image: ASSET_SCHEME + image.name,
            href=lambda view: _link(view.anchor, page_of),
            link=lambda anchor: _link(anchor, page_of),
            page_of=page_of,
        )
        assets = {ASSET_SCHEME + image.name: image for image in pictures}
        used = {a: languages[a] for a in anchors if a in languages}
        return Layout(
            section,
            html,
            css,
            assets,
            first_number,
            anchors,
            used,
            book.config.language,
            book.config.identifier.encode(),
            int(book.modified.timestamp()),
        )

    if len(groups) == 1:
        whole = job(
            "whole",
            rendered.parts,
            (*rendered.images, rendered.cover),
            1,
            lambda anchor: None,
            (rendered.parts[0].anchor, *entry_anchors),
        )
        laid = lay_out(whole, StandIns())  # in this process, while the photos are prepared
        problems = _problems(laid, layouts)
        if problems:
            return None, problems
        return LaidOutPdf(laid.data, laid.pages, laid.page_starts), []

    _load_hyphenation(languages.values())  # once, before the child processes that share it
    numbers: dict[str, str] = {}
    laid_out: list[LaidOut] = []
    number = 1  # the printed number of the next group's first page, always a right-hand page
    for count, group in enumerate(groups, start=1):
        progress(f"laying out the PDF, part {count} of {len(groups) + 1}")
        # The group's own pictures are waited for; later groups' are prepared during its layout.
        pictures = tuple(p.image.loaded() for part in group for view in part.entries for p in view.photos)
        anchors = tuple(a for part in group for a in (part.anchor, *(v.anchor for v in part.entries)))
        laid = _in_child(lay_out, job("body", group, pictures, number, lambda anchor: None, anchors))
        problems = _problems(laid, layouts)
        if problems:
            return None, problems
        numbers |= {anchor: str(number + page - 1) for anchor, page in laid.anchors.items()}
        laid_out.append(laid)
        number += laid.pages + (laid.pages % 2)  # a blank page before a theme that would start on the left
    progress(f"laying out the PDF, part {len(groups) + 1} of {len(groups) + 1} (contents and index)")
    back_anchors = (*(("acknowledgements",) if rendered.acknowledgements else ()), "contributors")
    back = _in_child(lay_out, job("back", (), (), number, numbers.get, back_anchors))
    numbers |= {anchor: str(number + page - 1) for anchor, page in back.anchors.items()}
    front = _in_child(lay_out, job("front", rendered.parts, (rendered.cover.loaded(),), 1, numbers.get, ()))
    problems = _problems(back, layouts) + _problems(front, layouts)
    if problems:
        return None, problems
    front_pages = front.pages + front.pages % 2
    data = merge([front.data, *(laid.data for laid in laid_out), back.data], front_pages)
    starts = tuple(start for laid in (front, *laid_out, back) for start in laid.page_starts)
    pages = front_pages + number - 1 + back.pages
    return LaidOutPdf(data, pages, starts), []


def _link(anchor: str, page_of: Callable[[str], str | None]) -> str:
    """A place in this document is a fragment; a place laid out in another one, a LINK_SCHEME URI."""
    return f"{LINK_SCHEME}{anchor}" if page_of(anchor) else f"#{anchor}"


def _theme_groups(rendered: RenderedBook, limit: int) -> list[tuple[PartView, ...]]:
    """Consecutive themes, each group at most `limit` heavy (a heavier theme is a group alone).
    Themes start on a right-hand page with their own running heads, so a group laid out alone
    comes out as it would in the whole book; the whole book is one group if it fits."""

    def weight(part: PartView) -> int:
        return 2_000 + sum(1_500 + len(view.body) + 2_000 * len(view.photos) for view in part.entries)

    if sum(weight(part) for part in rendered.parts) <= limit:
        return [rendered.parts]
    groups: list[tuple[PartView, ...]] = []
    current: list[PartView] = []
    for part in rendered.parts:
        if current and sum(weight(p) for p in current) + weight(part) > limit:
            groups.append(tuple(current))
            current = []
        current.append(part)
    return [*groups, tuple(current)]


def _in_child(function: Callable[[Layout, StandIns | None], LaidOut], layout: Layout) -> LaidOut:
    """Run in a forked child process, so that the memory of a layout is given back when it ends."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        return pool.submit(function, layout, None).result()


def _load_hyphenation(languages: Iterable[str]) -> None:
    """Pyphen keeps the dictionaries it loads; loaded here, every child process has them."""
    import pyphen

    for language in set(languages):
        fallback = pyphen.language_fallback(language.replace("-", "_"))
        if fallback:
            pyphen.Pyphen(lang=fallback)


def _problems(laid: LaidOut, layouts: Layouts) -> list[Problem]:
    if laid.lost:
        message = f'the layout dropped the id "{laid.lost}" that the contents and the page numbers need'
        return [problem(layouts.shown("pdf.html"), 0, 0, "L003", message)]
    return [problem(layouts.shown("pdf.html"), 0, 0, "L002", f"WeasyPrint: {m}") for m in laid.messages]


def lay_out(layout: Layout, stand_ins: StandIns | None) -> LaidOut:
    import weasyprint  # imported here: it takes half a second, and a cached build never needs it

    fetcher = _fetcher(layout.assets, stand_ins)
    collect = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collect)
    try:
        with _fewer_full_collections():
            css = weasyprint.CSS(string=layout.css, url_fetcher=fetcher)
            source = weasyprint.HTML(string=layout.html, base_url=ASSET_SCHEME, url_fetcher=fetcher)
            document = source.render(stylesheets=[css])
            pages = len(document.pages)
            anchors = _anchor_pages(document)
            lost = next((a for a in layout.anchors if a not in anchors), None)
            if lost:
                return LaidOut(b"", pages, {}, (), 0, lost, ())
            if layout.section == "whole":
                front_pages = anchors[layout.anchors[0]] - 1
                labels = page_labels(pages, front_pages)
            elif layout.section == "front":
                front_pages = pages
                labels = page_labels(pages, pages)
            else:
                front_pages = 0
                labels = [str(layout.first_number + i) for i in range(pages)]
            languages = {anchors[a] - 1: language for a, language in layout.languages.items()}
            finish = _page_labels_and_languages(
                front_pages if layout.section == "whole" else None, languages, layout.main_language, stand_ins
            )
            with _source_date(layout.epoch), _remembered_page_references(), _faster_compression():
                # PDF/UA-1: tagged, with the title shown, the language set and alt text on figures.
                data = document.write_pdf(pdf_identifier=layout.identifier, pdf_variant="pdf/ua-1", finisher=finish)
    finally:
        logger.removeHandler(collect)
    starts = tuple(find_page_starts(document, source.etree_element, labels))
    wanted = {a: anchors[a] for a in layout.anchors}
    return LaidOut(data, pages, wanted, starts, front_pages, None, tuple(dict.fromkeys(collect.messages)))


def _anchor_pages(document: Any) -> dict[str, int]:
    """Each element id and the 1-based page it is on."""
    anchors: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            anchors.setdefault(anchor, number)
    return anchors


def _page_labels_and_languages(
    front_pages: int | None, languages: dict[int, str], main: str, stand_ins: StandIns | None
) -> Callable[[Any, Any], None]:
    """A WeasyPrint finisher for two things it does not write: page labels that match the printed
    numbers (roman in the front matter), and the language of each entry on its article tags, for
    screen readers; and the photos in place of their stand-ins. It edits the PDF objects before
    they are serialised, so it costs nothing."""
    import pydyf

    starts = sorted(languages)

    def language_of(page: int) -> str:
        """The language of the entry a page belongs to: the last one to start on or before it."""
        index = bisect.bisect_right(starts, page)
        return languages[starts[index - 1]] if index else main

    def finish(document: Any, pdf: Any) -> None:
        if stand_ins is not None:
            stand_ins.swap(pdf)
        if front_pages is not None:  # a document that is part of a book gets them when joined
            ranges = [0, pydyf.Dictionary({"S": "/r"})] if front_pages else []
            ranges += [front_pages, pydyf.Dictionary({"S": "/D", "St": 1})]
            pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": pydyf.Array(ranges)})
        page_of = {reference: index for index, reference in enumerate(pdf.page_references)}
        for item in pdf.objects:
            if isinstance(item, dict) and item.get("S") == "/Art" and "Pg" in item:
                language = language_of(page_of.get(item["Pg"], -1))
                if language != main:
                    item["Lang"] = pydyf.String(language)

    return finish
