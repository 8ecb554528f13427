"""A big book is laid out in runs of entries, two at a time, and joined (pdf/write.py, pdf/join.py).
The fixture book, laid out one entry per run, must give the PDF a reader sees from a whole-book layout:
the same pages, numbers, contents, bookmarks, links and tags, and the same EPUB."""

from __future__ import annotations

import re
import subprocess
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import BookFolder
from fixture_book import BOOK_ORDER, make_fixture
from lxml import etree
from pypdf import PdfReader
from readers import pdf_outline, pdf_page_texts

from ebook.build import build, environ
from ebook.options import Options

pytestmark = pytest.mark.slow

PDF = "voices-of-2020.pdf"
EPUB = "voices-of-2020.epub"


@pytest.fixture(scope="session")
def in_groups(tmp_path_factory: pytest.TempPathFactory) -> BookFolder:
    book = make_fixture(tmp_path_factory.mktemp("groups") / "book")
    options = Options(book.root / "book.yaml", "book.yaml", book.dist, environ=environ(), pdf_group_weight=1)
    stages: list[str] = []
    result = build(options, stages.append)
    assert not result.problems
    # Every entry and every theme's opening page in a run of its own (so runs begin mid-theme),
    # shown as progress with counts.
    runs = len(BOOK_ORDER) + 2
    expected = [f"laying out the PDF, part {n} of {runs}" for n in range(1, runs + 1)]
    assert [s for s in stages if " part " in s] == expected
    return book


def letters_compared(text: str) -> str:
    """Page text NFKC-normalised, without spaces and direction marks: each document subsets its
    own fonts, and pdftotext maps an Arabic ligature glyph back to its letters in one document and
    to a presentation form in another (the glyphs are the same); the letters are compared."""
    return re.sub(r"[\s\u200e\u200f\u202a-\u202e]", "", unicodedata.normalize("NFKC", text))


def epub_page_list(epub: Path) -> list[str]:
    """The labels of the EPUB's page list, in order."""
    with zipfile.ZipFile(epub) as z:
        nav = etree.fromstring(z.read("EPUB/nav.xhtml"))
    xhtml, epub_type = "{http://www.w3.org/1999/xhtml}", "{http://www.idpf.org/2007/ops}type"
    page_list = next(n for n in nav.iter(f"{xhtml}nav") if n.get(epub_type) == "page-list")
    return [link.text or "" for link in page_list.iter(f"{xhtml}a")]


def head_sides(pages: list[str]) -> list[str]:
    """For each page, which side its first line (the running head, if any) stands on."""
    firsts = [next((line for line in page.splitlines() if line.strip()), "") for page in pages]
    return ["" if not line else "right" if line.startswith(" " * 10) else "left" for line in firsts]


def link_targets(path: Path) -> list[tuple[int, str, int]]:
    """(page, target name, target page) for every link annotation, as a viewer follows it."""
    reader = PdfReader(path)
    found = []
    for number, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if "/Dest" in annotation:
                name = str(annotation["/Dest"])
                found.append((number, name, reader.get_destination_page_number(reader.named_destinations[name])))
            else:
                found.append((number, str(annotation["/A"]["/URI"]), -1))
    return found


def structure(path: Path) -> list[tuple[str, str, int]]:
    """(tag, language, page) of every structure element, depth first, checking the parent tree
    the way a screen reader finds the tags of the content it reads."""
    reader = PdfReader(path)
    pages = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    root = reader.trailer["/Root"]["/StructTreeRoot"]
    nums = root["/ParentTree"]["/Nums"]
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    assert len(parents) == len(nums) // 2, "parent-tree keys must be unique"
    for n, page in enumerate(reader.pages):
        if "/StructParents" not in page:
            continue
        marked = parents[int(page["/StructParents"])]
        mcids = {int(m) for m in re.findall(rb"/MCID (\d+)", page.get_contents().get_data())}
        assert mcids == set(range(len(marked))), f"page {n}: marked content and parent tree disagree"
        for element in marked:
            assert pages[element.get_object().raw_get("/Pg").idnum] == n
        for annotation in page.get("/Annots") or []:
            tag = parents[int(annotation.get_object()["/StructParent"])].get_object()
            assert pages[tag.raw_get("/Pg").idnum] == n  # (WeasyPrint points some links to a Span)
    found: list[tuple[str, str, int]] = []

    def walk(node: Any) -> None:
        node = node.get_object()
        if not hasattr(node, "get") or node.get("/Type") not in (None, "/StructElem"):
            return
        page = pages.get(node.raw_get("/Pg").idnum, -1) if "/Pg" in node else -1
        found.append((str(node.get("/S")), str(node.get("/Lang", "")), page))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            walk(kid)

    walk(root["/K"][0] if isinstance(root["/K"], list) else root["/K"])
    return found


