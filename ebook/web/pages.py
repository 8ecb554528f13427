"""The web edition's pages, each rendered from layouts/web/ around the fragments the EPUB is made of.

An entry's text is the EPUB's own: the shared entry.html rendered from the same EntryView, only
its photos drawn by the web template (sized for screens, loaded lazily). The foreword, the
acknowledgements, the theme openings and the contributors are the shared templates too.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from ebook.render.schema_org import book_schema
from ebook.render.views import EntryView, PartView
from ebook.web.pictures import half_size, picture_path
from ebook.web.pictures import picture_files as screen_pictures
from ebook.web.search import Document, search_index
from ebook.web.site import WebSite

# Copied from layouts/web/ to read/assets/: the stylesheet, the search, and the book's Noto faces
# for Latin and Arabic text, subsets of about 45 KB each (fonts/OFL.txt; docs/web-edition.md).
ASSETS = (
    "web.css",
    "search.js",
    "fonts/NotoSerif-Regular.woff2",
    "fonts/NotoSerif-Italic.woff2",
    "fonts/NotoSerif-Bold.woff2",
    "fonts/NotoSans-Regular.woff2",
    "fonts/NotoSans-Bold.woff2",
    "fonts/NotoNaskhArabic-Regular.woff2",
    "fonts/NotoNaskhArabic-Bold.woff2",
    "fonts/OFL.txt",
)
_TAGS = re.compile(r"<[^>]+>")


def _href(site: WebSite, view: EntryView, root: str) -> str:
    return root + quote(site.entry_file(view.entry.id))


def _render(site: WebSite, template: str, root: str, **context: Any) -> bytes:
    rendered = site.rendered
    html = site.layouts.env.get_template(template).render(
        book=rendered.book,
        rendered=rendered,
        labels=site.labels,
        root=root,
        downloads=site.downloads,
        preview=site.preview,
        problems=[p.format() for p in site.shown_problems],
        entry_href=lambda view: _href(site, view, root),
        **context,
    )
    return html.encode("utf-8")


def _shared(site: WebSite, template: str, root: str, **context: Any) -> Markup:
    """A fragment of the EPUB's, its links to entries pointing at their web pages."""
    return Markup(
        site.layouts.env.get_template(template).render(
            book=site.rendered.book,
            labels=site.layouts.labels,
            href=lambda view: _href(site, view, root),
            src=lambda image: root + picture_path(image),
            page_of=lambda anchor: None,
            countries=site.rendered.countries,
            **context,
        )
    )


def _pages_text(site: WebSite, view: EntryView) -> str | None:
    found = site.pages.get(view.anchor)
    if found is None:
        return None
    # Filled by replace, not format: a book's own label with other braces stays as written.
    label = site.labels["pages_one" if found.single else "pages_many"]
    return label.replace("{first}", found.first).replace("{last}", found.last)


def entry_page(site: WebSite, entry_id: str) -> bytes:
    """read/<entry-id>.html."""
    views = site.rendered.entries
    at = next(i for i, v in enumerate(views) if v.entry.id == entry_id)  # by id: comparing views costs
    view = views[at]
    text = _shared(site, "entry.html", "", view=dataclasses.replace(view, photos=()), level=1)
    if view.photos:
        # The photos as a screen wants them, inside the entry's article as in the EPUB: our own
        # markup, ending with the article (a book's own entry.html may not: then they follow it).
        figures = site.layouts.env.get_template("web/photos.html").render(
            view=view,
            photos=[
                (photo, picture_path(photo.image), None if site.preview else half_size(photo.image))
                for photo in view.photos
            ],
        )
        before, end, after = str(text).rpartition("</article>")
        text = Markup(before + figures + "\n" + end + after) if end else Markup(str(text) + figures)
    book = site.rendered.book
    config = book.config
    pages = site.pages.get(view.anchor)
    chapter: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Chapter",
        "name": view.entry.title,
        "inLanguage": view.entry.language,
        "position": view.number,
        "isPartOf": {
            "@type": "Book",
            "name": config.title,
            "publisher": {"@type": "Organization", "name": config.publisher},
            "datePublished": config.date.isoformat(),
            "editor": [{"@type": "Person", "name": e} for e in config.editors],
            "identifier": config.identifier,
        },
    }
    if not view.entry.author.anonymous:
        chapter["author"] = {"@type": "Person", "name": view.entry.author.name}
    if pages:
        chapter["pageStart"], chapter["pageEnd"] = pages.first, pages.last
    return _render(
        site,
        "web/entry.html",
        "",
        view=view,
        text=text,
        pages=pages,
        pages_text=_pages_text(site, view),
        previous=views[at - 1] if at > 0 else None,
        next=views[at + 1] if at + 1 < len(views) else None,
        part=next(p for p in site.rendered.parts if any(v is view for v in p.entries)),
        chapter=chapter,
    )


