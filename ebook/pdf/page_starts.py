"""Page parity: the EPUB marks where each page of the PDF begins, so "page 57" is one place in both.

From the laid-out PDF, each page's first text is traced to the nearest element with an id (a
paragraph, a heading, a section) and the number of that element's characters on earlier pages.
The EPUB writer then puts an empty page-break marker before the next character of the element
(epub/page_markers.py), and ebooklib lists the markers in the navigation document's page-list.
Characters, not words: Japanese and Chinese text has no spaces between words, and a word
hyphenated at a line's end is two pieces of text. The characters counted are those of the
element's own text (not of elements inside it with an id of their own, which count theirs),
without white space or soft hyphens, which a layout drops or moves, nor the hyphen a layout adds
where it breaks a word.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ebook.pdf.weasyprint.boxes import page_texts


@dataclass(frozen=True)
class PageStart:
    label: str  # the number printed on the page: "v" in the front matter, "57" in the body
    owner: str  # id of the element the page's first text belongs to
    characters_before: int  # counted characters (see counted) of that element's own text on earlier pages
    index: int  # the page's place in the PDF from 0 (in its part, until a book laid out in parts is joined)


_NOT_COUNTED = re.compile("[\\s\u00ad]+")  # in a str pattern \s is what str.isspace() calls white space


def counted(text: str) -> str:
    """The characters of a text that page parity counts: neither white space nor soft hyphens."""
    return _NOT_COUNTED.sub("", text)


def own_texts(element: Any, owner: str | None = None) -> Iterator[tuple[str, str]]:
    """(owner, text) for every text of an element tree in document order, where owner is the id of
    the nearest element with one, the element itself included (xml.etree or lxml elements)."""
    if isinstance(element.tag, str):  # not a comment or processing instruction
        owner = element.get("id") or owner
        if owner and element.text:
            yield owner, element.text
    for child in element:
        yield from own_texts(child, owner)
        if owner and child.tail:
            yield owner, child.tail


def is_added_hyphen(piece: str, source: str, at: int) -> bool:
    """Whether the last character of a laid-out piece of an element's text, which begins at its
    at-th counted character, is a hyphen the layout added where it broke a word (hyphens: auto)."""
    if not piece or unicodedata.category(piece[-1]) != "Pd":
        return False
    end = at + len(piece) - 1
    return end >= len(source) or source[end] != piece[-1]


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
    pieces: dict[str, list[str]] = defaultdict(list)
    for holder, text in own_texts(root):
        pieces[holder].append(counted(text))
    sources = {holder: "".join(texts) for holder, texts in pieces.items()}
    characters: dict[str, int] = defaultdict(int)
    starts = []
    for index, (page, label) in enumerate(zip(document.pages, labels, strict=True)):
        first = None
        for element, text in page_texts(page):  # its content's text, in order (not its running heads)
            owner = owner_of.get(element)
            piece = counted(text)
            if owner is None or not piece:
                continue
            if first is None:
                first = PageStart(label, owner, characters[owner], index)
            added = is_added_hyphen(piece, sources.get(owner, ""), characters[owner])
            characters[owner] += len(piece) - added
        if first is not None:
            starts.append(first)
    return starts