@pytest.fixture(scope="session")
def right_to_left(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The fixture book in Arabic, whose pages progress from right to left: laid out whole, and in
    runs of one entry. The output folders."""
    book = make_fixture(tmp_path_factory.mktemp("rtl") / "book")
    text = (book.root / "book.yaml").read_text().replace("language: en", "language: ar")
    (book.root / "book.yaml").write_text(text)
    outs = (book.root / "whole", book.root / "parts")
    for out, weight in zip(outs, (10**9, 1), strict=True):
        options = Options(book.root / "book.yaml", "book.yaml", out, environ=environ(), pdf_group_weight=weight)
        assert not build(options).problems
    return outs


def test_a_byline_keeps_its_face_in_a_book_of_another_language(right_to_left: tuple[Path, Path]) -> None:
    """In an Arabic book, the country in an English entry's byline is marked as Arabic."""
    whole = right_to_left[0] / PDF
    page = next(page for _, title, page in pdf_outline(whole) if title == "Opening the book")
    faces: set[str] = set()

    def seen(text: str, cm: object, tm: object, font: dict[str, object] | None, size: float) -> None:
        if font and "France" in text:
            faces.add(str(font["/BaseFont"]).split("+")[-1])

    PdfReader(whole).pages[page].extract_text(visitor_text=seen)
    assert faces == {"Noto-Sans"}


@pytest.fixture(params=["ltr", "rtl"])
def whole_and_parts(request: pytest.FixtureRequest) -> tuple[Path, Path]:
    """The output folders of a book laid out whole and in parts, left to right and right to left."""
    if request.param == "rtl":
        return request.getfixturevalue("right_to_left")  # type: ignore[no-any-return]
    return request.getfixturevalue("built").dist, request.getfixturevalue("in_groups").dist


def test_pages_numbers_and_contents_are_those_of_a_whole_layout(whole_and_parts: tuple[Path, Path]) -> None:
    built, in_groups = whole_and_parts
    whole, grouped = pdf_page_texts(built / PDF), pdf_page_texts(in_groups / PDF)
    assert len(grouped) == len(whole) > 20
    for number, (a, b) in enumerate(zip(whole, grouped, strict=True)):
        assert letters_compared(a) == letters_compared(b), f"page {number + 1} differs"
    assert any(re.search("[\u0621-\u064a]", letters_compared(page)) for page in whole)  # Arabic compared too
    assert head_sides(grouped) == head_sides(whole)
    assert PdfReader(in_groups / PDF).page_labels == PdfReader(built / PDF).page_labels


def margin_words(path: Path) -> list[list[tuple[str, float, float, float]]]:
    """For each page, the words of its running head and page number, where a viewer finds them:
    (text, left, top, right), in points."""
    xhtml = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in re.findall(r"<page width=\"([\d.]+)\" height=\"([\d.]+)\">(.*?)</page>", xhtml, re.S):
        height, words = float(page[1]), []
        for left, top, right, bottom, text in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', page[2]
        ):
            if float(bottom) < 18 / 25.4 * 72 or float(top) > height - 20 / 25.4 * 72:  # in the margins
                words.append(
                    (letters_compared(text), round(float(left), 2), round(float(top), 2), round(float(right), 2))
                )
        pages.append(words)
    return pages


def test_running_heads_and_page_numbers_stand_where_a_whole_layout_puts_them(
    whole_and_parts: tuple[Path, Path],
) -> None:
    """Heads drawn by a run itself, from the furniture, and numbers put together from the digits."""
    built, in_groups = whole_and_parts
    whole, grouped = margin_words(built / PDF), margin_words(in_groups / PDF)
    assert len(grouped) == len(whole)
    numbers = [word for page in whole for word, *_ in page if word.isdigit()]
    assert len(numbers) > 10 and any(len(number) > 1 for number in numbers)
    for number, (a, b) in enumerate(zip(whole, grouped, strict=True)):
        assert a == b, f"page {number + 1}"


