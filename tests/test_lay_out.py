"""The adjustments lay_out.py makes to WeasyPrint's libraries while it writes a PDF."""

from __future__ import annotations

from ebook.lay_out import _arrays_parsed_once


def test_fixed_length_arrays_keep_their_length_and_contents() -> None:
    from weasyprint.text.ffi import ffi

    with _arrays_parsed_once():
        array = ffi.new("hb_codepoint_t[4]", [7, 8])
        assert ffi.typeof(array) is ffi.typeof("hb_codepoint_t[]")  # no new type parsed
        assert list(array) == [7, 8, 0, 0] and ffi.sizeof(array) == 4 * ffi.sizeof("hb_codepoint_t")
        assert list(ffi.new("hb_codepoint_t[3]")) == [0, 0, 0]
        assert ffi.string(ffi.new("char[]", b"ab")) == b"ab"  # any other type as before
    assert "new" not in vars(ffi)  # cffi's own method again
    assert ffi.typeof(ffi.new("hb_codepoint_t[2]")) is ffi.typeof("hb_codepoint_t[2]")
