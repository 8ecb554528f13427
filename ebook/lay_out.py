"""Lay one document out with WeasyPrint and write its PDF: what a child process of workers.py does
for write_pdf.py, from a Layout that holds everything it needs.

WeasyPrint's default fetcher reads any local file and the network, and `<link rel=attachment>`
embeds files into the PDF, so it gets a fetcher that serves only the build's own pictures from
memory; anything else it asks for, and any warning it logs, fails the build.
"""

from __future__ import annotations

import bisect
import contextlib
import gc
import logging
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from ebook.cff import cids_are_glyph_numbers
from ebook.images import PreparedImage
from ebook.pages import PageStart, find_page_starts, page_labels

ASSET_SCHEME = "make-book-asset:"
# A link to a place laid out in another document of the same book (merge_pdf.py resolves it).
LINK_SCHEME = "make-book-page:"
# Documents of running heads and page numbers, drawn over the pages of others (furniture.html).
DRAWN_OVER = ("furniture", "digits")

T = TypeVar("T")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def _fewer_full_collections() -> Iterator[None]:
    """Layout makes millions of small objects that live until the PDF is written. Python's full
    collections scan them all again and again, which made a 1,400-entry build grow faster than
    its size; young generations are still collected. Measured on 420 entries: 48.3 s -> 42.3 s,
    the same peak memory."""
    saved = gc.get_threshold()
    gc.set_threshold(50_000, 50, 1_000)
    try:
        yield
    finally:
        gc.set_threshold(*saved)


@contextlib.contextmanager
def _leaders_as_one_text() -> Iterator[None]:
    """WeasyPrint places a leader's text once for each repetition, as a text box of its own, and
    draws each box by itself: Pango lays its text out again and the PDF gets a text object for it.
    The contents of the benchmark book have about 2,000 of them (0.1 s of the 0.63 s they take, at
    the end of the build). While make-book lays out a document, the repetitions of a leader, placed
    where WeasyPrint places them, side by side, become one text box of the repeated text at the first
    one's place: the same glyphs at the same places."""
    import copy

    from weasyprint.layout import inline
    from weasyprint.layout.leader import leader_index

    handle = inline.handle_leader

    def handle_as_one(context: Any, line: Any, containing_block: Any) -> None:
        handle(context, line, containing_block)
        _, leader = leader_index(line)
        if leader is None or len(leader.children) < 2:
            return
        repeated = sorted(leader.children, key=lambda box: box.position_x)
        first, last = repeated[0], repeated[-1]
        one = first.copy()
        one.text = first.text * len(repeated)
        one.width = last.position_x + last.width - first.position_x
        one.pango_layout = copy.copy(first.pango_layout)  # laid out again from its text when drawn
        one.pango_layout.text = one.text
        leader.children = (one,)

    inline.handle_leader = handle_as_one
    try:
        yield
    finally:
        inline.handle_leader = handle


@contextlib.contextmanager
def _remembered_page_references() -> Iterator[None]:
    """pydyf rebuilds its list of page references at every use, and WeasyPrint's tagging uses it
    once per tag: quadratic in the page count, about a third of a 1,400-entry build. While make-book
    writes a PDF, the list is kept until a page is added (pages are only ever appended)."""
    import pydyf

    original = pydyf.PDF.page_references

    def page_references(pdf: Any) -> tuple[bytes, ...]:
        count = len(pdf.pages["Kids"])
        cached = pdf.__dict__.get("_make_book_page_references")
        if cached is None or cached[0] != count:
            cached = (count, original.fget(pdf))
            pdf.__dict__["_make_book_page_references"] = cached
        return cached[1]  # type: ignore[no-any-return]

    pydyf.PDF.page_references = property(page_references)
    try:
        yield
    finally:
        pydyf.PDF.page_references = original


@contextlib.contextmanager
def _faster_compression() -> Iterator[None]:
    """pydyf compresses every stream at zlib's level 9. Level 6 makes the PDF 0.8 % bigger and the
    whole PDF step 9 % faster (a 150-page part: 4.4 s -> 4.0 s)."""
    import types
    import zlib

    import pydyf

    saved = pydyf.zlib
    pydyf.zlib = types.SimpleNamespace(
        compress=lambda data, level=6: zlib.compress(data, 6), compressobj=lambda level=6: zlib.compressobj(6)
    )
    try:
        yield
    finally:
        pydyf.zlib = saved


