"""Where page numbers come from in a book laid out in parts (a book laid out whole numbers its own
pages: print.css). The body's pages are numbered from 1 on its first page and the back matter
follows; the front matter is numbered in roman (print.css), and its pages are put before the
body's, with a blank page where the body would otherwise begin on a left-hand page.

Every number is laid out by WeasyPrint with the book's own CSS, as in a whole layout, except one
shortcut that holds only for the built-in layouts (stitches_digits):
- the contents and the index get the number of a page in another document on the link
  (PageNumber, see pdf.html): written out in each counter style the book's CSS shows it in, where
  make-book knows the style (decimal, roman, alphabetic: data-page-<style>, shown with attr()),
  or as a counter for WeasyPrint to format (any other style); the rules of print.css that show
  target-counter() for a link are made again for such links (for_other_documents). A counter set
  on each link made each its own style: 0.09 s more for the contents of the benchmark book;
- the first run, which begins the body, numbers its own pages; the other runs get their running
  heads and numbers from furniture.html, laid out over as many pages, sides and numbers;
- shortcut: with the built-in print.css, furniture.html, pdf.html, lead.html and book.css, which
  print a centred decimal number alone in @bottom-center, the same on both sides, the runs that
  begin on a right-hand page keep their own running heads, and their numbers are put together
  from ten pages numbered 0 to 9 ("digits"), drawn side by side (Numbers);
- what a run cannot know (the number of pages, counter(pages); which page is the book's first or
  n-th, @page :first or :nth()) makes the book laid out whole (needs_whole_layout).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

import tinycss2  # type: ignore[import-untyped]
from markupsafe import Markup

from ebook.pdf.document import Placed
from ebook.pdf.number_styles import WRITTEN, NumberStyles
from ebook.pdf.page_starts import PageStart
from ebook.pdf.runs import BodyPage
from ebook.templates.folders import BUILT_IN
from ebook.templates.load import Layouts

# The layouts whose built-in text the digits' shortcut holds for (see above).
NUMBERED_BY = ("book.css", "print.css", "pdf.html", "furniture.html", "lead.html")
# The counter that holds, on a link to a page laid out in another document, that page's number,
# for a counter style make-book does not write out (PageNumber).
OTHER_PAGE = "make-book-page"


def stitches_digits(layouts: Layouts) -> bool:
    """Whether the numbers of runs with their own running heads may be put together from digits."""
    return all(layouts.text(name) == (BUILT_IN / name).read_text("utf-8") for name in NUMBERED_BY)


_COMMENTS = re.compile(r"/\*.*?\*/|\{#.*?#\}", re.S)
_PAGE_COUNT = re.compile(r"counters?\(\s*pages\b", re.I)
_PAGE_SELECTOR = re.compile(r"@page\b([^{;]*)\{", re.I)


def needs_whole_layout(layouts: Layouts) -> bool:
    """Whether the book's layouts number pages in a way only a whole layout knows: the count of
    the book's pages, or its first or n-th page (but the body's first, as print.css does)."""
    text = _COMMENTS.sub("", "\n".join(layouts.text(name) for name in NUMBERED_BY))
    if _PAGE_COUNT.search(text):
        return True
    for selector in _PAGE_SELECTOR.findall(text):
        selector = " ".join(selector.replace(":nth(1 of body)", "").lower().split())
        if ":first" in selector or ":nth(" in selector:
            return True
    return False


@dataclass(frozen=True)
class OtherPages:
    """How the contents and the index show the number of a page laid out in another document."""

    rules: str  # the book's rules that show target-counter(…, page), made again for such links
    styles: tuple[str, ...]  # the counter styles they show it in, but decimal

    def number(self, number: int) -> PageNumber:
        return PageNumber(number, self.styles)


@dataclass(frozen=True)
class PageNumber:
    """A page's number, as a link to it from another document carries it (pdf.html)."""

    number: int
    styles: tuple[str, ...]  # see OtherPages

    def __str__(self) -> str:
        return str(self.number)

    @property
    def attributes(self) -> Markup:
        """data-page, a data-page-<style> for each style make-book writes out, and the number as
        the OTHER_PAGE counter only if the CSS shows it in a style WeasyPrint alone knows."""
        shown = [f'data-page="{self.number}"']
        shown += [f'data-page-{style}="{WRITTEN[style](self.number)}"' for style in self.styles if style in WRITTEN]
        if any(style not in WRITTEN for style in self.styles):
            shown.append(f'style="counter-reset: {OTHER_PAGE} {self.number}"')
        return Markup(" ".join(shown))


def for_other_documents(css: str) -> OtherPages:
    """For each rule of the book's CSS that shows a page's number with target-counter(…, page),
    the same rule for a link to a page in another document (one with data-page), showing the
    number the link carries in the same style (a whole layout shows target-counter's)."""
    styles: list[str] = []
    rules = _for_other_documents(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), styles)
    return OtherPages("\n".join(rules), tuple(dict.fromkeys(styles)))


def _for_other_documents(rules: list[object], styles: list[str]) -> list[str]:
    made = []
    for rule in rules:
        if isinstance(rule, tinycss2.ast.AtRule) and rule.lower_at_keyword == "media" and rule.content:
            inner = _for_other_documents(tinycss2.parse_rule_list(rule.content, True, True), styles)
            if inner:
                made.append(f"@media {tinycss2.serialize(rule.prelude).strip()} {{ {' '.join(inner)} }}")
        if not isinstance(rule, tinycss2.ast.QualifiedRule):
            continue
        shown = []
        for declaration in tinycss2.parse_declaration_list(rule.content, True, True):
            if isinstance(declaration, tinycss2.ast.Declaration) and declaration.lower_name == "content":
                value = _counted(declaration.value, styles)
                if value is not None:
                    shown.append(f"content: {value}{' !important' if declaration.important else ''}")
        if shown:
            selectors = ", ".join(_with_data_page(s) for s in tinycss2.serialize(rule.prelude).split(","))
            made.append(f"{selectors} {{ {'; '.join(shown)} }}")
    return made


