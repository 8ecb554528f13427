"""What reading a body document gives, shared by the Word and OpenDocument readers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Picture:
    data: bytes
    content_type: str
    alt: str


class DocumentError(Exception):
    """The file cannot be used as a body; the message names what it is."""


# What is not carried as the author wrote it, and what became of it.
_REPORTS = {
    "comment": ("comment", "comments", "left out"),
    "drawing": ("drawing or chart", "drawings or charts", "left out"),
    "equation": ("equation", "equations", "left out"),
    "field": ("field", "fields", "their last shown text was kept (dates, page numbers, references)"),
    "footnote": ("footnote", "footnotes", "they became a numbered list at the end of the text"),
    "header or footer": ("page header or footer", "page headers or footers", "left out"),
    "linked picture": ("picture linked from outside the document", "pictures linked from outside the document",
                       "not fetched, left out"),
    "table": ("table", "tables", "the cells were carried as paragraphs, one after another"),
    "text box": ("text box", "text boxes", "left out"),
    "tracked change": ("tracked change", "tracked changes",
                       "taken as accepted (insertions kept, deletions left out)"),
    "unreadable picture": ("picture that cannot be read", "pictures that cannot be read", "left out"),
}  # fmt: skip


def report(shown: str, counts: dict[str, int]) -> tuple[str, ...]:
    found = []
    for what, (one, many, fate) in _REPORTS.items():
        if n := counts.get(what, 0):
            found.append(f'"{shown}" has {n} {one if n == 1 else many}: {fate}')
    return tuple(found)
