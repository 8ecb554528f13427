"""Everything both writers show, computed once: Markdown turned into XHTML, bylines, the
contributors index, and the pictures they point to. The writers only wrap and package it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from markdown_it import MarkdownIt
from markupsafe import Markup

from ebook.model import Book, Entry, Part, Photo
from ebook.render.markdown import make_parser, to_xhtml
from ebook.render.pictures import PreparedImage
from ebook.render.typeset_book import marks_in


@dataclass(frozen=True)
class PhotoView:
    alt: str
    caption: str | None
    credit: str | None
    image: PreparedImage
    width: int
    height: int


@dataclass(frozen=True)
class EntryView:
    entry: Entry
    number: int  # 1-based position in the book
    anchor: str
    file_name: str  # EPUB document
    byline_name: str  # the name shown, or the anonymous form
    anonymous_label: str
    index_name: str  # "Durand, Amélie": the contributors index form
    body: Markup
    photos: tuple[PhotoView, ...]


@dataclass(frozen=True)
class PartView:
    part: Part
    anchor: str
    file_name: str
    intro: Markup | None
    entries: tuple[EntryView, ...]


@dataclass(frozen=True)
class CountryGroup:
    code: str
    name: str
    entries: tuple[EntryView, ...]


@dataclass(frozen=True)
class RenderedBook:
    book: Book
    parts: tuple[PartView, ...]
    foreword: Markup | None
    acknowledgements: Markup | None
    countries: tuple[CountryGroup, ...]
    cover: PreparedImage

    @property
    def entries(self) -> tuple[EntryView, ...]:
        return tuple(v for p in self.parts for v in p.entries)

    @property
    def images(self) -> tuple[PreparedImage, ...]:
        seen = {p.image.name: p.image for v in self.entries for p in v.photos}
        return tuple(seen[name] for name in sorted(seen))


def anonymous_label(entry: Entry) -> str:
    """'A radiographer' in English; elsewhere the role as written, since articles vary by language."""
    role = entry.author.role
    if entry.language.split("-")[0].lower() != "en":
        return role
    lowered = role if role[:2].isupper() else role[:1].lower() + role[1:]
    return f"{'An' if lowered[:1].lower() in 'aeiou' else 'A'} {lowered}"


def entry_view(
    md: MarkdownIt, book: Book, entry: Entry, number: int, photo_view: Callable[[Photo], PhotoView]
) -> EntryView:
    """One entry as every edition shows it, the number-th of the book (serve renders one alone)."""
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
        body=Markup(to_xhtml(md, entry.body, 2, f"entry-{number}-b", marks_in(book, entry.language))),
        photos=tuple(photo_view(p) for p in entry.photos),
    )


def photo_view(photo: Photo, images: dict[Path, PreparedImage]) -> PhotoView:
    image = images[photo.source]
    return PhotoView(photo.alt, photo.caption, photo.credit, image, image.width, image.height)


def render_book(book: Book, images: dict[Path, PreparedImage], cover: PreparedImage) -> RenderedBook:
    """As the EPUB shows it, where an entry's title is its document's h1 (see for_print)."""
    md = make_parser()

    def prose(text: str | None, ids: str) -> Markup | None:
        marks = marks_in(book, book.config.language)
        return Markup(to_xhtml(md, text, top_level=2, id_prefix=ids, marks=marks)) if text else None

    def view_of(entry: Entry, number: int) -> EntryView:
        return entry_view(md, book, entry, number, lambda photo: photo_view(photo, images))

    return book_views(book, cover, view_of, prose)


def book_views(
    book: Book,
    cover: PreparedImage,
    view_of: Callable[[Entry, int], EntryView],
    prose: Callable[[str | None, str], Markup | None],
) -> RenderedBook:
    """The book's views in order, each entry's made by view_of(entry, its number in the book) and
    each Markdown text of the book's by prose(text, its ids' prefix): render_book makes them
    all, serve (serve/rendering.py) only those that changed."""
    number = 0
    parts = []
    for part in book.parts:
        views = []
        for entry in part.entries:
            number += 1
            views.append(view_of(entry, number))
        parts.append(
            PartView(
                part,
                f"part-{part.number}",
                f"text/part-{part.number:02d}.xhtml",
                prose(part.theme.intro, f"part-{part.number}-b"),
                tuple(views),
            )
        )
    by_id = {view.entry.id: view for part_view in parts for view in part_view.entries}
    return RenderedBook(
        book,
        tuple(parts),
        prose(book.config.foreword, "foreword-b"),
        prose(book.config.acknowledgements, "acknowledgements-b"),
        tuple(CountryGroup(g.country, g.country_name, tuple(by_id[i] for i in g.entry_ids)) for g in book.contributors),
        cover,
    )


_HEADING = re.compile(r"<(/?)h([2-6])(?=[\s/>])")


def for_print(rendered: RenderedBook) -> RenderedBook:
    """The book as the one-file PDF shows it, where entry titles are h2 under their theme's h1: the
    headings of each entry's text one level lower (h6 stays h6), as to_xhtml ranks them from h3.
    Rendering the Markdown a second time took 0.1 s before the PDF's layout could begin."""

    def lower(view: EntryView) -> EntryView:
        body = _HEADING.sub(lambda m: f"<{m[1]}h{min(6, int(m[2]) + 1)}", view.body)
        return replace(view, body=Markup(body))  # our own XHTML, tags renamed

    views = {view.anchor: lower(view) for view in rendered.entries}
    return replace(
        rendered,
        parts=tuple(replace(p, entries=tuple(views[v.anchor] for v in p.entries)) for p in rendered.parts),
        countries=tuple(replace(g, entries=tuple(views[v.anchor] for v in g.entries)) for g in rendered.countries),
    )