def _book_schema(site: WebSite) -> dict[str, Any]:
    """schema.org's Book, its editions (the EPUB and the PDF) and its chapters, for search engines."""
    config = site.rendered.book.config
    schema: dict[str, Any] = {
        **book_schema(config),
        "editor": [{"@type": "Person", "name": e} for e in config.editors],
        "identifier": config.identifier,
        "license": config.license,
        "hasPart": [
            {"@type": "Chapter", "name": v.entry.title, "url": quote(site.entry_file(v.entry.id))}
            for v in site.rendered.entries
        ],
    }
    if site.downloads:
        schema["encoding"] = [
            {"@type": "MediaObject", "contentUrl": f"../{d.file_name}", "encodingFormat": d.media_type}
            for d in site.downloads
        ]
    return schema


def contents_page(site: WebSite) -> bytes:
    """read/index.html: the themes and their entries, and the search."""
    return _render(site, "web/contents.html", "", parts=site.rendered.parts, schema=_book_schema(site))


def part_file(part: PartView) -> str:
    return f"book/theme-{part.part.number}.html"


def book_pages(site: WebSite) -> dict[str, bytes]:
    """The foreword, each theme's opening, the acknowledgements and the contributors, under book/."""
    rendered = site.rendered
    labels = site.layouts.labels
    pages: dict[str, bytes] = {}

    def page(name: str, title: str, fragment: Markup, entries: tuple[EntryView, ...] = ()) -> None:
        pages[f"book/{name}.html"] = _render(
            site, "web/page.html", "../", title=title, fragment=fragment, entries=entries, name=name
        )

    for kind, text in (("foreword", rendered.foreword), ("acknowledgements", rendered.acknowledgements)):
        if text:
            page(kind, labels[kind], _shared(site, "prose.html", "../", kind=kind, heading=labels[kind], text=text))
    for part in rendered.parts:
        fragment = _shared(site, "part.html", "../", part=part.part, part_anchor=part.anchor, intro=part.intro)
        page(f"theme-{part.part.number}", part.part.theme.title, fragment, part.entries)
    page("contributors", labels["contributors"], _shared(site, "contributors.html", "../"))
    return pages


def search_script(site: WebSite) -> bytes:
    """assets/search-index.js: each entry's title, byline, text and captions, never an anonymous name."""
    documents = []
    for view in site.rendered.entries:
        captions = " ".join(f"{p.caption or ''} {p.credit or ''} {p.alt}" for p in view.photos)
        author = view.entry.author
        byline = view.byline_name if author.anonymous else f"{author.name}, {author.role}"
        text = f"{view.entry.title} {byline} {author.country_name} {_TAGS.sub(' ', str(view.body))} {captions}"
        documents.append(
            Document(
                quote(site.entry_file(view.entry.id)),
                view.entry.title,
                byline,
                view.entry.language,
                view.entry.direction,
                Markup(text).unescape(),
            )
        )
    return search_index(documents)


def asset_files(site: WebSite) -> dict[str, bytes]:
    return {f"assets/{name}": site.layouts.find(f"web/{name}").read_bytes() for name in ASSETS}


def picture_files(site: WebSite) -> dict[str, bytes]:
    """The prepared pictures the pages show (reading them waits for the pictures being prepared),
    and their copies for phones, but in the preview, where they would be made at every change."""
    return screen_pictures(site.rendered.images, small_copies=not site.preview)