@contextlib.contextmanager
def _arrays_parsed_once() -> Iterator[None]:
    """WeasyPrint asks cffi for a `hb_codepoint_t[N]` of a new length N for each font it subsets,
    and cffi parses each such type with pycparser, 2 ms apiece: 0.08 s of a run's 0.4 s of font
    subsetting. While make-book writes a PDF, an array of a fixed length is made from the open
    array type, parsed once, with the same length and contents."""
    from weasyprint.text.ffi import ffi

    def new(cdecl: str, init: Any = None) -> Any:
        # Most of the calls (13,000 for the contents of the 140-entry book) are for other types.
        match = re.fullmatch(r"(\w+)\[(\d+)\]", cdecl) if cdecl.endswith("]") else None
        if match is None:
            return original(cdecl, init)
        array = original(f"{match[1]}[]", int(match[2]))  # zeroed, as for a fixed-length type
        if init is not None:
            array[0 : len(init)] = init
        return array

    original = ffi.new
    ffi.new = new
    try:
        yield
    finally:
        del ffi.new  # the class's own method again


@contextlib.contextmanager
def _font_files_read_on_demand() -> Iterator[None]:
    """WeasyPrint copies a face's whole font file into memory the first time the face draws text
    (Font.__init__), yet it embeds a subset that HarfBuzz makes from the face itself, so the copy
    is never read. A face of the Noto CJK collections is a 20-26 MB file: a 140-page run of the
    benchmark book copied 155 MB this way, 0.3 s, and the page faults of reading and holding it
    were most of the run's system time (0.7 of 0.85 s). While make-book writes a PDF, the file is
    read the first time something asks for it (a face that cannot be subset, a variable or colour
    font), and never otherwise. Same bytes out."""
    from weasyprint.pdf import fonts

    read, initialise = fonts.get_hb_object_data, fonts.Font.__init__

    def init(font: Any, *args: Any) -> None:
        fonts.get_hb_object_data = lambda face: None  # what __init__ stores: not read yet
        try:
            initialise(font, *args)
        finally:
            fonts.get_hb_object_data = read

    def content(font: Any) -> bytes:
        data: bytes | None = font.__dict__["file_content"]
        if data is None:
            data = font.__dict__["file_content"] = read(font.hb_face)
        return data

    def replace(font: Any, data: bytes | None) -> None:
        font.__dict__["file_content"] = data

    fonts.Font.__init__ = init
    fonts.Font.file_content = property(content, replace)
    try:
        yield
    finally:
        fonts.Font.__init__ = initialise
        del fonts.Font.file_content


@contextlib.contextmanager
def _cid_faces_embedded_bare() -> Iterator[None]:
    """WeasyPrint subsets a face keeping every glyph's number, the number its text shows. A face of
    the Noto CJK collections has 65,535 glyphs, so its subset holds an empty glyph for every number
    below the highest used, about 450 KB, made in two passes of HarfBuzz and compressed again in
    each document: 20 ms a face and a document, ten faces in a run of the benchmark book.

    A reader finds a glyph of a bare CID-keyed CFF font (FontFile3 /CIDFontType0C) by its CID
    (ISO 32000-1, 9.7.4.2), and in such a face each glyph's CID is its number. While make-book
    writes a PDF, a CID-keyed CFF face is subset to the glyphs used alone, which HarfBuzz gives their
    CIDs, and embedded bare: a run of the benchmark book is written 0.25 s sooner and 49 % smaller.
    Only when the subset's CIDs are the numbers used, in order; any other face is left to WeasyPrint."""
    import pydyf
    import weasyprint.pdf
    from weasyprint.pdf import fonts

    subset, build = fonts.Font._harfbuzz_subset, weasyprint.pdf.build_fonts_dictionary
    bare: dict[bytes, bytes] = {}  # an OpenType subset -> its CFF table alone

    def subset_bare(font: Any, to_unicode: dict[int, str], hinting: bool) -> None:
        plain = "CFF " in font.tables and not (font.missing or font.png or font.svg or font.colr)
        made = _cid_subset(font.hb_face, font.tables, sorted(to_unicode), hinting) if plain else None
        if made is None:
            subset(font, to_unicode, hinting)
            return
        font.file_content, cff = made  # OpenType, so that WeasyPrint writes a CIDFontType0 for it
        bare[font.file_content] = cff

    def build_bare(pdf: Any, *args: Any) -> Any:
        first = len(pdf.objects)
        built = build(pdf, *args)
        for item in pdf.objects[first:]:
            if isinstance(item, pydyf.Stream) and item.extra.get("Subtype") == "/OpenType" and len(item.stream) == 1:
                cff = bare.get(item.stream[0])
                if cff is not None:
                    item.stream, item.extra["Subtype"] = [cff], "/CIDFontType0C"
        return built

    fonts.Font._harfbuzz_subset, weasyprint.pdf.build_fonts_dictionary = subset_bare, build_bare
    try:
        yield
    finally:
        fonts.Font._harfbuzz_subset, weasyprint.pdf.build_fonts_dictionary = subset, build


