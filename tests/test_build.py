"""Build a small real book and read it back as a validator, an e-reader and a PDF viewer would."""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import BOOK_YAML, BookFolder, Run, entry_yaml, jpeg_bytes
from fixture_book import BOOK_ORDER, build, make_fixture
from lxml import etree
from PIL import Image
from pypdf import PdfReader
from readers import NS, XML_LANG, Epub, pdf_outline, pdf_page_texts, run_epubcheck

import ebook

pytestmark = pytest.mark.slow


def epub_of(book: BookFolder) -> Epub:
    return Epub(book.dist / "voices-of-2020.epub")


def test_outputs_and_nothing_else(built: BookFolder) -> None:
    assert sorted(p.name for p in built.dist.iterdir()) == [
        ".make-book",
        "index.html",
        "read",
        "voices-of-2020.epub",
        "voices-of-2020.pdf",
    ]


def test_epubcheck_reports_nothing(built: BookFolder) -> None:
    assert run_epubcheck(built.dist / "voices-of-2020.epub") == []


def test_epub_spine_and_nav_follow_the_book_order(built: BookFolder) -> None:
    epub = epub_of(built)
    toc = epub.nav_toc()
    assert [label for depth, label, _ in toc if depth == 2] == BOOK_ORDER
    assert [label for depth, label, _ in toc if depth == 1] == [
        "Foreword",
        "Theme one",
        "Theme two",
        "Acknowledgements",
        "Contributors by country",
    ]
    titles = []
    for doc in epub.spine_documents():
        heading = epub.xml(f"EPUB/{doc}").find(".//x:h1[@class='entry-title']", NS)
        if heading is not None:
            titles.append("".join(heading.itertext()))
    assert titles == BOOK_ORDER


def test_every_entry_carries_its_language_and_direction(built: BookFolder) -> None:
    epub = epub_of(built)
    assert epub.opf.get(XML_LANG) == "en"
    langs = {}
    for doc in epub.spine_documents():
        root = epub.xml(f"EPUB/{doc}")
        article = root.find(".//x:article", NS)
        if article is not None:
            langs["".join(article.find("x:h1", NS).itertext())] = (
                root.get("lang"),
                root.get(XML_LANG),
                root.get("dir"),
                article.get("lang"),
                article.get("dir"),
            )
    assert langs["ليلة في قسم الأشعة"] == ("ar", "ar", "rtl", "ar", "rtl")
    assert langs["防護服の夜"] == ("ja", "ja", "ltr", "ja", "ltr")
    assert langs["Night shift in Lyon"] == ("en", "en", "ltr", "en", "ltr")


def test_epub_metadata(built: BookFolder) -> None:
    opf = epub_of(built).opf
    meta = opf.find("opf:metadata", NS)
    assert meta.findtext("dc:identifier", namespaces=NS) == "urn:uuid:12345678-1234-5678-1234-567812345678"
    assert meta.findtext("dc:rights", namespaces=NS) == "CC BY 4.0"
    assert meta.findtext("dc:publisher", namespaces=NS) == "Test Society"
    assert meta.findtext("dc:creator", namespaces=NS) == "Ada Editor"
    assert meta.findtext("opf:meta[@property='dcterms:modified']", namespaces=NS) == "2020-12-01T00:00:00Z"


def test_anonymous_byline(built: BookFolder) -> None:
    epub = epub_of(built)
    texts = [b"".join([epub.read(f"EPUB/{d}")]) for d in epub.spine_documents()]
    joined = b"".join(texts).decode()
    assert "Hidden Person" not in joined
    assert 'A radiographer</span>, <span class="country" lang="en" dir="ltr">Norway</span>' in joined


def test_photos_are_reencoded_without_metadata(built: BookFolder) -> None:
    epub = epub_of(built)
    names = [n for n in __import__("zipfile").ZipFile(epub.path).namelist() if n.startswith("EPUB/images/")]
    photos = [n for n in names if "cover" not in n]
    assert len(photos) == 1 and re.fullmatch(r"EPUB/images/[0-9a-f]{20}\.jpg", photos[0])
    data = epub.read(photos[0])
    image = Image.open(io.BytesIO(data))
    assert image.size == (600, 900)  # orientation applied
    assert not image.getexif() and b"SecretCam" not in data
    assert b"SecretCam" not in (built.dist / "voices-of-2020.pdf").read_bytes()


