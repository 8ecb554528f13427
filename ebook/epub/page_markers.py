"""The EPUB's page-break markers: an empty, labelled marker where each page of the PDF begins,
so that "page 57" is one place in both editions (the places come from pdf/page_starts.py): before
the character of an element's own text that the PDF's page begins with, counted as it counts them."""

from __future__ import annotations

import re
from collections import defaultdict

from lxml import etree

from ebook.pdf.page_starts import PageStart, counted

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
            _insert_at_character(element, start)
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


def _insert_at_character(element: etree._Element, start: PageStart) -> None:
    """Insert before the (characters_before + 1)-th counted character of the element's own text,
    or first if that is its first; at its end if it has fewer."""
    marker = _marker(start.label)
    remaining = start.characters_before
    if remaining == 0:
        marker.tail, element.text = element.text, None
        element.insert(0, marker)
        return
    # Walk the element's own text and tails in document order until enough characters have gone by.
    for node, attribute in _own_text_slots(element):
        text = getattr(node, attribute) or ""
        for position, character in enumerate(text):
            if not counted(character):
                continue
            if remaining == 0:
                setattr(node, attribute, text[:position])
                marker.tail = text[position:]
                if attribute == "text":
                    node.insert(0, marker)
                else:
                    node.addnext(marker)
                return
            remaining -= 1
    element.append(marker)  # the page began after the last characters: mark the end of the element


def _own_text_slots(element: etree._Element) -> list[tuple[etree._Element, str]]:
    """Where the element's own text is, in order: not inside an element with an id of its own
    (which holds its own markers: pdf/page_starts.py counts as own_texts does)."""
    slots: list[tuple[etree._Element, str]] = [(element, "text")] if isinstance(element.tag, str) else []
    for child in element:
        if isinstance(child.tag, str) and not child.get("id"):
            slots += _own_text_slots(child)
        slots.append((child, "tail"))
    return slots