def test_bookmarks_and_links_are_those_of_a_whole_layout(whole_and_parts: tuple[Path, Path]) -> None:
    built, in_groups = whole_and_parts
    assert pdf_outline(in_groups / PDF) == pdf_outline(built / PDF)
    links = link_targets(in_groups / PDF)
    assert links == link_targets(built / PDF)
    assert len(links) > 10 and all(target >= 0 for _, _, target in links)  # contents and index only


def test_tags_are_those_of_a_whole_layout(whole_and_parts: tuple[Path, Path]) -> None:
    built, in_groups = whole_and_parts
    grouped = structure(in_groups / PDF)
    assert grouped == structure(built / PDF)
    languages = {language for tag, language, _ in grouped if tag == "/Art"}
    reader = PdfReader(in_groups / PDF)
    root = reader.trailer["/Root"]
    assert {"ar", "ja"} <= languages | {root["/Lang"]}
    assert root["/MarkInfo"]["/Marked"] and root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert reader.metadata.title == "Voices of 2020" and b"pdfuaid" in root["/Metadata"].get_data()


def test_the_epub_and_its_page_list_are_the_same(whole_and_parts: tuple[Path, Path]) -> None:
    built, in_groups = whole_and_parts
    assert (in_groups / EPUB).read_bytes() == (built / EPUB).read_bytes()


def test_the_photo_in_the_pdf_is_the_prepared_one(in_groups: BookFolder, built: BookFolder) -> None:
    """The whole layout is given a stand-in while the photo is prepared (stand_ins.py); both
    PDFs must carry the photo the EPUB carries, not the stand-in."""

    with zipfile.ZipFile(built.dist / EPUB) as epub:
        photos = {epub.read(n) for n in epub.namelist() if n.startswith("EPUB/images/") and "cover" not in n}
    for book in (built, in_groups):
        embedded = {
            image.data
            for page in PdfReader(book.dist / PDF).pages
            for image in page.images
            if image.name.endswith(".jpg")
        }
        assert photos <= embedded
        assert b"make-book stand-in" not in (book.dist / PDF).read_bytes()


def rendered_fixture(root: Path) -> Any:
    from ebook.pipeline import load_book
    from ebook.render.cover import cover_image
    from ebook.render.pictures import PreparedImage
    from ebook.render.views import for_print, render_book

    book_folder = make_fixture(root)
    book, _, problems = load_book(Options(book_folder.root / "book.yaml", "book.yaml"))
    assert book is not None, problems
    images = {
        p.source: PreparedImage("images/x.jpg", "image/jpeg", 10, 10, lambda: b"")
        for e in book.entries
        for p in e.photos
    }
    return for_print(render_book(book, images, cover_image(book.config, None)))


def test_runs_cover_the_body_once_in_order(tmp_path: Path) -> None:
    from ebook.pdf.runs import body_groups

    rendered = rendered_fixture(tmp_path / "book")
    assert len(body_groups(rendered, 10**9)) == 1  # small: whole
    for limit in (1, 3_000, 6_000):
        groups = body_groups(rendered, limit)
        assert len(groups) >= 2, limit
        pieces = [piece for group in groups for piece in group]
        assert [v.entry.title for piece in pieces for v in piece.entries] == BOOK_ORDER
        assert [piece.part.anchor for piece in pieces if piece.opens] == [p.anchor for p in rendered.parts]
        for group in groups:  # a theme's piece never comes back in the same run
            assert len({piece.part.anchor for piece in group}) == len(group)