def test_pdf_outline_lists_themes_then_entries(built: BookFolder) -> None:
    outline = pdf_outline(built.dist / "voices-of-2020.pdf")
    assert [t for d, t, _ in outline if d == 1] == BOOK_ORDER
    assert [t for d, t, _ in outline if d == 0] == [
        "Contents",
        "Foreword",
        "Theme one",
        "Theme two",
        "Acknowledgements",
        "Contributors by country",
    ]


def test_contents_page_numbers_are_where_entries_start(built: BookFolder) -> None:
    pdf = built.dist / "voices-of-2020.pdf"
    pages = pdf_page_texts(pdf)
    contents = next(p for p in pages if p.strip().startswith("Contents"))
    printed = {}
    for line in contents.splitlines():
        match = re.match(r"\s*(.+?)\s*(?:\.\s*)+\s*([0-9ivx]+)\s*$", line)
        if match:
            printed[match.group(1)] = match.group(2)
    outline = {title: index for _, title, index in pdf_outline(pdf)}
    checked = 0
    for title, number in printed.items():
        key = next((t for t in outline if title.startswith(t) or t.startswith(title)), None)
        if key is None:
            continue
        footer = pages[outline[key]].strip().splitlines()[-1].strip()
        assert footer == number, (title, footer, number)
        checked += 1
    assert checked >= 6
    assert pages[outline["Theme one"]].strip().splitlines()[-1].strip() == "1"


def test_pdf_text_fonts_and_safety(built: BookFolder) -> None:
    pdf = built.dist / "voices-of-2020.pdf"
    reader = PdfReader(pdf)
    assert reader.attachments == {}
    text = "\n".join(pdf_page_texts(pdf))
    assert "Nights were long." in text and "防護服" in text
    assert "Émile Zola" in text
    fonts = set()
    for page in reader.pages:
        for font in (page.get("/Resources", {}).get("/Font", {}) or {}).values():
            font = font.get_object()
            descriptor = (font.get("/DescendantFonts") or [font])[0].get_object().get("/FontDescriptor")
            fonts.add(
                (
                    font["/BaseFont"],
                    descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")),
                )
            )
    assert fonts and all(embedded for _, embedded in fonts), fonts


def _faces_on(pdf: Path, page: int, wanted: tuple[str, ...]) -> dict[str, set[str]]:
    """The fonts (family and style, as embedded) that set each wanted piece of text on a page."""
    faces: dict[str, set[str]] = {text: set() for text in wanted}

    def seen(text: str, cm: object, tm: object, font: dict[str, object] | None, size: float) -> None:
        for piece in wanted:
            if font and piece in text:
                faces[piece].add(str(font["/BaseFont"]).split("+")[-1])

    PdfReader(pdf).pages[page].extract_text(visitor_text=seen)
    return faces


def test_headings_and_bylines_keep_their_sans_serif_in_every_language(built: BookFolder) -> None:
    """A language's faces go on the element with its lang attribute, not on every element inside."""
    pdf = built.dist / "voices-of-2020.pdf"
    pages = {title: page for _, title, page in pdf_outline(pdf)}
    for title, name, sans in (
        ("防護服の夜", "Oba Ryosuke", "Sans-CJK"),
        ("ليلة في قسم الأشعة", "Yousef Haddad", "Sans-Arabic"),
    ):
        faces = _faces_on(pdf, pages[title], (title.split()[0], name))
        assert faces[title.split()[0]] and all(sans in f for f in faces[title.split()[0]]), faces
        assert faces[name] and all(f.startswith("Noto-Sans-") for f in faces[name]), faces


