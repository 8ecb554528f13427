"""An OpenDocument text (.odt) as the small HTML tree markdown_out.py writes.

Read with lxml straight from content.xml and styles.xml: odfpy would build the same tree with
its own slower DOM, and no OpenDocument-to-Markdown converter keeps pictures' descriptions and
reports what it drops. Bold and italic come from the automatic styles a word processor writes for
each span; headings from text:h; quotes from the "Quotations" paragraph style; numbered or bulleted
lists from the list style of each level.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass, field

from lxml import etree

from ebook.importing.documents_model import DocumentError, Picture, report
from ebook.importing.zips import read_member

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
}
_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
_QUOTE_STYLES = {"quotations", "quote", "quotation", "intense quote", "intense_20_quote", "block text"}
_FIELDS = {
    "date", "time", "page-number", "page-count", "chapter", "sequence", "bookmark-ref", "reference-ref",
    "sequence-ref", "note-ref", "user-field-get", "variable-get", "expression", "file-name", "author-name",
    "title", "subject", "word-count", "character-count", "initial-creator", "creation-date",
}  # fmt: skip


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


@dataclass
class _Styles:
    parent: dict[str, str] = field(default_factory=dict)
    bold: set[str] = field(default_factory=set)
    italic: set[str] = field(default_factory=set)
    display: dict[str, str] = field(default_factory=dict)
    numbered_lists: dict[tuple[str, int], bool] = field(default_factory=dict)

    def read(self, root: etree._Element | None) -> None:
        if root is None:
            return
        for s in root.iter(_q("style:style")):
            name = s.get(_q("style:name"), "")
            if parent := s.get(_q("style:parent-style-name")):
                self.parent[name] = parent
            self.display[name] = s.get(_q("style:display-name"), name)
            props = s.find(_q("style:text-properties"))
            if props is not None:
                if props.get(_q("fo:font-weight")) in ("bold", "700", "800", "900"):
                    self.bold.add(name)
                if props.get(_q("fo:font-style")) in ("italic", "oblique"):
                    self.italic.add(name)
        for ls in root.iter(_q("text:list-style")):
            name = ls.get(_q("style:name"), "")
            for level in ls:
                number = int(level.get(_q("text:level"), "1") or 1)
                self.numbered_lists[(name, number)] = etree.QName(level).localname == "list-level-style-number"

    def chain(self, name: str) -> list[str]:
        names: list[str] = []
        while name and name not in names and len(names) < 20:
            names.append(name)
            name = self.parent.get(name, "")
        return names

    def has(self, name: str, kind: set[str]) -> bool:
        return any(n in kind for n in self.chain(name))

    def is_quote(self, name: str) -> bool:
        return any(
            n.lower() in _QUOTE_STYLES or self.display.get(n, "").lower() in _QUOTE_STYLES for n in self.chain(name)
        )


@dataclass
class _Walk:
    archive: zipfile.ZipFile
    styles: _Styles
    pictures: list[Picture] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[etree._Element] = field(default_factory=list)

    def count(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1

    def block(self, node: etree._Element, out: etree._Element, list_style: str = "", level: int = 0) -> None:
        local = etree.QName(node).localname if isinstance(node.tag, str) else ""
        ns = etree.QName(node).namespace if isinstance(node.tag, str) else ""
        if ns == NS["text"] and local == "h":
            depth = min(6, max(1, int(node.get(_q("text:outline-level"), "1") or 1)))
            self.inline(node, etree.SubElement(out, f"h{depth}"))
        elif ns == NS["text"] and local == "p":
            target = out
            if self.styles.is_quote(node.get(_q("text:style-name"), "")):
                target = etree.SubElement(out, "blockquote")
            self.inline(node, etree.SubElement(target, "p"))
        elif ns == NS["text"] and local == "list":
            style = node.get(_q("text:style-name"), list_style)
            numbered = self.styles.numbered_lists.get((style, level + 1), False)
            lst = etree.SubElement(out, "ol" if numbered else "ul")
            for item in node:
                if etree.QName(item).localname in ("list-item", "list-header"):
                    li = etree.SubElement(lst, "li")
                    for child in item:
                        self.block(child, li, style, level + 1)
        elif ns == NS["table"] and local == "table":
            self.count("table")
            for cell in node.iter(_q("table:table-cell")):
                for child in cell:
                    self.block(child, out)
        elif ns == NS["text"] and local in ("section", "index-body"):
            for child in node:
                self.block(child, out, list_style, level)
        elif ns == NS["text"] and local == "tracked-changes":
            self.count("tracked change")  # the text holds the accepted version; this keeps the rest
        elif ns == NS["office"] and local == "annotation":
            self.count("comment")
        elif ns == NS["draw"] and local == "frame":
            self.frame(node)

    def inline(self, node: etree._Element, out: etree._Element) -> None:
        out.text = (out.text or "") + (node.text or "")
        for child in node:
            local = etree.QName(child).localname if isinstance(child.tag, str) else ""
            target: etree._Element | None = None
            if local == "span":
                style = child.get(_q("text:style-name"), "")
                target = out
                if self.styles.has(style, self.styles.bold):
                    target = etree.SubElement(target, "strong")
                if self.styles.has(style, self.styles.italic):
                    target = etree.SubElement(target, "em")
                if target is out:
                    target = etree.SubElement(out, "span")
                self.inline(child, target)
            elif local == "a":
                target = etree.SubElement(out, "a", href=child.get(_q("xlink:href"), ""))
                self.inline(child, target)
            elif local == "s":
                target = etree.SubElement(out, "span")
                target.text = " " * min(int(child.get(_q("text:c"), "1") or 1), 100)
            elif local == "tab":
                target = etree.SubElement(out, "span")
                target.text = " "
            elif local == "line-break":
                target = etree.SubElement(out, "br")
            elif local == "note":
                self.count("footnote")
                self.notes.append(child)
                target = etree.SubElement(out, "sup")
                target.text = f"[{len(self.notes)}]"
            elif local == "annotation":
                self.count("comment")
                target = etree.SubElement(out, "span")
            elif local in ("annotation-end", "bookmark", "bookmark-start", "bookmark-end", "soft-page-break"):
                target = etree.SubElement(out, "span")
            elif local in ("change", "change-start", "change-end"):
                self.count("tracked change")
                target = etree.SubElement(out, "span")
            elif local == "frame":
                self.frame(child)
                target = etree.SubElement(out, "span")
            elif local in _FIELDS:
                self.count("field")
                target = etree.SubElement(out, "span")
                self.inline(child, target)
            else:
                target = etree.SubElement(out, "span")
                self.inline(child, target)
            target.tail = child.tail

    def frame(self, node: etree._Element) -> None:
        image = node.find(_q("draw:image"))
        if image is None:  # a text box, or an object: a chart, a formula, a drawing
            self.count("text box" if node.find(_q("draw:text-box")) is not None else "drawing")
            return
        href = image.get(_q("xlink:href"), "")
        title = node.findtext(_q("svg:title")) or ""
        desc = node.findtext(_q("svg:desc")) or ""
        alt = " ".join((desc or title).split())
        if not href or "://" in href or href.startswith(("/", "..")):
            self.count("linked picture")
            return
        try:
            data = read_member(self.archive, href.lstrip("./"))
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
            data = None
        if data is None:
            self.count("linked picture")
            return
        kind = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg" if data.startswith(b"\xff\xd8") else ""
        self.pictures.append(Picture(data, kind, alt))


def odt_tree(archive: zipfile.ZipFile, shown: str) -> tuple[etree._Element, tuple[Picture, ...], tuple[str, ...]]:
    if read_member(archive, "mimetype") not in (b"application/vnd.oasis.opendocument.text", None):
        raise DocumentError(f'"{shown}" is not what its name says: it is not an OpenDocument text')
    try:
        content = read_member(archive, "content.xml")
        styles_xml = read_member(archive, "styles.xml")
        if content is None:
            raise DocumentError(f'"{shown}" is not what its name says: it is not an OpenDocument text')
        root = etree.fromstring(content, _XML)
        styles = _Styles()
        styles.read(etree.fromstring(styles_xml, _XML) if styles_xml else None)
        styles.read(root)
    except (etree.XMLSyntaxError, zipfile.BadZipFile, zlib.error, EOFError):
        raise DocumentError(f'"{shown}" is damaged: its text cannot be read') from None
    if any(name.startswith("Basic/") or name.startswith("Scripts/") for name in archive.namelist()):
        raise DocumentError(f'"{shown}" holds macros; save it as .odt without macros')
    walk = _Walk(archive, styles)
    out = etree.Element("div")
    body = root.find(f"{_q('office:body')}/{_q('office:text')}")
    for child in body if body is not None else ():
        walk.block(child, out)
    if walk.notes:
        notes = etree.SubElement(out, "ol")
        for note in walk.notes:
            li = etree.SubElement(notes, "li")
            note_body = note.find(_q("text:note-body"))
            for child in note_body if note_body is not None else ():
                walk.block(child, li)
    return out, tuple(walk.pictures), report(shown, walk.counts)
