"""Everything both writers show, computed once: Markdown turned into XHTML, bylines, the
contributors index, and the pictures they point to. The writers only wrap and package it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from ebook.images import PreparedImage
from ebook.markdown import make_parser, to_xhtml
from ebook.model import Book, Entry, Part, Photo


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


def render_book(book: Book, images: dict[Path, PreparedImage], cover: PreparedImage, title_level: int) -> RenderedBook:
    """title_level: the heading level of entry titles (1 in the EPUB, 2 in the one-file PDF)."""
    md = make_parser()

    def prose(text: str | None, ids: str) -> Markup | None:
        return Markup(to_xhtml(md, text, top_level=2, id_prefix=ids)) if text else None

    def photo_view(photo: Photo) -> PhotoView:
        image = images[photo.source]
        return PhotoView(photo.alt, photo.caption, photo.credit, image, image.width, image.height)

    number = 0
    parts = []
    for part in book.parts:
        views = []
        for entry in part.entries:
            number += 1
            a = entry.author
            label = anonymous_label(entry)
            views.append(
                EntryView(
                    entry=entry,
                    number=number,
                    anchor=f"entry-{number}",
                    file_name=f"text/entry-{number:04d}.xhtml",
                    byline_name=label if a.anonymous else a.name,
                    anonymous_label=label,
                    index_name=a.sort_name,
                    body=Markup(to_xhtml(md, entry.body, title_level + 1, id_prefix=f"entry-{number}-b")),
                    photos=tuple(photo_view(p) for p in entry.photos),
                )
            )
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
