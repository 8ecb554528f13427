"""The adjustments lay_out.py makes to WeasyPrint's libraries while it writes a PDF."""

from __future__ import annotations

from typing import Any

import pytest

from ebook.lay_out import _arrays_parsed_once, _font_files_read_on_demand


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


def test_font_files_are_read_only_when_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    import weasyprint
    from weasyprint.pdf import fonts

    html = weasyprint.HTML(
        string='<p lang="ja" style="font-family: Noto Sans CJK JP">防護服の夜</p>'
        '<p style="font-family: Noto Serif">Night shift 😷</p>'  # the emoji font's file is read: it is a colour font
    )
    expected = html.render().write_pdf(pdf_identifier=b"same")
    sizes: list[int] = []
    read = fonts.get_hb_object_data

    def spy(face: Any, *args: Any) -> Any:
        data = read(face, *args)
        sizes.append(len(data or b""))
        return data

    monkeypatch.setattr(fonts, "get_hb_object_data", spy)
    with _font_files_read_on_demand():
        written = html.render().write_pdf(pdf_identifier=b"same")
    assert written == expected
    # The CJK collection (about 20 MB) was never copied: only the subsets and the emoji font were.
    assert sizes and max(sizes) < 15_000_000 and sum(sizes) < 15_000_000
    assert fonts.Font.__init__ is not None and "file_content" not in vars(fonts.Font)
