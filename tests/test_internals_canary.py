"""The internals canary: every private symbol of WeasyPrint, pydyf, cffi, pyphen and fontTools that
make-book's patches (ebook/pdf/weasyprint/registry.py) and box reads (boxes.py) rely on, with the
shape they rely on. After an upgrade this fails with the list of what moved, in a second, instead
of a pixel difference from poppler; build with MAKE_BOOK_PLAIN_WEASYPRINT=1 meanwhile (or with
the names of the patches that moved), then port those patches."""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable
from typing import Any

from ebook.pdf.weasyprint.registry import NAMES, PATCHES


def _attribute(dotted: str) -> Any:
    """module.attribute.attribute…, importing the longest module prefix."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            found = getattr(found, name)
        return found
    raise ImportError(dotted)


def _parameters(dotted: str) -> list[str]:
    return list(inspect.signature(_attribute(dotted)).parameters)


def _uses(dotted_function: str, *names: str) -> bool:
    """The function's code looks these names up at run time (a module global make-book swaps)."""
    code = _attribute(dotted_function).__code__
    found = set(code.co_names) | {n for c in code.co_consts if inspect.iscode(c) for n in c.co_names}
    return set(names) <= found


def _source_matches(dotted_module: str, pattern: str) -> list[str]:
    return re.findall(pattern, inspect.getsource(_attribute(dotted_module)))


