"""A line of text drawn into the PDF with its glyphs read at once (the patch "glyphs_read_at_once").

WeasyPrint's draw_first_line (weasyprint/draw/text.py) reads each glyph Pango placed through cffi,
field by field, and formats each anew: about 0.06 s of each run's 0.5 s of drawing text on the
benchmark book. Here a line's glyphs are read in one piece (struct), and what each glyph with its
geometry is written as is kept for the document, since the same glyphs come back line after line
(the two together: 4.8 % of a cold build). Its text operators are written as WeasyPrint writes
them, byte for byte (tests/test_weasyprint_patches.py). A line with anything out of the
ordinary is left to WeasyPrint: an ellipsis, a glyph raised or lowered (Arabic marks), an empty or
missing glyph, a bitmap, colour or SVG font, an old Pango. No upstream issue yet: to file on
Kozea/WeasyPrint, "draw_first_line reads glyph infos one cffi field at a time".
"""

from __future__ import annotations

import contextlib
import struct
from collections.abc import Iterator
from typing import Any

# PangoGlyphInfo: the glyph, its geometry (width, x and y offsets), its visual attributes.
_GLYPH_INFO = struct.Struct("=Iiii4x")
_PANGO_WITH_FONT_SIZES = 14802  # Pango 1.48.2: below it WeasyPrint takes the size from the style


class _Unusual(Exception):
    """A line WeasyPrint draws itself."""


@contextlib.contextmanager
def glyphs_read_at_once() -> Iterator[None]:
    from weasyprint.draw import text
    from weasyprint.text.ffi import ffi, pango

    original = text.draw_first_line
    written: dict[tuple[Any, float], dict[Any, str]] = {}  # for _operations, for this document
    if ffi.sizeof("PangoGlyphInfo") != _GLYPH_INFO.size or pango.pango_version() < _PANGO_WITH_FONT_SIZES:
        yield  # not the Pango this was written for: WeasyPrint draws every line
        return

    def draw_first_line(stream: Any, textbox: Any, text_overflow: str, block_ellipsis: Any, matrix: Any) -> Any:
        if not textbox.text.strip() or textbox.style["font_size"] < 1e-6:
            return []
        if text_overflow == "ellipsis" or block_ellipsis != "none":
            return original(stream, textbox, text_overflow, block_ellipsis, matrix)
        pango.pango_layout_set_single_paragraph_mode(textbox.pango_layout.layout, True)
        first_line, _ = textbox.pango_layout.get_first_line()
        try:
            operations = _operations(stream, textbox, first_line, ffi, pango, written)
        except _Unusual:  # nothing written yet: WeasyPrint lays the line out again and draws it
            return original(stream, textbox, text_overflow, block_ellipsis, matrix)
        stream.set_text_matrix(*matrix.values)
        for operation, argument in operations:
            if operation == "size":
                stream.set_font_size(*argument)
            else:
                stream.show_text(argument)
        return []  # no emoji: fonts that have any are WeasyPrint's

    text.draw_first_line = draw_first_line
    try:
        yield
    finally:
        text.draw_first_line = original


def _operations(
    stream: Any, textbox: Any, first_line: Any, ffi: Any, pango: Any, written: dict[tuple[Any, float], dict[Any, str]]
) -> list[tuple[str, Any]]:
    """What WeasyPrint's draw_first_line writes for a line, in order: ("size", (font, size)) and
    ("show", text); raises _Unusual for a line it should draw itself. written: for each face and
    size, what each glyph with its geometry was written as, kept for the document (the same
    glyphs come back line after line)."""
    operations: list[tuple[str, Any]] = []
    previous_font, shown, utf8_text = None, "", None
    font: Any = None
    font_size = 0.0
    run = first_line.runs[0]
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        glyphs, item = glyph_item.glyphs, glyph_item.item
        count, pango_font = glyphs.num_glyphs, item.analysis.font
        if pango_font != previous_font:
            previous_font = pango_font
            font, font_size = stream.add_font(pango_font)
            if font.svg or font.png or font.colr or font.bitmap:
                raise _Unusual
            if shown:
                operations.append(("show", shown))
            operations.append(("size", (font.hash, font_size)))
            shown = ""
            fragments = written.setdefault((font, font_size), {})
        parts = ["<"]
        for i, info in enumerate(_GLYPH_INFO.iter_unpack(ffi.buffer(glyphs.glyphs, count * _GLYPH_INFO.size))):
            fragment = fragments.get(info)
            if fragment is None:
                glyph = info[0]
                if glyph not in font.to_unicode:  # the text the glyph shows, for copying and searching
                    utf8_text = utf8_text or textbox.pango_layout.text.encode()
                    font.to_unicode[glyph] = _shown_text(glyphs, item, i, count, utf8_text, ffi)
                fragment = fragments[info] = _fragment(info, stream, font, pango_font, font_size, pango)
            parts.append(fragment)
        shown += "".join(parts)
        shown = shown[:-1] if shown[-1] == "<" else shown + ">"
    operations.append(("show", shown))
    return operations


def _shown_text(glyphs: Any, item: Any, i: int, count: int, utf8_text: bytes, ffi: Any) -> str:
    """The text of the cluster the i-th glyph of a run begins."""
    clusters = ffi.unpack(glyphs.log_clusters, count)
    start = clusters[i]
    if item.analysis.level % 2:  # right to left
        end = item.length if i == 0 else clusters[i - 1]
    else:
        end = item.length if i == count - 1 else clusters[i + 1]
    return utf8_text[item.offset + start : item.offset + end].decode()


def _fragment(
    info: tuple[int, int, int, int], stream: Any, font: Any, pango_font: Any, font_size: float, pango: Any
) -> str:
    """A glyph as WeasyPrint writes it in a TJ array: its offset, its number, its kerning."""
    from weasyprint.text.ffi import FROM_UNITS

    glyph, width, x_offset, y_offset = info
    if y_offset or glyph == pango.PANGO_GLYPH_EMPTY or glyph & pango.PANGO_GLYPH_UNKNOWN_FLAG:
        raise _Unusual
    fragment = ""
    offset = x_offset / font_size
    if offset:
        fragment = f">{-offset}<"
    fragment += f"{glyph:04x}"
    widths = font.widths
    if glyph in widths:
        logical_width = widths[glyph]
    else:
        pango.pango_font_get_glyph_extents(pango_font, glyph, stream.ink_rect, stream.logical_rect)
        logical_width = widths[glyph] = round(stream.logical_rect.width * 1000 * FROM_UNITS / font_size)
    kerning = logical_width + offset - width * 1000 * FROM_UNITS / font_size
    if kerning:
        fragment += f">{int(kerning)}<"
    return fragment
