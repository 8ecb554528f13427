"""Word and OpenDocument bodies: each construct carried into the built EPUB, what is not carried
reported by name, hostile documents refused with the row."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from conftest import BookFolder
from import_helpers import MAP, response, write_csv
from PIL import Image


def _png(color: tuple[int, int, int] = (200, 0, 0)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 90), color).save(out, "PNG")
    return out.getvalue()


def make_docx(path: Path, extras: bool = False) -> None:
    import docx
    from docx.oxml.ns import qn
    from docx.oxml.parser import OxmlElement

    d = docx.Document()
    d.add_heading("In the CT room", level=1)
    p = d.add_paragraph("Plain, ")
    p.add_run("bold words").bold = True
    p.add_run(" and ")
    p.add_run("italic words").italic = True
    p.add_run(".")
    d.add_paragraph("first bullet", style="List Bullet")
    d.add_paragraph("second bullet", style="List Bullet")
    d.add_paragraph("step one", style="List Number")
    d.add_paragraph("step two", style="List Number")
    d.add_paragraph("We were never alone.", style="Quote")
    link = d.add_paragraph("See ")
    rel = d.part.relate_to(
        "https://example.org/report", docx.opc.constants.RELATIONSHIP_TYPE.HYPERLINK, is_external=True
    )
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "the report"
    run.append(text)
    hyperlink.append(run)
    link._p.append(hyperlink)
    d.add_picture(io.BytesIO(_png()))
    d.inline_shapes[0]._inline.docPr.set("descr", "A red square on the ward wall")
    if extras:
        table = d.add_table(rows=1, cols=2)
        table.cell(0, 0).text = "cell one"
        table.cell(0, 1).text = "cell two"
        body = d.add_paragraph("Tracked: ")
        ins = OxmlElement("w:ins")
        ins.set(qn("w:id"), "1")
        ins.set(qn("w:author"), "Ed")
        r = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.text = "inserted"
        r.append(t)
        ins.append(r)
        body._p.append(ins)
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "DATE")
        body._p.append(field)
        d.add_comment(body.runs, text="Check this date", author="Ed")
        note = OxmlElement("w:r")
        reference = OxmlElement("w:footnoteReference")
        reference.set(qn("w:id"), "1")
        note.append(reference)
        body._p.append(note)
    d.save(str(path))
    if extras:
        _add_footnotes(path)


FOOTNOTES = (
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> Seen on 3 April.</w:t></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)


def _add_footnotes(path: Path) -> None:
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["word/footnotes.xml"] = FOOTNOTES.encode()
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdFn" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" '
        b'Target="footnotes.xml"/></Relationships>',
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/word/footnotes.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def make_odt(path: Path) -> None:
    from odf.draw import Frame
    from odf.draw import Image as DrawImage
    from odf.opendocument import OpenDocumentText
    from odf.style import ListLevelProperties, Style, TextProperties
    from odf.svg import Desc
    from odf.table import Table, TableCell, TableRow
    from odf.text import A, H, List, ListItem, ListLevelStyleNumber, ListStyle, Note, NoteBody, NoteCitation, P, Span

    doc = OpenDocumentText()
    bold = Style(name="B", family="text")
    bold.addElement(TextProperties(fontweight="bold"))
    italic = Style(name="I", family="text")
    italic.addElement(TextProperties(fontstyle="italic"))
    quote = Style(name="Quotations", family="paragraph")
    numbered = ListStyle(name="N")
    level = ListLevelStyleNumber(level=1, numformat="1")
    level.addElement(ListLevelProperties())
    numbered.addElement(level)
    for s in (bold, italic, numbered):
        doc.automaticstyles.addElement(s)
    doc.styles.addElement(quote)
    doc.text.addElement(H(outlinelevel=2, text="Nights on the ward"))
    p = P(text="Plain, ")
    p.addElement(Span(stylename=bold, text="bold words"))
    p.addText(" and ")
    p.addElement(Span(stylename=italic, text="italic words"))
    p.addText(". See ")
    p.addElement(A(href="https://example.org/odt", text="the page"))
    note = Note(noteclass="footnote", id="n1")
    note.addElement(NoteCitation(text="1"))
    nb = NoteBody()
    nb.addElement(P(text="A footnote."))
    note.addElement(nb)
    p.addElement(note)
    doc.text.addElement(p)
    lst = List(stylename=numbered)
    for item in ("first step", "second step"):
        li = ListItem()
        li.addElement(P(text=item))
        lst.addElement(li)
    doc.text.addElement(lst)
    doc.text.addElement(P(stylename=quote, text="Nobody slept."))
    table = Table()
    row = TableRow()
    cell = TableCell()
    cell.addElement(P(text="odt cell"))
    row.addElement(cell)
    table.addElement(row)
    doc.text.addElement(table)
    href = doc.addPicture("Pictures/green.png", "image/png", _png((0, 150, 0)))
    frame = Frame(width="3cm", height="2cm", anchortype="paragraph")
    frame.addElement(DrawImage(href=href))
    frame.addElement(Desc(text="A green square"))
    holder = P()
    holder.addElement(frame)
    doc.text.addElement(holder)
    doc.save(str(path))


@pytest.fixture
def ready(book: BookFolder) -> BookFolder:
    book.write("import.yaml", MAP)
    (book.root / "files").mkdir()
    return book


def _import(run, book: BookFolder):
    return run("import", "responses.csv", "--files", "files", cwd=book.root)


def _text(book: BookFolder, name: str) -> str:
    return (book.root / "submissions" / "incoming" / name).read_text(encoding="utf-8")


def test_word_body_to_markdown(ready: BookFolder, run) -> None:
    make_docx(ready.root / "files" / "story.docx")
    write_csv(ready.root, [response(Your_testimonial="story.docx")])
    result = _import(run, ready)
    assert result.problems == []
    text = _text(ready, "amelie-durand.yaml")
    assert (
        "body: |\n  # In the CT room\n\n  Plain, **bold words** and *italic words*.\n\n  - first bullet\n"
        "  - second bullet\n\n  1. step one\n  2. step two\n\n  > We were never alone.\n\n"
        "  See [the report](https://example.org/report)\n"
    ) in text
    assert 'photos:\n  - file: "photos/amelie-durand-1.png"\n    alt: "A red square on the ward wall"\n' in text


def test_what_word_cannot_carry_is_reported_by_name(ready: BookFolder, run) -> None:
    make_docx(ready.root / "files" / "story.docx", extras=True)
    write_csv(ready.root, [response(Your_testimonial="story.docx")])
    result = _import(run, ready)
    assert result.code == 0
    assert result.problems == [
        'responses.csv:2: warning: I041 "story.docx" has 1 comment: left out',
        'responses.csv:2: warning: I041 "story.docx" has 1 field: their last shown text was kept (dates, page numbers, references)',
        'responses.csv:2: warning: I041 "story.docx" has 1 footnote: they became a numbered list at the end of the text',
        'responses.csv:2: warning: I041 "story.docx" has 1 table: the cells were carried as paragraphs, one after another',
        'responses.csv:2: warning: I041 "story.docx" has 1 tracked change: taken as accepted (insertions kept, deletions left out)',
    ]
    text = _text(ready, "amelie-durand.yaml")
    assert "  cell one\n\n  cell two\n" in text and "Tracked: inserted\\[1\\]" in text
    assert "  1. Seen on 3 April.\nphotos:" in text
    assert "status: approved" in text  # warnings keep the map's status; they are listed in the comment
    assert '# I041 "story.docx" has 1 table: the cells were carried as paragraphs, one after another' in text


def test_odt_body_to_markdown_and_reports(ready: BookFolder, run) -> None:
    make_odt(ready.root / "files" / "story.odt")
    write_csv(ready.root, [response(Your_testimonial="story.odt")])
    result = _import(run, ready)
    assert result.problems == [
        'responses.csv:2: warning: I041 "story.odt" has 1 footnote: they became a numbered list at the end of the text',
        'responses.csv:2: warning: I041 "story.odt" has 1 table: the cells were carried as paragraphs, one after another',
    ]
    text = _text(ready, "amelie-durand.yaml")
    assert (
        "body: |\n  ## Nights on the ward\n\n  Plain, **bold words** and *italic words*. See "
        "[the page](https://example.org/odt)\\[1\\]\n\n  1. first step\n  2. second step\n\n  > Nobody slept.\n\n"
        "  odt cell\n\n  1. A footnote.\n"
    ) in text
    assert 'alt: "A green square"' in text


def test_word_lists_nested_and_numbering_that_goes_on(ready: BookFolder, run) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("one", style="List Number")
    inner = d.add_paragraph("inner", style="List Number")
    inner._p.get_or_add_pPr().get_or_add_numPr().get_or_add_ilvl().val = 1
    d.add_paragraph("two", style="List Number")
    d.add_paragraph("A paragraph between.")
    d.add_paragraph("three", style="List Number")
    d.save(str(ready.root / "files" / "lists.docx"))
    write_csv(ready.root, [response(Your_testimonial="lists.docx")])
    assert _import(run, ready).problems == []
    assert "body: |\n  1. one\n     - inner\n  2. two\n\n  A paragraph between.\n\n  3. three\n" in _text(
        ready, "amelie-durand.yaml"
    )


def test_headers_equations_and_charts_are_reported(ready: BookFolder, run) -> None:
    import docx
    from docx.oxml.parser import parse_xml

    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "Dr Hans Müller, draft 3"
    p = d.add_paragraph("E = ")
    p._p.append(
        parse_xml(
            '<m:oMath xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"><m:r><m:t>mc2</m:t></m:r></m:oMath>'
        )
    )
    d.save(str(ready.root / "files" / "maths.docx"))
    write_csv(ready.root, [response(Your_testimonial="maths.docx")])
    assert _import(run, ready).problems == [
        'responses.csv:2: warning: I041 "maths.docx" has 1 equation: left out',
        'responses.csv:2: warning: I041 "maths.docx" has 1 page header or footer: left out',
    ]


def _docm(path: Path) -> None:
    make_docx(path)
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("word/vbaProject.bin", b"macro")


def _bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<a/>" + b" " * (80 * 1024 * 1024))


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("story.docm", make_docx, '"story.docm" is a macro document (.docm); save it as .docx without macros'),
        ("story.docx", _docm, '"story.docx" holds macros (it is a .docm renamed .docx); save it as .docx without macros'),
        ("story.docx", lambda p: p.write_bytes(b"%PDF-1.7\n..."), '"story.docx" is not what its name says: it is a PDF file'),
        ("story.docx", _bomb, '"story.docx" is too big once unpacked (80 MiB in 1 parts; the limit is 64 MiB)'),
        ("story.doc", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0"), '"story.doc" is an old Word 97-2003 document; make-book reads .docx and .odt bodies: save it as one of those'),
    ],
)  # fmt: skip
def test_hostile_documents_are_errors_naming_row_and_file(ready: BookFolder, run, name, make, message) -> None:
    make(ready.root / "files" / name)
    write_csv(ready.root, [response(Your_testimonial=name), response(Full_name="Other")])
    result = _import(run, ready)
    assert result.code == 1
    assert result.problems == [f'responses.csv:2: I040 "Your testimonial": {message}']
    assert "body:" not in _text(ready, "amelie-durand.yaml")
    assert "body: |" in _text(ready, "other.yaml")


def test_a_picture_linked_from_outside_is_never_fetched(ready: BookFolder, run, tmp_path: Path) -> None:
    make_docx(ready.root / "files" / "story.docx")
    outside = tmp_path / "outside.png"
    outside.write_bytes(_png((1, 1, 1)))
    path = ready.root / "files" / "story.docx"
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    document = parts["word/document.xml"].decode()
    rels = parts["word/_rels/document.xml.rels"].decode()
    rid = document.split('r:embed="', 1)[1].split('"', 1)[0]
    document = document.replace(f'r:embed="{rid}"', 'r:link="rIdOut"')
    rels = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rIdOut" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
        f'Target="file://{outside}" TargetMode="External"/></Relationships>',
    )
    parts["word/document.xml"], parts["word/_rels/document.xml.rels"] = document.encode(), rels.encode()
    with zipfile.ZipFile(path, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    write_csv(ready.root, [response(Your_testimonial="story.docx")])
    result = _import(run, ready)
    assert result.problems == [
        'responses.csv:2: warning: I041 "story.docx" has 1 picture linked from outside the document: not fetched, left out'
    ]
    assert "photos:" not in _text(ready, "amelie-durand.yaml")


@pytest.mark.slow
def test_word_and_odt_bodies_in_the_built_epub(ready: BookFolder, run) -> None:
    from lxml import etree

    make_docx(ready.root / "files" / "story.docx")
    make_odt(ready.root / "files" / "night.odt")
    write_csv(
        ready.root,
        [
            response(Your_testimonial="story.docx"),
            response(Full_name="Odette", Your_testimonial="night.odt", Theme="two"),
        ],
    )
    assert _import(run, ready).code == 0
    built = run(cwd=ready.root)
    assert built.code == 0, built.stderr
    epub = next((ready.root / "dist").glob("*.epub"))
    with zipfile.ZipFile(epub) as z:
        pages = [z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml")]
    word = next(p for p in pages if "In the CT room" in p)
    odt = next(p for p in pages if "Nights on the ward" in p)
    for page in (word, odt):
        etree.fromstring(page.encode())
        assert "<strong>bold words</strong>" in page and "<em>italic words</em>" in page
        assert "<blockquote" in page and "<ol" in page
    assert '<a href="https://example.org/report" rel="noopener">the report</a>' in word
    assert "<ul" in word
    assert '<a href="https://example.org/odt" rel="noopener">the page</a>' in odt
    assert 'alt="A red square on the ward wall"' in word
    assert 'alt="A green square"' in odt
