"""make-book proof, read as a reader would (poppler's pdftotext, pypdf): each proof against the
entry's pages in the book built from the same folder."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import BOOK_YAML, BookFolder, Run, entry_yaml, jpeg_bytes
from fixture_book import make_fixture
from pypdf import PdfReader

from ebook.cli import main

EPOCH = "1700000000"  # 2023-11-14
DATE = "2023-11-14"
MARK = "Proof – not for distribution"
TITLES = {  # the fixture book's approved entries
    "first": "Opening the book",
    "ruiz": "The portable round",
    "zola": "Night shift in Lyon",
    "haddad": "ليلة في قسم الأشعة",
    "anon": "A quiet voice",
    "oba": "防護服の夜",
}


@pytest.fixture(autouse=True)
def source_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def build(book: BookFolder) -> None:
    assert main(["build", "-q", "--config", str(book.root / "book.yaml")]) == 0


def page_texts(pdf: Path) -> list[str]:
    """Each page's text in the order it is drawn (pdftotext -raw), one string a page."""
    out = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1]


def without_mark(text: str, mark: str = MARK) -> list[str]:
    """A proof page's lines but the mark's (the words across the page, which poppler may put on
    a line of the text, and the line at the foot of the page), sorted."""
    lines = [line for line in text.splitlines() if not line.startswith(f"{mark} ·")]
    return lines_of("\n".join(line.replace(mark, "") for line in lines))


def lines_of(text: str) -> list[str]:
    return sorted(line.strip() for line in text.splitlines() if line.strip())


