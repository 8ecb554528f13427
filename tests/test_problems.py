"""One case per problem: the input an editor might send, and the exact line make-book must print.

Every case is refused (exit 1) or warned about with file, line and column, never a traceback, and
`make-book build` writes nothing for a refused book.
"""

from __future__ import annotations

import io
import os
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import BookFolder, Run, entry_yaml, jpeg_bytes
from PIL import Image

S = "submissions/x.yaml"


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares a huge picture: the pixel cap must be read before decoding."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(ihdr))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
        + struct.pack(">I", 0)
        + b"IEND"
        + struct.pack(">I", zlib.crc32(b"IEND"))
    )


def gif_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "GIF")
    return out.getvalue()


PHOTO = """\
photos:
  - file: {file}
    alt: "A CT room"
"""

# (id, submission text, files to add, expected problem line)
CASES: list[tuple[str, str | bytes, dict[str, bytes], str]] = [
    (
        "Y002-not-utf8",
        entry_yaml().encode().replace(b"Durand", b"Dur\xe9nd"),
        {},
        f"{S}:5:21: Y002 the file is not UTF-8 text: byte 0xE9 at offset 86 cannot be read; save the file as UTF-8",
    ),
    (
        "Y003-nul",
        entry_yaml(title="Bad\x00title"),
        {},
        f"{S}:3:12: Y003 the file contains the character U+0000 (a control character), which is not allowed in text",
    ),
    (
        "Y003-noncharacter-raw",
        entry_yaml(title="Bad\ufffftitle"),
        {},
        f"{S}:3:12: Y003 the file contains the character U+FFFF (a non-character), which is not allowed in text",
    ),
    (
        "Y004-syntax",
        "status: approved\ntitle: [unclosed\n",
        {},
        f"{S}:3:1: Y004 YAML syntax error: did not find expected ',' or ']'",
    ),
    (
        "Y004-tab-indent",
        "status: approved\nauthor:\n\tname: x\n",
        {},
        f"{S}:3:1: Y004 YAML syntax error: a tab is used for indentation; YAML indents with spaces",
    ),
    (
        "Y004-surrogate-escape",
        entry_yaml().replace('title: "A day in the CT room"', 'title: "bad \\ud800"'),
        {},
        f"{S}:3:15: Y004 YAML syntax error: an escape in a quoted text names a lone surrogate or an invalid character",
    ),
    (
        "Y005-python-tag",
        entry_yaml().replace("theme: one", "theme: !!python/object/apply:os.system ['id']"),
        {},
        f"{S}:2:8: Y005 the tag !!python/object/apply:os.system is not allowed; write plain values",
    ),
    (
        "Y005-str-tag",
        entry_yaml().replace("theme: one", "theme: !!str one"),
        {},
        f"{S}:2:8: Y005 the tag !!str is not allowed; write plain values",
    ),
    (
        "Y006-anchor",
        entry_yaml().replace("theme: one", "theme: &t one"),
        {},
        f"{S}:2:8: Y006 anchors (&t) are not allowed; write each value out",
    ),
    (
        "Y006-alias-bomb",
        "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nstatus: approved\n",
        {},
        f"{S}:1:4: Y006 anchors (&a) are not allowed; write each value out",
    ),
    (
        "Y007-merge-key",
        entry_yaml(author_extra="<<: {role: x}"),
        {},
        f"{S}:8:3: Y007 merge keys (<<) are not allowed; write each field out",
    ),
    (
        "Y008-duplicate-key",
        entry_yaml(extra='title: "Second title"\n'),
        {},
        f'{S}:13:1: Y008 the field "title" is given twice (first on line 3)',
    ),
    (
        "Y009-two-documents",
        entry_yaml() + "---\nstatus: approved\n",
        {},
        f"{S}:13:1: Y009 the file holds several YAML documents (---); keep one entry per file",
    ),
    ("Y010-empty", "", {}, f"{S}:1: Y010 the file is empty"),
    ("Y010-only-comments", "# nothing yet\n", {}, f"{S}:1: Y010 the file is empty"),
    (
        "Y011-list",
        "- status: approved\n",
        {},
        f"{S}:1:1: Y011 the file must be a list of fields (`name: value` lines), not a single list",
    ),
    (
        "Y011-text",
        "just some words\n",
        {},
        f"{S}:1:1: Y011 the file must be a list of fields (`name: value` lines), not a single text",
    ),
    (
        "Y012-deep",
        "status: approved\nbody: " + "[" * 30 + "]" * 30 + "\n",
        {},
        f"{S}:2:26: Y012 the values are nested more than 20 levels deep",
    ),
    (
        "T001-escaped-control",
        entry_yaml().replace('title: "A day in the CT room"', 'title: "bell \\a here"'),
        {},
        f'{S}:3:8: T001 "title" contains the character U+0007 (a control character), which is not allowed here',
    ),
    (
        "T001-escaped-noncharacter",
        entry_yaml().replace('title: "A day in the CT room"', 'title: "x \\uFDD0"'),
        {},
        f'{S}:3:8: T001 "title" contains the character U+FDD0 (a non-character), which is not allowed here',
    ),
    (
        "T001-bidi-in-name",
        entry_yaml(name="Eve\u202eevil"),
        {},
        f'{S}:5:9: T001 "author.name" contains the direction control U+202E (RIGHT-TO-LEFT OVERRIDE), '
        "which is not allowed here",
    ),
    (
        "T001-isolate-in-title",
        entry_yaml(title="A \u2066title"),
        {},
        f'{S}:3:8: T001 "title" contains the direction control U+2066 (LEFT-TO-RIGHT ISOLATE), which is not allowed here',
    ),
    (
        "F001-missing-role",
        entry_yaml().replace('  role: "Radiographer"\n', ""),
        {},
        f'{S}:5:3: F001 the required field "author.role" is missing',
    ),
    ("F001-missing-body", entry_yaml().split("body:")[0], {}, f'{S}:1:1: F001 the required field "body" is missing'),
    (
        "F002-typo",
        entry_yaml().replace("author:", "athor:"),
        {},
        f'{S}:4:1: F002 unknown field "athor" (did you mean "author"?)',
    ),
    (
        "F002-unknown-nested",
        entry_yaml(author_extra="email: a@b.c"),
        {},
        f'{S}:8:3: F002 unknown field "author.email"; the fields here are name, sort_name, role, affiliation, '
        "country, anonymous",
    ),
    (
        "F003-title-list",
        entry_yaml().replace('title: "A day in the CT room"', "title: [a, b]"),
        {},
        f'{S}:3:8: F003 "title" must be a text, not a list',
    ),
    (
        "F003-author-text",
        entry_yaml().split("author:")[0] + "author: Amélie\nconsent: true\nbody: x\n",
        {},
        f'{S}:4:9: F003 "author" must be a group of fields, not a text',
    ),
    ("F004-empty-title", entry_yaml(title=""), {}, f'{S}:3:8: F004 "title" is empty'),
    (
        "F005-consent-yes",
        entry_yaml().replace("consent: true", "consent: yes"),
        {},
        f'{S}:8:10: F005 "consent" must be true or false, got "yes" (did you mean true?)',
    ),
    (
        "F006-order",
        entry_yaml(extra="order: first\n"),
        {},
        f'{S}:13:8: F006 "order" must be a whole number like 1 or 2, got "first"',
    ),
    (
        "F007-impossible-date",
        entry_yaml(extra="submitted: 2020-02-30\n"),
        {},
        f'{S}:13:12: F007 "submitted" is not a real date: 2020-02-30',
    ),
    (
        "F007-date-format",
        entry_yaml(extra="submitted: 03/11/2020\n"),
        {},
        f'{S}:13:12: F007 "submitted" must be a date written YYYY-MM-DD, got "03/11/2020" (did you mean 2020-11-03 or 2020-03-11?)',
    ),
    (
        "F008-language",
        entry_yaml(language="english"),
        {},
        f'{S}:4:11: F008 "language" must be a language tag like en, fr or pt-BR, got "english" (did you mean en?)',
    ),
    (
        "F009-country",
        entry_yaml(country="XX"),
        {},
        f'{S}:7:12: F009 "author.country" must be an ISO 3166 country code like FR, got "XX"',
    ),
    (
        "S001-status-unknown",
        entry_yaml(status="maybe"),
        {},
        f'{S}:1:9: S001 "status" must be one of approved, pending, rejected, withdrawn, got "maybe"',
    ),
    (
        "S001-status-missing",
        entry_yaml().replace("status: approved\n", ""),
        {},
        f'{S}:1:1: S001 the required field "status" is missing',
    ),
    (
        "S002-theme",
        entry_yaml(theme="front-lines"),
        {},
        f'{S}:2:8: S002 unknown theme "front-lines"; book.yaml has one, two',
    ),
    (
        "S003-no-consent",
        entry_yaml().replace("consent: true", "consent: false"),
        {},
        f"{S}:8:10: S003 consent is false: an entry can be approved only with the author's consent",
    ),
    (
        "P001-absolute",
        entry_yaml(extra=PHOTO.format(file="/etc/passwd")),
        {},
        f'{S}:14:11: P001 photo "/etc/passwd" is an absolute path; write it relative to the YAML file',
    ),
    (
        "P001-url",
        entry_yaml(extra=PHOTO.format(file="https://example.org/a.jpg")),
        {},
        f'{S}:14:11: P001 photo "https://example.org/a.jpg" is a URL; pictures must be files inside the book folder',
    ),
    (
        "P001-file-url",
        entry_yaml(extra=PHOTO.format(file="file:///etc/passwd")),
        {},
        f'{S}:14:11: P001 photo "file:///etc/passwd" is a URL; pictures must be files inside the book folder',
    ),
    (
        "P001-dotdot",
        entry_yaml(extra=PHOTO.format(file="photos/../../book.yaml")),
        {},
        f'{S}:14:11: P001 photo "photos/../../book.yaml" contains ..; pictures must be inside the folder of the YAML file',
    ),
    (
        "P003-missing",
        entry_yaml(extra=PHOTO.format(file="photos/a.jpg")),
        {},
        f'{S}:14:11: P003 photo "photos/a.jpg" is missing',
    ),
    (
        "P003-case",
        entry_yaml(extra=PHOTO.format(file="photos/a.jpg")),
        {"photos/A.JPG": jpeg_bytes()},
        f'{S}:14:11: P003 photo "photos/a.jpg" is missing (there is photos/A.JPG: the case of the letters differs)',
    ),
    (
        "P004-not-an-image",
        entry_yaml(extra=PHOTO.format(file="photos/a.jpg")),
        {"photos/a.jpg": b"<html>no</html>"},
        f'{S}:14:11: P004 photo "photos/a.jpg" is not a JPEG or PNG picture',
    ),
    (
        "P004-gif",
        entry_yaml(extra=PHOTO.format(file="photos/a.jpg")),
        {"photos/a.jpg": gif_bytes()},
        f'{S}:14:11: P004 photo "photos/a.jpg" is a GIF file; use JPEG or PNG',
    ),
    (
        "P005-truncated",
        entry_yaml(extra=PHOTO.format(file="photos/a.jpg")),
        {"photos/a.jpg": jpeg_bytes()[:2000]},
        f'{S}:14:11: P005 photo "photos/a.jpg" is truncated: the end of the picture is missing',
    ),
    (
        "P006-pixel-bomb",
        entry_yaml(extra=PHOTO.format(file="photos/a.png")),
        {"photos/a.png": png_header_only(12000, 9000)},
        f'{S}:14:11: P006 photo "photos/a.png" declares 12000 × 9000 pixels, more than 100 megapixels',
    ),
    (
        "P006-huge-bomb",
        entry_yaml(extra=PHOTO.format(file="photos/a.png")),
        {"photos/a.png": png_header_only(30000, 30000)},
        f'{S}:14:11: P006 photo "photos/a.png" declares more than 100 megapixels',
    ),
]


