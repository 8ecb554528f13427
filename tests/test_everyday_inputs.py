"""Everyday slips and habits of other systems: built as meant, or refused with a line that says how to fix it."""

from __future__ import annotations

import unicodedata
import zipfile
from collections.abc import Callable

import pytest
from conftest import BookFolder, Run, entry_yaml, jpeg_bytes

PHOTO = """\
photos:
  - file: photos/café.jpg
    alt: "The café of the hospital"
"""


def test_a_photo_whose_name_macos_wrote_decomposed_is_found(book: BookFolder, run: Callable[..., Run]) -> None:
    decomposed = unicodedata.normalize("NFD", "café.jpg")
    assert decomposed != "café.jpg"
    book.write(f"submissions/photos/{decomposed}", jpeg_bytes())
    book.submission("a", entry_yaml(extra=PHOTO))
    result = run("build", cwd=book.root)
    assert result.code == 0, result.stderr
    with zipfile.ZipFile(book.dist / "voices-of-2020.epub") as epub:
        assert any(n.startswith("EPUB/images/") and "cover" not in n for n in epub.namelist())


@pytest.mark.parametrize(
    ("written", "hint"),
    [("UK", "GB"), ("France", "FR"), ("Deutschland", "DE"), ("usa", "US"), ("España", "ES")],
)
def test_a_country_written_as_a_name_or_common_code_gets_a_suggestion(
    book: BookFolder, run: Callable[..., Run], written: str, hint: str
) -> None:
    book.submission("a", entry_yaml(country=f'"{written}"'))
    result = run("check", cwd=book.root)
    assert result.code == 1
    assert result.problems == [
        f'submissions/a.yaml:7:12: F009 "author.country" must be an ISO 3166 country code like FR, got "{written}"'
        f" (did you mean {hint}?)"
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "status: Approved",
            'S001 "status" must be one of approved, pending, rejected, withdrawn, got "Approved" (did you mean approved?)',
        ),
        ("consent: oui", 'F005 "consent" must be true or false, got "oui" (did you mean true?)'),
        ("consent: No", 'F005 "consent" must be true or false, got "No" (did you mean false?)'),
        (
            "submitted: 03/11/2020",
            'F007 "submitted" must be a date written YYYY-MM-DD, got "03/11/2020" (did you mean 2020-11-03 or 2020-03-11?)',
        ),
        (
            "submitted: 25.11.2020",
            'F007 "submitted" must be a date written YYYY-MM-DD, got "25.11.2020" (did you mean 2020-11-25?)',
        ),
        ("theme: Theme one", 'S002 unknown theme "Theme one"; that is the title of the theme whose id is one'),
    ],
)
def test_common_slips_get_a_suggestion(book: BookFolder, run: Callable[..., Run], line: str, expected: str) -> None:
    field = line.split(":")[0]
    text = "\n".join(line if existing.startswith(f"{field}:") else existing for existing in entry_yaml().splitlines())
    if field not in {existing.split(":")[0] for existing in entry_yaml().splitlines()}:
        text = entry_yaml().replace("consent: true", f"consent: true\n{line}")
    book.submission("a", text + "\n")
    result = run("check", cwd=book.root)
    assert result.code == 1
    assert [p.split(": ", 1)[1] for p in result.problems] == [expected]


def test_a_phone_photo_in_heic_is_named_as_such(book: BookFolder, run: Callable[..., Run]) -> None:
    book.write("submissions/photos/IMG_0001.HEIC", b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + bytes(64))
    book.submission("a", entry_yaml(extra="photos:\n  - file: photos/IMG_0001.HEIC\n    alt: A CT room\n"))
    result = run("check", cwd=book.root)
    assert result.problems == [
        'submissions/a.yaml:14:11: P004 photo "photos/IMG_0001.HEIC" is a HEIC/HEIF photo (as phones save them);'
        " save it as JPEG, or let make-book import convert it"
    ]


@pytest.mark.parametrize(
    ("written", "hint"), [("French", "fr"), ("Français", "fr"), ("日本語", "ja"), ("Español", "es")]
)
def test_a_language_written_as_its_name_gets_a_suggestion(
    book: BookFolder, run: Callable[..., Run], written: str, hint: str
) -> None:
    book.submission("a", entry_yaml(language=f'"{written}"'))
    result = run("check", cwd=book.root)
    assert result.code == 1
    assert result.problems == [
        f'submissions/a.yaml:4:11: F008 "language" must be a language tag like en, fr or pt-BR, got "{written}"'
        f" (did you mean {hint}?)"
    ]
