"""Page parity: the EPUB marks where each page of the PDF begins, so "page 57" is one place in both.

From the laid-out PDF, each page's first line of text is traced to the nearest element with an id
(a paragraph, a heading, a section) and the number of words of that element on earlier pages.
The EPUB writer then puts an empty page-break marker at that word, and ebooklib lists the markers
in the navigation document's page-list.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from ebook.pdf.weasyprint.boxes import page_texts


@dataclass(frozen=True)
class PageStart:
    label: str  # the number printed on the page: "v" in the front matter, "57" in the body
    owner: str  # id of the element the page's first text belongs to
    words_before: int  # words of that element on earlier pages
    index: int  # the page's place in the PDF from 0 (in its part, until a book laid out in parts is joined)


def roman(number: int) -> str:
    out = ""
    for value, letters in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        while number >= value:
            out += letters
            number -= value
    return out


def page_labels(pages: int, front_pages: int) -> list[str]:
    """Printed page numbers: roman for the front matter (the cover is i), arabic from the first theme."""
    return [roman(i + 1) if i < front_pages else str(i - front_pages + 1) for i in range(pages)]


def find_page_starts(document: Any, root: Any, labels: list[str]) -> list[PageStart]:
    """document: a rendered WeasyPrint Document; root: the element tree it was rendered from."""
    owner_of: dict[Any, str] = {}

    def claim(element: Any, owner: str | None) -> None:
        owner = element.get("id") or owner
        if owner:
            owner_of[element] = owner
        for child in element:
            claim(child, owner)

    claim(root, None)
    words: dict[str, int] = defaultdict(int)
    starts = []
    for index, (page, label) in enumerate(zip(document.pages, labels, strict=True)):
        first = None
        for element, text in page_texts(page):  # its content's text, in order (not its running heads)
            owner = owner_of.get(element)
            if owner is None:
                continue
            if first is None:
                first = PageStart(label, owner, words[owner], index)
            words[owner] += len(text.split())
        if first is not None:
            starts.append(first)
    return starts