@pytest.mark.parametrize(("text", "files", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_refused_with_exact_message(
    book: BookFolder, run: Callable[..., Run], text: str | bytes, files: dict[str, bytes], expected: str
) -> None:
    book.submission("x", text)
    for name, data in files.items():
        book.write(f"submissions/{name}", data)
    result = run("build", cwd=book.root)
    assert result.code == 1, result.stderr
    assert expected in result.problems, result.stderr
    assert "Traceback" not in result.stderr
    assert not book.dist.exists()


def test_every_problem_of_the_run_is_reported_at_once_sorted(book: BookFolder, run: Callable[..., Run]) -> None:
    book.submission("b", entry_yaml(country="XX", theme="nope"))
    book.submission("a", entry_yaml().replace("consent: true", "consent: maybe"))
    result = run("check", cwd=book.root)
    assert result.code == 1
    assert result.problems == [
        'submissions/a.yaml:8:10: F005 "consent" must be true or false, got "maybe"',
        'submissions/b.yaml:2:8: S002 unknown theme "nope"; book.yaml has one, two',
        'submissions/b.yaml:7:12: F009 "author.country" must be an ISO 3166 country code like FR, got "XX"',
    ]
    assert result.lines[-2:] == ["make-book: 3 errors", "make-book: the book has errors"]


def test_problems_that_make_a_file_unusable_are_errors_whatever_its_status(
    book: BookFolder, run: Callable[..., Run]
) -> None:
    book.submission("ok", entry_yaml())
    book.submission("pending", entry_yaml(status="pending", country="XX"))
    book.submission("broken", "status: pending\ntitle: [\n")
    result = run("check", cwd=book.root)
    assert result.code == 1
    assert result.problems == [
        "submissions/broken.yaml:3:1: Y004 YAML syntax error: did not find expected node content",
        'submissions/pending.yaml:7:12: warning: F009 "author.country" must be an ISO 3166 country code like FR, '
        'got "XX"',
    ]


def test_problems_of_entries_left_out_are_warnings(book: BookFolder, run: Callable[..., Run]) -> None:
    book.submission("ok", entry_yaml())
    book.submission("draft", entry_yaml(status="withdrawn").replace("consent: true", "consent: false"))
    result = run("check", cwd=book.root)
    assert result.code == 0, result.stderr
    assert result.problems == [
        'book.yaml:19: warning: S005 theme "two" has no approved entry and is left out',
        "submissions/draft.yaml:8:10: warning: S003 consent is false: an entry can be approved only with the "
        "author's consent",
    ]


def test_duplicate_ids_name_both_files(book: BookFolder, run: Callable[..., Run]) -> None:
    book.submission("durand", entry_yaml(), folder="europe/")
    book.submission("durand", entry_yaml(), folder="late/")
    result = run("check", cwd=book.root)
    assert result.code == 1
    assert result.problems == [
        'submissions/europe/durand.yaml: S004 the id "durand" is also used by submissions/late/durand.yaml; '
        "rename one of the files",
        'submissions/late/durand.yaml: S004 the id "durand" is also used by submissions/europe/durand.yaml; '
        "rename one of the files",
    ]


def test_oversized_file(book: BookFolder, run: Callable[..., Run]) -> None:
    book.submission("x", entry_yaml(body="word " * 220_000))
    result = run("check", cwd=book.root)
    assert result.problems == [f"{S}: Y001 the file is larger than 1024 KiB; split it or shorten it"]


def test_symbolic_links_are_refused(book: BookFolder, run: Callable[..., Run], tmp_path: Path) -> None:
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(jpeg_bytes())
    book.submission("x", entry_yaml(extra=PHOTO.format(file="photos/link.jpg")))
    (book.root / "submissions/photos").mkdir()
    (book.root / "submissions/photos/link.jpg").symlink_to(secret)
    outside = tmp_path / "outside.yaml"
    outside.write_text(entry_yaml())
    (book.root / "submissions/linked.yaml").symlink_to(outside)
    (book.root / "submissions/elsewhere").symlink_to(tmp_path)
    os.mkfifo(book.root / "submissions/pipe.yaml")
    result = run("check", cwd=book.root)
    assert result.problems == [
        "submissions/elsewhere: Y014 the folder is a symbolic link; its files are not read; submissions must be real "
        "files and folders",
        "submissions/linked.yaml: Y014 the file is a symbolic link; submissions must be real files and folders",
        "submissions/pipe.yaml: Y013 the file cannot be read: it is not a regular file",
        f'{S}:14:11: P002 photo "photos/link.jpg" is a symbolic link; copy the picture into the folder instead',
    ]


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        (
            "identifier",
            '"978-3-16-148410-1"',
            'book.yaml:6:13: B001 "identifier" must start with urn:uuid:, urn:isbn: or isbn:, got "978-3-16-148410-1"',
        ),
        (
            "identifier",
            '"urn:isbn:9783161484101"',
            'book.yaml:6:13: B001 "identifier" is not a valid ISBN (the check digit does not match): urn:isbn:9783161484101',
        ),
        (
            "identifier",
            '"urn:uuid:not-a-uuid"',
            'book.yaml:6:13: B001 "identifier" has a malformed UUID: urn:uuid:not-a-uuid',
        ),
        ("date", "2020-13-01", 'book.yaml:7:7: F007 "date" is not a real date: 2020-13-01'),
    ],
)
def test_book_yaml_fields(book: BookFolder, run: Callable[..., Run], field: str, value: str, expected: str) -> None:
    text = (book.root / "book.yaml").read_text()
    lines = [f"{field}: {value}" if line.startswith(f"{field}:") else line for line in text.splitlines()]
    book.write("book.yaml", "\n".join(lines[:1] + lines[2:]) + "\n")  # drop the subtitle: lines move up by one
    book.submission("ok", entry_yaml())
    result = run("check", cwd=book.root)
    assert result.code == 1
    assert expected in result.problems, result.stderr