# patch (or "boxes") -> what it relies on: (what, a check that is true while it holds)
RELIED_ON: dict[str, list[tuple[str, Callable[[], bool]]]] = {
    "libraries_found_in_linker_cache": [
        ("ctypes.util.find_library(name) exists", lambda: _parameters("ctypes.util.find_library") == ["name"]),
        (
            "cffi's dlopen asks ctypes.util.find_library about a name it cannot open",
            lambda: "find_library" in inspect.getsource(_attribute("cffi.api")),
        ),
        ("WeasyPrint loads its libraries through cffi at import", lambda: bool(_attribute("weasyprint.text.ffi.ffi"))),
    ],
    "hyphenation_kept_parsed": [
        ("pyphen.hdcache is a dict of path -> HyphDict", lambda: isinstance(_attribute("pyphen.hdcache"), dict)),
        ("pyphen.Pyphen() looks in pyphen.hdcache", lambda: _uses("pyphen.Pyphen.__init__", "hdcache")),
        ("pyphen.HyphDict(path)", lambda: _parameters("pyphen.HyphDict.__init__") == ["self", "path"]),
        ("pyphen.LANGUAGES and pyphen.language_fallback", lambda: callable(_attribute("pyphen.language_fallback"))),
        (
            "pickled classes pyphen.DataInt and pyphen.AlternativeParser",
            lambda: all(isinstance(_attribute(f"pyphen.{n}"), type) for n in ("DataInt", "AlternativeParser")),
        ),
    ],
    "leaders_as_one_text": [
        (
            "weasyprint.layout.inline.handle_leader(context, line, containing_block), a module global",
            lambda: (
                _parameters("weasyprint.layout.inline.handle_leader") == ["context", "line", "containing_block"]
                and _uses("weasyprint.layout.inline.iter_line_boxes", "handle_leader")
            ),
        ),
        (
            "weasyprint.layout.leader.leader_index(box)",
            lambda: _parameters("weasyprint.layout.leader.leader_index") == ["box"],
        ),
        ("TextBox.copy()", lambda: callable(_attribute("weasyprint.formatting_structure.boxes.TextBox.copy"))),
    ],
    "arrays_parsed_once": [
        ("weasyprint.text.ffi.ffi.new(cdecl, init)", lambda: callable(_attribute("weasyprint.text.ffi.ffi").new)),
        (
            "weasyprint.pdf.fonts asks for hb_codepoint_t[N] arrays",
            lambda: bool(_source_matches("weasyprint.pdf.fonts", r"hb_codepoint_t\[\{")),
        ),
    ],
    "glyphs_read_at_once": [
        (
            "weasyprint.draw.text.draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix), "
            "a module global of draw_text",
            lambda: (
                _parameters("weasyprint.draw.text.draw_first_line")
                == ["stream", "textbox", "text_overflow", "block_ellipsis", "matrix"]
                and _uses("weasyprint.draw.text.draw_text", "draw_first_line")
            ),
        ),
        (
            "a glyph's text operators as WeasyPrint writes them (its source, as glyphs.py copies it)",
            lambda: all(
                _source_matches("weasyprint.draw.text", re.escape(line))
                for line in (
                    "string += f'>{-offset}<'",
                    "string += f'{glyph_id:02x}' if font.bitmap else f'{glyph_id:04x}'",
                    "kerning = logical_width + offset - width * 1000 * FROM_UNITS / font_size",
                    "string += f'>{int(kerning)}<'",
                    "stream.set_font_size(font.hash, 1 if font.bitmap else font_size)",
                )
            ),
        ),
        ("PangoGlyphInfo is 20 bytes", lambda: _attribute("weasyprint.text.ffi.ffi").sizeof("PangoGlyphInfo") == 20),
    ],
    "remembered_page_references": [
        (
            "pydyf.PDF.page_references is a property",
            lambda: isinstance(vars(_attribute("pydyf.PDF"))["page_references"], property),
        ),
        ("pydyf.PDF().pages['Kids'] lists the pages", lambda: _attribute("pydyf.PDF")().pages["Kids"] == []),
    ],
    "faster_compression": [
        ("pydyf.zlib is the zlib module", lambda: _attribute("pydyf.zlib").__name__ == "zlib"),
        (
            "pydyf calls zlib.compress and zlib.compressobj alone",
            lambda: set(_source_matches("pydyf", r"zlib\.(\w+)")) <= {"compress", "compressobj"},
        ),
    ],
    "font_files_read_on_demand": [
        (
            "weasyprint.pdf.fonts.Font.__init__(self, pango_font, description, font_size)",
            lambda: (
                _parameters("weasyprint.pdf.fonts.Font.__init__") == ["self", "pango_font", "description", "font_size"]
            ),
        ),
        (
            "Font.__init__ stores file_content from the module global get_hb_object_data",
            lambda: _uses("weasyprint.pdf.fonts.Font.__init__", "get_hb_object_data", "file_content"),
        ),
    ],
    "cid_faces_embedded_bare": [
        (
            "weasyprint.pdf.fonts.Font._harfbuzz_subset(self, to_unicode, hinting)",
            lambda: _parameters("weasyprint.pdf.fonts.Font._harfbuzz_subset") == ["self", "to_unicode", "hinting"],
        ),
        (
            "weasyprint.pdf.build_fonts_dictionary(pdf, fonts, compress, subset, options), looked up by generate_pdf",
            lambda: (
                _parameters("weasyprint.pdf.build_fonts_dictionary")
                == ["pdf", "fonts", "compress", "subset", "options"]
                and _uses("weasyprint.pdf.generate_pdf", "build_fonts_dictionary")
            ),
        ),
        (
            "Font fields tables, missing, png, svg, colr, hb_face",
            lambda: all(
                f"self.{name}" in inspect.getsource(_attribute("weasyprint.pdf.fonts.Font"))
                for name in ("tables", "missing", "png", "svg", "colr", "hb_face")
            ),
        ),
        (
            "pydyf.Stream(stream, extra)",
            lambda: _parameters("pydyf.Stream.__init__")[:3] == ["self", "stream", "extra"],
        ),
        (
            "HarfBuzz's subset functions in weasyprint.text.ffi.harfbuzz_subset",
            lambda: all(
                hasattr(_attribute("weasyprint.text.ffi.harfbuzz_subset"), name)
                for name in (
                    "hb_subset_input_create_or_fail",
                    "hb_subset_input_destroy",
                    "hb_subset_input_glyph_set",
                    "hb_subset_input_set_flags",
                    "hb_subset_input_set",
                    "hb_subset_or_fail",
                    "HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED",
                    "HB_SUBSET_FLAGS_DESUBROUTINIZE",
                    "HB_SUBSET_FLAGS_NO_HINTING",
                    "HB_SUBSET_SETS_DROP_TABLE_TAG",
                )
            ),
        ),
        (
            "weasyprint.text.fonts.get_hb_object_data(face)",
            lambda: callable(_attribute("weasyprint.text.fonts.get_hb_object_data")),
        ),
    ],
    "finisher": [
        (
            "pydyf.PDF().objects is a list, .catalog a Dictionary",
            lambda: isinstance(_attribute("pydyf.PDF")().objects, list),
        ),
        (
            "WeasyPrint's tags are dictionaries with 'S' and 'Pg' (the page's reference)",
            lambda: bool(_source_matches("weasyprint.pdf.tags", r"'Pg': pdf\.page_references")),
        ),
        (
            "an <article> is tagged /Art",
            lambda: bool(_source_matches("weasyprint.pdf.tags", r"return 'Art'")),
        ),
    ],
    "boxes": [
        (
            "weasyprint.document.Page(page_box) keeps it as _page_box",
            lambda: _uses("weasyprint.document.Page.__init__", "_page_box"),
        ),
        (
            "boxes: children, descendants(), element, element_tag; TextBox.text",
            lambda: (
                all(
                    hasattr(_attribute("weasyprint.formatting_structure.boxes.Box"), name)
                    for name in ("descendants", "copy")
                )
                and "self.element_tag" in inspect.getsource(_attribute("weasyprint.formatting_structure.boxes.Box"))
            ),
        ),
        ("a page box's page_type.blank", lambda: "blank" in _attribute("weasyprint.layout.page.PageType")._fields),
    ],
}


def _moved() -> list[str]:
    moved = []
    for patch, checks in RELIED_ON.items():
        for what, holds in checks:
            try:
                ok = holds()
            except Exception as error:  # gone, renamed, or no longer inspectable
                ok, what = False, f"{what} ({type(error).__name__}: {error})"
            if not ok:
                moved.append(f"{patch}: {what}")
    return moved


def test_what_the_patches_rely_on_is_where_they_expect_it() -> None:
    moved = _moved()
    assert not moved, "moved in this upgrade (turn these patches off, then port them):\n" + "\n".join(moved)


def test_every_patch_is_canaried_and_names_its_upstream_issue() -> None:
    assert set(RELIED_ON) == {*NAMES, "boxes", "finisher"}
    for patch in PATCHES:
        assert re.match(
            r"https://github\.com/Kozea/\w+/(issues|pull)/\d+", patch.upstream
        ) or patch.upstream.startswith("no upstream issue yet: file "), patch.name


def test_the_canary_names_what_moved(monkeypatch: Any) -> None:
    import pydyf

    monkeypatch.setattr(pydyf.PDF, "page_references", lambda pdf: [])  # a method now, not a property
    assert _moved() == ["remembered_page_references: pydyf.PDF.page_references is a property"]
