"""Page parity (pdf/page_starts.py, epub/page_markers.py): the EPUB's page-break marker for page N
stands right before the first character the PDF prints on page N, in any script, also where the
page begins in the middle of a paragraph of Japanese (no spaces) or after hyphenated line ends."""

from __future__ import annotations

import re
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest
from conftest import BOOK_YAML, BookFolder, entry_yaml
from lxml import etree
from pypdf import PdfReader

from ebook.build import build, environ
from ebook.options import Options
from ebook.pdf.page_starts import counted, is_added_hyphen, own_texts

pytestmark = pytest.mark.slow

XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
# The type area of an A5 page of print.css (18 mm above, 20 mm below): heads and numbers are outside.
TOP, BOTTOM = 18 / 25.4 * 72, 20 / 25.4 * 72

JAPANESE = "四月の夜、私たちは防護服を着て、ポータブル撮影装置を集中治療室へ運んだ。"
HYPHENATED = (
    "Radiographers coordinated uncharacteristically comprehensive decontamination procedures "
    "notwithstanding extraordinarily unpredictable circumstances. "
)


def page_lines(pdf: Path) -> list[list[str]]:
    """The lines of each page's type area as a viewer finds them (pdftotext), without its running
    head and page number; a right-to-left line as it is drawn, from left to right."""
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for height, body in re.findall(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', bbox, re.S):
        lines: list[list[str]] = []
        last = -100.0
        for top, bottom, word in re.findall(
            r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</word>', body
        ):
            if float(bottom) < TOP or float(top) > float(height) - BOTTOM:
                continue
            if abs(float(top) - last) > 2:
                lines.append([])
            lines[-1].append(word)
            last = float(top)
        pages.append([" ".join(line) for line in lines])
    return pages


def page_contents(pdf: Path) -> list[str]:
    return ["\n".join(lines) for lines in page_lines(pdf)]


def comparable(text: str) -> str:
    """Text as both editions have it: compatibility forms folded (a viewer may map ligatures and
    presentation forms either way), case folded (text-transform), counted characters only."""
    import html

    return counted(unicodedata.normalize("NFKC", html.unescape(text)).casefold())


def markers(epub: Path) -> dict[str, tuple[str, str]]:
    """For each page-break marker, by label: the text of its block before it and the book's text after it."""
    found = {}
    with zipfile.ZipFile(epub) as z:
        for name in sorted(n for n in z.namelist() if n.endswith(".xhtml") and "nav" not in n):
            tree = etree.fromstring(z.read(name))
            for marker in tree.iter(f"{XHTML}span"):
                if marker.get(EPUB_TYPE) != "pagebreak":
                    continue
                marker.text = "@@PAGE@@"
                block = next(marker.iterancestors())
                before = "".join(block.itertext()).split("@@PAGE@@")[0]
                after = "".join(tree.iter(f"{XHTML}body").__next__().itertext()).split("@@PAGE@@")[1]
                marker.text = None
                found[marker.get("aria-label")] = (before, after)
    return found


def right_to_left(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def check_parity(pdf: Path, epub: Path) -> dict[str, tuple[str, str]]:
    """Assert that each marker stands before the first line its page begins with; the markers."""
    pages = page_lines(pdf)
    labels = PdfReader(pdf).page_labels
    placed = markers(epub)
    checked = 0
    for label, lines in zip(labels, pages, strict=True):
        if label not in placed or not lines:
            continue
        first = comparable(lines[0]).removesuffix("‐")  # a hyphen the layout added
        after = comparable(placed[label][1])[: len(first)]
        if right_to_left(first):  # drawn right to left: a viewer's letters, ligatures aside, in some order
            assert sorted(first) == sorted(after), f"page {label}: {lines[0]!r}, the EPUB {placed[label][1][:40]!r}"
        else:
            assert first == after, f"page {label}: the PDF begins {lines[0]!r}, the EPUB {placed[label][1][:40]!r}"
        checked += 1
    assert checked > len(pages) / 2
    return placed


@pytest.fixture(scope="module")
def crossing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A book with a paragraph of Japanese and a hyphenated paragraph of English, each over pages."""
    book = BookFolder(tmp_path_factory.mktemp("parity") / "book")
    book.write("book.yaml", BOOK_YAML)
    book.submission("oba", entry_yaml(title="防護服の夜", name="Oba Ryosuke", language="ja", body=JAPANESE * 50))
    book.submission("long", entry_yaml(title="Words", name="Ann Long", theme="two", body=HYPHENATED * 40))
    options = Options(book.root / "book.yaml", "book.yaml", book.dist, environ=environ())
    assert not build(options).problems
    return book.dist


def test_a_page_that_begins_in_a_japanese_paragraph_is_marked_at_its_first_character(crossing: Path) -> None:
    placed = check_parity(crossing / "voices-of-2020.pdf", crossing / "voices-of-2020.epub")
    inside = [(before, after) for before, after in placed.values() if "私たち" in before and "私たち" in after[:80]]
    assert inside, "no page begins in the middle of the Japanese paragraph"


def test_a_page_after_hyphenated_line_ends_is_marked_at_its_first_character(crossing: Path) -> None:
    pdf = crossing / "voices-of-2020.pdf"
    placed = check_parity(pdf, crossing / "voices-of-2020.epub")
    inside = {label for label, (before, after) in placed.items() if "Radiographers" in before and after.strip()}
    assert inside, "no page begins in the middle of the English paragraph"
    contents = dict(zip(PdfReader(pdf).page_labels, page_contents(pdf), strict=True))
    # The layout broke words there before the page (pdftotext keeps its hyphens: U+2010).
    earlier = [contents[str(int(label) - 1)] for label in inside]
    assert any(re.search(r"\w‐$", text, re.M) for text in earlier)


def test_the_fixture_book_s_pages_all_begin_at_their_markers(built: BookFolder) -> None:
    """Every page of the PDF that shows text, in English, Arabic and Japanese; the navigation
    document's page-list leads to each marker."""
    epub = built.dist / "voices-of-2020.epub"
    placed = check_parity(built.dist / "voices-of-2020.pdf", epub)
    with zipfile.ZipFile(epub) as z:
        nav = etree.fromstring(z.read("EPUB/nav.xhtml"))
        page_list = next(n for n in nav.iter(f"{XHTML}nav") if n.get(EPUB_TYPE) == "page-list")
        listed = []
        for link in page_list.iter(f"{XHTML}a"):
            document, anchor = link.get("href").split("#")
            marker = etree.fromstring(z.read(f"EPUB/{document}")).find(f".//*[@id='{anchor}']")
            assert marker.get(EPUB_TYPE) == "pagebreak" and marker.get("aria-label") == link.text
            listed.append(link.text)
    assert sorted(listed) == sorted(placed) and "1" in listed and "iii" in listed


def test_counting_leaves_out_the_hyphens_a_layout_adds() -> None:
    source = counted("uncharacteristically well-known")
    assert is_added_hyphen(counted("uncharac‐"), source, 0)
    assert not is_added_hyphen(counted("well-"), source, source.index("well"))  # the text's own
    assert not is_added_hyphen("", source, 0)
    assert counted(" a\u00adb\tc\u3000d ") == "abcd"
    tree = etree.fromstring('<div id="a">x <p id="b">y<em>z</em></p> w<!-- c --></div>')
    assert list(own_texts(tree)) == [("a", "x "), ("b", "y"), ("b", "z"), ("a", " w")]