def _cid_subset(face: Any, tables: list[str], glyphs: list[int], hinting: bool) -> tuple[bytes, bytes] | None:
    """The face cut down to glyphs, with WeasyPrint's flags but glyph numbers not kept, as OpenType
    and as its CFF table alone; None unless the face gives each glyph its number as CID."""
    from weasyprint.text.ffi import ffi, harfbuzz
    from weasyprint.text.ffi import harfbuzz_subset as hb
    from weasyprint.text.fonts import get_hb_object_data

    if not _read_table(face, b"CFF ", cids_are_glyph_numbers):
        return None
    wanted = ffi.gc(hb.hb_subset_input_create_or_fail(), hb.hb_subset_input_destroy)
    harfbuzz.hb_set_add_sorted_array(
        hb.hb_subset_input_glyph_set(wanted), ffi.new("hb_codepoint_t[]", glyphs), len(glyphs)
    )
    flags = hb.HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED | hb.HB_SUBSET_FLAGS_DESUBROUTINIZE
    hb.hb_subset_input_set_flags(wanted, flags if hinting else flags | hb.HB_SUBSET_FLAGS_NO_HINTING)
    # Only the CFF table is embedded: the others are not made.
    dropped = sorted(harfbuzz.hb_tag_from_string(tag.encode(), -1) for tag in tables if tag != "CFF ")
    harfbuzz.hb_set_add_sorted_array(
        hb.hb_subset_input_set(wanted, hb.HB_SUBSET_SETS_DROP_TABLE_TAG),
        ffi.new("hb_codepoint_t[]", dropped),
        len(dropped),
    )
    made = hb.hb_subset_or_fail(face, wanted)
    if made == ffi.NULL:
        return None
    try:
        return get_hb_object_data(made), _read_table(made, b"CFF ", bytes)
    finally:
        harfbuzz.hb_face_destroy(made)


def _read_table(face: Any, tag: bytes, read: Callable[[memoryview], T]) -> T:
    """read() given one table of a HarfBuzz face, where HarfBuzz holds it, not copied."""
    from weasyprint.text.ffi import ffi, harfbuzz

    blob = harfbuzz.hb_face_reference_table(face, harfbuzz.hb_tag_from_string(tag, -1))
    try:
        with ffi.new("unsigned int *") as length:
            data = harfbuzz.hb_blob_get_data(blob, length)
            return read(memoryview(ffi.buffer(data, length[0]) if length[0] else b""))
    finally:
        harfbuzz.hb_blob_destroy(blob)


@contextlib.contextmanager
def _source_date(epoch: int) -> Iterator[None]:
    """fontTools stamps the fonts it subsets with the current time unless SOURCE_DATE_EPOCH is set,
    and WeasyPrint offers no way to pass the date on; without this two builds differ in the fonts."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def _fetcher(assets: dict[str, PreparedImage]) -> Any:
    """Serves the book's pictures (or their stand-ins) and nothing else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class AssetsOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url not in assets:
                raise ValueError(f"make-book serves only its own pictures, not {url[:200]}")
            image = assets[url]
            return URLFetcherResponse(url, image.data, {"Content-Type": image.media_type})

    return AssetsOnly(allowed_protocols=(), allow_redirects=False)


@dataclass(frozen=True)
class Layout:
    """One WeasyPrint document to lay out, with everything it needs: it can go to a child process."""

    # "whole", or "front", "first", "sided" and "body" (runs of entries), "back", "furniture" or
    # "digits" (running heads and page numbers drawn over other documents); see pdf.html
    section: str
    html: str
    css: str
    assets: dict[str, PreparedImage]  # the pictures (or stand-ins) it may fetch, by URL
    first_number: int  # the printed number of its first body page (body and back)
    anchors: tuple[str, ...]  # the ids whose pages the contents and the index need
    languages: dict[str, str]  # entry id -> language, for the article tags
    lead: bool  # a page laid out first and dropped (lead.html)
    main_language: str
    identifier: bytes
    epoch: int


@dataclass(frozen=True)
class Placed:
    """Where a document's pages fall: known once it is laid out, before its PDF is written."""

    pages: int
    anchors: dict[str, int]  # each wanted id -> the 1-based page of this document it is on
    page_starts: tuple[PageStart, ...]
    blanks: tuple[int, ...] = ()  # the 0-based pages left blank (before what starts on the right)


@dataclass(frozen=True)
class LaidOut:
    data: bytes
    pages: int
    anchors: dict[str, int]  # each wanted id -> the 1-based page of this document it is on
    page_starts: tuple[PageStart, ...]
    lost: str | None  # a wanted id the layout dropped
    messages: tuple[str, ...]  # WeasyPrint's warnings
    widths: tuple[float, ...] = ()  # "digits": the width of each page's number, in points
    blanks: tuple[int, ...] = ()  # the 0-based pages left blank (before what starts on the right)

    @property
    def placed(self) -> Placed:
        return Placed(self.pages, self.anchors, self.page_starts, self.blanks)


