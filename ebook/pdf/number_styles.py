"""How page numbers are written out: the counter styles make-book writes as WeasyPrint would, and
the styles a book prints its page numbers in, read from its CSS, for what shows a page's number
outside the page itself: the PDF's page labels (what a viewer shows and goes to), the EPUB's page
list and the web edition's page references.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import tinycss2  # type: ignore[import-untyped]


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


def _alphabetic(number: int, letters: str) -> str:
    shown = ""
    while number > 0:
        number, digit = divmod(number - 1, len(letters))
        shown = letters[digit] + shown
    return shown


# The counter styles of CSS Counter Styles 3 that make-book writes out as WeasyPrint would, for
# page numbers (1 and up); a roman number beyond 3999 falls back to decimal, as in CSS.
WRITTEN: dict[str, Callable[[int], str]] = {
    "lower-roman": lambda n: roman(n) if n < 4000 else str(n),
    "upper-roman": lambda n: roman(n).upper() if n < 4000 else str(n),
    "lower-alpha": lambda n: _alphabetic(n, string.ascii_lowercase),
    "lower-latin": lambda n: _alphabetic(n, string.ascii_lowercase),
    "upper-alpha": lambda n: _alphabetic(n, string.ascii_uppercase),
    "upper-latin": lambda n: _alphabetic(n, string.ascii_uppercase),
}
# The styles a PDF's page labels can have (ISO 32000-1, 12.4.2), by CSS counter style.
PDF_LABEL_STYLES = {
    "decimal": "D",
    "lower-roman": "r",
    "upper-roman": "R",
    "lower-alpha": "a",
    "lower-latin": "a",
    "upper-alpha": "A",
    "upper-latin": "A",
}


@dataclass(frozen=True)
class NumberStyles:
    """The counter styles the book prints page numbers in: the front matter's, and the body's (the
    back matter goes on numbering the body). Each is one a PDF page label can have."""

    front: str = "lower-roman"
    body: str = "decimal"

    def front_label(self, number: int) -> str:
        return WRITTEN.get(self.front, str)(number)

    def body_label(self, number: int) -> str:
        return WRITTEN.get(self.body, str)(number)

    def pdf_names(self) -> tuple[str, str]:
        """The front matter's and the body's page label styles, as PDF names ("/r", "/D")."""
        return f"/{PDF_LABEL_STYLES[self.front]}", f"/{PDF_LABEL_STYLES[self.body]}"


BUILT_IN_STYLES = NumberStyles()  # as the built-in print.css prints them


def page_labels(pages: int, front_pages: int, styles: NumberStyles) -> list[str]:
    """Printed page numbers: the front matter's from its first page (the cover is i in roman), the
    body's from 1 on its first page."""
    return [
        styles.front_label(i + 1) if i < front_pages else styles.body_label(i - front_pages + 1) for i in range(pages)
    ]


def number_styles(css: str) -> NumberStyles:
    """The styles of the book's CSS: those of counter(page, …) in the margin boxes of its @page
    rules, the front matter's from `@page front`, the body's from `@page body`, each else from the
    rules that name no page (as print.css does); of the rules for the same pages and margin box, the
    last one counts, as in the cascade. Where those show no number, the default stays; where they
    show it in several styles (one on the left, another on the right), or in one a page label
    cannot have (lower-greek), the label is the decimal number."""
    # page name -> (the rest of its selector, margin box) -> the styles of its last content
    found: dict[str | None, dict[tuple[str, str], set[str]]] = {}
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "at-rule" and rule.lower_at_keyword == "page" and rule.content is not None:
            name, rest = _page_selector(rule.prelude)
            found.setdefault(name, {}).update(_margin_box_styles(rest, rule.content))

    def style_of(name: str, default: str) -> str:
        boxes = found.get(name) or found.get(None, {})  # rules for these pages, else for any page
        styles = set().union(*boxes.values()) if boxes else set()
        style = next(iter(styles)) if len(styles) == 1 else default if not styles else "decimal"
        return style if style in PDF_LABEL_STYLES else "decimal"

    return NumberStyles(style_of("front", "lower-roman"), style_of("body", "decimal"))


def _page_selector(prelude: list[Any]) -> tuple[str | None, str]:
    """The page name of an @page selector (`front`, `body`; not a pseudo-class such as `:left`),
    and the rest of it."""
    name, after_colon = None, False
    for token in prelude:
        kind = getattr(token, "type", "")
        if kind == "ident" and not after_colon and name is None:
            name = str(token.lower_value)
        after_colon = kind == "literal" and getattr(token, "value", "") == ":"
    rest = tinycss2.serialize(prelude).strip().lower()
    return name, rest.removeprefix(name).strip() if name else rest


def _margin_box_styles(selector: str, content: list[Any]) -> dict[tuple[str, str], set[str]]:
    """(selector, margin box) -> the styles of counter(page[, style]) in its content."""
    styles: dict[tuple[str, str], set[str]] = {}
    for box in tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True):
        if box.type != "at-rule" or box.content is None:
            continue
        for declaration in tinycss2.parse_blocks_contents(box.content, skip_comments=True, skip_whitespace=True):
            if declaration.type == "declaration" and declaration.lower_name == "content":
                styles[(selector, box.lower_at_keyword)] = set(_page_counter_styles(declaration.value))
    return styles


def _page_counter_styles(value: list[Any]) -> Iterable[str]:
    for token in value:
        if getattr(token, "type", "") == "function" and token.lower_name == "counter":
            words = [str(t.lower_value) for t in token.arguments if getattr(t, "type", "") == "ident"]
            if words[:1] == ["page"]:
                yield words[1] if len(words) > 1 else "decimal"
