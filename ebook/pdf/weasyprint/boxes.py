"""What make-book reads from WeasyPrint's laid-out pages: its box tree, which is not public API
(`Page._page_box` and the boxes under it). Everything that walks boxes lives here, so that a
WeasyPrint upgrade that changes them shows up in tests/test_internals_canary.py and in this one
file. No upstream issue yet: WeasyPrint's public Page offers anchors, links and bookmarks, but not
the text of a page; what to ask for is a `Page.text_boxes()`-like iterator of (element, text)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def page_texts(page: Any) -> Iterator[tuple[Any, str]]:
    """The text of a laid-out page, in the order it was laid out, as (the element it belongs to,
    its text): the page's content only, not its margin boxes (running heads, page numbers), nor
    the text of pseudo-elements (::marker, ::before), which no element id owns."""
    for child in page._page_box.children:
        if (child.element_tag or "").startswith("@"):  # margin boxes
            continue
        for box in child.descendants():
            text = getattr(box, "text", None)
            if text and "::" not in (box.element_tag or ""):
                yield box.element, text


def is_blank(page: Any) -> bool:
    """Whether WeasyPrint left the page blank (one put in before what starts on the right)."""
    return bool(page._page_box.page_type.blank)


def text_width(page: Any) -> float:
    """The width of the text on a page, in points (CSS pixels are 0.75 pt)."""
    from weasyprint.formatting_structure.boxes import TextBox

    return 0.75 * float(sum(box.width for box in page._page_box.descendants() if isinstance(box, TextBox)))
