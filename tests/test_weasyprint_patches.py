"""What make-book changes in WeasyPrint (pdf/weasyprint/patches.py, registry.py), checked against
WeasyPrint's own output; and the switch that changes nothing: a book built both ways has the same
pages with the same text on each, in other bytes."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from ebook.build import build, environ
from ebook.options import Options
from ebook.pdf.document import Layout, LayoutError, lay_out
from ebook.pdf.weasyprint import registry
from ebook.pdf.weasyprint.glyphs import glyphs_read_at_once
from ebook.pdf.weasyprint.patches import (
    arrays_parsed_once,
    cid_faces_embedded_bare,
    faster_compression,
    font_files_read_on_demand,
    leaders_as_one_text,
    remembered_page_references,
)


@pytest.fixture(autouse=True)
def _fixed_font_dates(monkeypatch: pytest.MonkeyPatch) -> None:
    """fontTools stamps each font it subsets with the time unless SOURCE_DATE_EPOCH is set: two
    writings compared byte for byte straddled a second once (a loaded CI machine), and differed."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")


def test_fixed_length_arrays_keep_their_length_and_contents() -> None:
    from weasyprint.text.ffi import ffi

    with arrays_parsed_once():
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
    with font_files_read_on_demand():
        written = html.render().write_pdf(pdf_identifier=b"same")
    assert written == expected
    # The CJK collection (about 20 MB) was never copied: only the subsets and the emoji font were.
    assert sizes and max(sizes) < 15_000_000 and sum(sizes) < 15_000_000
    assert fonts.Font.__init__ is not None and "file_content" not in vars(fonts.Font)


CJK = (
    '<p lang="ja" style="font-family: Noto Serif CJK JP">港の見える更衣室、二月の初め</p>'
    '<p lang="ko" style="font-family: Noto Sans CJK KR; font-weight: bold">방사선사의 밤</p>'
    '<p style="font-family: Noto Serif">Night shift, Yokohama</p>'
)


