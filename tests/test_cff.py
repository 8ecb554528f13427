"""cff.py tells a CID-keyed CFF font whose CIDs are its glyph numbers from any other font."""

from __future__ import annotations

from pathlib import Path

from fontTools.ttLib import TTCollection
from hypothesis import given
from hypothesis import strategies as st

from ebook.pdf.weasyprint.cff import cids_are_glyph_numbers


def _index(items: list[bytes]) -> bytes:
    """A CFF INDEX with 4-byte offsets."""
    if not items:
        return b"\0\0"
    offsets = [1]
    for item in items:
        offsets.append(offsets[-1] + len(item))
    return len(items).to_bytes(2, "big") + b"\x04" + b"".join(o.to_bytes(4, "big") for o in offsets) + b"".join(items)


def _number(value: int) -> bytes:
    return b"\x1d" + value.to_bytes(4, "big", signed=True)


def _charset(cids: list[int], form: int) -> bytes:
    if form == 0:
        return b"\0" + b"".join(c.to_bytes(2, "big") for c in cids)
    ranges: list[list[int]] = []
    for cid in cids:
        if ranges and cid == ranges[-1][0] + ranges[-1][1] + 1 and ranges[-1][1] < 255:
            ranges[-1][1] += 1
        else:
            ranges.append([cid, 0])
    return bytes([form]) + b"".join(first.to_bytes(2, "big") + left.to_bytes(form, "big") for first, left in ranges)


def cff_font(cids: list[int], form: int, cid_keyed: bool = True) -> bytes:
    """A CFF font program whose glyphs 1, 2, ... have the CIDs (or SIDs) cids; glyph 0 is .notdef."""
    charset = _charset(cids, form)
    ros = _number(391) + _number(392) + _number(0) + b"\x0c\x1e" if cid_keyed else b""

    def top(charset_at: int, charstrings_at: int) -> bytes:
        # A Real operand (the font's version, say) before the charset, to be read past.
        return ros + b"\x1e\x1a\x5f" + b"\x00" + _number(charset_at) + b"\x0f" + _number(charstrings_at) + b"\x11"

    before = 4 + len(_index([b"Test"])) + len(_index([top(0, 0)])) + len(_index([b"Adobe", b"Identity"])) + 2
    head = b"\x01\x00\x04\x04" + _index([b"Test"]) + _index([top(before, before + len(charset))])
    return head + _index([b"Adobe", b"Identity"]) + _index([]) + charset + _index([b"\x0e"] * (len(cids) + 1))


def test_a_font_whose_cids_are_its_glyph_numbers_in_each_charset_format() -> None:
    for form in (0, 1, 2):
        assert cids_are_glyph_numbers(cff_font(list(range(1, 300)), form))
        assert not cids_are_glyph_numbers(cff_font([1, 2, 4, 5], form))  # glyph 3 has CID 4
        assert not cids_are_glyph_numbers(cff_font([2, 1, 3], form))
        assert not cids_are_glyph_numbers(cff_font(list(range(1, 300)), form, cid_keyed=False))


@given(
    st.lists(st.integers(1, 400), min_size=1, max_size=40, unique=True),
    st.sampled_from([0, 1, 2]),
    st.booleans(),
)
def test_any_charset_is_told_right(cids: list[int], form: int, cid_keyed: bool) -> None:
    font = cff_font(cids, form, cid_keyed)
    assert cids_are_glyph_numbers(font) == (cid_keyed and cids == list(range(1, len(cids) + 1)))
    for end in range(0, len(font), 7):  # cut short: an answer, never an exception
        assert cids_are_glyph_numbers(font[:end]) in (True, False)


def test_the_noto_cjk_faces_are_read_in_place() -> None:
    for name in ("NotoSerifCJK-Regular.ttc", "NotoSansCJK-Bold.ttc"):
        face = TTCollection(Path("/usr/share/fonts/opentype/noto") / name, lazy=True).fonts[0]
        assert cids_are_glyph_numbers(memoryview(face.reader["CFF "]))
