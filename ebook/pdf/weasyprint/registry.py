"""Every change make-book makes inside WeasyPrint and the libraries under it (pydyf, cffi, pyphen,
fontTools), named, with the upstream issue it works around, and one switch that turns them off.

With `MAKE_BOOK_PLAIN_WEASYPRINT=1` in the environment none is made: WeasyPrint is imported,
loads its hyphenation dictionaries, lays out and writes exactly as it ships. The pages and their
text are the same; the build is slower and the fonts are embedded WeasyPrint's way. This is the
way to ship a WeasyPrint upgrade the day it comes out (tests/test_internals_canary.py lists what
moved), then port each patch. A comma-separated list of names (`faster_compression,…`) turns
off those alone, to measure one patch or to find the one an upgrade broke.

Each is kept for what it saves on a cold build of the 140-entry benchmark book (measured in
docs/performance.md: 2 % or more), or for what it saves a book laid out whole at any size.

The stage says where a patch applies: "import" while the layout process imports WeasyPrint
(fast_import.py), "hyphenation" while it loads the book's dictionaries (hyphenation.py),
"layout" while a document is laid out and "write" while its PDF is written (document.py).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass

from ebook.pdf.weasyprint import glyphs, patches

SWITCH = "MAKE_BOOK_PLAIN_WEASYPRINT"


@dataclass(frozen=True)
class Patch:
    name: str
    stage: str  # "import", "hyphenation", "layout" or "write"
    upstream: str  # the issue it works around, or what to file
    apply: Callable[[], AbstractContextManager[None]] | None = None  # for "layout" and "write"


_NO_ISSUE = "no upstream issue yet: file"
PATCHES = (
    Patch(
        "libraries_found_in_linker_cache",
        "import",
        "https://github.com/Kozea/WeasyPrint/issues/1125 (gcc run at import) and "
        "https://github.com/Kozea/WeasyPrint/issues/2073 (slow import); ask WeasyPrint to try sonames first",
    ),
    Patch(
        "hyphenation_kept_parsed",
        "hyphenation",
        "https://github.com/Kozea/Pyphen/issues/49 (loading a dictionary is slow); ask Pyphen for a "
        "documented way to share loaded dictionaries instead of filling pyphen.hdcache",
    ),
    Patch(
        "font_files_read_on_demand",
        "write",
        f"{_NO_ISSUE} 'Font.__init__ copies the whole font file though the PDF embeds a HarfBuzz subset' "
        "(the memory side of https://github.com/Kozea/WeasyPrint/issues/2130)",
        patches.font_files_read_on_demand,
    ),
    Patch(
        "cid_faces_embedded_bare",
        "write",
        "https://github.com/Kozea/WeasyPrint/issues/2120 (slow CJK subsetting; HarfBuzz subsetting, "
        "https://github.com/Kozea/WeasyPrint/pull/2178, still keeps an empty glyph for every number)",
        patches.cid_faces_embedded_bare,
    ),
    Patch(
        "leaders_as_one_text",
        "layout",
        f"{_NO_ISSUE} 'a leader's repetitions are each a text box, laid out and drawn one by one'",
        patches.leaders_as_one_text,
    ),
    Patch(
        "arrays_parsed_once",
        "write",
        f"{_NO_ISSUE} 'fonts.py asks cffi for hb_codepoint_t[N] of a new N for each font: "
        'ffi.new("hb_codepoint_t[]", n) parses the type once\'',
        patches.arrays_parsed_once,
    ),
    Patch(
        "glyphs_read_at_once",
        "write",
        f"{_NO_ISSUE} 'draw_first_line reads glyph infos one cffi field at a time'",
        glyphs.glyphs_read_at_once,
    ),
    Patch(
        "remembered_page_references",
        "write",
        f"{_NO_ISSUE} on Kozea/pydyf 'PDF.page_references is rebuilt at each use: tagging is quadratic "
        "in the page count'",
        patches.remembered_page_references,
    ),
    Patch(
        "faster_compression",
        "write",
        f"{_NO_ISSUE} on Kozea/pydyf 'a compression level for PDF.write (zlib 9 is fixed)'",
        patches.faster_compression,
    ),
)
NAMES = tuple(patch.name for patch in PATCHES)


def wanted(environ: Mapping[str, str]) -> tuple[str, ...]:
    """The names of the patches a build with this environment makes (all, unless the switch says)."""
    value = environ.get(SWITCH, "").strip()
    if value in ("", "0"):
        return NAMES
    if value in ("1", "all"):
        return ()
    off = {name.strip() for name in value.split(",")}
    return tuple(name for name in NAMES if name not in off)


@contextlib.contextmanager
def applied(stage: str, names: tuple[str, ...]) -> Iterator[None]:
    """The patches of a stage among names, made for the time of the `with`, then undone."""
    with contextlib.ExitStack() as stack:
        for patch in PATCHES:
            if patch.stage == stage and patch.name in names and patch.apply is not None:
                stack.enter_context(patch.apply())
        yield
