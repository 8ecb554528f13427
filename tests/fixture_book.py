"""The small real book the integration tests build: two themes, right-to-left and CJK entries,
an anonymous author, a pending entry, a photo with EXIF orientation and GPS data."""

from __future__ import annotations

from pathlib import Path

from conftest import BOOK_YAML, BookFolder, entry_yaml, jpeg_bytes
from PIL import Image

from ebook.cli import main

ARABIC = "عملنا في قسم الأشعة طوال الليل. كانت الممرات هادئة، لكن الأجهزة لم تتوقف عن العمل."
JAPANESE = "四月の夜、私たちは防護服を着て、ポータブル撮影装置を集中治療室へ運んだ。"

# Written in a scrambled file order; the book order is what FORMAT.md says.
ENTRIES = {
    "zola": entry_yaml(title="Night shift in Lyon", name="Émile Zola", body="Nights were long.\n\n" * 30),
    "ruiz": entry_yaml(
        title="The portable round",
        name="Elena Ruiz",
        body="We pushed the machine.\n\n" * 30,
        extra='photos:\n  - file: photos/ruiz.jpg\n    alt: "A portable X-ray unit in a corridor"\n'
        '    caption: "Our portable unit"\n    credit: "Photo: E. Ruiz"\n',
    ),
    "haddad": entry_yaml(
        title="ليلة في قسم الأشعة", name="Yousef Haddad", language="ar", country="JO", body=(ARABIC + "\n\n") * 12
    ),
    "oba": entry_yaml(
        title="防護服の夜", name="Oba Ryosuke", language="ja", country="JP", theme="two", body=(JAPANESE + "\n\n") * 12
    ),
    "first": entry_yaml(title="Opening the book", name="Zed Zimmer", extra="order: 1\n"),
    "anon": entry_yaml(
        title="A quiet voice", name="Hidden Person", theme="two", author_extra="anonymous: true", country="NO"
    ),
    "draft": entry_yaml(title="Not yet", name="Pending Person", status="pending"),
}
BOOK_ORDER = [
    "Opening the book",
    "The portable round",
    "Night shift in Lyon",
    "ليلة في قسم الأشعة",
    "A quiet voice",
    "防護服の夜",
]


def exif_with_gps_and_rotation() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x010F] = "SecretCam"
    exif.get_ifd(0x8825)[2] = (48.0, 51.0, 24.0)  # GPS latitude
    return exif.tobytes()


def make_fixture(root: Path) -> BookFolder:
    book = BookFolder(root)
    book.write("book.yaml", BOOK_YAML)
    for ident, text in ENTRIES.items():
        book.submission(ident, text, folder="nested/deeper/" if ident == "haddad" else "")
    book.write("submissions/photos/ruiz.jpg", jpeg_bytes((900, 600), exif=exif_with_gps_and_rotation()))
    return book


def build(book: BookFolder, *args: str) -> int:
    return main(["build", "--config", str(book.root / "book.yaml"), *args])
