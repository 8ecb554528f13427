"""The book rendered as views.render_book renders it, each entry's Markdown rendered again only
when the entry, its place in the book or its pictures changed: one saved entry costs one entry's
Markdown, where render_book renders all of them (70 ms for the sample book's 145 entries)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt
from markupsafe import Markup

from ebook.model import Book, Entry, Photo
from ebook.render.markdown import make_parser, to_xhtml
from ebook.render.pictures import PreparedImage
from ebook.render.views import CountryGroup, EntryView, PartView, PhotoView, RenderedBook, anonymous_label

# What an entry's view is made from: the entry, its number in the book, its pictures' names and sizes.
_EntryKey = tuple[Entry, int, tuple[tuple[str, int, int], ...]]


@dataclass
class RenderCache:
    """The views and prose of the last renderings; owned by one BookState, used by one thread."""

    parser: MarkdownIt = field(default_factory=make_parser)
    entries: dict[_EntryKey, EntryView] = field(default_factory=dict)
    prose: dict[tuple[str, str], Markup] = field(default_factory=dict)
    rendered_entries: int = 0  # how many entries' Markdown was rendered, for the tests and the benchmark


def render_cached(
    book: Book, images: dict[Path, PreparedImage], cover: PreparedImage, cache: RenderCache
) -> RenderedBook:
    """The same RenderedBook as views.render_book(book, images, cover), from the cache where it can."""

    def prose(text: str | None, ids: str) -> Markup | None:
        if not text:
            return None
        if (text, ids) not in cache.prose:
            cache.prose[text, ids] = Markup(to_xhtml(cache.parser, text, top_level=2, id_prefix=ids))
        return cache.prose[text, ids]

    def photo_view(photo: Photo) -> PhotoView:
        image = images[photo.source]
        return PhotoView(photo.alt, photo.caption, photo.credit, image, image.width, image.height)

    def entry_view(entry: Entry, number: int) -> EntryView:
        pictures = tuple((images[p.source].name, images[p.source].width, images[p.source].height) for p in entry.photos)
        key = (entry, number, pictures)
        if key not in fresh:
            fresh[key] = cache.entries.get(key) or _render_entry(entry, number, cache, photo_view)
        return fresh[key]

    fresh: dict[_EntryKey, EntryView] = {}
    number = 0
    parts = []
    for part in book.parts:
        views = []
        for entry in part.entries:
            number += 1
            views.append(entry_view(entry, number))
        parts.append(
            PartView(
                part,
                f"part-{part.number}",
                f"text/part-{part.number:02d}.xhtml",
                prose(part.theme.intro, f"part-{part.number}-b"),
                tuple(views),
            )
        )
    cache.entries = fresh  # views of entries no longer in the book are let go
    by_id = {view.entry.id: view for part_view in parts for view in part_view.entries}
    return RenderedBook(
        book,
        tuple(parts),
        prose(book.config.foreword, "foreword-b"),
        prose(book.config.acknowledgements, "acknowledgements-b"),
        tuple(CountryGroup(g.country, g.country_name, tuple(by_id[i] for i in g.entry_ids)) for g in book.contributors),
        cover,
    )


def _render_entry(entry: Entry, number: int, cache: RenderCache, photo_view: Callable[[Photo], PhotoView]) -> EntryView:
    cache.rendered_entries += 1
    a = entry.author
    label = anonymous_label(entry)
    return EntryView(
        entry=entry,
        number=number,
        anchor=f"entry-{number}",
        file_name=f"text/entry-{number:04d}.xhtml",
        byline_name=label if a.anonymous else a.name,
        anonymous_label=label,
        index_name=a.sort_name,
        body=Markup(to_xhtml(cache.parser, entry.body, 2, id_prefix=f"entry-{number}-b")),
        photos=tuple(photo_view(p) for p in entry.photos),
    )
