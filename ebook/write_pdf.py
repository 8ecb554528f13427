"""Lay the rendered book out as a PDF with WeasyPrint.

WeasyPrint's default fetcher reads any local file and the network, and `<link rel=attachment>`
embeds files into the PDF, so it gets a fetcher that serves only the build's own pictures from
memory; anything else it asks for, and any warning it logs, fails the build.
"""

from __future__ import annotations

import bisect
import contextlib
import gc
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ebook.images import PreparedImage
from ebook.layouts import Layouts
from ebook.pages import PageStart, find_page_starts, page_labels
from ebook.problems import Problem, problem
from ebook.render import EntryView, RenderedBook

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


def _fetcher(assets: dict[str, PreparedImage]) -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class AssetsOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            image = assets.get(url)
            if image is None:
                raise ValueError(f"make-book serves only its own pictures, not {url[:200]}")
            return URLFetcherResponse(url, image.data, {"Content-Type": image.media_type})

    return AssetsOnly(allowed_protocols=(), allow_redirects=False)


def build_pdf(rendered: RenderedBook, layouts: Layouts) -> tuple[LaidOutPdf | None, list[Problem]]:
    import weasyprint  # imported here: it takes half a second, and a cached build never needs it

    book = rendered.book
    images = {ASSET_SCHEME + i.name: i for i in (*rendered.images, rendered.cover)}

    def src(image: PreparedImage) -> str:
        return ASSET_SCHEME + image.name

    def href(view: EntryView) -> str:
        return f"#{view.anchor}"

    html = layouts.env.get_template("pdf.html").render(
        book=book,
        labels=layouts.labels,
        parts=rendered.parts,
        foreword=rendered.foreword,
        acknowledgements=rendered.acknowledgements,
        countries=rendered.countries,
        cover=rendered.cover,
        src=src,
        href=href,
    )
    fetcher = _fetcher(images)
    collect = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collect)
    try:
        with _fewer_full_collections():
            css = weasyprint.CSS(
                string=layouts.text("book.css") + "\n" + layouts.text("print.css"), url_fetcher=fetcher
            )
            source = weasyprint.HTML(string=html, base_url=ASSET_SCHEME, url_fetcher=fetcher)
            document = source.render(stylesheets=[css])
            anchors = _anchor_pages(document)
            lost = [a for a in (rendered.parts[0].anchor, *(v.anchor for v in rendered.entries)) if a not in anchors]
            if lost:
                message = f'the layout dropped the id "{lost[0]}" that the contents and the page numbers need'
                return None, [problem(layouts.shown("pdf.html"), 0, 0, "L003", message)]
            front_pages = anchors[rendered.parts[0].anchor] - 1
            languages = {anchors[v.anchor] - 1: v.entry.language for v in rendered.entries}
            finish = _page_labels_and_languages(front_pages, languages, book.config.language)
            with _source_date(int(book.modified.timestamp())), _remembered_page_references():
                # PDF/UA-1: tagged, with the title shown, the language set and alt text on figures.
                data = document.write_pdf(
                    pdf_identifier=book.config.identifier.encode(), pdf_variant="pdf/ua-1", finisher=finish
                )
    finally:
        logger.removeHandler(collect)
    if collect.messages:
        return None, [
            problem(layouts.shown("pdf.html"), 0, 0, "L002", f"WeasyPrint: {m}")
            for m in dict.fromkeys(collect.messages)
        ]
    labels = page_labels(len(document.pages), front_pages)
    starts = tuple(find_page_starts(document, source.etree_element, labels))
    return LaidOutPdf(data, len(document.pages), starts), []


def _anchor_pages(document: Any) -> dict[str, int]:
    """Each element id and the 1-based page it is on."""
    anchors: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            anchors.setdefault(anchor, number)
    return anchors


def _page_labels_and_languages(front_pages: int, languages: dict[int, str], main: str) -> Callable[[Any, Any], None]:
    """A WeasyPrint finisher for two things it does not write: page labels that match the printed
    numbers (roman in the front matter), and the language of each entry on its article tags, for
    screen readers. It edits the PDF objects before they are serialised, so it costs nothing."""
    import pydyf

    starts = sorted(languages)

    def language_of(page: int) -> str:
        """The language of the entry a page belongs to: the last one to start on or before it."""
        index = bisect.bisect_right(starts, page)
        return languages[starts[index - 1]] if index else main

    def finish(document: Any, pdf: Any) -> None:
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