def test_theme_ids(book: BookFolder, run: Callable[..., Run]) -> None:
    text = (book.root / "book.yaml").read_text()
    book.submission("ok", entry_yaml())
    book.write("book.yaml", text.replace("id: two", "id: 'o ne'"))
    result = run("check", cwd=book.root)
    assert result.problems == ['book.yaml:19:9: B002 theme id "o ne" may use only letters, digits, - and _']
    book.write("book.yaml", text.replace("id: two", "id: one"))
    result = run("check", cwd=book.root)
    assert result.problems == ['book.yaml:19:9: B003 the theme id "one" is used twice (first on line 16)']


def test_missing_book_file_and_empty_book(book: BookFolder, run: Callable[..., Run]) -> None:
    result = run("check", "--config", "nowhere/book.yaml", cwd=book.root)
    assert (result.code, result.problems) == (1, ["nowhere/book.yaml: B004 there is no such book file"])
    result = run("check", cwd=book.root)
    assert result.problems == ["submissions: S006 no submission files found (*.yaml under submissions/)"]
    book.submission("draft", entry_yaml(status="pending"))
    result = run("check", cwd=book.root)
    assert result.problems[-1] == "submissions: S006 no approved entry: the book would be empty"


def test_paths_are_shown_as_given_on_the_command_line(book: BookFolder, run: Callable[..., Run]) -> None:
    book.submission("x", entry_yaml(country="XX"), folder="deep/er/")
    result = run("check", "--config", "book/book.yaml", cwd=book.root.parent)
    assert result.problems == [
        'book/submissions/deep/er/x.yaml:7:12: F009 "author.country" must be an ISO 3166 country code like FR, got "XX"'
    ]


