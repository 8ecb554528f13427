"""The book's plain texts typeset, each in its own language (render/typography.py does the work):
titles, names, roles, captions... in the model itself, once it is assembled, so that every writer
(EPUB, PDF, download page, web edition, proofs) prints the same text. The Markdown texts are
typeset as they are rendered (markdown.to_xhtml with marks_in's marks)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TypeVar

from ebook.model import Book, Entry
from ebook.render.typography import Marks, marks_for, typeset_text

T = TypeVar("T")


def _typeset_fields(record: T, names: Sequence[str], marks: Marks) -> T:
    """A frozen record with the named text fields typeset (None, and tuples of texts, too)."""
    changes: dict[str, object] = {}
    for name in names:
        value = getattr(record, name)
        if isinstance(value, str):
            changes[name] = typeset_text(value, marks).texts[0]
        elif isinstance(value, tuple):
            changes[name] = tuple(typeset_text(v, marks).texts[0] for v in value)
    return replace(record, **changes)  # type: ignore[type-var]


def marks_in(book: Book, language: str) -> Marks | None:
    """The marks for a text of the book in this language; None when book.yaml says typography: plain."""
    return None if book.config.typography == "plain" else marks_for(language)


# The texts of the model that are shown as typed, field by field; the Markdown ones (bodies, the
# foreword, theme introductions, acknowledgements) are typeset as they are rendered (markdown_rule).
_BOOK_TEXTS = ("title", "subtitle", "publisher", "editors", "description")
_ENTRY_TEXTS = ("title",)
_AUTHOR_TEXTS = ("name", "sort_name", "role", "affiliation", "country_name")
_PHOTO_TEXTS = ("alt", "caption", "credit")


def typeset_book(book: Book) -> Book:
    """The book with its plain texts typeset, each in its own language: book.yaml's in the book's,
    an entry's in the entry's. Called once the order is settled, which keys on the texts as typed."""
    if book.config.typography == "plain":
        return book
    marks = marks_for(book.config.language)
    config = _typeset_fields(book.config, _BOOK_TEXTS, marks)
    themes = {theme.id: _typeset_fields(theme, ("title",), marks) for theme in config.themes}

    def entry(e: Entry) -> Entry:
        own = marks_for(e.language)
        return replace(
            _typeset_fields(e, _ENTRY_TEXTS, own),
            author=_typeset_fields(e.author, _AUTHOR_TEXTS, own),
            photos=tuple(_typeset_fields(p, _PHOTO_TEXTS, own) for p in e.photos),
        )

    return replace(
        book,
        config=replace(config, themes=tuple(themes.values())),
        parts=tuple(
            replace(p, theme=themes[p.theme.id], entries=tuple(entry(e) for e in p.entries)) for p in book.parts
        ),
        contributors=tuple(_typeset_fields(c, ("country_name",), marks) for c in book.contributors),
    )
