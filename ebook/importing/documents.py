"""A body sent as a file: Word (.docx) or OpenDocument (.odt) to Markdown, its pictures apart.

docx.py and odt.py read the documents' own XML with lxml into one small HTML tree (paragraphs,
headings, bold, italic, lists, quotes, links), count what they cannot carry as written (tables,
footnotes, comments, tracked changes, fields, linked pictures, text boxes), and markdown_out.py
writes the tree as CommonMark. Nothing outside the document is ever opened.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from ebook.importing.documents_model import DocumentError, Picture
from ebook.importing.markdown_out import to_markdown
from ebook.importing.zips import open_zip

MAX_DOCUMENT_UNPACKED = 64 * 1024 * 1024


@dataclass(frozen=True)
class Converted:
    markdown: str
    pictures: tuple[Picture, ...]
    warnings: tuple[str, ...]  # what was not carried as written, each a sentence about the file


def convert(path: Path, shown: str) -> Converted:
    suffix = path.suffix.lower()
    if suffix in (".docm", ".dotm"):
        raise DocumentError(f'"{shown}" is a macro document (.docm); save it as .docx without macros')
    if suffix in (".docx", ".dotx", ".odt", ".ott"):
        from ebook.importing.docx import docx_tree
        from ebook.importing.odt import odt_tree

        read = docx_tree if suffix in (".docx", ".dotx") else odt_tree
        archive = _archive(path, shown)
        with archive:
            tree, pictures, warnings = read(archive, shown)
        return Converted(to_markdown(tree), pictures, warnings)
    if suffix in (".txt", ".md", ".markdown"):
        if path.stat().st_size > 4 * 1024 * 1024:
            raise DocumentError(f'"{shown}" is larger than 4 MiB; a testimonial is much shorter')
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
