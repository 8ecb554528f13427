"""Join the PDFs a big book is laid out in (front matter, runs of the body, back matter) into one,
as WeasyPrint writes a book laid out in one pass: the same pages, tags, links and bookmarks.

Blank pages go where WeasyPrint would put them (before content that must start on a right-hand
page), and the running heads and page numbers of the body, laid out separately, are drawn over
its pages. WeasyPrint tags each page's content separately under
one Document element, so the structure trees join by concatenation, with the parent-tree keys of
pages and link annotations renumbered. Links to a place in another document are written as
LINK_SCHEME URIs and become links to the named destination, which the joined name tree holds.
"""

from __future__ import annotations

import io
import warnings
from collections import defaultdict
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem, String

from ebook.pdf.document import LINK_SCHEME
from ebook.pdf.number_styles import BUILT_IN_STYLES, NumberStyles
from ebook.pdf.page_numbers import Numbers


class Joining:
    """The documents of a book joined one by one as they come, in any order: the runs of the body
    can be joined while the front and back matter are still being written. Use as a context manager."""

    def __init__(self) -> None:
        self.out = pikepdf.new()
        self.document = self.out.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array()))
        self.parent_tree = Array()
        self.names: list[tuple[str, Array]] = []
        self.version = "1.7"
        self.parts: dict[int, tuple[int, list[Any], list[OutlineItem]]] = {}  # number -> pages, tags, bookmarks
        self.files = ExitStack()

    def __enter__(self) -> Joining:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.files.close()

    def add(self, number: int, data: bytes) -> None:
        """The document that comes number-th in the book (0: the front matter)."""
        source = self.files.enter_context(pikepdf.open(io.BytesIO(data)))
        out = self.out
        if number == 0:
            _copy_document_information(source, out)
        self.version = max(self.version, source.pdf_version)
        at = sum(pages for n, (pages, _, _) in self.parts.items() if n < number)  # where its pages go
        with warnings.catch_warnings():  # that named destinations are not copied: they are, below
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            if at == len(out.pages):
                out.pages.extend(source.pages)
            else:
                for offset, page in enumerate(source.pages):
                    out.pages.insert(at + offset, page)
        copies = [page.obj for page in out.pages[at : at + len(source.pages)]]
        elements = _join_structure(source, out, self.parent_tree, copies)
        destination = _destinations(source, copies)
        if "/Names" in source.Root and "/Dests" in source.Root.Names:
            self.names += [(str(name), destination(target)) for name, target in _pairs(source.Root.Names.Dests.Names)]
        with source.open_outline() as source_outline:
            items = [_outline_item(item, destination) for item in source_outline.root]
        self.parts[number] = (len(copies), elements, items)

    def finish(
        self,
        sequence: list[tuple[int, int] | None],
        front_pages: int,
        furniture: list[tuple[bytes, list[int | None]]],
        continued: list[int],
        picture: Callable[[bytes], bytes | None] = lambda data: None,
        numbers: Numbers | None = None,
        styles: NumberStyles = BUILT_IN_STYLES,
    ) -> bytes:
        """The book, all its documents added. sequence: its pages in order, as (document, page)
        with None for a blank page, the documents' pages in their order; front_pages: the pages
        numbered in roman; furniture: PDFs of running heads and page numbers, with the page of the
        book each of their pages goes over (None: none); continued: for each document, how many of
        its first bookmarks belong under the last one before it (entries of a theme begun earlier);
        picture: the bytes that replace a JPEG's (see stand_ins.py), or None to keep them; numbers:
        the page numbers to draw that neither a document nor the furniture has; styles: those of
        the page labels (number_styles.py)."""
        out, document = self.out, self.document
        outline: list[OutlineItem] = []
        assert sorted(self.parts) == list(range(len(continued))), "every document is joined"
        for number in sorted(self.parts):
            _, elements, items = self.parts[number]
            for element in elements:
                element.P = document
                document.K.append(element)
            if continued[number]:
                outline[-1].children.extend(items[: continued[number]])
            outline += items[continued[number] :]
        counts = [0] * len(continued)
        for place in sequence:
            if place is not None:
                assert place == (place[0], counts[place[0]]), "the documents' pages go in their order"
                counts[place[0]] += 1
        for index, place in enumerate(sequence):
            if place is None:
                _insert_blank_page(out, index)
        pages = list(out.pages)
        overlays: dict[int, list[tuple[Any, float]]] = defaultdict(list)  # page -> (form, how far right)
        for data, targets in furniture:
            source = self.files.enter_context(pikepdf.open(io.BytesIO(data)))
            for page, target in zip(source.pages, targets, strict=True):
                if target is not None:
                    overlays[target].append((out.copy_foreign(page.as_form_xobject()), 0.0))
        if numbers is not None:
            source = self.files.enter_context(pikepdf.open(io.BytesIO(numbers.digits)))
            digits = [out.copy_foreign(page.as_form_xobject()) for page in source.pages]  # each copied once
            for target, shown in numbers.pages.items():
                overlays[target] += [(digits[digit], right) for digit, right in numbers.placed(shown)]
        for target, placements in sorted(overlays.items()):
            _draw_over(out, pages[target], placements)
        # Last, as it may wait for photos still being prepared: everything else is joined by then.
        _replace_pictures(out, picture)

        root = out.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=Array([document])))
        root.ParentTree = out.make_indirect(Dictionary(Nums=self.parent_tree))
        root.ParentTreeNextKey = len(self.parent_tree) // 2
        document.P = root
        out.Root.StructTreeRoot = root
        by_name = sorted(self.names, key=lambda pair: pair[0])
        flat_names = [item for name, target in by_name for item in (String(name), target)]
        out.Root.Names = Dictionary(Dests=Dictionary(Names=Array(flat_names)))  # one Array: growing one is slow
        front, body = (Name(style) for style in styles.pdf_names())
        ranges = [0, Dictionary(S=front)] if front_pages else []
        out.Root.PageLabels = Dictionary(Nums=Array([*ranges, front_pages, Dictionary(S=body, St=1)]))
        with out.open_outline() as joined:
            joined.root.extend(outline)
        return _saved(out, self.version)