def _counted(value: list[object], styles: list[str]) -> str | None:
    """A content value with each target-counter(…, page[, style]) as what shows the number a link
    carries (PageNumber), the style added to styles; None if it has none."""
    out, found = [], False
    for token in value:
        if isinstance(token, tinycss2.ast.FunctionBlock) and token.lower_name == "target-counter":
            arguments = tinycss2.serialize(token.arguments).split(",", 2)
            if len(arguments) >= 2 and arguments[1].strip().lower() == "page":
                style = arguments[2].strip() if len(arguments) == 3 else "decimal"
                known = style.lower()  # CSS's own style names are ASCII case-insensitive
                if known == "decimal":
                    out.append("attr(data-page)")
                elif known in WRITTEN:
                    out.append(f"attr(data-page-{known})")
                    styles.append(known)
                else:
                    out.append(f"counter({OTHER_PAGE}, {style})")
                    styles.append(style)
                found = True
                continue
        out.append(tinycss2.serialize([token]))
    return "".join(out).strip() if found else None


def _with_data_page(selector: str) -> str:
    """The selector, for elements with data-page: the attribute goes before a pseudo-element."""
    selector = selector.strip()
    pseudo = re.search(r"(::[\w-]+|:(?:before|after|marker))$", selector)
    at = pseudo.start() if pseudo else len(selector)
    return f"{selector[:at]}[data-page]{selector[at:]}"


@dataclass(frozen=True)
class Numbers:
    """Page numbers put together from a document of the ten digits, each centred on its page as a
    page number, for pages laid out without theirs (only with the built-in layouts, see above)."""

    digits: bytes  # its page d shows the digit d
    widths: tuple[float, ...]  # the width of each digit, in points
    pages: dict[int, str]  # the number each page of the book shows, by its index

    def placed(self, number: str) -> list[tuple[int, float]]:
        """Each digit of a number, and how far right of its own page's place it goes."""
        left = -sum(self.widths[int(d)] for d in number) / 2
        placed = []
        for digit in map(int, number):
            placed.append((digit, left + self.widths[digit] / 2))
            left += self.widths[digit]
        return placed


@dataclass(frozen=True)
class BodyNumbers:
    """The body's pages in order, once its runs are laid out: the number of each, and of the places
    the contents and the index point to."""

    body: list[BodyPage]  # see runs.body_pages
    placed: list[Placed]  # each run's

    def index(self) -> dict[tuple[int, int], int]:
        """Each run's page -> its place in the body, from 0 (its number is one more)."""
        return {place: i for i, place in enumerate(self.body) if place is not None}

    def contributors(self) -> int:
        """The first number of the back matter: the index starts on a right-hand page."""
        return len(self.body) + 1 + len(self.body) % 2

    def of_anchors(self) -> dict[str, int]:
        """The number of the page each place the contents and the index point to is on."""
        index = self.index()
        runs = enumerate(self.placed)
        numbers = {anchor: index[(g, page - 1)] + 1 for g, run in runs for anchor, page in run.anchors.items()}
        numbers["contributors"] = self.contributors()
        return numbers

    def page_starts(self, front_pages: int, styles: NumberStyles) -> list[PageStart]:
        """Where the body's pages begin, with their numbers, placed after front_pages pages."""
        index = self.index()
        starts = []
        for g, run in enumerate(self.placed):
            for begins in run.page_starts:
                at = index[(g, begins.index)]  # in the body
                starts.append(dataclasses.replace(begins, label=styles.body_label(at + 1), index=front_pages + at))
        return starts

    def stamped(self, sided: list[bool], front_pages: int) -> dict[int, str]:
        """The number each page of a sided run shows, by its place in the book: a page WeasyPrint
        left blank in a run has none, as in a whole layout."""
        return {
            front_pages + i: str(i + 1)
            for i, place in enumerate(self.body)
            if place is not None and sided[place[0]] and place[1] not in self.placed[place[0]].blanks
        }


@dataclass(frozen=True)
class BookPages:
    """The book's pages in order as (document, page of it), with None for a blank page; documents
    are numbered 0 (the front matter), 1… (the runs), then the back matter."""

    sequence: list[tuple[int, int] | None]
    front_pages: int  # the pages before the body, the blank one included (numbered in roman)

    @classmethod
    def of(cls, front: Placed, body: BodyNumbers, back: Placed, right_to_left: bool) -> BookPages:
        # The body begins on a right-hand page: the book's first page is a right-hand one, or in a
        # right-to-left book a left-hand one.
        blank = (front.pages + right_to_left) % 2
        sequence: list[tuple[int, int] | None] = [(0, p) for p in range(front.pages)] + [None] * blank
        sequence += [None if place is None else (place[0] + 1, place[1]) for place in body.body]
        sequence += [None] * (len(body.body) % 2) + [(len(body.placed) + 1, p) for p in range(back.pages)]
        return cls(sequence, front.pages + blank)

    def page_starts(
        self, front: Placed, body: BodyNumbers, back: Placed, styles: NumberStyles
    ) -> tuple[PageStart, ...]:
        """Where pages begin, with the places and numbers they have in the book."""
        starts = [*front.page_starts, *body.page_starts(self.front_pages, styles)]
        back_at = len(self.sequence) - back.pages
        starts += [dataclasses.replace(begins, index=back_at + begins.index) for begins in back.page_starts]
        return tuple(starts)