def test_a_run_s_own_blank_pages_get_no_number(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs that begin on a right-hand page leave the blank page before a later theme themselves:
    no number is drawn on it, as in a whole layout. Four themes, the first three of two one-page
    entries (so each is followed by a blank page), laid out in two runs cut at the third theme."""
    from conftest import BOOK_YAML, entry_yaml

    from ebook.pdf import runs

    themes = "".join(f'  - id: t{n}\n    title: "Theme {n}"\n' for n in range(1, 5))
    book = BookFolder(tmp_path / "book")
    book.write("book.yaml", BOOK_YAML.split("themes:")[0] + "themes:\n" + themes)
    for n, count in ((1, 2), (2, 2), (3, 2), (4, 1)):
        for k in range(count):
            text = entry_yaml(title=f"Entry {n}.{k}", name=f"Person {n}{k}", theme=f"t{n}", body="A short story.")
            book.submission(f"e{n}{k}", text)
    monkeypatch.setattr(runs, "OPENING_REACH", 10.0)
    stages: list[str] = []
    for out, weight in ((book.root / "whole", 10**9), (book.root / "parts", 10_000)):
        options = Options(book.root / "book.yaml", "book.yaml", out, environ=environ(), pdf_group_weight=weight)
        assert not build(options, stages.append).problems
    assert [s for s in stages if " part " in s] == [
        "laying out the PDF, part 1 of 2",
        "laying out the PDF, part 2 of 2",
    ]
    pages = pdf_page_texts(book.root / "whole" / PDF)
    openings = [n for n, text in enumerate(pages) if "Theme" in text and "Entry" not in text]
    assert sum(1 for text in pages[openings[1] : openings[-1]] if not text.strip()) >= 2  # blank pages in both runs
    assert margin_words(book.root / "parts" / PDF) == margin_words(book.root / "whole" / PDF)


def test_runs_are_cut_at_a_theme_opening_within_reach(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Such a run begins on a right-hand page: it lays out its own running heads."""
    from ebook.pdf import runs

    rendered = rendered_fixture(tmp_path / "book")
    monkeypatch.setattr(runs, "OPENING_REACH", 10.0)  # every opening is near enough
    assert [group[0].opens for group in runs.body_groups(rendered, 6_000)] == [True, True]
    monkeypatch.setattr(runs, "OPENING_REACH", 0.0)
    groups = runs.body_groups(rendered, 6_000)
    assert len(groups) >= 2 and not all(group[0].opens for group in groups)  # cut by weight alone


def test_a_number_is_put_together_centred_from_its_digits() -> None:
    from ebook.pdf.page_numbers import Numbers

    numbers = Numbers(b"", (4.0, 3.0, *[5.0] * 8), {})
    assert numbers.placed("7") == [(7, 0.0)]
    # 3 + 5 + 4 points wide, centred: each digit moves from the centre to its place in the number.
    assert numbers.placed("120") == [(1, -4.5), (2, -0.5), (0, 4.0)]


def test_a_one_entry_book_in_parts_is_the_one_laid_out_whole(tmp_path: Path) -> None:
    """The smallest body there is (a theme's opening, one entry, the acknowledgements), in parts."""
    from conftest import BOOK_YAML, entry_yaml

    book = BookFolder(tmp_path / "book")
    book.write("book.yaml", BOOK_YAML)
    book.submission("a", entry_yaml(body="Short."))
    for out, weight in ((book.root / "whole", 10**9), (book.root / "parts", 1)):
        options = Options(book.root / "book.yaml", "book.yaml", out, environ=environ(), pdf_group_weight=weight)
        assert not [p for p in build(options).problems if p.code != "S005"]  # theme two has no entry
    whole, parts = pdf_page_texts(book.root / "whole" / PDF), pdf_page_texts(book.root / "parts" / PDF)
    assert parts == whole and len(whole) > 8
    assert (book.root / "parts" / EPUB).read_bytes() == (book.root / "whole" / EPUB).read_bytes()


def test_a_rebuild_lays_out_again_only_what_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The documents of the last build are kept (pdf/cache.py): after an edit, only those made
    from something that changed are laid out again, and the outputs are those of a fresh build."""
    from conftest import entry_yaml

    book = make_fixture(tmp_path / "book")

    def rebuild(out: Path, use_cache: bool = True) -> set[str]:
        """Build, and list the documents kept."""
        options = Options(book.root / "book.yaml", "book.yaml", out, use_cache, environ(), pdf_group_weight=1)
        assert not build(options).problems
        kept = out / ".make-book" / "cache" / "layouts"
        return {path.name for path in kept.iterdir()} if kept.is_dir() else set()

    before = rebuild(book.dist)
    documents = len(BOOK_ORDER) + 2 + 4  # the runs and the digits, then the front, the index and the heads
    assert len(before) == documents
    for body, laid_out_again in (("Nights were long, and short.\n\n" * 30, 1), ("Nights were long.\n\n" * 300, 4)):
        # A word more keeps Zola's pages; ten times the text moves every number after them.
        book.submission("zola", entry_yaml(title="Night shift in Lyon", name="Émile Zola", body=body))
        after = rebuild(book.dist)
        assert len(after - before) == laid_out_again
        assert len(after) == documents  # those of the book before the edit are gone
        assert rebuild(tmp_path / "fresh", use_cache=False) == set()
        for name in (PDF, EPUB):
            assert (book.dist / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes()
        before = after
    # A font installed or upgraded may change any document: none is taken from the last build.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    BookFolder(tmp_path / "data").write("fonts/upgraded.ttf", "a font installed")
    assert not rebuild(book.dist) & before


# A book's own print.css numbering its pages otherwise than the built-in one: the rules appended
# to a copy of it, and a number some body page prints with them.
OWN_NUMBERS = {
    "decorated": ('@page { @bottom-center { content: "— " counter(page) " —"; } }', "— 23 —"),
    "upper-roman": (
        "@page { @bottom-center { content: counter(page, upper-roman); } }\n"
        ".contents a::after { content: leader('.') target-counter(attr(href url), page, upper-roman); }\n"
        ".contributors li a::after { content: ' p. ' target-counter(attr(href url), page, upper-roman); }",
        "XXIII",
    ),
    "outer-corners": (
        "@page { @bottom-center { content: none; } }\n"
        "@page :left { @bottom-left { content: counter(page, arabic-indic); font: 8pt sans-serif; } }\n"
        "@page :right { @bottom-right { content: '[' counter(page) ']'; font: 8pt sans-serif; } }",
        "[23]",
    ),
    # A style make-book does not write out: the number goes to WeasyPrint as a counter.
    "lower-greek": (
        "@page { @bottom-center { content: counter(page, lower-greek); } }\n"
        ".contents a::after { content: leader('.') target-counter(attr(href url), page, lower-greek); }",
        "ψ",
    ),
}
# In an Arabic book (pages from right to left), its brackets mirrored as a viewer reads them.
OWN_NUMBERS["outer-corners, right to left"] = (OWN_NUMBERS["outer-corners"][0], "]23[")


@pytest.mark.parametrize("style", list(OWN_NUMBERS))
def test_a_book_s_own_page_numbers_in_parts_are_those_of_a_whole_layout(tmp_path: Path, style: str) -> None:
    """Laid out one entry per run, a book whose print.css numbers its pages its own way (in the
    margins, and in the contents and the index) prints what its whole layout prints, page by page."""
    from conftest import entry_yaml

    from ebook.templates.folders import BUILT_IN

    rules, example = OWN_NUMBERS[style]
    book = make_fixture(tmp_path / "book")
    book.write("layouts/print.css", (BUILT_IN / "print.css").read_text() + "\n" + rules + "\n")
    if "right to left" in style:
        book.write("book.yaml", (book.root / "book.yaml").read_text().replace("language: en", "language: ar"))
    # Ten pages more before theme two, whose run numbers its pages in two digits.
    book.submission("long", entry_yaml(title="A long night", name="Ann Long", body="Hour after hour.\n\n" * 300))
    stages: list[str] = []
    for out, weight in ((book.root / "whole", 10**9), (book.root / "parts", 1)):
        options = Options(book.root / "book.yaml", "book.yaml", out, environ=environ(), pdf_group_weight=weight)
        assert not build(options, stages.append).problems
    runs = len(BOOK_ORDER) + 3
    assert f"laying out the PDF, part {runs} of {runs}" in stages
    whole, parts = pdf_page_texts(book.root / "whole" / PDF), pdf_page_texts(book.root / "parts" / PDF)
    assert len(parts) == len(whole) > 20
    for number, (a, b) in enumerate(zip(whole, parts, strict=True)):
        assert letters_compared(a) == letters_compared(b), f"page {number + 1} differs"
    assert any(text.rstrip().endswith(example) for text in whole), example  # the rules took effect
    assert margin_words(book.root / "parts" / PDF) == margin_words(book.root / "whole" / PDF)
    # What a viewer shows for a page, and the EPUB's page list, say the number as it is printed
    # where a PDF page label can (roman, alphabetic), else the number itself.
    label = "XXIII" if style == "upper-roman" else "23"
    printed_at = next(i for i, text in enumerate(whole) if text.rstrip().endswith(example))
    for out in ("whole", "parts"):
        assert PdfReader(book.root / out / PDF).page_labels[printed_at] == label
        assert label in epub_page_list(book.root / out / PDF.replace(".pdf", ".epub"))
    if label != "23":  # no page listed by its decimal number
        assert "23" not in epub_page_list(book.root / "parts" / PDF.replace(".pdf", ".epub"))


def test_a_book_that_counts_its_pages_is_laid_out_whole(tmp_path: Path) -> None:
    """counter(pages) and @page :first only a whole layout knows: such a book is not laid out in runs."""
    from ebook.pdf.page_numbers import needs_whole_layout, stitches_digits
    from ebook.templates.folders import BUILT_IN
    from ebook.templates.load import load_layouts

    book = make_fixture(tmp_path / "book")
    layouts, _ = load_layouts(book.root, "")
    assert layouts is not None and stitches_digits(layouts) and not needs_whole_layout(layouts)
    built_in = (BUILT_IN / "print.css").read_text()
    for rules, whole in (
        ("@page { @bottom-center { content: counter(page) ' of ' counter(pages); } }", True),
        ("@page :first { @bottom-center { content: none; } }", True),
        ("@page body:nth(2n) { margin: 1cm; }", True),
        ("/* counter(pages) @page :first {} */ @page :left { margin: 1cm; }", False),
    ):
        book.write("layouts/print.css", built_in + rules)
        layouts, _ = load_layouts(book.root, "")
        assert layouts is not None and not stitches_digits(layouts)
        assert needs_whole_layout(layouts) is whole, rules
    stages: list[str] = []
    book.write(
        "layouts/print.css", built_in + "@page { @bottom-center { content: counter(page) '/' counter(pages); } }"
    )
    options = Options(book.root / "book.yaml", "book.yaml", book.dist, environ=environ(), pdf_group_weight=1)
    assert not build(options, stages.append).problems
    assert not [s for s in stages if " part " in s]
    pages = pdf_page_texts(book.dist / PDF)
    assert pages[-1].split()[-1].endswith(f"/{len(pages)}")


def test_page_numbers_written_out_are_those_weasyprint_writes(tmp_path: Path) -> None:
    """The counter styles make-book writes page numbers in for links (PageNumber) against
    WeasyPrint's own, number by number; any other style is left to WeasyPrint as a counter."""
    import weasyprint

    from ebook.pdf.page_numbers import WRITTEN, PageNumber, for_other_documents

    numbers = [*range(1, 60), 99, 100, 702, 703, 1999, 3999, 4000, 4321]
    for style, written in WRITTEN.items():
        html = "".join(f'<p style="counter-reset: n {n}">{n}:<span class="n"></span></p>' for n in numbers)
        css = f".n::after {{ content: counter(n, {style}) }} @page {{ size: 200mm 2000mm }}"
        pdf = tmp_path / f"{style}.pdf"
        weasyprint.HTML(string=f"<style>{css}</style>{html}").write_pdf(pdf)
        shown = re.findall(r"(\d+):\s*([^\s\d]+|\d+(?=\s|$))", " ".join(pdf_page_texts(pdf)))
        assert shown == [(str(n), written(n)) for n in numbers], style
    other = for_other_documents(
        ".toc a::after { content: target-counter(attr(href url), page, Upper-Roman) }"
        " .ix a::after { content: target-counter(attr(href url), page, lower-greek) }"
        " .pg a::after { content: target-counter(attr(href url), page) }"
    )
    assert "attr(data-page-upper-roman)" in other.rules and "attr(data-page)" in other.rules
    assert "counter(make-book-page, lower-greek)" in other.rules
    assert str(other.number(14).attributes) == (
        'data-page="14" data-page-upper-roman="XIV" style="counter-reset: make-book-page 14"'
    )
    assert str(PageNumber(9, ("lower-roman",)).attributes) == 'data-page="9" data-page-lower-roman="ix"'


def test_the_styles_of_page_labels_are_read_from_the_book_s_css() -> None:
    """The last rule for the same pages and margin box counts; a page name's own rules come before
    the rules for any page; two styles at once, or one a PDF label cannot have, give decimal."""
    from ebook.pdf.number_styles import NumberStyles, number_styles
    from ebook.templates.folders import BUILT_IN

    css = (BUILT_IN / "book.css").read_text() + (BUILT_IN / "print.css").read_text()
    assert number_styles(css) == NumberStyles("lower-roman", "decimal")
    assert number_styles(css + "@page front { @bottom-center { content: counter(page, upper-alpha) } }") == (
        NumberStyles("upper-alpha", "decimal")
    )
    assert (
        number_styles(css + "@page body { @top-right { content: counter(page, lower-alpha) } }").body == "lower-alpha"
    )
    two = "@page :left { @bottom-left { content: counter(page, upper-roman) } }"
    assert number_styles(css + two).body == "decimal"
    assert number_styles(css + "@page { @bottom-center { content: counter(page, lower-greek) } }").body == "decimal"
