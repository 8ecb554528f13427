"""Redraw docs/pages.png, the README's picture of a few PDF pages, from a built sample book.

Usage: python scripts/readme_pages.py dist/behind-the-images.pdf  (needs poppler's pdftoppm)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image
from pypdf import PdfReader


def pages_to_show(pdf: Path) -> list[int]:
    """The cover, the contents, a theme opener, a page with a photo, a right-to-left entry, the index."""
    reader = PdfReader(pdf)
    marks: dict[str, int] = {}

    def walk(items: list[object]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                marks[item.title] = reader.get_destination_page_number(item)  # type: ignore[attr-defined]

    walk(reader.outline)

    # WeasyPrint shares one resource dictionary between pages, so ask poppler where images are drawn.
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    photo_page = next(int(row.split()[0]) - 1 for row in listing.splitlines()[2:] if int(row.split()[0]) > 10)
    rtl_page = next(index for title, index in marks.items() if any("\u0600" <= c <= "\u06ff" for c in title))
    first_part = min(index for title, index in marks.items() if title not in ("Contents", "Foreword"))
    return [0, marks["Contents"], first_part, photo_page, rtl_page, marks[list(marks)[-1]]]


def main(pdf: Path, out: Path = Path("docs/pages.png")) -> None:
    images = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in pages_to_show(pdf):
            prefix = Path(tmp) / f"p{n}"
            subprocess.run(
                [
                    "pdftoppm",
                    "-r",
                    "45",
                    "-png",
                    "-singlefile",
                    "-f",
                    str(n + 1),
                    "-l",
                    str(n + 1),
                    str(pdf),
                    str(prefix),
                ],
                check=True,
            )
            images.append(Image.open(f"{prefix}.png").convert("RGB"))
    width, height = images[0].size
    sheet = Image.new("RGB", (len(images) * (width + 12) + 12, height + 24), (225, 225, 225))
    for i, image in enumerate(images):
        sheet.paste(image.resize((width, height)), (12 + i * (width + 12), 12))
    sheet.save(out, optimize=True)
    print(f"wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
