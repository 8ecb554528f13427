"""make-book import: the map, the values, the files, re-import, each problem with its exact message and row."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest
from conftest import BookFolder, jpeg_bytes
from import_helpers import HEADER, MAP, csv_text, response, write_csv


def _import(run, book: BookFolder, *extra: str, export: str = "responses.csv"):
    return run("import", export, "--files", "files", *extra, cwd=book.root)


@pytest.fixture
def ready(book: BookFolder) -> BookFolder:
    book.write("import.yaml", MAP)
    (book.root / "files").mkdir()
    return book


def _incoming(book: BookFolder) -> dict[str, str]:
    folder = book.root / "submissions" / "incoming"
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.yaml"))} if folder.is_dir() else {}


def test_without_a_map_a_proposed_one_is_written_and_nothing_imported(book: BookFolder, run) -> None:
    write_csv(book.root, [response()], header=HEADER)
    result = run("import", "responses.csv", cwd=book.root)
    assert result.code == 1
    assert result.problems == [
        "import.yaml: I001 there was no map: make-book wrote this proposed one, listing the 11 columns of "
        "responses.csv with the field each seems to feed and a sample answer; check it, then import again"
    ]
    proposed = (book.root / "import.yaml").read_text(encoding="utf-8")
    assert '  "Full name": author.name' in proposed
    assert '# e.g. "Amélie Durand"' in proposed
    assert '  "Country": author.country' in proposed
    assert '"Yes, I agree": true' in proposed
    assert not (book.root / "submissions" / "incoming").exists()


def test_a_row_becomes_a_readable_file_that_the_build_accepts(ready: BookFolder, run) -> None:
    ready.write("files/ward.jpg", jpeg_bytes())
    write_csv(ready.root, [response(Photos="ward.jpg", Photo_descriptions="The ward at night")])
    result = _import(run, ready)
    assert result.code == 0, result.stderr
    assert result.problems == []
    files = _incoming(ready)
    assert list(files) == ["amelie-durand.yaml"]
    text = files["amelie-durand.yaml"]
    assert text.startswith("# Imported by make-book from responses.csv, row 2.\n# make-book-response: ")
    body = text.split("\n", 2)[2]
    assert body == (
        'status: approved\ntheme: one\ntitle: "Twelve-hour shifts"\nlanguage: fr\nauthor:\n'
        '  name: "Amélie Durand"\n  role: "Radiographer"\n  country: FR\nconsent: true\n'
        "submitted: 2020-11-03\nbody: |\n  First paragraph.\n\n  Second paragraph.\n"
        'photos:\n  - file: "photos/amelie-durand-1.jpg"\n    alt: "The ward at night"\n'
    )
    assert (ready.root / "submissions/incoming/photos/amelie-durand-1.jpg").read_bytes() == jpeg_bytes()
    check = run("check", cwd=ready.root)
    assert check.code == 0, check.stderr


@pytest.mark.parametrize(
    ("cell", "code"),
    [("Deutschland", "DE"), ("UK", "GB"), ("U.S.A.", "US"), ("España", "ES"), ("fra", "FR"), ("NO", "NO"),
     ("Österreich", "AT"), ("Côte d'Ivoire", "CI")],
)  # fmt: skip
def test_countries_from_codes_and_names(ready: BookFolder, run, cell: str, code: str) -> None:
    write_csv(ready.root, [response(Country=cell)])
    assert _import(run, ready).code == 0
    assert f"  country: {code}\n" in _incoming(ready)["amelie-durand.yaml"]


@pytest.mark.parametrize(
    ("cell", "tag"),
    [("Français", "fr"), ("العربية", "ar"), ("日本語", "ja"), ("Spanish", "es"), ("pt_BR", "pt-BR"), ("de", "de")],
)
def test_languages_from_tags_and_names(ready: BookFolder, run, cell: str, tag: str) -> None:
    write_csv(ready.root, [response(Language=cell)])
    assert _import(run, ready).code == 0
    assert f"language: {tag}\n" in _incoming(ready)["amelie-durand.yaml"]


def test_themes_from_ids_or_titles(ready: BookFolder, run) -> None:
    write_csv(ready.root, [response(Theme="Theme two"), response(Full_name="B", Theme="one")])
    assert _import(run, ready).code == 0
    files = _incoming(ready)
    assert "theme: two\n" in files["amelie-durand.yaml"] and "theme: one\n" in files["b.yaml"]


def test_unknown_values_are_problems_with_the_row_and_the_row_is_written_pending(ready: BookFolder, run) -> None:
    write_csv(
        ready.root,
        [response(), response(Full_name="Bo", Country="Germny", Theme="nope", Language="Klingonish", Consent="maybe")],
    )
    result = _import(run, ready)
    assert result.code == 1
    assert result.problems == [
        'responses.csv:5: F005 "Consent": the answer "maybe" is not listed under values: consent in the map',
        'responses.csv:5: F008 "Language": "Klingonish" is not a language make-book knows; write a tag like fr or pt-BR, or the language\'s name',
        'responses.csv:5: F009 "Country": "Germny" is not a country make-book knows (did you mean DE?)',
        'responses.csv:5: S002 "Theme": "nope" is neither the id nor the title of a theme (one, two)',
    ]
    text = _incoming(ready)["bo.yaml"]
    assert "status: pending\n" in text
    assert '# F009 "Country": "Germny" is not a country make-book knows (did you mean DE?)' in text


def test_dates_in_the_forms_formats(ready: BookFolder, run) -> None:
    rows = [response(Full_name=n, Timestamp=t) for n, t in
            [("A", "2020/11/03 10:12:01 AM GMT+1"), ("B", "25/11/2020 09:00"), ("C", "3 November 2020"),
             ("D", "2020-11-04T08:00:00Z"), ("E", "November 5, 2020")]]  # fmt: skip
    write_csv(ready.root, rows)
    assert _import(run, ready).code == 0
    files = _incoming(ready)
    found = [line for name in "abcde" for line in files[f"{name}.yaml"].splitlines() if line.startswith("submitted")]
    assert found == [f"submitted: 2020-11-{d}" for d in ("03", "25", "03", "04", "05")]


def test_a_day_over_12_settles_the_order_of_the_column(ready: BookFolder, run) -> None:
    write_csv(
        ready.root, [response(Full_name="A", Timestamp="03/04/2020"), response(Full_name="B", Timestamp="04/25/2020")]
    )
    assert _import(run, ready).code == 0
    assert "submitted: 2020-03-04" in _incoming(ready)["a.yaml"]


def test_ambiguous_dates_need_date_order(ready: BookFolder, run) -> None:
    write_csv(ready.root, [response(Full_name="A", Timestamp="03/04/2020 10:00")])
    result = _import(run, ready)
    assert result.code == 1
    assert result.problems == [
        'responses.csv:2: I025 "Timestamp": dates like "03/04/2020 10:00" can be read day first or month first, '
        "and no date in the column says which; add date_order: DMY or MDY to the map"
    ]
    assert _incoming(ready) == {}
    ready.write("import.yaml", "date_order: DMY\n" + MAP)
    assert _import(run, ready).code == 0
    assert "submitted: 2020-04-03" in _incoming(ready)["a.yaml"]


def test_cp1252_semicolons_and_utf8_bom_tabs(ready: BookFolder, run) -> None:
    (ready.root / "responses.csv").write_bytes(
        csv_text([response(Full_name="Zoë Ñuñez")], delimiter=";").encode("cp1252")
    )
    assert _import(run, ready).code == 0
    assert 'name: "Zoë Ñuñez"' in _incoming(ready)["zoe-nunez.yaml"]
    (ready.root / "tabs.csv").write_bytes(
        b"\xef\xbb\xbf" + csv_text([response(Full_name="Tab Person")], delimiter="\t").encode()
    )
    assert _import(run, ready, export="tabs.csv").code == 0
    assert "tab-person.yaml" in _incoming(ready)


def test_xlsx_formulas_stay_text_and_rows_are_spreadsheet_rows(ready: BookFolder, run) -> None:
    import datetime as dt

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append([dt.datetime(2020, 11, 3, 10, 0), *response(Title='=HYPERLINK("http://x.org","click")')[1:]])
    sheet.append([None] * len(HEADER))
    sheet.append([dt.datetime(2020, 11, 4), *response(Full_name="B", Country="Atlantis")[1:]])
    book.save(ready.root / "responses.xlsx")
    result = _import(run, ready, export="responses.xlsx")
    assert result.problems == [
        'responses.xlsx:4: F009 "Country": "Atlantis" is not a country make-book knows; write an ISO code like FR or the country\'s name'
    ]
    text = _incoming(ready)["amelie-durand.yaml"]
    assert 'title: "=HYPERLINK(\\"http://x.org\\",\\"click\\")"' in text
    assert "submitted: 2020-11-03" in text


def test_ods_rows_are_read_with_their_numbers(ready: BookFolder, run) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Responses")
    for cells in [HEADER, response(), [""] * len(HEADER), response(Full_name="Bo", Language="Klingonish")]:
        row = TableRow()
        for cell in cells:
            tc = TableCell()
            for line in cell.split("\n"):
                tc.addElement(P(text=line))
            row.addElement(tc)
        table.addElement(row)
    doc.spreadsheet.addElement(table)
    doc.save(str(ready.root / "responses.ods"))
    result = _import(run, ready, export="responses.ods")
    assert result.problems == [
        'responses.ods:4: F008 "Language": "Klingonish" is not a language make-book knows; write a tag like fr or pt-BR, or the language\'s name'
    ]
    assert "body: |\n  First paragraph.\n\n  Second paragraph.\n" in _incoming(ready)["amelie-durand.yaml"]


def test_several_files_in_one_cell_links_and_decomposed_names(ready: BookFolder, run) -> None:
    nfd = unicodedata.normalize("NFD", "salle-été.jpg")
    ready.write(f"files/{nfd}", jpeg_bytes(color=(1, 2, 3)))
    ready.write("files/uploads/b.jpg", jpeg_bytes(color=(4, 5, 6)))
    ready.write("files/IMG 1 - Ann 1AbCdEfGhIjK.jpg", jpeg_bytes(color=(7, 8, 9)))
    cell = "salle-été.jpg, b.jpg\nhttps://drive.google.com/open?id=1AbCdEfGhIjK\nhttps://example.org/u/missing.jpg"
    write_csv(ready.root, [response(Photos=cell, Photo_descriptions="One\nTwo\nThree\nFour")])
    result = _import(run, ready)
    assert result.problems == [
        'responses.csv:2: warning: I030 "Photos": the link https://example.org/u/missing.jpg matches no file under files (make-book never downloads: save the file there)'
    ]
    text = _incoming(ready)["amelie-durand.yaml"]
    assert [line.strip() for line in text.splitlines() if "alt:" in line] == [
        'alt: "One"',
        'alt: "Two"',
        'alt: "Three"',
    ]
    photos = ready.root / "submissions/incoming/photos"
    assert (photos / "amelie-durand-3.jpg").read_bytes() == jpeg_bytes(color=(7, 8, 9))


def test_heic_photos_become_jpeg(ready: BookFolder, run) -> None:
    from PIL import Image
    from pillow_heif import register_heif_opener

    register_heif_opener()
    Image.new("RGB", (64, 48), (0, 0, 200)).save(ready.root / "files" / "IMG_0001.HEIC")
    write_csv(ready.root, [response(Photos="IMG_0001.HEIC", Photo_descriptions="Blue")])
    assert _import(run, ready).code == 0
    data = (ready.root / "submissions/incoming/photos/amelie-durand-1.jpg").read_bytes()
    assert data.startswith(b"\xff\xd8\xff")
    assert run("check", cwd=ready.root).code == 0


def test_other_picture_kinds_are_refused(ready: BookFolder, run) -> None:
    from PIL import Image

    Image.new("RGB", (8, 8)).save(ready.root / "files" / "a.gif")
    write_csv(ready.root, [response(Photos="a.gif")])
    result = _import(run, ready)
    assert result.problems == [
        'responses.csv:2: I033 "Photos": "a.gif" is a GIF picture; make-book takes JPEG, PNG and HEIC: convert it to JPEG'
    ]
    assert "status: pending" in _incoming(ready)["amelie-durand.yaml"]


def test_paths_out_of_the_files_folder_are_refused(ready: BookFolder, run, tmp_path: Path) -> None:
    (tmp_path / "secret.jpg").write_bytes(jpeg_bytes())
    os.symlink(tmp_path / "secret.jpg", ready.root / "files" / "link.jpg")
    cell = f"../secret.jpg\n{tmp_path / 'secret.jpg'}\nlink.jpg"
    write_csv(ready.root, [response(Photos=cell)])
    result = _import(run, ready)
    assert result.code == 1
    assert result.problems == [
        'responses.csv:2: I031 "Photos": "../secret.jpg" contains ..; files must be inside the files folder',
        f'responses.csv:2: I031 "Photos": "{tmp_path / "secret.jpg"}" is an absolute path; name the file as it is under the files folder',
        'responses.csv:2: I031 "Photos": "link.jpg" is a symbolic link under the files folder; copy the file there instead',
    ]
    assert not (ready.root / "submissions/incoming/photos").exists()


def test_reimport_adds_only_new_rows_after_edits_moves_and_approval(ready: BookFolder, run) -> None:
    rows = [response(Full_name="A"), response(Full_name="B"), response(Full_name="C")]
    write_csv(ready.root, rows[:2])
    assert _import(run, ready).code == 0
    incoming = ready.root / "submissions" / "incoming"
    a = incoming / "a.yaml"
    a.write_text(a.read_text(encoding="utf-8").replace("Twelve-hour shifts", "Edited title"), encoding="utf-8")
    (ready.root / "submissions" / "done").mkdir()
    (incoming / "b.yaml").rename(ready.root / "submissions" / "done" / "b.yaml")
    write_csv(ready.root, rows)
    result = _import(run, ready)
    assert result.code == 0
    assert result.lines[-1] == "make-book: 2 response(s) were imported before and were skipped"
    assert sorted(_incoming(ready)) == ["a.yaml", "c.yaml"]
    assert "Edited title" in a.read_text(encoding="utf-8")
    a.unlink()
    assert _import(run, ready).code == 0
    assert sorted(_incoming(ready)) == ["a.yaml", "c.yaml"]


def test_nothing_is_overwritten(ready: BookFolder, run) -> None:
    ready.submission("amelie-durand", "mine\n", folder="elsewhere/")
    write_csv(ready.root, [response()])
    assert _import(run, ready).code == 0
    assert list(_incoming(ready)) == ["amelie-durand-2.yaml"]
    assert (ready.root / "submissions/elsewhere/amelie-durand.yaml").read_text() == "mine\n"


# Hostile exports


def test_a_huge_cell_is_a_problem_and_the_row_is_still_written(ready: BookFolder, run) -> None:
    write_csv(ready.root, [response(Your_testimonial="x" * 5_000_000)])
    result = _import(run, ready)
    assert result.problems == [
        'responses.csv:2: I026 "Your testimonial": the answer is 5,000,000 characters long, more than the 400,000 an entry can hold; it was left out'
    ]
    assert "body:" not in _incoming(ready)["amelie-durand.yaml"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "I010 the export is empty"),
        (b"a,b\n1,2,3\n", "I010 row 2 has 3 or more cells but the export has 2 columns"),
        (b"a,a\n1,2\n", 'I010 two columns have the title "a" (columns 1 and 2); rename one'),
        (b"a,b\n", "I010 the export has column titles but no responses"),
    ],
)
def test_unreadable_csv_exports_import_nothing(ready: BookFolder, run, content: bytes, message: str) -> None:
    (ready.root / "responses.csv").write_bytes(content)
    result = _import(run, ready)
    assert result.code == 1
    assert result.problems == [f"responses.csv: {message}"]
    assert _incoming(ready) == {}


def test_a_corrupt_or_renamed_spreadsheet_imports_nothing(ready: BookFolder, run) -> None:
    (ready.root / "responses.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    assert _import(run, ready, export="responses.xlsx").problems == [
        "responses.xlsx: I010 the export is damaged: its zip archive cannot be read"
    ]
    (ready.root / "r.xlsx").write_bytes(b"%PDF-1.4 renamed")
    assert _import(run, ready, export="r.xlsx").problems == [
        "r.xlsx: I010 the export is not what its name says: it is a PDF file"
    ]


def test_a_map_naming_a_missing_column_imports_nothing(ready: BookFolder, run) -> None:
    ready.write("import.yaml", MAP.replace('"Your role"', '"Your job"'))
    write_csv(ready.root, [response()])
    result = _import(run, ready)
    assert result.problems == ['import.yaml:5: I004 the export has no column "Your job" (did you mean "Your role"?)']
    assert _incoming(ready) == {}


def test_a_map_with_an_unknown_field(ready: BookFolder, run) -> None:
    ready.write("import.yaml", MAP.replace("author.role", "author.rol"))
    write_csv(ready.root, [response()])
    assert _import(run, ready).problems == [
        'import.yaml:5:16: I003 "Your role" feeds an unknown field "author.rol" (did you mean "author.role"?)'
    ]


# One test a remaining problem code


def test_map_problems_name_the_map_and_line(ready: BookFolder, run) -> None:
    ready.write("import.yaml", 'status: done\ncolumnz: {}\ncolumns:\n  "Title": title\n')
    write_csv(ready.root, [response()])
    assert _import(run, ready).problems == [
        'import.yaml:1:9: I002 "status" must be one of approved, pending, rejected, withdrawn, got "done"',
        'import.yaml:2:1: I002 unknown field "columnz" in the map (did you mean "columns"?)',
    ]


def test_a_required_field_no_column_feeds_is_a_warning(ready: BookFolder, run) -> None:
    ready.write("import.yaml", MAP.replace('  "Your role": author.role\n', ""))
    write_csv(ready.root, [response()])
    result = _import(run, ready)
    assert result.code == 0
    assert result.problems == [
        'import.yaml: warning: I005 no column feeds the required field "author.role": add it to each entry before approving',
        'responses.csv:2: warning: I036 written as pending, not approved: no "author.role"',
    ]
    assert "status: pending" in _incoming(ready)["amelie-durand.yaml"]


def test_the_maps_theme_must_be_in_the_book(ready: BookFolder, run) -> None:
    ready.write("import.yaml", "theme: three\n" + MAP)
    write_csv(ready.root, [response()])
    assert _import(run, ready).problems == ['import.yaml: I006 the theme "three" is not in book.yaml']


def test_into_may_not_be_a_symbolic_link(ready: BookFolder, run, tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (ready.root / "submissions").mkdir()
    os.symlink(tmp_path / "elsewhere", ready.root / "submissions" / "incoming")
    write_csv(ready.root, [response()])
    result = _import(run, ready)
    assert result.problems == [
        f"submissions/incoming: I007 {ready.root / 'submissions' / 'incoming'} is a symbolic link; make-book writes only into real folders"
    ]
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_unreadable_date_status_and_order(ready: BookFolder, run) -> None:
    ready.write("import.yaml", MAP.replace("values:", '  "Status": status\n  "Order": order\nvalues:'))
    header = [*HEADER, "Status", "Order"]
    write_csv(ready.root, [[*response(Timestamp="someday"), "maybe", "first"]], header=header)
    assert _import(run, ready).problems == [
        'responses.csv:2: F006 "Order": "first" is not a whole number',
        'responses.csv:2: F007 "Timestamp": "someday" is not a date make-book can read',
        'responses.csv:2: S001 "Status": "maybe" is not a status (approved, pending, rejected, withdrawn)',
    ]


def test_photos_and_descriptions_that_do_not_pair_up(ready: BookFolder, run) -> None:
    ready.write("files/a.jpg", jpeg_bytes())
    ready.write("files/b.jpg", jpeg_bytes(color=(1, 1, 1)))
    write_csv(ready.root, [response(Photos="a.jpg\nb.jpg", Photo_descriptions="Only one")])
    result = _import(run, ready)
    assert result.code == 0
    assert result.problems == [
        "responses.csv:2: warning: I034 the response names 2 photo(s) but gives 1 descriptions; check which goes with which",
        'responses.csv:2: warning: I035 photo 2 ("b.jpg") has no description (alt text); add one before approving',
        "responses.csv:2: warning: I036 written as pending, not approved: a photo has no description",
    ]
    assert "status: pending" in _incoming(ready)["amelie-durand.yaml"]


def test_a_refused_picture_inside_a_document(ready: BookFolder, run) -> None:
    import io

    import docx
    from PIL import Image

    d = docx.Document()
    d.add_paragraph("Text.")
    gif = io.BytesIO()
    Image.new("RGB", (20, 20)).save(gif, "GIF")
    d.add_picture(io.BytesIO(gif.getvalue()))
    d.save(str(ready.root / "files" / "story.docx"))
    write_csv(ready.root, [response(Your_testimonial="story.docx")])
    result = _import(run, ready)
    assert result.problems == [
        'responses.csv:2: warning: I042 "Your testimonial": "story.docx, picture 1" is a GIF picture; make-book takes JPEG, PNG and HEIC: convert it to JPEG; the picture was left out'
    ]


def test_forbidden_characters_are_left_out(ready: BookFolder, run) -> None:
    write_csv(ready.root, [response(Full_name="Evil\u202eName", Title="Bell\x07")])
    assert _import(run, ready).problems == [
        'responses.csv:2: I027 "Full name": the answer contains the character U+202E (RIGHT-TO-LEFT OVERRIDE), which is not allowed here; it was left out',
        'responses.csv:2: I027 "Title": the answer contains the character U+0007 (a control character), which is not allowed here; it was left out',
    ]


def test_a_response_without_consent_is_never_approved(ready: BookFolder, run) -> None:
    write_csv(ready.root, [response(), response(Full_name="No Consent", Consent="No")])
    result = _import(run, ready)
    assert result.code == 0
    assert result.problems == [
        "responses.csv:5: warning: I036 written as pending, not approved: the author did not consent"
    ]
    files = _incoming(ready)
    assert "status: pending\n" in files["no-consent.yaml"] and "consent: false\n" in files["no-consent.yaml"]
    assert run("check", cwd=ready.root).code == 0


@pytest.mark.parametrize(
    ("cell", "tag"),
    [("Português (Brasil)", "pt-BR"), ("Chinese (Simplified)", "zh-Hans"), ("English (UK)", "en-GB"),
     ("arabe", "ar"), ("Bahasa Indonesia", "id")],
)  # fmt: skip
def test_languages_with_a_region_or_script_or_named_in_another_language(ready: BookFolder, run, cell, tag) -> None:
    write_csv(ready.root, [response(Language=cell)])
    assert _import(run, ready).code == 0
    assert f"language: {tag}\n" in _incoming(ready)["amelie-durand.yaml"]


@pytest.mark.parametrize(("cell", "code"), [("Allemagne", "DE"), ("Schweiz/Suisse", "CH"), ("Republic of Korea", "KR")])
def test_countries_named_in_another_language_or_twice(ready: BookFolder, run, cell, code) -> None:
    write_csv(ready.root, [response(Country=cell)])
    assert _import(run, ready).code == 0
    assert f"  country: {code}\n" in _incoming(ready)["amelie-durand.yaml"]


def test_a_files_folder_that_does_not_exist_is_a_usage_error(ready: BookFolder, run) -> None:
    write_csv(ready.root, [response()])
    result = run("import", "responses.csv", "--files", "nowhere", cwd=ready.root)
    assert result.code == 2
    assert result.lines == ["make-book: --files nowhere is not a folder"]


def test_a_missing_export_or_another_kind(ready: BookFolder, run) -> None:
    assert _import(run, ready, export="gone.csv").problems == [
        "gone.csv: I010 the export cannot be read: No such file or directory"
    ]
    (ready.root / "responses.pdf").write_bytes(b"%PDF-1.4")
    assert _import(run, ready, export="responses.pdf").problems == [
        'responses.pdf: I010 make-book reads .csv, .xlsx and .ods exports, not ".pdf"'
    ]


def test_descriptions_pair_with_the_files_as_written_even_when_one_is_missing(ready: BookFolder, run) -> None:
    ready.write("files/b.jpg", jpeg_bytes())
    write_csv(ready.root, [response(Photos="a.jpg, b.jpg", Photo_descriptions="Of a\nOf b")])
    result = _import(run, ready)
    assert result.problems == ['responses.csv:2: warning: I030 "Photos": "a.jpg" matches no file under files']
    assert (
        'photos:\n  - file: "photos/amelie-durand-1.jpg"\n    alt: "Of b"\n' in _incoming(ready)["amelie-durand.yaml"]
    )


def test_a_column_title_on_several_lines_is_named_on_one(ready: BookFolder, run) -> None:
    header = [("Full\nname  " if h == "Full name" else h) for h in HEADER]
    write_csv(ready.root, [response()], header=header)
    assert _import(run, ready).code == 0
    assert "amelie-durand.yaml" in _incoming(ready)


@pytest.mark.parametrize(
    ("title", "field"),
    [("Horodateur", "submitted"), ("Nom complet", "author.name"), ("Name of your hospital", "author.affiliation"),
     ("Votre rôle", "author.role"), ("Pays", "author.country"), ("Titre de votre témoignage", "title"),
     ("Votre témoignage", "body"), ("Descriptions des photos", "photos.alt"), ("Adresse e-mail", "")],
)  # fmt: skip
def test_the_proposed_map_guesses_titles_in_other_languages(title: str, field: str) -> None:
    from ebook.importing.column_map import guess

    assert guess(title) == field


def test_map_theme_for_all_status_ignored_columns_and_joined_names(ready: BookFolder, run) -> None:
    ready.write(
        "import.yaml",
        'status: pending\ntheme: two\ncolumns:\n  "First": author.name\n  "Last": author.name\n'
        '  "Role": author.role\n  "Story": body\n  "Email":\n',
    )
    write_csv(ready.root, [["Ada", "Lovelace", "Nurse", "Text.", "ada@example.org"]],
              header=["First", "Last", "Role", "Story", "Email"])  # fmt: skip
    result = _import(run, ready)
    assert result.code == 0
    text = _incoming(ready)["ada-lovelace.yaml"]
    assert "status: pending\ntheme: two\n" in text
    assert 'name: "Ada Lovelace"' in text
    assert "example.org" not in text


def test_a_body_named_as_a_text_file(ready: BookFolder, run) -> None:
    ready.write("files/story.md", "A *Markdown* story.\n\nTwo paragraphs.\n")
    write_csv(ready.root, [response(Your_testimonial="story.md")])
    assert _import(run, ready).problems == []
    assert "body: |\n  A *Markdown* story.\n\n  Two paragraphs.\n" in _incoming(ready)["amelie-durand.yaml"]
