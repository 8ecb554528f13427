"""Lay the rendered book out as a PDF with WeasyPrint.

WeasyPrint's default fetcher reads any local file and the network, and `<link rel=attachment>`
embeds files into the PDF, so it gets a fetcher that serves only the build's own pictures from
memory; anything else it asks for, and any warning it logs, fails the build.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ebook.images import PreparedImage
from ebook.layouts import Layouts
from ebook.problems import Problem, problem
from ebook.render import EntryView, RenderedBook

ASSET_SCHEME = "make-book-asset:"


@dataclass(frozen=True)
class LaidOutPdf:
    data: bytes
    pages: int
    anchor_pages: dict[str, int]  # element id -> 1-based physical page


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


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
        css = weasyprint.CSS(string=layouts.text("book.css") + "\n" + layouts.text("print.css"), url_fetcher=fetcher)
        document = weasyprint.HTML(string=html, base_url=ASSET_SCHEME, url_fetcher=fetcher).render(stylesheets=[css])
        with _source_date(int(book.modified.timestamp())):
            data = document.write_pdf(pdf_identifier=book.config.identifier.encode(), uncompressed_pdf=False)
    finally:
        logger.removeHandler(collect)
    if collect.messages:
        return None, [
            problem(layouts.shown("pdf.html"), 0, 0, "L002", f"WeasyPrint: {m}")
            for m in dict.fromkeys(collect.messages)
        ]
    anchors: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            anchors.setdefault(anchor, number)
    return LaidOutPdf(data, len(document.pages), anchors), []