def test_scalars_stay_text(book: BookFolder, run: Callable[..., Run]) -> None:
    """NO is Norway, 012 stays 012, 1:20 and 1.10 are not numbers."""
    from ebook.options import Options
    from ebook.pipeline import load_book

    book.submission(
        "x",
        entry_yaml(country="NO")
        .replace('"A day in the CT room"', "012")
        .replace('role: "Radiographer"', "role: 1:20")
        .replace("First paragraph", "1.10"),
    )
    loaded, _, problems = load_book(Options(book.root / "book.yaml", "book.yaml"))
    assert loaded is not None, problems
    (entry,) = loaded.entries
    assert (entry.title, entry.author.role, entry.author.country_name) == ("012", "1:20", "Norway")
    assert entry.body.startswith("1.10 of the story.")


def damaged_png() -> bytes:
    """A PNG whose end is intact but whose pixel data is not: only decoding can tell."""
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 30, 30)).save(out, "PNG")
    data = bytearray(out.getvalue())
    start = data.index(b"IDAT") + 8
    data[start : start + 20] = b"\xff" * 20
    return bytes(data)


def test_a_picture_damaged_inside_is_found_when_decoded(book: BookFolder, run: Callable[..., Run]) -> None:
    book.submission("x", entry_yaml(extra=PHOTO.format(file="photos/a.png")))
    book.write("submissions/photos/a.png", damaged_png())
    result = run("build", cwd=book.root)
    assert result.code == 1
    (line,) = [p for p in result.problems if " P005 " in p]
    assert line.startswith(f'{S}:14:11: P005 photo "a.png" cannot be decoded (')
    assert line.endswith("); it may be truncated or damaged")
    assert not (book.dist / "voices-of-2020.pdf").exists()
