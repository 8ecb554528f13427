"""Page parity: the EPUB marks where each page of the PDF begins, so "page 57" is one place in both.

From the laid-out PDF, each page's first line of text is traced to the nearest element with an id
(a paragraph, a heading, a section) and the number of words of that element on earlier pages.
The EPUB writer then puts an empty page-break marker at that word, and ebooklib lists the markers
in the navigation document's page-list.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from lxml import etree

XHTML = "http://www.w3.org/1999/xhtml"
EPUB = "http://www.idpf.org/2007/ops"


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
        for child in page._page_box.children:
            if (child.element_tag or "").startswith("@"):  # margin boxes: running heads, page numbers
                continue
            for box in child.descendants():
                text = getattr(box, "text", None)
                owner = owner_of.get(box.element)
                if not text or owner is None or "::" in (box.element_tag or ""):
                    continue
                if first is None:
                    first = PageStart(label, owner, words[owner], index)
                words[owner] += len(text.split())
        if first is not None:
            starts.append(first)
    return starts


def markers_by_owner(starts: tuple[PageStart, ...]) -> dict[str, list[PageStart]]:
    grouped: dict[str, list[PageStart]] = defaultdict(list)
    for start in starts:
        grouped[start.owner].append(start)
    return dict(grouped)


_ID = re.compile(r' id="([^"]+)"')


def insert_page_markers(fragment: str, markers: dict[str, list[PageStart]]) -> str:
    """Put an empty, labelled page-break marker where each page of the PDF begins.
    markers: from markers_by_owner, made once for the whole book (a lookup per id, not a scan)."""
    if not any(found in markers for found in _ID.findall(fragment)):
        return fragment
    wrapper = etree.fromstring(f'<div xmlns="{XHTML}" xmlns:epub="{EPUB}">{fragment}</div>')
    for element in wrapper.iter():
        for start in reversed(markers.get(element.get("id") or "", [])):
            _insert_at_word(element, start)
    return (wrapper.text or "") + "".join(
        etree.tostring(child, encoding="unicode").replace(f' xmlns="{XHTML}"', "").replace(f' xmlns:epub="{EPUB}"', "")
        for child in wrapper
    )


def _marker(label: str) -> etree._Element:
    marker = etree.Element(f"{{{XHTML}}}span", nsmap={None: XHTML, "epub": EPUB})  # type: ignore[dict-item]
    marker.set(f"{{{EPUB}}}type", "pagebreak")
    marker.set("role", "doc-pagebreak")
    marker.set("id", f"page-{label}")
    marker.set("aria-label", label)
    return marker


def _insert_at_word(element: etree._Element, start: PageStart) -> None:
    """Insert before the (words_before + 1)-th word of the element's text, or first if it has none."""
    marker = _marker(start.label)
    remaining = start.words_before
    if remaining == 0:
        marker.tail, element.text = element.text, None
        element.insert(0, marker)
        return
    # Walk text and tails in document order until enough words have gone by.
    for node, attribute in _text_slots(element):
        text = getattr(node, attribute) or ""
        position = 0
        for word in text.split():
            position = text.index(word, position)
            if remaining == 0:
                before, after = text[:position], text[position:]
                setattr(node, attribute, before)
                if attribute == "text":
                    marker.tail = after
                    node.insert(0, marker)
                else:
                    marker.tail = after
                    node.addnext(marker)
                return
            remaining -= 1
            position += len(word)
    element.append(marker)  # the page began with the last words: mark the end of the element


def _text_slots(element: etree._Element) -> list[tuple[etree._Element, str]]:
    slots: list[tuple[etree._Element, str]] = [(element, "text")]
    for child in element:
        slots += _text_slots(child)
        slots.append((child, "tail"))
    return slots