def entry_span(book_pdf: Path, title: str) -> list[int]:
    """The indexes of the pages an entry fills in the book: from its bookmark to the next one,
    less the blank pages before that."""
    reader = PdfReader(book_pdf)
    starts: list[tuple[int, str]] = []

    def walk(items: list[object]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                starts.append((reader.get_destination_page_number(item), item.title))  # type: ignore[arg-type, attr-defined]

    walk(reader.outline)
    starts.sort()
    begin = next(page for page, name in starts if name in (title, title.replace("'", "’")))
    end = next((page for page, _ in starts if page > begin), len(reader.pages))
    texts = page_texts(book_pdf)
    while not texts[end - 1].strip():
        end -= 1
    return list(range(begin, end))


def assert_as_in_book(proof: Path, book_pdf: Path, entry_id: str, status: str, title: str) -> None:
    reader, whole = PdfReader(proof), PdfReader(book_pdf)
    span = entry_span(book_pdf, title)
    # The same pages, numbered as in the book (page labels too).
    assert list(reader.page_labels) == [whole.page_labels[i] for i in span]
    proof_texts, book_texts = page_texts(proof), page_texts(book_pdf)
    for page, index, text in zip(reader.pages, span, proof_texts, strict=True):
        # The mark on every page, as text: the words, the entry's id, its status and the date.
        lines = text.splitlines()
        assert text.count(MARK) == 2  # across the page (poppler may put it on a line of text), and at its foot
        assert f"{MARK} · Entry: {entry_id} · Status: {status} · Proof date: {DATE}" in lines
        # The same page as in the book: size, and every line of text, running heads and number too.
        assert page.mediabox == whole.pages[index].mediabox
        assert without_mark(text) == lines_of(book_texts[index])
    assert_fonts_embedded(proof)


def drawn_images(pdf: Path, first: int = 1, last: int = 0) -> list[tuple[str, ...]]:
    """Each picture drawn on these pages (1-based; last 0: to the end): width, height, bytes."""
    pages = ["-f", str(first)] + (["-l", str(last)] if last else [])
    listed = subprocess.run(["pdfimages", "-list", *pages, str(pdf)], capture_output=True, text=True, check=True)
    return [tuple(row.split()[i] for i in (3, 4, 14)) for row in listed.stdout.splitlines()[2:]]


def assert_fonts_embedded(pdf: Path) -> None:
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows
    for row in rows:
        assert row.split()[-5] == "yes", row  # the "emb" column


@pytest.fixture(scope="module")
def proofed(tmp_path_factory: pytest.TempPathFactory) -> BookFolder:
    """The fixture book (laid out whole), built, then proofed with --all."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
    try:
        book = make_fixture(tmp_path_factory.mktemp("proofed") / "book")
        build(book)
        assert main(["proof", "-q", "--all", "--config", str(book.root / "book.yaml")]) == 0
    finally:
        mp.undo()
    return book


def test_every_approved_entry_is_proofed_as_in_the_book(proofed: BookFolder) -> None:
    book_pdf = proofed.dist / "voices-of-2020.pdf"
    written = sorted(p.name for p in (proofed.root / "proofs").glob("*.pdf"))
    assert written == ["anon.pdf", "draft.pdf", "first.pdf", "haddad.pdf", "oba.pdf", "ruiz.pdf", "zola.pdf"]
    for entry_id, title in TITLES.items():
        assert_as_in_book(proofed.root / "proofs" / f"{entry_id}.pdf", book_pdf, entry_id, "approved", title)


def test_a_proof_shows_the_photo_and_the_right_to_left_text(proofed: BookFolder) -> None:
    # The photo itself (not the stand-in the book's runs are laid out with), as the book has it.
    span = entry_span(proofed.dist / "voices-of-2020.pdf", TITLES["ruiz"])
    in_book = drawn_images(proofed.dist / "voices-of-2020.pdf", span[0] + 1, span[-1] + 1)
    assert len(in_book) == 1
    assert drawn_images(proofed.root / "proofs" / "ruiz.pdf") == in_book
    assert "Photo: E. Ruiz" in "".join(page_texts(proofed.root / "proofs" / "ruiz.pdf"))
    arabic = "".join(page_texts(proofed.root / "proofs" / "haddad.pdf"))
    # Its words as right-to-left runs (poppler marks them with RLE … PDF), in the book's order.
    assert "\u202bقسم\u202c \u202bفي\u202c \u202bليلة\u202c" in arabic


def note_of(pdf: Path) -> str:
    """The text of the note on a proof's first page."""
    annotations = [a.get_object() for a in PdfReader(pdf).pages[0].get("/Annots", [])]
    return "".join(str(a["/Contents"]) for a in annotations if a["/Subtype"] == "/Text")


def test_the_first_page_carries_a_checklist_for_the_author(proofed: BookFolder) -> None:
    check = "Please check how your name, role, affiliation and country will appear, and the photo credits:"
    assert (
        note_of(proofed.root / "proofs" / "ruiz.pdf") == f"{check}\nElena Ruiz, Radiographer, France\n1. Photo: E. Ruiz"
    )
    assert note_of(proofed.root / "proofs" / "anon.pdf") == f"{check}\nA radiographer, Norway"
    assert [len(PdfReader(proofed.root / "proofs" / "ruiz.pdf").pages[i].get("/Annots", [])) for i in (1,)] == [0]


def test_proofs_leave_the_book_alone_and_no_temporary_file(proofed: BookFolder) -> None:
    kept = {p: p.read_bytes() for p in proofed.dist.rglob("*") if p.is_file()}
    assert main(["proof", "-q", "zola", "--config", str(proofed.root / "book.yaml")]) == 0
    assert {p: p.read_bytes() for p in proofed.dist.rglob("*") if p.is_file()} == kept
    names = {p.name for p in (proofed.root / "proofs").iterdir()}
    assert not [n for n in names if ".part" in n]
    assert names - {".make-book"} == {f"{i}.pdf" for i in ("anon", "draft", "first", "haddad", "oba", "ruiz", "zola")}


def approved_copy(book: BookFolder, entry_id: str, target: Path) -> BookFolder:
    """The book with one more entry approved, built: where that entry's pages would be."""
    shutil.copytree(book.root, target, ignore=shutil.ignore_patterns("dist", "proofs"))
    copy = BookFolder(target)
    path = next((copy.root / "submissions").rglob(f"{entry_id}.yaml"))
    path.write_text(path.read_text("utf-8").replace("status: pending", "status: approved"), "utf-8")
    build(copy)
    return copy


PENDING_BOOK = (
    BOOK_YAML
    + """  - id: three
    title: "Theme three"
    intro: "Only pending entries yet."
"""
)


def test_a_pending_entry_is_proofed_where_it_would_be_once_approved(
    book: BookFolder, tmp_path: Path, run: Callable[..., Run]
) -> None:
    """Before an approved entry of its theme, after the last one, and in a theme with none yet."""
    book.write("book.yaml", PENDING_BOOK)
    long = "A line of the story, long enough to fill a page or two.\n\n" * 40
    book.submission("a-one", entry_yaml(title="First one", name="Anna Able", body=long))
    book.submission("c-one", entry_yaml(title="Third one", name="Carl Cole", body=long))
    book.submission("b-pending", entry_yaml(title="Second, pending", name="Bea Bell", status="pending", body=long))
    book.submission("z-pending", entry_yaml(title="Last, pending", name="Zoe Zed", status="pending", body=long))
    book.submission("d-two", entry_yaml(title="In two", name="Dan Dorn", theme="two", body=long * 2))
    book.submission("t-pending", entry_yaml(title="Alone", name="Tom Tall", theme="three", status="pending"))
    result = run("proof", "-q", "b-pending", "z-pending", "t-pending", "c-one", cwd=book.root)
    assert result.code == 0, result.stderr
    titles = {"b-pending": "Second, pending", "z-pending": "Last, pending", "t-pending": "Alone"}
    for entry_id, title in titles.items():
        copy = approved_copy(book, entry_id, tmp_path / entry_id)
        proof = book.root / "proofs" / f"{entry_id}.pdf"
        assert_as_in_book(proof, copy.dist / "voices-of-2020.pdf", entry_id, "pending", title)
    build(book)
    proof = book.root / "proofs" / "c-one.pdf"
    assert_as_in_book(proof, book.dist / "voices-of-2020.pdf", "c-one", "approved", "Third one")


def test_an_entry_with_problems_gets_no_proof_and_the_others_do(book: BookFolder, run: Callable[..., Run]) -> None:
    book.submission("good", entry_yaml(title="Good one"))
    book.submission("waiting", entry_yaml(title="Waiting", name="Wanda Wait", status="pending"))
    bad = entry_yaml(title="Bad one", name="Bo Bad", status="pending").replace("consent: true", "consent: false")
    book.submission("bad", bad)
    result = run("proof", "good", "bad", cwd=book.root)
    assert result.code == 1
    assert (
        "submissions/bad.yaml:8:10: S003 consent is false: an entry can be approved only with the author's consent"
        in result.problems
    )
    assert sorted(p.name for p in (book.root / "proofs").glob("*.pdf")) == ["good.pdf"]
    result = run("proof", "-q", "--all", cwd=book.root)
    assert result.code == 1
    assert [line for line in result.problems if "S003" in line] == [
        "submissions/bad.yaml:8:10: S003 consent is false: an entry can be approved only with the author's consent"
    ]
    assert sorted(p.name for p in (book.root / "proofs").glob("*.pdf")) == ["good.pdf", "waiting.pdf"]


def test_a_french_book_marks_its_proofs_in_french(book: BookFolder, run: Callable[..., Run]) -> None:
    book.write("book.yaml", BOOK_YAML.replace("language: en", "language: fr"))
    book.submission("dupont", entry_yaml(title="Une nuit", name="Jean Dupont", language="fr"))
    assert run("proof", "-q", "dupont", cwd=book.root).code == 0
    text = page_texts(book.root / "proofs" / "dupont.pdf")[0]
    assert text.count("Épreuve – ne pas diffuser") == 2
    assert f"Épreuve – ne pas diffuser · Texte: dupont · Statut: approved · Date de l’épreuve: {DATE}" in text
    assert MARK not in text
    # The book's own labels.yaml wins; one that leaves the proof's words out stays valid.
    book.write("layouts/labels.yaml", 'contents: "Sommaire"\nproof: "Épreuve – confidentielle"\n')
    assert run("check", cwd=book.root).code == 0
    assert run("proof", "-q", "dupont", cwd=book.root).code == 0
    assert page_texts(book.root / "proofs" / "dupont.pdf")[0].count("Épreuve – confidentielle") == 2


def test_how_the_command_is_used(book: BookFolder, run: Callable[..., Run]) -> None:
    book.submission("good", entry_yaml())
    assert run("proof", cwd=book.root).code == 2
    assert run("proof", "good", "--all", cwd=book.root).code == 2
    result = run("proof", "good", "nobody", cwd=book.root)
    assert result.code == 2
    assert "make-book: no submission has the id 'nobody'; nothing was written" in result.lines
    result = run("proof", "good", "--out", "dist/proofs", cwd=book.root)
    assert result.code == 2
    assert not (book.root / "dist").exists() and not (book.root / "proofs").exists()
    assert run("proof", "-q", "good", "--out", "elsewhere", cwd=book.root).code == 0
    assert (book.root / "elsewhere" / "good.pdf").is_file()


def test_a_photo_of_another_entry_is_not_decoded_for_one_proof(book: BookFolder, run: Callable[..., Run]) -> None:
    """One proof prepares its own photos only: another entry's broken photo is that entry's problem."""
    book.write("submissions/photos/fine.jpg", jpeg_bytes((400, 300)))
    photo = 'photos:\n  - file: photos/fine.jpg\n    alt: "A fine photo"\n    credit: "Photo: A. Fine"\n'
    book.submission("with-photo", entry_yaml(title="With a photo", extra=photo))
    book.submission("plain", entry_yaml(title="Plain", name="Paul Plain"))
    assert run("proof", "-q", "plain", "with-photo", cwd=book.root).code == 0
    assert len(drawn_images(book.root / "proofs" / "with-photo.pdf")) == 1
    assert drawn_images(book.root / "proofs" / "plain.pdf") == []


def test_a_big_book_laid_out_in_runs(book: BookFolder, run: Callable[..., Run]) -> None:
    """A book over WHOLE_WEIGHT is laid out in runs (pdf/runs.py): numbers, sides and running
    heads from the runs' places, laid out by the proofs or kept by a build."""
    text = "A sentence of a testimony that runs on, to fill the pages of a big book. " * 90
    for n in range(44):
        theme = "one" if n < 26 else "two"
        status = "pending" if n in (5, 30) else "approved"
        extra = 'photos:\n  - file: photos/p.jpg\n    alt: "A photo"\n' if n % 11 == 3 else ""
        body = (text[: 2_000 + 157 * n] + "\n\n") * 3
        book.submission(
            f"e{n:02d}",
            entry_yaml(
                title=f"Entry {n:02d}", name=f"Author {n:02d}", theme=theme, status=status, body=body, extra=extra
            ),
        )
    book.write("submissions/photos/p.jpg", jpeg_bytes((800, 600)))
    wanted = ("e00", "e05", "e14", "e25", "e30", "e43")
    assert run("proof", "-q", *wanted, cwd=book.root).code == 0  # no build yet: the runs are laid out
    shutil.copytree(book.root / "proofs", book.root.parent / "before")
    before = book.root.parent / "before"
    build(book)
    assert len([f for f in (book.dist / ".make-book" / "cache" / "layouts").iterdir()]) > 3  # laid out in runs
    shutil.rmtree(book.root / "proofs")
    assert run("proof", "-q", *wanted, cwd=book.root).code == 0  # from the build's documents
    for entry_id in wanted:
        # The same pages (not the same bytes: proofs laid out in other documents have other font subsets).
        after = book.root / "proofs" / f"{entry_id}.pdf"
        assert page_texts(after) == page_texts(before / f"{entry_id}.pdf")
        assert PdfReader(after).page_labels == PdfReader(before / f"{entry_id}.pdf").page_labels
        if entry_id not in ("e05", "e30"):
            proof = book.root / "proofs" / f"{entry_id}.pdf"
            assert_as_in_book(proof, book.dist / "voices-of-2020.pdf", entry_id, "approved", f"Entry {entry_id[1:]}")


def test_a_right_to_left_book(book: BookFolder, run: Callable[..., Run]) -> None:
    """Its body's odd pages are right-hand pages too, which WeasyPrint begins on the left."""
    book.write("book.yaml", BOOK_YAML.replace("language: en", "language: ar"))
    sentence = "عملنا في قسم الأشعة طوال الليل. كانت الممرات هادئة، لكن الأجهزة لم تتوقف عن العمل. "
    titles = {}
    for n, length in enumerate((5, 8, 13, 21, 2)):
        titles[f"a{n}"] = f"ليلة رقم {n + 1}"
        body = (sentence * 4 + "\n\n") * length
        book.submission(f"a{n}", entry_yaml(title=titles[f"a{n}"], name=f"Author {n}", country="JO", body=body))
    build(book)
    assert run("proof", "-q", "--all", cwd=book.root).code == 0
    numbers = []
    for entry_id, title in titles.items():
        proof = book.root / "proofs" / f"{entry_id}.pdf"
        assert_as_in_book(proof, book.dist / "voices-of-2020.pdf", entry_id, "approved", title)
        numbers.append(int(PdfReader(proof).page_labels[0]))
    assert {n % 2 for n in numbers} == {0, 1}, numbers  # proofs that begin on either side


def test_a_broken_proof_template_is_a_problem(book: BookFolder, run: Callable[..., Run]) -> None:
    book.submission("good", entry_yaml())
    book.write("layouts/proof.html", "<html>{{ no_such_thing.at_all }}</html>\n")
    result = run("proof", "good", cwd=book.root)
    assert result.code == 1
    assert result.problems == [
        "layouts/proof.html: L004 the template cannot be used: UndefinedError: 'no_such_thing' is undefined"
    ]
    assert "Traceback" not in result.stderr and not (book.root / "proofs" / "good.pdf").exists()


def test_a_book_numbered_in_roman_labels_its_proofs_so(book: BookFolder, run: Callable[..., Run]) -> None:
    """A viewer shows a proof's pages by the numbers the book prints (number_styles.py)."""
    from ebook.templates.folders import BUILT_IN

    roman = "@page { @bottom-center { content: counter(page, upper-roman); } }\n"
    book.write("layouts/print.css", (BUILT_IN / "print.css").read_text() + roman)
    book.submission("a", entry_yaml(title="First light", name="Ann First"))
    book.submission("b", entry_yaml(title="Second light", name="Ben Second"))
    assert run("build", "-q", cwd=book.root).code == 0
    assert run("proof", "-q", "b", cwd=book.root).code == 0
    labels = list(PdfReader(book.root / "proofs" / "b.pdf").page_labels)
    assert labels and all(re.fullmatch("[IVXLC]+", label) for label in labels), labels
    assert_as_in_book(book.root / "proofs" / "b.pdf", book.dist / "voices-of-2020.pdf", "b", "approved", "Second light")
