"""One proof as a WeasyPrint document: the entry with the book's own templates and style sheets
(book.css, print.css, entry.html), numbered from the number its first page has in the book, and
the mark of proof.html and proof.css; laid out in a child process of workers.py (lay_out_proof).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ebook.bookkeeping.kept import file_digest, keep_file
from ebook.model import Book, Part
from ebook.pdf.document import ASSET_SCHEME, Layout, lay_out
from ebook.pdf.number_styles import number_styles
from ebook.render.pictures import ImageJobs, PreparedImage, plan
from ebook.render.views import EntryView
from ebook.templates.folders import BUILT_IN
from ebook.templates.load import Layouts

PROOF_LABELS = ("proof", "proof_entry", "proof_status", "proof_date", "proof_check")
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


def prepared_pictures(book: Book, needed: set[str], kept: Path) -> tuple[ImageJobs, dict[Path, PreparedImage]]:
    """Every picture of the book as the build names and sizes it. Only those the proofs show (of
    the entries in needed, and the cover) and pictures that are not JPEG (the book's documents
    take those as they are) are prepared, and kept in kept/images; a JPEG of another entry stands
    in for itself by its header alone, as the book's documents take a stand-in for it
    (stand_ins.py)."""
    sources = [p.source for e in book.entries for p in e.photos] + ([book.config.cover] if book.config.cover else [])
    digests = _digests(sources, kept / "digests.json")
    shown: list[Path] = [p.source for e in book.entries if e.id in needed for p in e.photos]
    planned: dict[Path, PreparedImage] = {}
    for entry in book.entries:
        for photo in entry.photos:
            if entry.id in needed or photo.source in planned:
                continue
            try:
                target = plan(photo.source, digests.get(photo.source) or file_digest(photo.source))
            except (OSError, ValueError, SyntaxError):
                shown.append(photo.source)  # its problem is the build's to report
                continue
            if not target.jpeg:
                shown.append(photo.source)
                continue
            planned[photo.source] = PreparedImage(target.name, "image/jpeg", target.width, target.height, _not_shown)
    if book.config.cover:
        shown.append(book.config.cover)
    jobs = ImageJobs(shown, kept / "images", digests)
    return jobs, {**planned, **{source: jobs.image(source) for source in jobs.plans}}


def _digests(sources: list[Path], kept: Path) -> dict[Path, str]:
    """The SHA-256 of each picture, which names it, kept from one proof to the next by its path,
    size and time of change (as make does): hashing a book's photos takes a while."""
    try:
        known = json.loads(kept.read_text("utf-8"))
    except (OSError, ValueError):
        known = {}
    digests, found = {}, {}
    for source in dict.fromkeys(sources):
        try:
            stat = source.stat()
        except OSError:
            continue  # its problem is the build's to report
        stamp = f"{stat.st_size}:{stat.st_mtime_ns}"
        entry = known.get(str(source)) if isinstance(known, dict) else None
        if isinstance(entry, list) and len(entry) == 2 and entry[0] == stamp:
            digests[source] = str(entry[1])
        else:
            with contextlib.suppress(OSError):
                digests[source] = file_digest(source)
        if source in digests:
            found[str(source)] = [stamp, digests[source]]
    if found != known:
        with contextlib.suppress(OSError):
            keep_file(kept, json.dumps(found).encode())
    return digests


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
    return dataclasses.replace(layout, patches=patches, number_styles=number_styles(css))


@dataclass(frozen=True)
class LaidProof:
    data: bytes  # the PDF
    pages: int


@dataclass(frozen=True)
class LaidProofs:
    proofs: dict[str, LaidProof]  # by anchor; none if WeasyPrint complained
    messages: tuple[str, ...]  # WeasyPrint's warnings


def checklist(view: EntryView, labels: dict[str, str]) -> str:
    """What the author is asked to check, as the book prints it: the byline and the photo credits."""
    author = view.entry.author
    if author.anonymous:
        who = view.anonymous_label
    else:
        who = ", ".join(part for part in (author.name, author.role, author.affiliation) if part)
    credits = [f"{n}. {photo.credit or '–'}" for n, photo in enumerate(view.photos, start=1)]
    return "\n".join([f"{labels['proof_check']}:", f"{who}, {author.country_name}", *credits])


def lay_out_proofs(
    layout: Layout, titles: dict[str, str], numbers: dict[str, int], notes: dict[str, str]
) -> LaidProofs:
    """In a child process: the document laid out, written, and cut into one PDF a proof (by its
    entry's anchor; titles: their PDFs' titles), with page labels that are the numbers its pages
    have in the book, in its style (a PDF viewer shows "57" where the page says 57), and on its first page a
    note for the author (notes, see checklist): an annotation, which moves nothing on the page."""
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
                # WeasyPrint gives every page the whole document's fonts and pictures: each proof
                # keeps those its pages draw (a tenth of the size for the sample book).
                pdf.remove_unreferenced_resources()
                style = pikepdf.Name(layout.number_styles.pdf_names()[1])
                label = pikepdf.Dictionary(S=style, St=numbers[anchor])
                pdf.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array([0, label]))
                pdf.Root.Lang = pikepdf.String(layout.main_language)
                pdf.docinfo["/Title"] = pikepdf.String(titles[anchor])
                pdf.docinfo["/Creator"] = pikepdf.String("make-book")
                _add_note(pdf, notes[anchor])
                out = io.BytesIO()
                pdf.save(out, deterministic_id=True)
            proofs[anchor] = LaidProof(out.getvalue(), len(kept))
    return LaidProofs(proofs, ())


def _add_note(pdf: Any, text: str) -> None:
    """A text annotation (a note a PDF viewer shows as an icon, and opens) in the first page's top margin."""
    import pikepdf

    page = pdf.pages[0]
    top = float(page.mediabox[3])
    note = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Text,
        Rect=pikepdf.Array([12, top - 36, 30, top - 18]),
        Contents=pikepdf.String(text),
        Name=pikepdf.Name.Comment,
        F=4,  # printed
    )
    annotations = page.obj.get("/Annots", pikepdf.Array())
    annotations.append(pdf.make_indirect(note))
    page.obj.Annots = annotations