def test_download_page_links_both_files_with_sizes(built: BookFolder) -> None:
    page = (built.dist / "index.html").read_text()
    tree = etree.HTML(page)
    links = {a.get("href"): a for a in tree.iter("a")}
    assert set(links) == {"voices-of-2020.epub", "voices-of-2020.pdf", "read/index.html"}  # and the web edition
    for name in ("voices-of-2020.epub", "voices-of-2020.pdf"):
        size = (built.dist / name).stat().st_size
        digest = hashlib.sha256((built.dist / name).read_bytes()).hexdigest()
        assert digest in page
        assert f"{max(1, round(size / 1024))} KB" in page or f"{size / 1048576:.1f} MB" in page
    assert not re.search(r'(src|href)="(https?:|//)', page)


def test_rebuild_with_nothing_changed_is_served_from_the_cache(built: BookFolder, run: Callable[..., Run]) -> None:
    before = {p.name: p.stat().st_mtime_ns for p in built.dist.iterdir() if p.is_file()}
    result = run("build", "--config", str(built.root / "book.yaml"))
    assert result.code == 0
    assert "unchanged" in result.stderr
    assert {p.name: p.stat().st_mtime_ns for p in built.dist.iterdir() if p.is_file()} == before


def hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}


def test_same_sources_give_the_same_bytes(tmp_path: Path, built: BookFolder) -> None:
    """In another process, folder and time zone: fonts, zip entries, ids and dates must not carry the
    time, the place or a seed."""
    again = make_fixture(tmp_path / "again")
    command = [sys.executable, "-m", "ebook", "build", "--config", str(again.root / "book.yaml"), "--no-cache"]
    env = {**os.environ, "PYTHONHASHSEED": "random", "TZ": "Pacific/Auckland"}
    subprocess.run(command, check=True, env=env, capture_output=True)
    assert hashes(again.dist) == hashes(built.dist)


def test_failed_build_changes_nothing_and_renamed_book_replaces_old_outputs(
    tmp_path: Path, run: Callable[..., Run]
) -> None:
    book = make_fixture(tmp_path / "book")
    assert build(book) == 0
    (book.dist / "notes.txt").write_text("mine")
    before = hashes(book.dist)
    book.submission("broken", entry_yaml(country="XX"))
    assert build(book) == 1
    assert hashes(book.dist) == before
    (book.root / "submissions/broken.yaml").unlink()
    book.write("book.yaml", BOOK_YAML.replace("Voices of 2020", "Voices of 2021"))
    assert build(book) == 0
    assert sorted(p.name for p in book.dist.iterdir()) == [
        ".make-book",
        "index.html",
        "notes.txt",
        "read",
        "voices-of-2021.epub",
        "voices-of-2021.pdf",
    ]
    assert (book.dist / "notes.txt").read_text() == "mine"


def test_pdf_page_labels_match_the_printed_numbers(built: BookFolder) -> None:
    pdf = built.dist / "voices-of-2020.pdf"
    labels = PdfReader(pdf).page_labels
    pages = pdf_page_texts(pdf)
    assert labels[0] == "i" and "1" in labels
    printed = 0
    for label, text in zip(labels, pages, strict=True):
        lines = text.strip().splitlines()
        if lines and re.fullmatch(r"[0-9ivxlc]+", lines[-1].strip()):
            assert lines[-1].strip() == label
            printed += 1
    assert printed > len(pages) / 2


def test_pdf_is_tagged_with_title_language_and_entry_languages(built: BookFolder) -> None:
    reader = PdfReader(built.dist / "voices-of-2020.pdf")
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert root["/Lang"] == "en"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert reader.metadata.title == "Voices of 2020"
    found: dict[str, set[str]] = {}
    figures = []
    stack = [root["/StructTreeRoot"]]
    while stack:
        node = stack.pop().get_object()
        if not hasattr(node, "get"):
            continue
        if node.get("/S") == "/Art":
            found.setdefault(str(node.get("/Lang", "en")), set()).add(node.raw_get("/Pg").idnum)
        if node.get("/S") == "/Figure":
            figures.append(node.get("/Alt"))
        kids = node.get("/K")
        stack += kids if isinstance(kids, list) else [kids] if kids is not None else []
    assert {"ar", "ja", "en"} <= set(found)
    assert "A portable X-ray unit in a corridor" in figures


