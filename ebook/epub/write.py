"""Package the rendered book as EPUB 3 with ebooklib, valid for epubcheck and DAISY Ace.

ebooklib quirks worked around here (see ../shared/notes/libraries.md, section 1):
- stylesheets are linked relative to each document (add_link), or every chapter gets RSC-007;
- the NCX is always added, since ebooklib always writes spine toc="ncx";
- ids never sit beside epub:type, or ebooklib invents page-list entries;
- each document is checked for well-formedness first, because ebooklib writes an unparsable
  one as an empty page without a word;
- <package> gets xml:lang, and the zip gets fixed timestamps, for Ace and for reproducible bytes.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import quoteattr

from ebooklib import epub
from lxml import etree
from markupsafe import Markup

from ebook.epub.page_markers import insert_page_markers, markers_by_owner
from ebook.pdf.page_starts import PageStart
from ebook.problems import Problem, problem
from ebook.render.accessibility import accessibility_metadata
from ebook.render.views import EntryView, RenderedBook
from ebook.templates.load import Layouts

XHTML = "http://www.w3.org/1999/xhtml"


def _well_formed(fragment: str) -> str | None:
    try:
        etree.fromstring(f'<div xmlns="{XHTML}" xmlns:epub="http://www.idpf.org/2007/ops">{fragment}</div>')
        return None
    except etree.XMLSyntaxError as e:
        return str(e)


@dataclass(frozen=True)
class Document:
    """One XHTML document of the EPUB, rendered and checked, before packaging."""

    file_name: str
    title: str
    lang: str
    direction: str
    fragment: str
    role: str  # cover | titlepage | front | part | entry | back
    anchor: str


def render_documents(rendered: RenderedBook, layouts: Layouts) -> tuple[tuple[Document, ...], list[Problem]]:
    """Every document of the EPUB in reading order, each checked for well-formedness first:
    ebooklib would write a document it cannot parse as an empty page without a word."""
    book = rendered.book
    config = book.config
    labels = layouts.labels
    problems: list[Problem] = []
    documents: list[Document] = []

    def href(view: EntryView) -> str:
        return f"{view.file_name.removeprefix('text/')}#{view.anchor}"

    def image_src(image: Any) -> str:
        return f"../{image.name}"

    def add(
        template: str,
        file_name: str,
        title: str,
        role: str,
        anchor: str = "",
        lang: str = "",
        direction: str = "",
        **context: Any,
    ) -> None:
        fragment = layouts.env.get_template(template).render(
            book=book,
            labels=labels,
            href=href,
            src=image_src,
            page_of=lambda anchor: None,  # the EPUB shows no page numbers, only links
            countries=rendered.countries,
            **context,
        )
        error = _well_formed(fragment)
        if error:
            message = f"the template produced markup that is not well-formed XML ({error})"
            problems.append(problem(layouts.shown(template), 0, 0, "L001", message))
        documents.append(
            Document(file_name, title, lang or config.language, direction or config.direction, fragment, role, anchor)
        )

    add("cover.xhtml", "text/cover.xhtml", labels["cover"], "cover", cover=rendered.cover)
    add("titlepage.html", "text/titlepage.xhtml", config.title, "titlepage")

    def prose(kind: str, role: str, text: Markup | None) -> None:
        """The foreword and the acknowledgements: the editors' own text under a heading."""
        if text:
            add(
                "prose.html", f"text/{kind}.xhtml", labels[kind], role, kind, kind=kind, heading=labels[kind], text=text
            )

    prose("foreword", "front", rendered.foreword)
    for part in rendered.parts:
        add(
            "part.html",
            part.file_name,
            part.part.theme.title,
            "part",
            part.anchor,
            part=part.part,
            part_anchor=part.anchor,
            intro=part.intro,
        )
        for view in part.entries:
            add(
                "entry.html",
                view.file_name,
                view.entry.title,
                "entry",
                view.anchor,
                view.entry.language,
                view.entry.direction,
                view=view,
                level=1,
            )
    prose("acknowledgements", "back", rendered.acknowledgements)
    add("contributors.html", "text/contributors.xhtml", labels["contributors"], "back", "contributors")
    return tuple(documents), problems


