"""Join the PDFs a big book is laid out in (front matter, groups of themes, back matter) into one,
as WeasyPrint writes a book laid out in one pass: the same pages, tags, links and bookmarks.

Each document starts with a break to a right-hand page, so a blank page goes in before it when the
pages so far end on one, as WeasyPrint does. WeasyPrint tags each page's content separately under
one Document element, so the structure trees join by concatenation, with the parent-tree keys of
pages and link annotations renumbered. Links to a place in another document are written as
LINK_SCHEME URIs and become links to the named destination, which the joined name tree holds.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem, String

LINK_SCHEME = "make-book-page:"


def merge(documents: Iterable[bytes], front_pages: int) -> bytes:
    """documents: the PDFs in reading order, the front matter first; front_pages: the pages before
    the first theme (the cover and a blank page included), numbered in roman."""
    out = pikepdf.new()
    document = out.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array()))
    parent_tree = Array()
    names: list[tuple[str, Array]] = []
    outline: list[OutlineItem] = []
    version = "1.7"
    with ExitStack() as open_files:
        for number, data in enumerate(documents):
            source = open_files.enter_context(pikepdf.open(io.BytesIO(data)))
            if number == 0:
                _copy_document_information(source, out)
            elif len(out.pages) % 2:
                _add_blank_page(out)
            version = max(version, source.pdf_version)
            offset = len(out.pages)
            with warnings.catch_warnings():  # that named destinations are not copied: they are, below
                warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
                out.pages.extend(source.pages)
            copies = [page.obj for page in out.pages[offset:]]
            _join_structure(source, out, document, parent_tree, copies)
            destination = _destinations(source, copies)
            if "/Names" in source.Root and "/Dests" in source.Root.Names:
                names += [(str(name), destination(target)) for name, target in _pairs(source.Root.Names.Dests.Names)]
            with source.open_outline() as source_outline:
                outline += [_outline_item(item, destination) for item in source_outline.root]

    root = out.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=Array([document])))
    root.ParentTree = out.make_indirect(Dictionary(Nums=parent_tree))
    root.ParentTreeNextKey = len(parent_tree) // 2
    document.P = root
    out.Root.StructTreeRoot = root
    flat_names = [item for name, target in sorted(names, key=lambda pair: pair[0]) for item in (String(name), target)]
    out.Root.Names = Dictionary(Dests=Dictionary(Names=Array(flat_names)))  # one Array: growing one is slow
    ranges = [0, Dictionary(S=Name.r)] if front_pages else []
    out.Root.PageLabels = Dictionary(Nums=Array([*ranges, front_pages, Dictionary(S=Name.D, St=1)]))
    with out.open_outline() as joined:
        joined.root.extend(outline)
    result = io.BytesIO()
    out.save(
        result,
        min_version=version,
        deterministic_id=True,  # the same input gives the same bytes
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        stream_decode_level=pikepdf.StreamDecodeLevel.none,  # WeasyPrint's compressed streams as they are
    )
    return result.getvalue()


def _pairs(flat: Any) -> list[tuple[Any, Any]]:
    """The (key, value) pairs of a name tree's Names or a number tree's Nums array."""
    items = list(flat)
    return list(zip(items[::2], items[1::2], strict=True))


def _destinations(source: pikepdf.Pdf, copies: list[Any]) -> Callable[[Any], Array]:
    """Turns a destination in the source document into the same place in the joined one."""
    copy_of = {page.obj.objgen: copy for page, copy in zip(source.pages, copies, strict=True)}

    def destination(target: Any) -> Array:
        page, *where = list(target)
        return Array([copy_of[page.objgen], *where])

    return destination


def _copy_document_information(source: pikepdf.Pdf, out: pikepdf.Pdf) -> None:
    """Title, authors, dates, language and the PDF/UA declaration, from the first document."""
    if "/Info" in source.trailer:
        out.trailer.Info = out.copy_foreign(source.trailer.Info)
    if "/Metadata" in source.Root:
        out.Root.Metadata = out.copy_foreign(source.Root.Metadata)
    if "/Lang" in source.Root:
        out.Root.Lang = String(str(source.Root.Lang))
    out.Root.MarkInfo = Dictionary(Marked=True)
    out.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)


def _add_blank_page(out: pikepdf.Pdf) -> None:
    """The empty left-hand page WeasyPrint puts before content that must start on a right-hand one."""
    previous = out.pages[-1].obj
    blank = Dictionary(Type=Name.Page, Resources=Dictionary(), Contents=out.make_stream(b""))
    for box in ("/MediaBox", "/TrimBox", "/BleedBox"):
        if box in previous:
            blank[box] = Array(list(previous[box]))
    out.pages.append(pikepdf.Page(blank))


def _join_structure(source: pikepdf.Pdf, out: pikepdf.Pdf, document: Any, parent_tree: Array, pages: list[Any]) -> None:
    """Append the document's tags under the joined Document element, renumbering parent-tree keys.
    Everything is copied in one go: qpdf walks the objects once and keeps the pages already copied."""
    if "/StructTreeRoot" not in source.Root:
        return
    tree = source.Root.StructTreeRoot
    elements, mapping = out.copy_foreign(source.make_indirect(Array([tree.K[0].K, tree.ParentTree.Nums])))
    for element in elements:
        element.P = document
        document.K.append(element)
    renumbered: dict[int, int] = {}
    for key, value in _pairs(mapping):
        renumbered[int(key)] = len(parent_tree) // 2
        parent_tree.append(len(parent_tree) // 2)
        parent_tree.append(value)
    for page in pages:
        if "/StructParents" in page:
            page.StructParents = renumbered[int(page.StructParents)]
        for annotation in page.get("/Annots", Array()):
            if "/StructParent" in annotation:
                annotation.StructParent = renumbered[int(annotation.StructParent)]
            action = annotation.get("/A")
            if action is not None and action.get("/S") == Name.URI and str(action.URI).startswith(LINK_SCHEME):
                anchor = str(action.URI).removeprefix(LINK_SCHEME)
                del annotation["/A"]
                annotation.Dest = String(anchor)
                annotation.Contents = String(anchor)


def _outline_item(item: OutlineItem, destination: Callable[[Any], Array]) -> OutlineItem:
    copied = OutlineItem(item.title, destination=destination(item.destination))
    copied.is_closed = item.is_closed
    copied.children.extend(_outline_item(child, destination) for child in item.children)
    return copied