def replace_pictures(data: bytes, picture: Callable[[bytes], bytes | None]) -> bytes:
    """A PDF with its pictures replaced as Joining.finish() does (for a book laid out whole)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        _replace_pictures(pdf, picture)
        return _saved(pdf, pdf.pdf_version)


def _saved(pdf: pikepdf.Pdf, version: str) -> bytes:
    result = io.BytesIO()
    pdf.save(
        result,
        min_version=version,
        deterministic_id=True,  # the same input gives the same bytes
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        stream_decode_level=pikepdf.StreamDecodeLevel.none,  # WeasyPrint's compressed streams as they are
    )
    return result.getvalue()


def _replace_pictures(source: pikepdf.Pdf, picture: Callable[[bytes], bytes | None]) -> None:
    for item in source.objects:
        if (
            isinstance(item, pikepdf.Stream)
            and item.get("/Subtype") == Name.Image
            and item.get("/Filter") == Name.DCTDecode
        ):
            replacement = picture(item.read_raw_bytes())
            if replacement is not None:
                item.write(replacement, filter=Name.DCTDecode)


def _draw_over(out: pikepdf.Pdf, page: pikepdf.Page, placements: list[tuple[Any, float]]) -> None:
    """Draw pages of running heads or page numbers (as form XObjects, each moved right by so many
    points) over a page of the book, marked as a pagination artifact (not content a screen reader
    reads), with resources of its own (WeasyPrint shares one dictionary)."""
    resources = Dictionary({key: value for key, value in page.obj.Resources.items()})
    resources.XObject = Dictionary({key: value for key, value in resources.get("/XObject", Dictionary()).items()})
    drawn = []
    for number, (form, right) in enumerate(placements):
        resources.XObject[f"/MakeBookOver{number}"] = form
        drawn.append(f"q 1 0 0 1 {right:.4f} 0 cm /MakeBookOver{number} Do Q")
    page.obj.Resources = resources
    # WeasyPrint's content leaves its flipped coordinates in place: save and restore around it.
    page.contents_add(out.make_stream(b"q\n"), prepend=True)
    page.contents_add(out.make_stream(f"\nQ /Artifact <</Type /Pagination>> BDC {' '.join(drawn)} EMC\n".encode()))


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


def _insert_blank_page(out: pikepdf.Pdf, index: int) -> None:
    """The empty left-hand page WeasyPrint puts before content that must start on a right-hand one."""
    neighbour = out.pages[index - 1 if index else index].obj
    blank = Dictionary(Type=Name.Page, Resources=Dictionary(), Contents=out.make_stream(b""))
    for box in ("/MediaBox", "/TrimBox", "/BleedBox"):
        if box in neighbour:
            blank[box] = Array(list(neighbour[box]))
    out.pages.insert(index, pikepdf.Page(blank))


def _join_structure(source: pikepdf.Pdf, out: pikepdf.Pdf, parent_tree: Array, pages: list[Any]) -> list[Any]:
    """The document's tags, to go under the joined Document element, with parent-tree keys renumbered.
    Everything is copied in one go: qpdf walks the objects once and keeps the pages already copied."""
    if "/StructTreeRoot" not in source.Root:
        return []
    tree = source.Root.StructTreeRoot
    elements, mapping = out.copy_foreign(source.make_indirect(Array([tree.K[0].K, tree.ParentTree.Nums])))
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
    return list(elements)


def _outline_item(item: OutlineItem, destination: Callable[[Any], Array]) -> OutlineItem:
    copied = OutlineItem(item.title, destination=destination(item.destination))
    copied.is_closed = item.is_closed
    copied.children.extend(_outline_item(child, destination) for child in item.children)
    return copied