def build_epub(
    rendered: RenderedBook, layouts: Layouts, documents: tuple[Document, ...], page_starts: tuple[PageStart, ...] = ()
) -> bytes:
    """Package checked documents; page_starts (where the PDF's pages begin) become the page list."""
    book = rendered.book
    config = book.config
    labels = layouts.labels
    out = epub.EpubBook()
    out.set_identifier(config.identifier)
    out.set_title(config.title)
    out.set_language(config.language)
    out.set_direction(config.direction)
    for i, editor in enumerate(config.editors):
        out.add_author(editor, role="edt", uid=f"editor-{i + 1}")
    out.add_metadata("DC", "publisher", config.publisher)
    out.add_metadata("DC", "date", config.date.isoformat())
    out.add_metadata("DC", "rights", config.license)
    if config.subtitle:
        out.add_metadata(None, "meta", config.subtitle, {"property": "dcterms:alternative"})
    if config.description:
        out.add_metadata("DC", "description", config.description)
    for prop, value in accessibility_metadata(rendered, bool(page_starts), labels):
        out.add_metadata(None, "meta", value, {"property": prop})
    if page_starts:
        # The page list's numbers come from the PDF edition, which shares the book's identifier.
        out.add_metadata("DC", "source", config.identifier, {"id": "pagination-source"})
        out.add_metadata(None, "meta", "pagination", {"refines": "#pagination-source", "property": "source-of"})

    cover = rendered.cover
    out.add_item(epub.EpubImage(uid="cover-img", file_name=cover.name, media_type=cover.media_type, content=cover.data))
    out.get_item_with_id("cover-img").properties = ["cover-image"]
    out.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-img"})
    for image in (i for i in rendered.images if i.name != cover.name):  # a photo may also be the cover
        out.add_item(epub.EpubImage(file_name=image.name, media_type=image.media_type, content=image.data))
    out.add_item(
        epub.EpubItem(
            uid="style",
            file_name="style/book.css",
            media_type="text/css",
            content=(layouts.text("book.css") + "\n" + layouts.text("epub.css")).encode(),
        )
    )
    nav = epub.EpubNav(title=labels["contents"], direction=config.direction)
    nav.add_link(href="style/book.css", rel="stylesheet", type="text/css")

    spine: list[Any] = []
    toc: list[Any] = []
    markers = markers_by_owner(page_starts)
    for document in documents:
        item = epub.EpubHtml(
            title=document.title, file_name=document.file_name, lang=document.lang, direction=document.direction
        )
        item.content = insert_page_markers(document.fragment, markers)
        item.add_link(href="../style/book.css", rel="stylesheet", type="text/css")
        out.add_item(item)
        spine.append(item)
        if document.role == "titlepage":
            out.add_item(nav)
            out.add_item(epub.EpubNcx())
            spine.append(nav)
        elif document.role == "part":
            toc.append((epub.Section(document.title, document.file_name), []))
        elif document.role == "entry":
            toc[-1][1].append(epub.Link(document.file_name, document.title, document.anchor))
        elif document.role in ("front", "back"):
            toc.append(epub.Link(document.file_name, document.title, document.anchor))
    first_body = next(d for d in documents if d.role in ("part", "back"))
    out.toc = toc
    out.spine = spine
    out.guide = [
        {"type": "cover", "href": documents[0].file_name, "title": labels["cover"]},
        {"type": "toc", "href": "nav.xhtml", "title": labels["contents"]},
        {"type": "text", "href": first_body.file_name, "title": labels["start"]},
    ]
    buffer = io.BytesIO()
    options = {
        # Aware and in UTC: ebooklib after 0.20 converts the time with astimezone(), which takes a
        # naive one for local time (https://github.com/aerkalov/ebooklib, writer.py on master).
        "mtime": book.modified,
        "raise_exceptions": True,
        "epub3_pages": bool(page_starts),
        "compresslevel": 0,  # normalise_zip compresses it: once is enough (0.3 s for 60 photos)
    }
    writer = epub.EpubWriter(buffer, out, options)
    writer.process()
    writer.write()
    return normalise_zip(buffer.getvalue(), book.modified.timetuple()[:6], config.language)


def normalise_zip(data: bytes, when: tuple[int, ...], language: str) -> bytes:
    """Same entries, same order, fixed times and attributes: the same book gives the same bytes.
    The package document gets the book's language, which ebooklib does not write."""
    date_time = tuple(max(v, lo) for v, lo in zip(when, (1980, 1, 1, 0, 0, 0), strict=True))
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    names = ["mimetype"] + [n for n in names if n != "mimetype"]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=date_time)  # type: ignore[arg-type]
            info.create_system = 3
            info.external_attr = 0o644 << 16
            # Pictures are compressed already: deflating them again costs time and saves nothing.
            stored = name == "mimetype" or name.endswith((".jpg", ".png"))
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            content = source.read(name)
            if name.endswith(".opf"):
                content = _with_language(content, language)
            target.writestr(info, content, compresslevel=None if stored else 9)
    return out.getvalue()


def _with_language(package: bytes, language: str) -> bytes:
    """<package> with xml:lang, the last of its attributes: Ace reports its absence as serious."""
    end = package.index(b">", package.index(b"<package"))
    return package[:end] + f" xml:lang={quoteattr(language)}".encode() + package[end:]
