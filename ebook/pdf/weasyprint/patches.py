"""What make-book changes in WeasyPrint and the libraries under it while document.py lays out a
document or writes its PDF. Each change is measured (docs/performance.md), bounded by a `with`
that undoes it, tested (tests/test_weasyprint_patches.py), listed with its upstream issue in
registry.py, which MAKE_BOOK_PLAIN_WEASYPRINT turns off, and what it relies on is named in
tests/test_internals_canary.py; each keeps the pages as WeasyPrint makes them.

source_date changes nothing inside a library (it sets an environment variable fontTools reads)
and is made with or without the switch."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from ebook.pdf.weasyprint.cff import cids_are_glyph_numbers

T = TypeVar("T")
_ABSENT = object()


@contextlib.contextmanager
def _replaced(target: Any, **attributes: Any) -> Iterator[None]:
    """target's attributes set to these, then as they were: put back, or removed where target had
    none of its own (a method of its class, say)."""
    saved = {name: vars(target).get(name, _ABSENT) for name in attributes}
    for name, value in attributes.items():
        setattr(target, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is _ABSENT:
                delattr(target, name)
            else:
                setattr(target, name, value)


@contextlib.contextmanager
def leaders_as_one_text() -> Iterator[None]:
    """WeasyPrint places a leader's text once for each repetition, as a text box of its own, and
    draws each box by itself: Pango lays its text out again and the PDF gets a text object for it.
    The contents of the 140-entry benchmark book have about 1,300 of them: 0.13 s of the 0.78 s the
    front matter takes, the last document of a build to finish (measured again in 0.4.0). While
    make-book lays out a document, the repetitions of a leader, placed where WeasyPrint places them,
    side by side, become one text box of the repeated text at the first one's place: the same
    glyphs at the same places. Not where spacing is added between words or letters: Pango adds more
    of it at the ends of a text, so the repeated text would be longer."""
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
        if first.justification_spacing or first.style["word_spacing"] or first.style["letter_spacing"] != "normal":
            return
        one = first.copy()
        one.text = first.text * len(repeated)
        one.width = last.position_x + last.width - first.position_x
        one.pango_layout = copy.copy(first.pango_layout)  # laid out again from its text when drawn
        one.pango_layout.text = one.text
        leader.children = (one,)

    with _replaced(inline, handle_leader=handle_as_one):
        yield


@contextlib.contextmanager
def remembered_page_references() -> Iterator[None]:
    """pydyf rebuilds its list of page references at every use, and WeasyPrint's tagging uses it
    once per tag: quadratic in the page count, about a third of a 1,400-entry build. While make-book
    writes a PDF, the list is kept until a page is added (pages are only ever appended). No upstream
    issue yet: to file on Kozea/pydyf, "PDF.page_references is rebuilt at each use"."""
    import pydyf

    original = pydyf.PDF.page_references

    def page_references(pdf: Any) -> tuple[bytes, ...]:
        count = len(pdf.pages["Kids"])
        cached = pdf.__dict__.get("_make_book_page_references")
        if cached is None or cached[0] != count:
            cached = (count, original.fget(pdf))
            pdf.__dict__["_make_book_page_references"] = cached
        return cached[1]  # type: ignore[no-any-return]

    with _replaced(pydyf.PDF, page_references=property(page_references)):
        yield


@contextlib.contextmanager
def faster_compression() -> Iterator[None]:
    """pydyf compresses every stream at zlib's level 9. Level 6 makes the PDF 0.8 % bigger and the
    whole PDF step 9 % faster (a 150-page part: 4.4 s -> 4.0 s). No upstream issue yet: to file on
    Kozea/pydyf, "a compression level for PDF.write"."""
    import types
    import zlib

    import pydyf

    level_6 = types.SimpleNamespace(
        compress=lambda data, level=6: zlib.compress(data, 6), compressobj=lambda level=6: zlib.compressobj(6)
    )
    with _replaced(pydyf, zlib=level_6):
        yield


@contextlib.contextmanager
def arrays_parsed_once() -> Iterator[None]:
    """WeasyPrint asks cffi for a `hb_codepoint_t[N]` of a new length N for each font it subsets,
    and cffi parses each such type with pycparser, a few milliseconds apiece, in every layout
    process anew (measured again in 0.4.0: 0.03 s of each document's 0.05 s of cffi parsing, on
    the runs and on the front matter, which the build waits for). While make-book writes a PDF, an
    array of a fixed length is made from the open array type, parsed once, with the same length
    and contents."""
    from weasyprint.text.ffi import ffi

    def new(cdecl: str, init: Any = None) -> Any:
        # Most of the calls (13,000 for the contents of the 140-entry book) are for other types.
        match = _FIXED_ARRAY.fullmatch(cdecl) if cdecl.endswith("]") else None
        if match is None:
            return original(cdecl, init)
        array = original(f"{match[1]}[]", int(match[2]))  # zeroed, as for a fixed-length type
        if init is not None:
            array[0 : len(init)] = init
        return array

    original = ffi.new
    with _replaced(ffi, new=new):  # then the class's own method again
        yield


_FIXED_ARRAY = re.compile(r"(\w+)\[(\d+)\]")


@contextlib.contextmanager
def font_files_read_on_demand() -> Iterator[None]:
    """WeasyPrint copies a face's whole font file into memory the first time the face draws text
    (Font.__init__), yet it embeds a subset that HarfBuzz makes from the face itself, so the copy
    is never read. A face of the Noto CJK collections is a 20-26 MB file: a 140-page run of the
    benchmark book copied 155 MB this way, 0.3 s, and the page faults of reading and holding it
    were most of the run's system time (0.7 of 0.85 s). While make-book writes a PDF, the file is
    read the first time something asks for it (a face that cannot be subset, a variable or colour
    font), and never otherwise. Same bytes out. No upstream issue yet: to file on Kozea/WeasyPrint,
    "Font.__init__ copies the whole font file" (the memory side of
    https://github.com/Kozea/WeasyPrint/issues/2130)."""
    from weasyprint.pdf import fonts

    read, initialise = fonts.get_hb_object_data, fonts.Font.__init__

    def init(font: Any, *args: Any) -> None:
        with _replaced(fonts, get_hb_object_data=lambda face: None):  # what __init__ stores: not read yet
            initialise(font, *args)

    def content(font: Any) -> bytes:
        data: bytes | None = font.__dict__["file_content"]
        if data is None:
            data = font.__dict__["file_content"] = read(font.hb_face)
        return data

    def replace(font: Any, data: bytes | None) -> None:
        font.__dict__["file_content"] = data

    with _replaced(fonts.Font, __init__=init, file_content=property(content, replace)):
        yield


@contextlib.contextmanager
def cid_faces_embedded_bare() -> Iterator[None]:
    """WeasyPrint subsets a face keeping every glyph's number, the number its text shows. A face of
    the Noto CJK collections has 65,535 glyphs, so its subset holds an empty glyph for every number
    below the highest used, about 450 KB, made in two passes of HarfBuzz and compressed again in
    each document: 20 ms a face and a document, ten faces in a run of the benchmark book.

    A reader finds a glyph of a bare CID-keyed CFF font (FontFile3 /CIDFontType0C) by its CID
    (ISO 32000-1, 9.7.4.2), and in such a face each glyph's CID is its number. While make-book
    writes a PDF, such a face (cff.py tells) is subset to the glyphs used alone, which HarfBuzz
    gives their CIDs, and embedded bare: a run of the benchmark book is written 0.25 s sooner, at
    0.77 MB instead of 1.87 MB. Any other face is left to WeasyPrint. Upstream: slow CJK subsetting,
    https://github.com/Kozea/WeasyPrint/issues/2120 (HarfBuzz subsetting,
    https://github.com/Kozea/WeasyPrint/pull/2178, still keeps an empty glyph for every number)."""
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

    with (
        _replaced(fonts.Font, _harfbuzz_subset=subset_bare),
        _replaced(weasyprint.pdf, build_fonts_dictionary=build_bare),
    ):
        yield


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
        cff = _read_table(made, b"CFF ", bytes)
        return (get_hb_object_data(made), cff) if cff else None
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
def source_date(epoch: int) -> Iterator[None]:
    """fontTools stamps the fonts it subsets with the current time unless SOURCE_DATE_EPOCH is set,
    and WeasyPrint offers no way to pass the date on; without this two builds differ in the fonts
    (https://github.com/Kozea/WeasyPrint/issues/1553, https://github.com/fonttools/fonttools/pull/1063)."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