def test_accessibility_metadata_is_derived_from_the_book(built: BookFolder) -> None:
    meta = epub_of(built).opf.find("opf:metadata", NS)
    values = {(m.get("property"), m.text) for m in meta.iterfind("opf:meta", NS)}
    for feature in ("alternativeText", "pageBreakMarkers", "pageNavigation", "tableOfContents"):
        assert ("schema:accessibilityFeature", feature) in values
    assert ("schema:accessMode", "visual") in values
    assert ("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.2 Level AA") in values
    assert any(p == "schema:accessibilitySummary" and "Page numbers match the PDF" in v for p, v in values)


def test_contributors_are_grouped_by_country_with_page_numbers(built: BookFolder) -> None:
    pages = pdf_page_texts(built.dist / "voices-of-2020.pdf")
    index = next(p for p in pages if "Contributors by country" in p and "France" in p)
    lines = [" ".join(ln.split()) for ln in index.splitlines() if ln.strip()]
    countries = [ln for ln in lines if ln in ("France", "Japan", "Jordan", "Norway")]
    assert countries == ["France", "Japan", "Jordan", "Norway"]
    assert any(re.fullmatch(r"A radiographer, \d+", ln) for ln in lines)
    assert not any("Hidden Person" in ln for ln in lines)
    outline = {t: i for _, t, i in pdf_outline(built.dist / "voices-of-2020.pdf")}
    labels = PdfReader(built.dist / "voices-of-2020.pdf").page_labels
    zola = next(ln for ln in lines if ln.startswith("Émile Zola"))
    assert zola.endswith(", " + labels[outline["Night shift in Lyon"]])