def _embedded(pdf: bytes) -> dict[str, str]:
    """Each font's name (without its subset tag) -> how its program is embedded."""
    from io import BytesIO

    from pypdf import PdfReader

    found: dict[str, str] = {}
    for page in PdfReader(BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            for key in ("/FontFile2", "/FontFile3"):
                if key in descriptor:
                    kind = descriptor[key].get_object().get("/Subtype", "TrueType")
                    found[str(font.get_object()["/BaseFont"]).split("+")[-1]] = f"{key[1:]} {kind}"
    return found


def _seen(pdf: bytes, folder: Path, name: str) -> tuple[bytes, str]:
    """The page as poppler draws it, and its text."""
    path = folder / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-singlefile", str(path), str(folder / name)], check=True)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return (folder / f"{name}.pgm").read_bytes(), text


def test_cid_keyed_faces_are_embedded_bare_and_drawn_the_same(tmp_path: Path) -> None:
    import weasyprint
    from weasyprint.pdf import fonts

    html = weasyprint.HTML(string=CJK)
    expected = html.render().write_pdf(pdf_identifier=b"same")
    with cid_faces_embedded_bare():
        written = html.render().write_pdf(pdf_identifier=b"same")
    assert _embedded(expected) == {
        "Noto-Serif-CJK-JP": "FontFile3 /OpenType",
        "Noto-Sans-CJK-KR-Bold": "FontFile3 /OpenType",
        "Noto-Serif": "FontFile2 TrueType",
    }
    assert _embedded(written) == {
        "Noto-Serif-CJK-JP": "FontFile3 /CIDFontType0C",
        "Noto-Sans-CJK-KR-Bold": "FontFile3 /CIDFontType0C",
        "Noto-Serif": "FontFile2 TrueType",
    }
    assert len(written) < len(expected) / 10  # the glyphs used, not an empty one for every number below
    drawn, text = _seen(written, tmp_path, "bare")
    assert (drawn, text) == _seen(expected, tmp_path, "weasyprint")
    assert "港の見える更衣室" in text and "방사선사의" in text
    assert vars(fonts.Font)["_harfbuzz_subset"].__module__ == "weasyprint.pdf.fonts"


def test_other_faces_are_left_to_weasyprint(monkeypatch: pytest.MonkeyPatch) -> None:
    import weasyprint

    from ebook.pdf.weasyprint import patches as weasyprint_patches

    html = weasyprint.HTML(string=CJK)
    expected = html.render().write_pdf(pdf_identifier=b"same")
    monkeypatch.setattr(weasyprint_patches, "cids_are_glyph_numbers", lambda cff: False)
    with cid_faces_embedded_bare():
        assert html.render().write_pdf(pdf_identifier=b"same") == expected
    monkeypatch.undo()
    read = weasyprint_patches._read_table  # a subset without a CFF table: WeasyPrint subsets the face
    monkeypatch.setattr(
        weasyprint_patches, "_read_table", lambda face, tag, f: b"" if f is bytes else read(face, tag, f)
    )
    with cid_faces_embedded_bare():
        assert html.render().write_pdf(pdf_identifier=b"same") == expected


LEADERS = """<style>
  @page { size: 110mm 60mm; margin: 8mm }
  a::after { content: leader(".\\2003") attr(data-page) }
  a { display: block; color: black; text-decoration: none }
</style>
<a data-page="7">Seven days in March</a>
<a data-page="123">One portable machine, three isolation wards and a corridor that never ended</a>
<div dir="rtl" lang="ar" style="font-family: Noto Naskh Arabic"><a data-page="٤٥">ورقة على الزجاج</a></div>
<a data-page="9"></a>"""


def _texts_shown(pdf: bytes) -> int:
    from io import BytesIO

    from pypdf import PdfReader

    return sum(page.get_contents().get_data().count(b" TJ") for page in PdfReader(BytesIO(pdf)).pages)


def test_a_leader_is_drawn_as_one_text_where_weasyprint_draws_its_repetitions(tmp_path: Path) -> None:
    import weasyprint
    from weasyprint.layout import inline

    html = weasyprint.HTML(string=LEADERS)
    expected = html.render().write_pdf(pdf_identifier=b"same")
    with leaders_as_one_text():
        written = html.render().write_pdf(pdf_identifier=b"same")
    assert _texts_shown(written) < _texts_shown(expected) - 20  # a text for each leader, not for each dot
    drawn, text = _seen(written, tmp_path, "one")
    assert drawn == _seen(expected, tmp_path, "repeated")[0]  # the same dots at the same places
    assert "Seven days in March" in text and "ورقة على الزجاج" in text
    assert inline.handle_leader.__module__ == "weasyprint.layout.leader"


def test_a_leader_spaced_out_is_left_to_weasyprint() -> None:
    import weasyprint

    for spacing in ("word-spacing: 3px", "letter-spacing: 1px"):
        html = weasyprint.HTML(
            string=LEADERS.replace(".\\2003", ". ").replace("</style>", f"a {{ {spacing} }}</style>")
        )
        expected = html.render().write_pdf(pdf_identifier=b"same")
        with leaders_as_one_text():
            assert html.render().write_pdf(pdf_identifier=b"same") == expected


SCRIPTS = """<style>@page { size: A6; margin: 10mm } p { text-align: justify; hyphens: auto }</style>
<p lang="en">Waffles, “quoted” words, fi and ffl ligatures, AVATAR kerning, 12½ % — and <i>italic</i>, <b>bold</b>
<span style="font-variant: small-caps">Small Caps</span>, <span style="letter-spacing: 2px">spaced</span>.</p>
<p lang="fr" style="font-family: Noto Sans">Le scanner « rouge » : une nuit à Lyon, où l’on attendait.</p>
<p lang="ar" dir="rtl" style="font-family: Noto Naskh Arabic">ليلة في قسم الأشعة، مَدرسةٌ وكتابٌ</p>
<p lang="he" dir="rtl">לילה במחלקת הדימות</p>
<p lang="ja" style="font-family: Noto Serif CJK JP">港の見える更衣室、二月の初め。放射線技師の夜勤</p>
<p lang="ru">Ночная смена в рентгенологии</p><p lang="el">Νυχτερινή βάρδια</p>
<p style="text-overflow: ellipsis; overflow: hidden; white-space: nowrap; width: 20mm">An ellipsis cut short here</p>"""


def test_glyphs_read_at_once_write_what_weasyprint_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    import weasyprint
    from weasyprint.draw import text

    original = text.draw_first_line
    html = weasyprint.HTML(string=SCRIPTS * 3)
    expected = html.render().write_pdf(pdf_identifier=b"same")
    calls: list[str] = []
    counted = lambda *args: calls.append("weasyprint") or original(*args)  # noqa: E731
    monkeypatch.setattr(text, "draw_first_line", counted)
    with glyphs_read_at_once():
        written = html.render().write_pdf(pdf_identifier=b"same")
        drawn_by_make_book = text.draw_first_line is not counted
    assert written == expected
    assert drawn_by_make_book and text.draw_first_line is counted
    # Lines with a mark raised (Arabic) or an ellipsis are drawn by WeasyPrint; the others not.
    assert 0 < len(calls) < 12, len(calls)


TAGGED = "".join(f'<h2 id="e{n}">Entry {n}</h2><p>Words <a href="#e{n - 1}">back</a>.</p>' for n in range(1, 40))


def test_page_references_kept_while_writing_give_the_same_bytes() -> None:
    import pydyf
    import weasyprint

    original = vars(pydyf.PDF)["page_references"]
    document = weasyprint.HTML(string=TAGGED + '<p style="break-before: page">last</p>').render()
    expected = document.write_pdf(pdf_identifier=b"same", pdf_variant="pdf/ua-1")
    with remembered_page_references():
        assert document.write_pdf(pdf_identifier=b"same", pdf_variant="pdf/ua-1") == expected
    assert vars(pydyf.PDF)["page_references"] is original


def test_streams_compressed_at_level_6_read_the_same(tmp_path: Path) -> None:
    import zlib

    import pydyf
    import weasyprint

    document = weasyprint.HTML(string=TAGGED).render()
    expected = document.write_pdf(pdf_identifier=b"same")
    with faster_compression():
        written = document.write_pdf(pdf_identifier=b"same")
    assert written != expected and pydyf.zlib is zlib
    (tmp_path / "a.pdf").write_bytes(expected)
    (tmp_path / "b.pdf").write_bytes(written)
    assert _pages(tmp_path / "a.pdf") == _pages(tmp_path / "b.pdf")


# A leader's dots: drawn one by one (WeasyPrint), right to left, or as one text (make-book).
_LEADER = re.compile(r"\s*(?:\.\s*){2,}")


def _pages(pdf: Path) -> list[str]:
    """Each page's text as poppler reads it in the order it is drawn (poppler's reading of the
    page's layout takes a column of single dots for a table, and one text of them for a line),
    with its spaces and each leader's dots as one mark."""
    count = int(next(line for line in _run("pdfinfo", pdf).splitlines() if line.startswith("Pages:")).split()[1])
    texts = (_run("pdftotext", "-raw", "-f", str(n), "-l", str(n), pdf, "-") for n in range(1, count + 1))
    return [" ".join(_LEADER.sub(" … ", text).split()) for text in texts]


def _drawn(pdf: Path, folder: Path) -> list[bytes]:
    """Each page as poppler draws it."""
    subprocess.run(["pdftoppm", "-r", "50", "-gray", str(pdf), str(folder / "page")], check=True)
    drawn = [path.read_bytes() for path in sorted(folder.glob("page-*.pgm"))]
    for path in folder.glob("page-*.pgm"):
        path.unlink()
    return drawn


def _run(*command: str | Path) -> str:
    return subprocess.run([str(part) for part in command], capture_output=True, text=True, check=True).stdout


def _fonts(pdf: Path) -> str:
    return _run("pdffonts", pdf)


@pytest.mark.parametrize("weight", [None, 1], ids=["whole", "in parts"])
def test_plain_weasyprint_gives_the_same_pages_and_text_in_other_bytes(tmp_path: Path, weight: int | None) -> None:
    from fixture_book import make_fixture

    book = make_fixture(tmp_path / "book")
    pdfs = {}
    for switch in ("", "1"):
        given = {**environ(), "SOURCE_DATE_EPOCH": "1600000000", registry.SWITCH: switch}
        out = tmp_path / f"out-{switch or 'patched'}"
        result = build(Options(book.root / "book.yaml", "book.yaml", out, environ=given, pdf_group_weight=weight))
        assert not result.problems
        pdfs[switch] = next(out.glob("*.pdf"))
    patched, plain = (_pages(pdfs[switch]) for switch in ("", "1"))
    assert len(patched) == len(plain) > 10
    assert patched == plain  # page by page
    assert any(" … " in page for page in plain)  # the contents' leaders were compared
    assert _drawn(pdfs[""], tmp_path) == _drawn(pdfs["1"], tmp_path)
    assert pdfs[""].read_bytes() != pdfs["1"].read_bytes()
    # The CJK faces: bare CFF programs (make-book's), or OpenType subsets (WeasyPrint's own)
    assert "CID Type 0C (OT)" not in _fonts(pdfs[""]) and "CID Type 0C (OT)" in _fonts(pdfs["1"])


def test_the_switch_is_part_of_what_a_build_and_its_documents_are_kept_by(tmp_path: Path) -> None:
    from fixture_book import make_fixture

    book = make_fixture(tmp_path / "book")
    made = {}
    for switch in ("", "1", "", "1"):
        given = {**environ(), "SOURCE_DATE_EPOCH": "1600000000", registry.SWITCH: switch}
        result = build(Options(book.root / "book.yaml", "book.yaml", book.dist, environ=given, pdf_group_weight=1))
        assert not result.problems and not result.cached  # the other mode's outputs are not served
        pdf = next(book.dist.glob("*.pdf")).read_bytes()
        assert made.setdefault(switch, pdf) == pdf  # nor its kept documents joined: the same bytes again
    assert made[""] != made["1"]
    assert build(Options(book.root / "book.yaml", "book.yaml", book.dist, environ=given, pdf_group_weight=1)).cached


def test_the_switch_names_the_patches_made() -> None:
    assert registry.wanted({}) == registry.NAMES == registry.wanted({registry.SWITCH: "0"})
    assert registry.wanted({registry.SWITCH: "1"}) == () == registry.wanted({registry.SWITCH: "all"})
    some = registry.wanted({registry.SWITCH: "faster_compression, cid_faces_embedded_bare"})
    assert set(some) == set(registry.NAMES) - {"faster_compression", "cid_faces_embedded_bare"}


def test_a_plain_layout_makes_no_patch(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused() -> Any:
        raise AssertionError("a patch was made")

    monkeypatch.setattr(
        registry, "PATCHES", tuple(dataclasses.replace(p, apply=refused if p.apply else None) for p in registry.PATCHES)
    )
    html = '<h1 id="start">Theme</h1><p lang="ja">防護服の夜</p><a href="#start">Theme</a>'
    layout = Layout("whole", html, "", {}, 1, ("start",), {}, False, "en", b"same", 0, patches=())
    laid = lay_out(layout)
    assert laid.pages == 1 and laid.data.startswith(b"%PDF")
    with pytest.raises(LayoutError, match="a patch was made"):
        lay_out(dataclasses.replace(layout, patches=registry.NAMES))
