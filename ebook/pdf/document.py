"""Lay one document out with WeasyPrint and write its PDF: what a child process of workers.py does
for write.py, from a Layout that holds everything it needs.

WeasyPrint's default fetcher reads any local file and the network, and `<link rel=attachment>`
embeds files into the PDF, so it gets a fetcher that serves only the build's own pictures from
memory; anything else it asks for, and any warning it logs, fails the build.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ebook.pdf.number_styles import BUILT_IN_STYLES, NumberStyles, page_labels
from ebook.pdf.page_starts import PageStart, find_page_starts
from ebook.pdf.weasyprint.boxes import is_blank, text_width
from ebook.pdf.weasyprint.finisher import page_labels_and_languages
from ebook.pdf.weasyprint.patches import source_date
from ebook.pdf.weasyprint.registry import NAMES, applied
from ebook.render.pictures import PreparedImage

ASSET_SCHEME = "make-book-asset:"
# A link to a place laid out in another document of the same book (join.py resolves it).
LINK_SCHEME = "make-book-page:"
# Documents of running heads and page numbers, drawn over the pages of others (furniture.html).
DRAWN_OVER = ("furniture", "digits")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _fetcher(assets: dict[str, PreparedImage]) -> Any:
    """Serves the book's pictures (or their stand-ins) and nothing else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class AssetsOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url not in assets:
                raise ValueError(f"make-book serves only its own pictures, not {url[:200]}")
            image = assets[url]
            return URLFetcherResponse(url, image.data, {"Content-Type": image.media_type})

    return AssetsOnly(allowed_protocols=(), allow_redirects=False)


@dataclass(frozen=True)
class Layout:
    """One WeasyPrint document to lay out, with everything it needs: it can go to a child process."""

    # "whole", or "front", "first", "sided" and "body" (runs of entries), "back", "furniture" or
    # "digits" (running heads and page numbers drawn over other documents); see pdf.html
    section: str
    html: str
    css: str
    assets: dict[str, PreparedImage]  # the pictures (or stand-ins) it may fetch, by URL
    first_number: int  # the printed number of its first body page (body and back)
    anchors: tuple[str, ...]  # the ids whose pages the contents and the index need
    languages: dict[str, str]  # entry id -> language, for the article tags
    lead: bool  # a page laid out first and dropped (lead.html)
    main_language: str
    identifier: bytes
    epoch: int
    # The names of the patches of WeasyPrint made while it is laid out and written (registry.py):
    # all, unless the build's environment turns them off.
    patches: tuple[str, ...] = NAMES
    # The styles its page labels are in (a run's pages get theirs when the runs are joined).
    number_styles: NumberStyles = BUILT_IN_STYLES


class LayoutError(Exception):
    """WeasyPrint failed on a document (an exception of its own, or an assertion): the section and
    what it raised, as a line for the user. It goes back to the build as is, with no class of
    WeasyPrint's in it."""

    def __init__(self, section: str, error: str) -> None:
        super().__init__(section, error)
        self.section, self.error = section, error

    def __str__(self) -> str:
        return f"WeasyPrint could not lay out the PDF ({self.section}): {self.error}"


@dataclass(frozen=True)
class Placed:
    """Where a document's pages fall: known once it is laid out, before its PDF is written."""

    pages: int
    anchors: dict[str, int]  # each wanted id -> the 1-based page of this document it is on
    page_starts: tuple[PageStart, ...]
    blanks: tuple[int, ...] = ()  # the 0-based pages left blank (before what starts on the right)


@dataclass(frozen=True)
class LaidOut:
    data: bytes
    pages: int
    anchors: dict[str, int]  # each wanted id -> the 1-based page of this document it is on
    page_starts: tuple[PageStart, ...]
    lost: str | None  # a wanted id the layout dropped
    messages: tuple[str, ...]  # WeasyPrint's warnings
    widths: tuple[float, ...] = ()  # "digits": the width of each page's number, in points
    blanks: tuple[int, ...] = ()  # the 0-based pages left blank (before what starts on the right)

    @property
    def placed(self) -> Placed:
        return Placed(self.pages, self.anchors, self.page_starts, self.blanks)


_WARM_UP = '<html lang="en"><body><p>A <b>line</b> of <i>text</i>, ½.</p></body></html>'