def lay_out(layout: Layout, note: Callable[[Placed], None] = lambda placed: None) -> LaidOut:
    """note: told where the pages fall as soon as that is known (workers.py), unless an id is lost."""
    import weasyprint  # already imported in the process that forked this one (workers.py)

    fetcher = _fetcher(layout.assets)
    collect = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collect)
    try:
        with _fewer_full_collections(), _leaders_as_one_text():
            css = weasyprint.CSS(string=layout.css, url_fetcher=fetcher)
            source = weasyprint.HTML(string=layout.html, base_url=ASSET_SCHEME, url_fetcher=fetcher)
            document = source.render(stylesheets=[css])
            if layout.lead:
                document = document.copy(document.pages[1:])
            pages = len(document.pages)
            anchors = _anchor_pages(document)
            lost = next((a for a in layout.anchors if a not in anchors), None)
            if lost:
                return LaidOut(b"", pages, {}, (), lost, ())
            front_pages = None  # a part of a book gets its page labels when the parts are joined
            if layout.section == "whole":
                front_pages = anchors[layout.anchors[0]] - 1
                labels = page_labels(pages, front_pages)
            elif layout.section == "front":
                labels = page_labels(pages, pages)
            elif layout.section == "back":
                labels = [str(layout.first_number + i) for i in range(pages)]
            else:  # a run of the body, or its running heads: numbered when they are joined
                labels = [""] * pages
            # Running heads and page numbers are drawn over tagged pages as artifacts: not tagged.
            drawn_over = layout.section in DRAWN_OVER
            starts = () if drawn_over else tuple(find_page_starts(document, source.etree_element, labels))
            wanted = {a: anchors[a] for a in layout.anchors}
            blanks = tuple(i for i, page in enumerate(document.pages) if page._page_box.page_type.blank)
            note(Placed(pages, wanted, starts, blanks))
            languages = {anchors[a] - 1: language for a, language in layout.languages.items()}
            finish = _page_labels_and_languages(front_pages, languages, layout.main_language)
            with (
                _source_date(layout.epoch),
                _remembered_page_references(),
                _faster_compression(),
                _arrays_parsed_once(),
                _font_files_read_on_demand(),
                _cid_faces_embedded_bare(),
            ):
                # PDF/UA-1: tagged, with the title shown, the language set and alt text on figures.
                variant = None if drawn_over else "pdf/ua-1"
                data = document.write_pdf(pdf_identifier=layout.identifier, pdf_variant=variant, finisher=finish)
    finally:
        logger.removeHandler(collect)
    widths = tuple(_text_width(page) for page in document.pages) if layout.section == "digits" else ()
    return LaidOut(data, pages, wanted, starts, None, tuple(dict.fromkeys(collect.messages)), widths, blanks)


def _text_width(page: Any) -> float:
    """The width of the text on a page, in points (CSS pixels are 0.75 pt)."""
    from weasyprint.formatting_structure.boxes import TextBox

    return 0.75 * float(sum(box.width for box in page._page_box.descendants() if isinstance(box, TextBox)))


def _anchor_pages(document: Any) -> dict[str, int]:
    """Each element id and the 1-based page it is on."""
    anchors: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            anchors.setdefault(anchor, number)
    return anchors


def _page_labels_and_languages(
    front_pages: int | None, languages: dict[int, str], main: str
) -> Callable[[Any, Any], None]:
    """A WeasyPrint finisher for two things it does not write: page labels that match the printed
    numbers (roman in the front matter), and the language of each entry on its article tags, for
    screen readers. It edits the PDF objects before they are serialised, so it costs nothing."""
    import pydyf

    starts = sorted(languages)

    def language_of(page: int) -> str:
        """The language of the entry a page belongs to: the last one to start on or before it."""
        index = bisect.bisect_right(starts, page)
        return languages[starts[index - 1]] if index else main

    def finish(document: Any, pdf: Any) -> None:
        if front_pages is not None:
            ranges = [0, pydyf.Dictionary({"S": "/r"})] if front_pages else []
            ranges += [front_pages, pydyf.Dictionary({"S": "/D", "St": 1})]
            pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": pydyf.Array(ranges)})
        page_of = {reference: index for index, reference in enumerate(pdf.page_references)}
        for item in pdf.objects:
            if isinstance(item, dict) and item.get("S") == "/Art" and "Pg" in item:
                language = language_of(page_of.get(item["Pg"], -1))
                if language != main:
                    item["Lang"] = pydyf.String(language)

    return finish
