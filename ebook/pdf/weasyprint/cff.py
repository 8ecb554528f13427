"""Just enough of a CFF font program (Adobe Technical Note 5176) to tell whether it is CID-keyed
with each glyph's CID equal to its number, as in the Noto CJK faces. weasyprint_patches.py embeds
such faces bare, subset to the glyphs used, and readers find those glyphs by their CIDs.

It reads the header, the Top DICT and the charset, never the glyphs: a few hundred bytes of a
table of 15-20 MB, straight from the memory HarfBuzz maps.
"""

from __future__ import annotations

from collections.abc import Sequence

_ROS = (12, 30)  # the operator that begins the Top DICT of a CID-keyed font
_CHARSET, _CHARSTRINGS = (15,), (17,)


def cids_are_glyph_numbers(cff: Sequence[int]) -> bool:
    """cff: the bytes of a 'CFF ' table. False for anything it cannot read."""
    try:
        top = _top_dict(cff)
        if next(iter(top), None) != _ROS:  # it comes first in a CID-keyed font (TN 5176, section 19)
            return False
        glyphs = _index_count(cff, int(top[_CHARSTRINGS][0]))
        return _identity_charset(cff, int(top[_CHARSET][0]), glyphs)
    except (IndexError, KeyError, ValueError):
        return False


def _index_count(cff: Sequence[int], at: int) -> int:
    return cff[at] << 8 | cff[at + 1]


def _index_end(cff: Sequence[int], at: int) -> int:
    """Where the INDEX that begins at `at` ends."""
    count = _index_count(cff, at)
    if count == 0:
        return at + 2
    size = cff[at + 2]
    last = at + 3 + count * size
    return last + size - 1 + _number(cff, last, size)


def _number(cff: Sequence[int], at: int, size: int) -> int:
    value = 0
    for byte in cff[at : at + size]:
        value = value << 8 | byte
    return value


def _top_dict(cff: Sequence[int]) -> dict[tuple[int, ...], list[float]]:
    """The first font's Top DICT: operator -> operands, in the order they come."""
    names = cff[2]  # the header's size
    index = _index_end(cff, names)  # the Top DICT INDEX follows the Name INDEX
    if _index_count(cff, index) < 1:
        raise ValueError("no Top DICT")
    size = cff[index + 2]
    data = index + 3 + (_index_count(cff, index) + 1) * size - 1  # offsets count from the byte before
    start, end = data + _number(cff, index + 3, size), data + _number(cff, index + 3 + size, size)
    entries: dict[tuple[int, ...], list[float]] = {}
    operands: list[float] = []
    at = start
    while at < end:
        b0 = cff[at]
        if b0 <= 21:  # an operator; 12 escapes to a second byte
            operator = (12, cff[at + 1]) if b0 == 12 else (b0,)
            entries.setdefault(operator, operands)
            operands, at = [], at + len(operator)
        elif b0 == 28:
            operands.append(int.from_bytes(bytes(cff[at + 1 : at + 3]), "big", signed=True))
            at += 3
        elif b0 == 29:
            operands.append(int.from_bytes(bytes(cff[at + 1 : at + 5]), "big", signed=True))
            at += 5
        elif b0 == 30:  # a real number: nibbles up to 0xf, read only to be skipped
            at += 1
            while cff[at] & 0x0F != 0x0F and cff[at] >> 4 != 0x0F:
                at += 1
            operands.append(0.0)
            at += 1
        elif 32 <= b0 <= 246:
            operands.append(b0 - 139)
            at += 1
        elif 247 <= b0 <= 250:
            operands.append((b0 - 247) * 256 + cff[at + 1] + 108)
            at += 2
        elif 251 <= b0 <= 254:
            operands.append(-(b0 - 251) * 256 - cff[at + 1] - 108)
            at += 2
        else:
            raise ValueError(f"reserved byte {b0} in the Top DICT")
    return entries


def _identity_charset(cff: Sequence[int], at: int, glyphs: int) -> bool:
    """Whether the charset at `at` gives glyph n the CID n, for each of the font's glyphs."""
    if at <= 2:  # the predefined charsets of name-keyed fonts
        return False
    form, at, glyph = cff[at], at + 1, 1
    if form == 0:
        return all(_number(cff, at + 2 * (g - 1), 2) == g for g in range(1, glyphs))
    if form not in (1, 2):
        return False
    while glyph < glyphs:
        first, left = _number(cff, at, 2), _number(cff, at + 2, form)
        if first != glyph:
            return False
        glyph, at = glyph + left + 1, at + 2 + form
    return glyph == glyphs
