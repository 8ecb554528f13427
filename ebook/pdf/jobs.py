"""The documents of a book's PDF as WeasyPrint gets them (document.Layout): the HTML of each, from
pdf.html or furniture.html, and the CSS, with what each section needs (see pdf.html)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from ebook.pdf.document import ASSET_SCHEME, DRAWN_OVER, LINK_SCHEME, Layout
from ebook.pdf.number_styles import BUILT_IN_STYLES, NumberStyles, number_styles
from ebook.pdf.page_numbers import OtherPages, PageNumber, for_other_documents
from ebook.pdf.runs import FurniturePage, Piece
from ebook.render.pictures import PreparedImage
from ebook.render.views import RenderedBook
from ebook.templates.load import Layouts


@dataclass(frozen=True)
class Jobs:
    """Makes the Layout of each document of one book."""

    rendered: RenderedBook
    layouts: Layouts
    css: str
    languages: dict[str, str]  # entry anchor -> language
    digits: bool  # the numbers of sided runs' pages are put together from digits (page_numbers.py)

    @functools.cached_property
    def other_pages(self) -> OtherPages:
        """How the number of a page in another document is shown (page_numbers.py): made when the
        contents are, not before the first run is laid out (parsing the CSS took 13 ms)."""
        return for_other_documents(self.css)

    @functools.cached_property
    def number_styles(self) -> NumberStyles:
        """The styles of the book's page labels (number_styles.py): made when the contents are, or
        a whole book, not before the first run is laid out."""
        return number_styles(self.css)

    def make(
        self,
        section: str,
        first_number: int = 1,
        pieces: tuple[Piece, ...] = (),
        pictures: tuple[PreparedImage, ...] = (),
        page_of: Callable[[str], PageNumber | None] = lambda anchor: None,
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
            digits=self.digits,
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
            self.css + "\n" + self.other_pages.rules if section in ("front", "back") else self.css,
            assets,
            first_number,
            anchors,
            used,
            lead,
            book.config.language,
            book.config.identifier.encode(),
            int(book.modified.timestamp()),
            number_styles=self.number_styles if section in ("whole", "front", "back") else BUILT_IN_STYLES,
        )


def _link(anchor: str, page_of: Callable[[str], PageNumber | None]) -> str:
    """A place in this document is a fragment; a place laid out in another one, a LINK_SCHEME URI."""
    return f"{LINK_SCHEME}{anchor}" if page_of(anchor) else f"#{anchor}"