def test_the_cache_never_serves_stale_output(
    tmp_path: Path, run: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # where fontconfig finds the user's fonts
    monkeypatch.syspath_prepend(str(tmp_path / "site"))  # where Python finds packages
    code = tmp_path / "ebook"  # make-book's own modules, as an editable install has them
    shutil.copytree(Path(ebook.__file__).parent, code, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr("ebook.bookkeeping.fingerprints.PACKAGE", code)
    monkeypatch.setattr("ebook.bookkeeping.fingerprints.LIBRARY_FOLDERS", (tmp_path / "lib",))
    book = make_fixture(tmp_path / "book")
    BookFolder(tmp_path / "lib").write("x86_64-linux-gnu/libharfbuzz.so.0", "HarfBuzz 8")
    config = str(book.root / "book.yaml")
    assert run("build", "--config", config).code == 0
    assert "unchanged" in run("build", "--config", config).stderr
    changes = [  # each change, and whether it changes the EPUB
        (lambda: book.write("submissions/photos/ruiz.jpg", jpeg_bytes((900, 600), color=(10, 200, 10))), True),
        (lambda: book.write("layouts/epub.css", "body { margin: 0 }\n"), True),
        (lambda: book.write("book.yaml", BOOK_YAML.replace("Test Society", "Test Society Press")), True),
        (lambda: monkeypatch.setattr("ebook.bookkeeping.up_to_date.__version__", "99.0"), False),
        (lambda: BookFolder(tmp_path / "data").write("fonts/upgraded.ttf", "a font installed"), False),
        (lambda: BookFolder(tmp_path / "site").write("pillow-99.0.dist-info/METADATA", "a library upgraded"), False),
        (lambda: BookFolder(code).write("pdf/join.py", (code / "pdf/join.py").read_text() + "# edited\n"), False),
        (lambda: BookFolder(tmp_path / "lib").write("x86_64-linux-gnu/libharfbuzz.so.0", "HarfBuzz 10.1"), False),
    ]
    for change, epub_changes in changes:
        before = hashes(book.dist)
        change()
        result = run("build", "--config", config)
        assert result.code == 0 and "unchanged" not in result.stderr, result.stderr
        assert (hashes(book.dist)["voices-of-2020.epub"] != before["voices-of-2020.epub"]) == epub_changes
    photo = next(
        n for n in zipfile.ZipFile(book.dist / "voices-of-2020.epub").namelist() if "images/" in n and "cover" not in n
    )
    green = Image.open(io.BytesIO(zipfile.ZipFile(book.dist / "voices-of-2020.epub").read(photo))).getpixel((5, 5))
    assert green[1] > 150 and green[0] < 80  # the new picture, not the cached old one


def test_an_unchanged_rebuild_reads_nothing_but_reports_the_same_warnings(tmp_path: Path) -> None:
    """Served from the files' hashes alone (up_to_date.py): not even the pipeline is imported."""
    book = make_fixture(tmp_path / "book")
    book.submission("withdrawn", entry_yaml(status="withdrawn").replace("consent: true", "consent: false"))
    script = (
        "import sys; from ebook.cli import main; code = main(sys.argv[1:]); "
        "print(sorted(m for m in ('ebook.pipeline', 'weasyprint', 'yaml', 'PIL') if m in sys.modules))"
    )
    command = [sys.executable, "-c", script, "build", "--config", str(book.root / "book.yaml")]
    first, again = (subprocess.run(command, capture_output=True, text=True, check=True) for _ in range(2))
    problems = [line for line in first.stderr.splitlines() if "warning:" in line]
    assert problems and problems == [line for line in again.stderr.splitlines() if "warning:" in line]
    assert "(unchanged, nothing to rebuild)" in again.stderr and "(unchanged" not in first.stderr
    assert again.stdout.strip() == "[]" and "ebook.pipeline" in first.stdout


def test_a_cover_anywhere_in_the_book_folder_is_part_of_what_the_outputs_are_made_from(
    tmp_path: Path, run: Callable[..., Run]
) -> None:
    book = make_fixture(tmp_path / "book")
    book.write("art/cover.jpg", jpeg_bytes((600, 850), color=(200, 20, 20)))
    book.write("book.yaml", BOOK_YAML + "cover: art/cover.jpg\n")
    config = str(book.root / "book.yaml")
    assert run("build", "--config", config).code == 0
    assert "unchanged" in run("build", "--config", config).stderr
    book.write("art/cover.jpg", jpeg_bytes((600, 850), color=(20, 200, 20)))
    result = run("build", "--config", config)
    assert result.code == 0 and "unchanged" not in result.stderr
    epub = zipfile.ZipFile(book.dist / "voices-of-2020.epub")
    pictures = [Image.open(io.BytesIO(epub.read(n))).convert("RGB") for n in epub.namelist() if "/images/" in n]
    assert next(p.getpixel((300, 425)) for p in pictures if p.size == (600, 850))[1] > 150  # the new cover
    (book.root / "art" / "cover.jpg").unlink()
    result = run("build", "--config", config)
    assert result.code == 1 and "cover" in result.stderr and "P003" in result.stderr


def test_a_minimal_book_with_its_own_cover_that_is_also_a_photo(tmp_path: Path, run: Callable[..., Run]) -> None:
    """Only the required fields, a French book, an ISBN, and one picture used as cover and as photo."""
    book = BookFolder(tmp_path / "mini")
    book.write("submissions/photos/c.jpg", jpeg_bytes((1200, 1700), color=(30, 60, 90)))
    book.write(
        "book.yaml",
        'title: "Minimal"\npublisher: "P"\nlanguage: fr\nidentifier: "isbn:978-3-16-148410-0"\n'
        "date: 2021-01-05\nlicense: CC0\ncover: submissions/photos/c.jpg\n"
        'themes:\n  - id: a\n    title: "Seul thème"\n',
    )
    book.submission(
        "x",
        entry_yaml(
            title="Bonjour",
            name="Zoé",
            theme="a",
            language="fr",
            extra='photos:\n  - file: photos/c.jpg\n    alt: "La couverture"\n',
        ),
    )
    assert run("build", "--config", str(book.root / "book.yaml")).code == 0
    assert run_epubcheck(book.dist / "minimal.epub") == []
    assert PdfReader(book.dist / "minimal.pdf").trailer["/Root"]["/Lang"] == "fr"
