"""What every page of the web edition needs, gathered once (edition.py describes the whole)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ebook.pdf.page_starts import PageStart
from ebook.problems import Problem
from ebook.publish.page import Download
from ebook.render.views import EntryView, RenderedBook
from ebook.templates.load import Layouts
from ebook.web.labels import web_labels
from ebook.web.pdf_pages import PageRange, entry_pages

RESERVED = frozenset({"index"})  # read/index.html is the contents


@dataclass(frozen=True)
class WebSite:
    """What every page of the web edition needs, gathered once."""

    rendered: RenderedBook
    layouts: Layouts
    labels: dict[str, str]
    pages: dict[str, PageRange]  # the PDF pages of each entry, by anchor
    downloads: tuple[Download, ...] | None
    preview: bool
    shown_problems: tuple[Problem, ...]  # shown on every page
    problems: tuple[Problem, ...]  # the web edition's own, to report
    files: dict[str, str] = field(default_factory=dict)  # entry id -> file name under read/

    def entry_file(self, entry_id: str) -> str:
        return self.files[entry_id]

    def view(self, entry_id: str) -> EntryView:
        return next(v for v in self.rendered.entries if v.entry.id == entry_id)


def entry_files(entry_ids: list[str]) -> dict[str, str]:
    """<entry-id>.html, but for the names the contents takes."""
    taken = set(entry_ids)
    files = {}
    for entry_id in entry_ids:
        name = entry_id
        while name in RESERVED or (name != entry_id and name in taken):
            name += "-entry"
        taken.add(name)
        files[entry_id] = f"{name}.html"
    return files


def web_site(
    rendered: RenderedBook,
    layouts: Layouts,
    page_starts: tuple[PageStart, ...] | None,
    downloads: tuple[Download, ...] | None,
    *,
    preview: bool = False,
    problems: tuple[Problem, ...] = (),
) -> WebSite:
    labels, label_problems = web_labels(layouts)
    anchors = ["foreword"]
    for part in rendered.parts:
        anchors += [part.anchor, *(v.anchor for v in part.entries)]
    anchors += ["acknowledgements", "contributors"]
    return WebSite(
        rendered=rendered,
        layouts=layouts,
        labels=labels,
        pages=entry_pages(anchors, page_starts or ()),
        downloads=downloads,
        preview=preview,
        shown_problems=problems,
        problems=tuple(label_problems),
        files=entry_files([v.entry.id for v in rendered.entries]),
    )
