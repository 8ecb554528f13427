"""A Word document (.docx) as the small HTML tree markdown_out.py writes.

Read with lxml from the document's own parts: document.xml, styles.xml (heading, quote and list
styles by name, as Word users apply them), numbering.xml (bullets or numbers per level), the
relationships (links, embedded pictures) and footnotes.xml. mammoth reads the same parts through
minidom: about a second a document against some milliseconds here (benchmarks/import_bench.py).
Every construct not carried as written is counted, so that the editor hears of it by name.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from posixpath import dirname, join, normpath

from lxml import etree

from ebook.importing.documents_model import DocumentError, Picture, report
from ebook.importing.zips import read_member

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "v": "urn:schemas-microsoft-com:vml",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
_QUOTES = {"quote", "intense quote", "block text", "quotation"}
_OFF = ("0", "false", "off", "none")


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def _attr(node: etree._Element | None, name: str, ns: str = W) -> str:
    return "" if node is None else str(node.get(f"{{{ns}}}{name}", ""))


def _parse(archive: zipfile.ZipFile, name: str) -> etree._Element | None:
    try:
        data = read_member(archive, name)
        return etree.fromstring(data, _XML) if data else None
    except (etree.XMLSyntaxError, zipfile.BadZipFile, zlib.error, EOFError):
        return None


@dataclass
class _Styles:
    names: dict[str, str] = field(default_factory=dict)  # styleId -> lower-case name
    based_on: dict[str, str] = field(default_factory=dict)
    numbering: dict[str, tuple[str, int]] = field(default_factory=dict)  # styleId -> (numId, ilvl)
    outline: dict[str, int] = field(default_factory=dict)
    bold: set[str] = field(default_factory=set)
    italic: set[str] = field(default_factory=set)

    @staticmethod
    def read(root: etree._Element | None) -> _Styles:
        styles = _Styles()
        for s in root.iter(_w("style")) if root is not None else ():
            ident = _attr(s, "styleId")
            styles.names[ident] = _attr(s.find(_w("name")), "val").lower()
            if based := _attr(s.find(_w("basedOn")), "val"):
                styles.based_on[ident] = based
            num = s.find(f"{_w('pPr')}/{_w('numPr')}")
            if num is not None:
                styles.numbering[ident] = (
                    _attr(num.find(_w("numId")), "val"),
                    int(_attr(num.find(_w("ilvl")), "val") or 0),
                )
            if level := _attr(s.find(f"{_w('pPr')}/{_w('outlineLvl')}"), "val"):
                styles.outline[ident] = int(level)
            rpr = s.find(_w("rPr"))
            if rpr is not None and _on(rpr.find(_w("b"))):
                styles.bold.add(ident)
            if rpr is not None and _on(rpr.find(_w("i"))):
                styles.italic.add(ident)
        return styles

    def chain(self, ident: str) -> list[str]:
        found: list[str] = []
        while ident and ident not in found and len(found) < 30:
            found.append(ident)
            ident = self.based_on.get(ident, "")
        return found

    def heading(self, ident: str) -> int:
        for s in self.chain(ident):
            name = self.names.get(s, "")
            if m := re.fullmatch(r"heading (\d)", name):
                return min(6, int(m[1]))
            if name == "title":
                return 1
            if name == "subtitle":
                return 2
            if s in self.outline and self.outline[s] < 9:
                return min(6, self.outline[s] + 1)
        return 0

    def quote(self, ident: str) -> bool:
        return any(self.names.get(s, "") in _QUOTES for s in self.chain(ident))

    def list_of(self, ident: str) -> tuple[str, int] | None:
        return next((self.numbering[s] for s in self.chain(ident) if s in self.numbering), None)


def _on(node: etree._Element | None) -> bool:
    return node is not None and _attr(node, "val").lower() not in _OFF


def _numbering(root: etree._Element | None) -> dict[tuple[str, int], tuple[bool, int]]:
    """(numId, level) -> (numbered, start)."""
    if root is None:
        return {}
    abstract: dict[str, dict[int, tuple[bool, int]]] = {}
    for a in root.iter(_w("abstractNum")):
        levels = {}
        for lvl in a.iter(_w("lvl")):
            fmt = _attr(lvl.find(_w("numFmt")), "val") or "decimal"
            start = _attr(lvl.find(_w("start")), "val")
            levels[int(_attr(lvl, "ilvl") or 0)] = (fmt not in ("bullet", "none"), int(start) if start.isdigit() else 1)
        abstract[_attr(a, "abstractNumId")] = levels
    found = {}
    for num in root.iter(_w("num")):
        levels = abstract.get(_attr(num.find(_w("abstractNumId")), "val"), {})
        for level, value in levels.items():
            found[(_attr(num, "numId"), level)] = value
    return found


@dataclass
class _Walk:
    archive: zipfile.ZipFile
    styles: _Styles
    numbering: dict[tuple[str, int], tuple[bool, int]]
    rels: dict[str, tuple[str, bool]]  # rId -> (target, external)
    notes_xml: dict[str, etree._Element]
    pictures: list[Picture] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[etree._Element] = field(default_factory=list)
    lists: list[tuple[int, etree._Element]] = field(default_factory=list)  # open lists, by level
    # Items numbered so far per (list, level): Word goes on counting after a paragraph between
    # two parts of one list, and starts a level again after an item of a higher one.
    numbered_so_far: dict[tuple[str, int], int] = field(default_factory=dict)

    def count(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    def blocks(self, parent: etree._Element, out: etree._Element) -> None:
        for node in parent:
            tag = etree.QName(node).localname if isinstance(node.tag, str) else ""
            if tag == "p":
                self.paragraph(node, out)
            elif tag == "tbl":
                self.count("table")
                self.lists.clear()
                for cell in node.iter(_w("tc")):
                    self.blocks(cell, out)
                    self.lists.clear()
            elif tag in ("sdt", "customXml", "ins", "moveTo"):
                if tag in ("ins", "moveTo"):
                    self.count("tracked change")
                inner = node.find(_w("sdtContent")) if tag == "sdt" else node
                if inner is not None:
                    self.blocks(inner, out)
            elif tag in ("del", "moveFrom"):
                self.count("tracked change")

    def paragraph(self, p: etree._Element, out: etree._Element) -> None:
        ppr = p.find(_w("pPr"))
        style = _attr(ppr.find(_w("pStyle")) if ppr is not None else None, "val")
        num = ppr.find(_w("numPr")) if ppr is not None else None
        listed = self.styles.list_of(style) if style else None
        if num is not None:  # the paragraph's own list and level win over its style's
            own_id, own_level = _attr(num.find(_w("numId")), "val"), _attr(num.find(_w("ilvl")), "val")
            if own_id or listed:
                listed = (own_id or (listed[0] if listed else ""), int(own_level or (listed[1] if listed else 0)))
        if ppr is not None and ppr.find(f"{_w('pPrChange')}") is not None:
            self.count("tracked change")
        level = self.styles.heading(style) if style else 0
        if listed and listed[0] != "0" and not level:
            target = self.list_item(listed)
            self.inline(p, etree.SubElement(target, "p"))
            return
        self.lists.clear()
        if level:
            self.inline(p, etree.SubElement(out, f"h{level}"))
        elif style and self.styles.quote(style):
            self.inline(p, etree.SubElement(etree.SubElement(out, "blockquote"), "p"))
        else:
            self.inline(p, etree.SubElement(out, "p"))

    def list_item(self, listed: tuple[str, int]) -> etree._Element:
        num_id, level = listed
        numbered, start = self.numbering.get((num_id, level), (False, 1))
        for key in [k for k in self.numbered_so_far if k[0] == num_id and k[1] > level]:
            del self.numbered_so_far[key]
        start += self.numbered_so_far.get((num_id, level), 0)
        self.numbered_so_far[(num_id, level)] = self.numbered_so_far.get((num_id, level), 0) + 1
        while self.lists and self.lists[-1][0] > level:
            self.lists.pop()
        if not self.lists or self.lists[-1][0] < level or self.lists[-1][1].tag != ("ol" if numbered else "ul"):
            if self.lists and self.lists[-1][0] == level:
                self.lists.pop()
            # A deeper list goes inside the last item of the enclosing one.
            holder = self.lists[-1][1][-1] if self.lists else self._out
            lst = etree.SubElement(holder, "ol" if numbered else "ul")
            if numbered and start != 1:
                lst.set("start", str(start))
            self.lists.append((level, lst))
        return etree.SubElement(self.lists[-1][1], "li")

    _out: etree._Element = field(default_factory=lambda: etree.Element("div"))

    def inline(self, node: etree._Element, out: etree._Element, field_state: list[str] | None = None) -> None:
        state = field_state if field_state is not None else []  # "instr" or "result" per open field
        for child in node:
            tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
            if tag == "r":
                self.run(child, out, state)
            elif tag == "hyperlink":
                target, external = self.rels.get(_attr(child, "id", NS["r"]), ("", False))
                holder = etree.SubElement(out, "a", href=target) if external else etree.SubElement(out, "span")
                self.inline(child, holder, state)
            elif tag in ("ins", "moveTo"):
                self.count("tracked change")
                self.inline(child, out, state)
            elif tag in ("del", "moveFrom"):
                self.count("tracked change")
            elif tag == "fldSimple":
                if not _attr(child, "instr").strip().upper().startswith("HYPERLINK"):
                    self.count("field")
                self.inline(child, out, state)
            elif tag in ("smartTag", "customXml", "sdt", "sdtContent", "bdo", "dir"):
                inner = child.find(_w("sdtContent")) if tag == "sdt" else child
                if inner is not None:
                    self.inline(inner, out, state)
            elif tag == "AlternateContent":
                choice = child.find(f"{{{NS['mc']}}}Choice")
                if choice is not None:
                    self.inline(choice, out, state)
            elif tag in ("oMath", "oMathPara"):
                self.count("equation")

    def run(self, r: etree._Element, out: etree._Element, state: list[str]) -> None:
        rpr = r.find(_w("rPr"))
        style = _attr(rpr.find(_w("rStyle")) if rpr is not None else None, "val")
        bold = (rpr is not None and _on(rpr.find(_w("b")))) or any(
            s in self.styles.bold for s in self.styles.chain(style)
        )
        italic = (rpr is not None and _on(rpr.find(_w("i")))) or any(
            s in self.styles.italic for s in self.styles.chain(style)
        )
        if rpr is not None and rpr.find(_w("rPrChange")) is not None:
            self.count("tracked change")
        target = out
        if bold:
            target = etree.SubElement(target, "strong")
        if italic:
            target = etree.SubElement(target, "em")
        if target is out:
            target = etree.SubElement(out, "span")
        for child in r:
            tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
            if tag == "fldChar":
                kind = _attr(child, "fldCharType")
                if kind == "begin":
                    state.append("instr")
                elif kind == "separate" and state:
                    state[-1] = "result"
                elif kind == "end" and state:
                    state.pop()
            elif tag == "instrText":
                if not (child.text or "").strip().upper().startswith("HYPERLINK"):
                    self.count("field")
            elif state and state[-1] == "instr":
                continue
            elif tag == "t":
                _append(target, child.text or "")
            elif tag in ("tab", "ptab"):
                _append(target, " ")
            elif tag in ("br", "cr") and _attr(child, "type") not in ("page", "column"):
                etree.SubElement(target, "br")
            elif tag == "noBreakHyphen":
                _append(target, "\u2011")
            elif tag in ("footnoteReference", "endnoteReference"):
                self.count("footnote")
                note = self.notes_xml.get(f"{tag[:-9]}:{_attr(child, 'id')}")
                if note is not None:
                    self.notes.append(note)
                sup = etree.SubElement(target, "sup")
                sup.text = f"[{len(self.notes)}]"
            elif tag == "commentReference":
                self.count("comment")
            elif tag in ("drawing", "pict", "object"):
                self.picture(child)
            elif tag == "AlternateContent":
                choice = child.find(f"{{{NS['mc']}}}Choice")
                if choice is not None:
                    for drawing in choice.iter(_w("drawing")):
                        self.picture(drawing)

    def picture(self, node: etree._Element) -> None:
        if node.find(f".//{_w('txbxContent')}") is not None:
            self.count("text box")
            return
        doc_pr = node.find(f".//{{{NS['wp']}}}docPr")
        # Word keeps the description ("alt text") and the title on the drawing's docPr, unprefixed.
        alt = " ".join(str(doc_pr.get("descr") or doc_pr.get("title") or "").split()) if doc_pr is not None else ""
        blip = node.find(f".//{{{NS['a']}}}blip")
        rid = ""
        if blip is not None:
            rid = _attr(blip, "embed", NS["r"])
            if not rid and _attr(blip, "link", NS["r"]):
                self.count("linked picture")
                return
        else:
            image = node.find(f".//{{{NS['v']}}}imagedata")
            rid = _attr(image, "id", NS["r"]) if image is not None else ""
        if not rid:
            self.count("drawing")  # a chart, a shape or SmartArt: no picture to carry
            return
        target, external = self.rels.get(rid, ("", True))
        if external:
            self.count("linked picture")
            return
        try:
            data = read_member(self.archive, target)
        except (zipfile.BadZipFile, zlib.error, EOFError):
            data = None
        if data is None:
            self.count("unreadable picture")
            return
        self.pictures.append(Picture(data, "", alt))


def _append(node: etree._Element, text: str) -> None:
    if len(node):
        node[-1].tail = (node[-1].tail or "") + text
    else:
        node.text = (node.text or "") + text


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, bool]]:
    folder = dirname(part)
    root = _parse(archive, join(folder, "_rels", part.rsplit("/", 1)[-1] + ".rels"))
    found = {}
    for rel in root if root is not None else ():
        target = str(rel.get("Target", ""))
        external = rel.get("TargetMode") == "External"
        if not external:
            target = normpath(target.lstrip("/")) if target.startswith("/") else normpath(join(folder, target))
        found[str(rel.get("Id", ""))] = (target, external)
    return found


def docx_tree(archive: zipfile.ZipFile, shown: str) -> tuple[etree._Element, tuple[Picture, ...], tuple[str, ...]]:
    names = set(archive.namelist())
    if "word/vbaProject.bin" in names:
        raise DocumentError(f'"{shown}" holds macros (it is a .docm renamed .docx); save it as .docx without macros')
    document = _parse(archive, "word/document.xml")
    if document is None:
        if "word/document.xml" in names:
            raise DocumentError(f'"{shown}" is damaged: its text cannot be read')
        raise DocumentError(
            f'"{shown}" is not what its name says: it is a zip archive of another kind, not a Word document'
        )
    notes: dict[str, etree._Element] = {}
    for kind in ("footnote", "endnote"):
        root = _parse(archive, f"word/{kind}s.xml")
        for note in root.iter(_w(kind)) if root is not None else ():
            if _attr(note, "type") in ("", "normal"):
                notes[f"{kind}:{_attr(note, 'id')}"] = note
    walk = _Walk(
        archive,
        _Styles.read(_parse(archive, "word/styles.xml")),
        _numbering(_parse(archive, "word/numbering.xml")),
        _relationships(archive, "word/document.xml"),
        notes,
    )
    out = walk._out
    for name in sorted(names):
        if re.fullmatch(r"word/(header|footer)\d*\.xml", name):
            part = _parse(archive, name)
            if part is not None and "".join(str(t) for t in part.itertext()).strip():
                walk.count("header or footer")
    body = document.find(_w("body"))
    walk.blocks(body if body is not None else document, out)
    if walk.notes:
        walk.lists.clear()
        listed = etree.SubElement(out, "ol")
        for note in walk.notes:
            walk.blocks(note, etree.SubElement(listed, "li"))
    return out, tuple(walk.pictures), report(shown, walk.counts)
