"""The EPUB's page-break markers: an empty, labelled marker where each page of the PDF begins,
so that "page 57" is one place in both editions (the places come from pdf/page_starts.py)."""

from __future__ import annotations

import re
from collections import defaultdict

from lxml import etree

from ebook.pdf.page_starts import PageStart

XHTML = "http://www.w3.org/1999/xhtml"
EPUB = "http://www.idpf.org/2007/ops"


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
