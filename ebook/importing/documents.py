"""A body sent as a file: Word (.docx) or OpenDocument (.odt) to Markdown, its pictures apart.

Word goes through mammoth (python-mammoth), which reads headings and quotes by their style names,
list numbering from numbering.xml, links, and pictures with their descriptions; it never opens a
file outside the document (external_file_access is off). What it does not carry as the author
wrote it is found here first, in the document's own XML, and reported by name. OpenDocument is read
by odt.py. Both give the same small HTML tree, which markdown_out.py writes as CommonMark.
"""

from __future__ import annotations

import contextlib
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ebook.importing.markdown_out import to_markdown
from ebook.importing.zips import open_zip, read_member, what_it_is

MAX_DOCUMENT_UNPACKED = 64 * 1024 * 1024
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_V = "urn:schemas-microsoft-com:vml"
_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)

# Quotes are paragraph styles in Word; mammoth's default map leaves them plain paragraphs.
_STYLE_MAP = """
p[style-name='Quote'] => blockquote > p:fresh
p[style-name='Intense Quote'] => blockquote > p:fresh
p[style-name='Block Text'] => blockquote > p:fresh
p[style-name='Title'] => h1:fresh
p[style-name='Subtitle'] => h2:fresh
"""


@dataclass(frozen=True)
class Picture:
    data: bytes
    content_type: str
    alt: str


@dataclass(frozen=True)
class Converted:
    markdown: str
    pictures: tuple[Picture, ...]
    warnings: tuple[str, ...]  # what was not carried as written, each a sentence about the file


class DocumentError(Exception):
    """The file cannot be used as a body; the message names what it is."""


def convert(path: Path, shown: str) -> Converted:
    suffix = path.suffix.lower()
    if suffix in (".docm", ".dotm"):
        raise DocumentError(f'"{shown}" is a macro document (.docm); save it as .docx without macros')
    if suffix in (".docx", ".dotx"):
        return _docx(path, shown)
    if suffix in (".odt", ".ott"):
        from ebook.importing.odt import odt_tree

        archive = _archive(path, shown)
        with archive:
            tree, pictures, warnings = odt_tree(archive, shown)
        return Converted(to_markdown(tree), pictures, warnings)
    if suffix in (".txt", ".md", ".markdown"):
        try:
            return Converted(path.read_text(encoding="utf-8-sig"), (), ())
        except (UnicodeDecodeError, OSError):
            raise DocumentError(f'"{shown}" is not UTF-8 text; save it as UTF-8') from None
    kinds = {
        ".doc": "an old Word 97-2003 document",
        ".pdf": "a PDF",
        ".rtf": "an RTF document",
        ".pages": "a Pages document",
    }
    what = kinds.get(suffix, f"a {suffix or 'nameless'} file")
    raise DocumentError(f'"{shown}" is {what}; make-book reads .docx and .odt bodies: save it as one of those')


def _archive(path: Path, shown: str) -> zipfile.ZipFile:
    archive, why = open_zip(path, MAX_DOCUMENT_UNPACKED)
    if archive is None:
        raise DocumentError(f'"{shown}" {why}')
    return archive


def _count(root: etree._Element | None, *paths: str) -> int:
    if root is None:
        return 0
    ns = {"w": _W, "r": _R, "a": _A, "v": _V}
    return sum(len(list(root.xpath(p, namespaces=ns))) for p in paths)  # type: ignore[arg-type,misc]


def _docx_warnings(archive: zipfile.ZipFile, shown: str) -> list[str]:
    names = set(archive.namelist())
    if "word/vbaProject.bin" in names:
        raise DocumentError(f'"{shown}" holds macros (it is a .docm renamed .docx); save it as .docx without macros')
    data = read_member(archive, "word/document.xml")
    if data is None:
        raise DocumentError(
            f'"{shown}" is not what its name says: it is {what_it_is(b"PK")}, not a Word document'
        )
    try:
        body = etree.fromstring(data, _XML)
    except etree.XMLSyntaxError:
        raise DocumentError(f'"{shown}" is damaged: its text cannot be read') from None
    found = []
    tables = _count(body, "//w:tbl[not(ancestor::w:tbl)]")
    if tables:
        found.append(f"{tables} table{'s' * (tables > 1)}: the cells were carried as paragraphs, one after another")
    notes = _count(body, "//w:footnoteReference", "//w:endnoteReference")
    if notes:
        found.append(f"{notes} footnote{'s' * (notes > 1)}: they became a numbered list at the end of the text")
    comments = _count(body, "//w:commentReference")
    if comments:
        found.append(f"{comments} comment{'s' * (comments > 1)}: they were left out")
    changes = _count(body, "//w:ins", "//w:del", "//w:moveFrom", "//w:moveTo")
    if changes:
        found.append(
            f"{changes} tracked change{'s' * (changes > 1)}: "
            "they were taken as accepted (insertions kept, deletions left out)"
        )
    fields = _count(body, "//w:fldSimple", "//w:instrText[not(starts-with(normalize-space(.), 'HYPERLINK'))]")
    if fields:
        found.append(
            f"{fields} field{'s' * (fields > 1)} (dates, page numbers, references): their last shown text was kept"
        )
    linked = _count(body, "//a:blip[@r:link and not(@r:embed)]", "//v:imagedata[@r:href]")
    rels = read_member(archive, "word/_rels/document.xml.rels")
    if rels and not linked:
        with contextlib.suppress(etree.XMLSyntaxError):
            linked = sum(
                1
                for rel in etree.fromstring(rels, _XML)
                if str(rel.get("Type", "")).endswith("/image") and rel.get("TargetMode") == "External"
            )
    if linked:
        found.append(f"{linked} picture{'s' * (linked > 1)} linked from outside the document: not fetched, left out")
    return [f'"{shown}" has {what}' for what in found]


def _docx(path: Path, shown: str) -> Converted:
    import mammoth  # imported here: only a Word body needs it

    archive = _archive(path, shown)
    try:
        with archive:
            warnings = _docx_warnings(archive, shown)
        pictures: list[Picture] = []
        unusable: list[str] = []

        def keep(image: object) -> dict[str, str]:
            content_type = getattr(image, "content_type", "") or ""
            try:
                with image.open() as f:  # type: ignore[attr-defined]
                    data = f.read(MAX_DOCUMENT_UNPACKED + 1)
            except (OSError, KeyError, zipfile.BadZipFile, zlib.error, ValueError):
                unusable.append(content_type or "a picture")
                return {}
            alt = " ".join((getattr(image, "alt_text", None) or "").split())
            pictures.append(Picture(data, content_type, alt))
            return {"src": f"make-book-picture-{len(pictures)}"}

        with path.open("rb") as f:
            result = mammoth.convert_to_html(
                f, style_map=_STYLE_MAP, convert_image=mammoth.images.img_element(keep), external_file_access=False
            )
    except DocumentError:
        raise
    except Exception as e:  # mammoth raises plain errors on damaged parts; none may become a traceback
        raise DocumentError(
            f'"{shown}" is damaged: it cannot be read as a Word document ({type(e).__name__})'
        ) from None
    tree = etree.fromstring(f"<div>{result.value}</div>".encode(), etree.HTMLParser(no_network=True))
    body = tree.find(".//div")
    linked = sum(1 for w in warnings if "linked from outside" in w)
    if len(unusable) > linked:  # a linked picture is reported above, and mammoth cannot open it either
        warnings.append(f'"{shown}" has {len(unusable) - linked} picture(s) that cannot be read: left out')
    return Converted(to_markdown(body if body is not None else tree), tuple(pictures), tuple(warnings))