def warm_up(patches: tuple[str, ...]) -> None:
    """Lay out and write a line of text once in the layout process, before it forks a child: the
    children inherit what WeasyPrint and cffi set up the first time. cffi parses each C type that
    WeasyPrint names with pycparser, a few milliseconds apiece, and without this every child did
    it anew (about 0.03 s of each document's time, measured on the benchmark book's front matter).
    Nothing of it goes into a document."""
    import weasyprint

    logger, quiet = logging.getLogger("weasyprint"), logging.NullHandler()
    logger.addHandler(quiet)  # whatever it would warn of, a document says again where it matters
    try:
        with applied("layout", patches):
            document = weasyprint.HTML(string=_WARM_UP).render()
        with applied("write", patches):
            document.write_pdf()
    finally:
        logger.removeHandler(quiet)


def lay_out(layout: Layout, note: Callable[[Placed], None] = lambda placed: None) -> LaidOut:
    """note: told where the pages fall as soon as that is known (workers.py), unless an id is lost.
    Whatever WeasyPrint raises is raised as a LayoutError."""
    try:
        return _lay_out(layout, note)
    except Exception as error:
        raise LayoutError(_SECTIONS.get(layout.section, layout.section), f"{type(error).__name__}: {error}") from None


_SECTIONS = {
    "whole": "the book",
    "front": "the front matter and contents",
    "first": "a run of the body",
    "sided": "a run of the body",
    "body": "a run of the body",
    "back": "the contributors index",
    "furniture": "the running heads",
    "digits": "the page numbers",
}


def _lay_out(layout: Layout, note: Callable[[Placed], None]) -> LaidOut:
    import weasyprint  # already imported in the process that forked this one (workers.py)

    fetcher = _fetcher(layout.assets)
    collect = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collect)
    try:
        with applied("layout", layout.patches):
            css = weasyprint.CSS(string=layout.css, url_fetcher=fetcher)
            source = weasyprint.HTML(string=layout.html, base_url=ASSET_SCHEME, url_fetcher=fetcher)
            document = source.render(stylesheets=[css])
            if layout.lead:
                document = document.copy(document.pages[1:])
            pages = len(document.pages)
            anchors = _anchor_pages(document)
            lost = next((a for a in layout.anchors if a not in anchors), None)
            if lost:
                return LaidOut(b"", pages, {}, (), lost, ())
            front_pages = None  # a part of a book gets its page labels when the parts are joined
            if layout.section == "whole":
                front_pages = anchors[layout.anchors[0]] - 1
                labels = page_labels(pages, front_pages, layout.number_styles)
            elif layout.section == "front":
                labels = page_labels(pages, pages, layout.number_styles)
            elif layout.section == "back":
                labels = [layout.number_styles.body_label(layout.first_number + i) for i in range(pages)]
            else:  # a run of the body, or its running heads: numbered when they are joined
                labels = [""] * pages
            # Running heads and page numbers are drawn over tagged pages as artifacts: not tagged.
            drawn_over = layout.section in DRAWN_OVER
            starts = () if drawn_over else tuple(find_page_starts(document, source.etree_element, labels))
            wanted = {a: anchors[a] for a in layout.anchors}
            blanks = tuple(i for i, page in enumerate(document.pages) if is_blank(page))
            note(Placed(pages, wanted, starts, blanks))
            languages = {anchors[a] - 1: language for a, language in layout.languages.items()}
            finish = page_labels_and_languages(front_pages, layout.number_styles, languages, layout.main_language)
            with source_date(layout.epoch), applied("write", layout.patches):
                # PDF/UA-1: tagged, with the title shown, the language set and alt text on figures.
                variant = None if drawn_over else "pdf/ua-1"
                data = document.write_pdf(pdf_identifier=layout.identifier, pdf_variant=variant, finisher=finish)
    finally:
        logger.removeHandler(collect)
    widths = tuple(text_width(page) for page in document.pages) if layout.section == "digits" else ()
    return LaidOut(data, pages, wanted, starts, None, tuple(dict.fromkeys(collect.messages)), widths, blanks)


def _anchor_pages(document: Any) -> dict[str, int]:
    """Each element id and the 1-based page it is on."""
    anchors: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            anchors.setdefault(anchor, number)
    return anchors
