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
from ebook.model import Book, Part
from ebook.pdf.document import ASSET_SCHEME, Layout, lay_out
from ebook.render.pictures import ImageJobs, PreparedImage, plan
from ebook.render.views import EntryView
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


@dataclass(frozen=True)
class Proofed:
    """An entry to proof, and where its pages begin in the book."""

    view: EntryView
    part: Part
    number: int  # the number of its first page

    @property
    def side(self) -> str:
        """Body pages 1, 3, 5… are right-hand, in either direction (pdf/page_numbers.py)."""
        return "right" if self.number % 2 else "left"


def proofs_layout(
    proofs: tuple[Proofed, ...], book: Book, layouts: Layouts, mark: Mark, patches: tuple[str, ...]
) -> Layout:
    """One document of several proofs, in the book's order. WeasyPrint begins a left-to-right
    document on a right-hand page and a right-to-left one on a left-hand page; where the first
    proof begins on the other side, a page is laid out first and dropped (lead.html)."""
    lead = (proofs[0].side == "right") == (book.config.direction == "rtl")
    html = layouts.env.get_template("proof.html").render(
        book=book,
        labels=mark.labels,
        proofs=proofs,
        date=mark.date,
        lead=lead,
        src=lambda image: ASSET_SCHEME + image.name,
        href=lambda target: f"#{target.anchor}",
        link=lambda anchor: f"#{anchor}",
        page_of=lambda anchor: None,
    )
    css = "\n".join(layouts.text(name) for name in ("book.css", "print.css", "proof.css"))
    photos = (photo.image for proof in proofs for photo in proof.view.photos)
    layout = Layout(
        SECTION,
        html,
        css,
        {ASSET_SCHEME + image.name: image.loaded() for image in photos},
        proofs[0].number,
        tuple(proof.view.anchor for proof in proofs),
        {proof.view.anchor: proof.view.entry.language for proof in proofs},
        lead,
        book.config.language,
        book.config.identifier.encode(),
        mark.epoch,
    )
    return dataclasses.replace(layout, patches=patches)


@dataclass(frozen=True)
class LaidProof:
    data: bytes  # the PDF
    pages: int


@dataclass(frozen=True)
class LaidProofs:
    proofs: dict[str, LaidProof]  # by anchor; none if WeasyPrint complained
    messages: tuple[str, ...]  # WeasyPrint's warnings


def lay_out_proofs(layout: Layout, titles: dict[str, str], numbers: dict[str, int]) -> LaidProofs:
    """In a child process: the document laid out, written, and cut into one PDF a proof (by its
    entry's anchor; titles: their PDFs' titles), with page labels that are the numbers its pages
    have in the book (a PDF viewer shows "57" where the page says 57)."""
    laid = lay_out(layout)
    if laid.messages or laid.lost:
        return LaidProofs({}, laid.messages or (f'the layout dropped the id "{laid.lost}"',))
    import pikepdf

    starts = sorted((page - 1, anchor) for anchor, page in laid.anchors.items())
    ends = [begin for begin, _ in starts[1:]] + [laid.pages]
    blank = set(laid.blanks)
    proofs = {}
    with pikepdf.open(io.BytesIO(laid.data)) as whole:
        for (begin, anchor), end in zip(starts, ends, strict=True):
            kept = [whole.pages[i] for i in range(begin, end) if i not in blank]
            with pikepdf.new() as pdf:
                pdf.pages.extend(kept)
                label = pikepdf.Dictionary(S=pikepdf.Name.D, St=numbers[anchor])
                pdf.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array([0, label]))
                pdf.Root.Lang = pikepdf.String(layout.main_language)
                pdf.docinfo["/Title"] = pikepdf.String(titles[anchor])
                pdf.docinfo["/Creator"] = pikepdf.String("make-book")
                out = io.BytesIO()
                pdf.save(out, deterministic_id=True)
            proofs[anchor] = LaidProof(out.getvalue(), len(kept))
    return LaidProofs(proofs, ())
