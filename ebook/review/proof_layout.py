"""One proof as a WeasyPrint document: the entry with the book's own templates and style sheets
(book.css, print.css, entry.html), numbered from the number its first page has in the book, and
the mark of proof.html and proof.css; laid out in a child process of workers.py (lay_out_proof).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import yaml

from ebook.bookkeeping.kept import file_digest
from ebook.model import Book
from ebook.pdf.document import ASSET_SCHEME, Layout, lay_out
from ebook.render.pictures import ImageJobs, PreparedImage, plan
from ebook.render.views import EntryView, PartView
from ebook.templates.folders import BUILT_IN
from ebook.templates.load import Layouts

PROOF_LABELS = ("proof", "proof_entry", "proof_status", "proof_date")
SECTION = "proof"  # the Layout's section: not one of the book's, so never one of its kept documents


@dataclass(frozen=True)
class Mark:
    """What the mark on every page of a proof says."""

    labels: dict[str, str]  # the book's labels, the proof's words in its language
    date: str  # the proof's date, YYYY-MM-DD
    epoch: int  # the PDF's creation date


def proof_mark(book: Book, layouts: Layouts, environ: dict[str, str]) -> Mark:
    """The date is SOURCE_DATE_EPOCH's when it is set (reproducible-builds.org), else today's."""
    epoch_text = environ.get("SOURCE_DATE_EPOCH", "").strip()
    given = epoch_text.isdigit()
    moment = dt.datetime.fromtimestamp(int(epoch_text), dt.UTC) if given else dt.datetime.now(dt.UTC)
    return Mark(_labels(book.config.language, layouts), moment.date().isoformat(), int(moment.timestamp()))


def _labels(language: str, layouts: Layouts) -> dict[str, str]:
    """labels.yaml's words; for a proof's own, where the book's labels.yaml leaves labels.yaml's
    English, those of proof-labels.yaml for the book's language."""
    built_in = yaml.safe_load((BUILT_IN / "labels.yaml").read_text("utf-8"))
    translated = yaml.safe_load((BUILT_IN / "proof-labels.yaml").read_text("utf-8")).get(
        language.split("-")[0].lower(), {}
    )
    labels = dict(layouts.labels)
    for key in PROOF_LABELS:
        if labels[key] == built_in[key] and key in translated:
            labels[key] = translated[key]
    return labels


def prepared_pictures(book: Book, needed: set[str], cache: Path) -> tuple[ImageJobs, dict[Path, PreparedImage]]:
    """Every picture of the book as the build names and sizes it. Only those the proofs show (of
    the entries in needed, and the cover) and pictures that are not JPEG (the book's documents
    take those as they are) are prepared; a JPEG of another entry stands in for itself by its
    header alone, as the book's documents take a stand-in for it (stand_ins.py)."""
    shown: list[Path] = [p.source for e in book.entries if e.id in needed for p in e.photos]
    planned: dict[Path, PreparedImage] = {}
    for entry in book.entries:
        for photo in entry.photos:
            if entry.id in needed or photo.source in planned:
                continue
            try:
                target = plan(photo.source, file_digest(photo.source))
            except (OSError, ValueError, SyntaxError):
                shown.append(photo.source)  # its problem is the build's to report
                continue
            if not target.jpeg:
                shown.append(photo.source)
                continue
            planned[photo.source] = PreparedImage(target.name, "image/jpeg", target.width, target.height, _not_shown)
    if book.config.cover:
        shown.append(book.config.cover)
    jobs = ImageJobs(shown, cache)
    return jobs, {**planned, **{source: jobs.image(source) for source in jobs.plans}}


def _not_shown() -> bytes:
    raise AssertionError("a photo no proof shows was asked for")


def proof_layout(
    view: EntryView,
    part: PartView,
    book: Book,
    layouts: Layouts,
    mark: Mark,
    first_number: int,
    patches: tuple[str, ...],
) -> Layout:
    """The entry's document, its first page numbered first_number and on the side it has in the
    book: body pages 1, 3, 5… are right-hand in either direction (pdf/page_numbers.py), while
    WeasyPrint begins a left-to-right document on a right-hand page and a right-to-left one on a
    left-hand page; where they differ, a page is laid out first and dropped (lead.html)."""
    right_to_left = book.config.direction == "rtl"
    lead = (first_number % 2 == 1) == right_to_left
    template = layouts.env.get_template("proof.html")
    html = template.render(
        book=book,
        labels=mark.labels,
        view=view,
        part=part.part,
        status=view.entry.status,
        date=mark.date,
        first_number=first_number,
        lead=lead,
        src=lambda image: ASSET_SCHEME + image.name,
        href=lambda target: f"#{target.anchor}",
        link=lambda anchor: f"#{anchor}",
        page_of=lambda anchor: None,
    )
    css = "\n".join(layouts.text(name) for name in ("book.css", "print.css", "proof.css"))
    assets = {ASSET_SCHEME + photo.image.name: photo.image.loaded() for photo in view.photos}
    layout = Layout(
        SECTION,
        html,
        css,
        assets,
        first_number,
        (),
        {view.anchor: view.entry.language},
        lead,
        book.config.language,
        book.config.identifier.encode(),
        mark.epoch,
    )
    return dataclasses.replace(layout, patches=patches)


@dataclass(frozen=True)
class LaidProof:
    data: bytes  # the PDF, empty if WeasyPrint complained
    pages: int
    messages: tuple[str, ...]  # WeasyPrint's warnings


def lay_out_proof(layout: Layout) -> LaidProof:
    """In a child process: the document laid out and written, with page labels that are the
    numbers its pages have in the book (a PDF viewer shows "57" where the page says 57)."""
    laid = lay_out(layout)
    if laid.messages:
        return LaidProof(b"", laid.pages, laid.messages)
    import pikepdf

    with pikepdf.open(io.BytesIO(laid.data)) as pdf:
        label = pikepdf.Dictionary(S=pikepdf.Name.D, St=layout.first_number)
        pdf.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array([0, label]))
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return LaidProof(out.getvalue(), laid.pages, ())
