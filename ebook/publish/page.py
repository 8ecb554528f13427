"""The download page: one self-contained HTML file beside the two editions."""

from __future__ import annotations

import base64
import hashlib
import io
from dataclasses import dataclass

from PIL import Image

from ebook.render.accessibility import accessibility_metadata
from ebook.render.schema_org import book_schema
from ebook.render.views import RenderedBook
from ebook.templates.load import Layouts


@dataclass(frozen=True)
class Download:
    file_name: str
    label: str
    media_type: str
    size: int | None  # None: the file is still being made (the web edition's links)
    sha256: str | None

    @property
    def size_text(self) -> str:
        if self.size is None:
            return ""
        if self.size < 1024 * 1024:
            return f"{max(1, round(self.size / 1024))} KB"
        return f"{self.size / (1024 * 1024):.1f} MB"


def cover_thumbnail(data: bytes) -> str:
    """The cover, small and inline (the page may use no file beside it), as a data URI: made while
    the PDF is still being written, before the page can be."""
    image = Image.open(io.BytesIO(data)).convert("RGB")
    image.thumbnail((480, 680))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, optimize=True)
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def make_downloads(
    labels: dict[str, str], epub_name: str, epub_data: bytes | None, pdf_name: str, pdf_data: bytes | None
) -> tuple[Download, ...]:
    """The two editions as the download page offers them (with their sizes and digests), or, while
    the files are still being made, as links alone (the web edition's pages, made meanwhile)."""

    def download(name: str, label: str, media_type: str, data: bytes | None) -> Download:
        if data is None:
            return Download(name, label, media_type, None, None)
        return Download(name, label, media_type, len(data), hashlib.sha256(data).hexdigest())

    return (
        download(epub_name, labels["download_epub"], "application/epub+zip", epub_data),
        download(pdf_name, labels["download_pdf"], "application/pdf", pdf_data),
    )


def build_page(
    rendered: RenderedBook,
    layouts: Layouts,
    downloads: tuple[Download, ...],
    page_list: bool,
    cover: str,
    web_edition: tuple[str, str] | None = None,
) -> bytes:
    """cover: cover_thumbnail()'s; downloads: make_downloads()'s; web_edition: the href of the web
    edition's contents (read/index.html, which links back) and the words of the link."""
    labels = layouts.labels
    config = rendered.book.config
    a11y = dict(accessibility_metadata(rendered, page_list, labels))
    schema = {
        **book_schema(config),
        "license": config.license,
        "isbn": config.identifier.split(":")[-1] if "isbn" in config.identifier else None,
        "identifier": config.identifier,
        "editor": [{"@type": "Person", "name": e} for e in config.editors],
        "description": config.description,
        "accessibilitySummary": a11y["schema:accessibilitySummary"],
        "bookFormat": "https://schema.org/EBook",
        "encoding": [
            {
                "@type": "MediaObject",
                "contentUrl": d.file_name,
                "encodingFormat": d.media_type,
                "contentSize": str(d.size),
                "sha256": d.sha256,
            }
            for d in downloads
        ],
    }
    html = layouts.env.get_template("download.html").render(
        book=rendered.book,
        labels=labels,
        downloads=downloads,
        cover=cover,
        accessibility_summary=a11y["schema:accessibilitySummary"],
        countries=rendered.countries,
        web_edition=web_edition,
        schema={k: v for k, v in schema.items() if v not in (None, [])},
    )
    return html.encode("utf-8")
