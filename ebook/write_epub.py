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
from typing import Any

from ebooklib import epub
from lxml import etree

from ebook.layouts import Layouts
from ebook.problems import Problem, problem
from ebook.render import EntryView, RenderedBook

XHTML = "http://www.w3.org/1999/xhtml"


class _LangWriter(epub.EpubWriter):  # type: ignore[misc]
    """ebooklib leaves <package> without xml:lang; Ace reports that as a serious issue."""

    def __init__(self, name: Any, book: epub.EpubBook, language: str, options: dict[str, Any]) -> None:
        super().__init__(name, book, options)
        self.language = language

    def _write_opf_file(self, root: etree._Element) -> None:
        root.set("{http://www.w3.org/XML/1998/namespace}lang", self.language)
        super()._write_opf_file(root)


def _well_formed(fragment: str) -> str | None:
    try:
        etree.fromstring(f'<div xmlns="{XHTML}" xmlns:epub="http://www.idpf.org/2007/ops">{fragment}</div>')
        return None
    except etree.XMLSyntaxError as e:
        return str(e)


def accessibility_metadata(rendered: RenderedBook) -> list[tuple[str, str]]:
    """Claims derived from the book: every picture must have alt text for alternativeText."""
    photos = [p for v in rendered.entries for p in v.photos]
    features = ["structuralNavigation", "tableOfContents", "readingOrder"]
    if all(p.alt.strip() for p in photos):
        features.append("alternativeText")
    modes = ["textual", "visual"] if photos else ["textual"]
    summary = (
        "This publication has a table of contents, structured headings and a logical reading order. "
        + ("Every photograph has a text description. " if photos else "")
        + "Text can be resized and reflowed. It contains no known hazards."
    )
    return (
        [("schema:accessMode", m) for m in modes]
        + [("schema:accessModeSufficient", "textual")]
        + [("schema:accessibilityFeature", f) for f in features]
        + [
            ("schema:accessibilityHazard", "none"),
            ("schema:accessibilitySummary", summary),
            ("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"),
        ]
    )


def build_epub(rendered: RenderedBook, layouts: Layouts) -> tuple[bytes | None, list[Problem]]:
    book = rendered.book
    config = book.config
    labels = layouts.labels
    problems: list[Problem] = []
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
    for prop, value in accessibility_metadata(rendered):
        out.add_metadata(None, "meta", value, {"property": prop})

    out.add_item(
        epub.EpubImage(
            uid="cover-img",
            file_name=rendered.cover.name,
            media_type=rendered.cover.media_type,
            content=rendered.cover.data,
        )
    )
    cover_item = out.get_item_with_id("cover-img")
    cover_item.properties = ["cover-image"]
    out.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-img"})
    for image in rendered.images:
        out.add_item(epub.EpubImage(file_name=image.name, media_type=image.media_type, content=image.data))
    css = epub.EpubItem(
        uid="style",
        file_name="style/book.css",
        media_type="text/css",
        content=(layouts.text("book.css") + "\n" + layouts.text("epub.css")).encode(),
    )
    out.add_item(css)

    def href(view: EntryView) -> str:
        return f"{view.file_name.removeprefix('text/')}#{view.anchor}"

    def image_src(image: Any) -> str:
        return f"../{image.name}"

    def document(
        template: str, file_name: str, title: str, lang: str | None = None, direction: str | None = None, **context: Any
    ) -> epub.EpubHtml:
        fragment = layouts.env.get_template(template).render(
            book=book, labels=labels, href=href, src=image_src, countries=rendered.countries, **context
        )
        error = _well_formed(fragment)
        if error:
            problems.append(
                problem(
                    layouts.shown(template),
                    0,
                    0,
                    "L001",
                    f"the template produced markup that is not well-formed XML ({error})",
                )
            )
        item = epub.EpubHtml(
            title=title, file_name=file_name, lang=lang or config.language, direction=direction or config.direction
        )
        item.content = fragment
        item.add_link(href="../style/book.css", rel="stylesheet", type="text/css")
        out.add_item(item)
        return item

    cover = document("cover.xhtml", "text/cover.xhtml", labels["cover"], cover=rendered.cover)
    titlepage = document("titlepage.html", "text/titlepage.xhtml", config.title)
    nav = epub.EpubNav(title=labels["contents"], direction=config.direction)
    nav.add_link(href="style/book.css", rel="stylesheet", type="text/css")
    out.add_item(nav)
    out.add_item(epub.EpubNcx())
    spine: list[Any] = [cover, titlepage, nav]
    toc: list[Any] = []
    if rendered.foreword:
        foreword = document(
            "prose.html",
            "text/foreword.xhtml",
            labels["foreword"],
            kind="foreword",
            heading=labels["foreword"],
            text=rendered.foreword,
        )
        spine.append(foreword)
        toc.append(epub.Link(foreword.file_name, labels["foreword"], "foreword"))
    first_body = None
    for part in rendered.parts:
        opener = document(
            "part.html",
            part.file_name,
            part.part.theme.title,
            part=part.part,
            part_anchor=part.anchor,
            intro=part.intro,
        )
        first_body = first_body or opener
        spine.append(opener)
        children = []
        for view in part.entries:
            chapter = document(
                "entry.html",
                view.file_name,
                view.entry.title,
                lang=view.entry.language,
                direction=view.entry.direction,
                view=view,
                level=1,
            )
            spine.append(chapter)
            children.append(epub.Link(chapter.file_name, view.entry.title, view.anchor))
        toc.append((epub.Section(part.part.theme.title, part.file_name), children))
    if rendered.acknowledgements:
        acknowledgements = document(
            "prose.html",
            "text/acknowledgements.xhtml",
            labels["acknowledgements"],
            kind="acknowledgements",
            heading=labels["acknowledgements"],
            text=rendered.acknowledgements,
        )
        spine.append(acknowledgements)
        toc.append(epub.Link(acknowledgements.file_name, labels["acknowledgements"], "acknowledgements"))
    contributors = document("contributors.html", "text/contributors.xhtml", labels["contributors"])
    spine.append(contributors)
    toc.append(epub.Link(contributors.file_name, labels["contributors"], "contributors"))
    if problems:
        return None, problems

    out.toc = toc
    out.spine = spine
    out.guide = [
        {"type": "cover", "href": cover.file_name, "title": labels["cover"]},
        {"type": "toc", "href": "nav.xhtml", "title": labels["contents"]},
        {"type": "text", "href": (first_body or contributors).file_name, "title": labels["start"]},
    ]
    buffer = io.BytesIO()
    modified = book.modified.replace(tzinfo=None)
    writer = _LangWriter(
        buffer, out, config.language, {"mtime": modified, "raise_exceptions": True, "epub3_pages": False}
    )
    writer.process()
    writer.write()
    return normalise_zip(buffer.getvalue(), book.modified.timetuple()[:6]), []


def normalise_zip(data: bytes, when: tuple[int, ...]) -> bytes:
    """Same entries, same order, fixed times and attributes: the same book gives the same bytes."""
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
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(name), compresslevel=9 if name != "mimetype" else None)
    return out.getvalue()
