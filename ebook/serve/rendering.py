"""The book rendered as views.render_book renders it, each entry's Markdown rendered again only
when the entry or its pictures changed: one saved entry costs one entry's Markdown, where
render_book renders all of them (70 ms for the sample book's 145 entries).

An entry's place in the book shows in its XHTML only as the prefix of its blocks' ids
(entry-12-b1, entry-12-b2, …). When an entry is added or removed, the entries after it move: their
rendering is kept and the prefix renamed, unless the text could put that prefix's letters in the
XHTML itself ("entry", or "&" for a character reference), where it is rendered again.
tests/test_serve.py holds render_cached to render_book's result.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt
from markupsafe import Markup

from ebook.model import Book, Entry
from ebook.render.markdown import make_parser, to_xhtml
from ebook.render.pictures import PreparedImage
from ebook.render.typeset_book import marks_in
from ebook.render.views import EntryView, RenderedBook, book_views, entry_view, photo_view

# What an entry's view is made from, but for its number: the entry, its pictures' names and sizes,
# the book's typography setting.
_EntryKey = tuple[Entry, tuple[tuple[str, int, int], ...], str]


@dataclass
class RenderCache:
    """The views and prose of the last renderings; owned by one BookState, used by one thread."""

    parser: MarkdownIt = field(default_factory=make_parser)
    entries: dict[_EntryKey, EntryView] = field(default_factory=dict)
    prose: dict[tuple[str, str, str, str], Markup] = field(default_factory=dict)
    rendered_entries: int = 0  # how many entries' Markdown was rendered, for the tests and the benchmark


def render_cached(
    book: Book, images: dict[Path, PreparedImage], cover: PreparedImage, cache: RenderCache
) -> RenderedBook:
    """The same RenderedBook as views.render_book(book, images, cover), from the cache where it can."""
    typography = book.config.typography
    fresh_prose: dict[tuple[str, str, str, str], Markup] = {}

    def prose(text: str | None, ids: str) -> Markup | None:
        if not text:
            return None
        key = (text, ids, typography, book.config.language)
        if key not in fresh_prose:
            made = cache.prose.get(key)
            if made is None:
                marks = marks_in(book, book.config.language)
                made = Markup(to_xhtml(cache.parser, text, top_level=2, id_prefix=ids, marks=marks))
            fresh_prose[key] = made
        return fresh_prose[key]

    def view_of(entry: Entry, number: int) -> EntryView:
        pictures = tuple((images[p.source].name, images[p.source].width, images[p.source].height) for p in entry.photos)
        key = (entry, pictures, typography)
        kept = fresh.get(key) or cache.entries.get(key)
        if kept is None or (kept.number != number and not _renumberable(entry)):
            cache.rendered_entries += 1
            kept = entry_view(cache.parser, book, entry, number, lambda photo: photo_view(photo, images))
        elif kept.number != number:
            kept = _renumbered(kept, number)
        fresh[key] = kept
        return kept

    fresh: dict[_EntryKey, EntryView] = {}
    rendered = book_views(book, cover, view_of, prose)
    cache.entries, cache.prose = fresh, fresh_prose  # what is no longer in the book is let go
    return rendered


def _renumberable(entry: Entry) -> bool:
    """Whether "entry-N-b" can be in the entry's XHTML only as its ids' prefix."""
    return "entry" not in entry.body and "&" not in entry.body


def _renumbered(view: EntryView, number: int) -> EntryView:
    return dataclasses.replace(
        view,
        number=number,
        anchor=f"entry-{number}",
        file_name=f"text/entry-{number:04d}.xhtml",
        body=Markup(str(view.body).replace(f"entry-{view.number}-b", f"entry-{number}-b")),
    )
