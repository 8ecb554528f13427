"""make-book proof: a PDF of each entry asked for, laid out as in the book, marked as a proof.

1. The book is read as a build reads it, but with the wanted statuses held to an approved entry's
   rules (load_submissions): an entry with a problem gets no proof, the others do.
2. The number of each entry's first page in the book as it would be built now (proof_numbers.py):
   an approved entry's is its number in the book of approved entries; an entry that is not
   approved gets the number it would have if it alone were approved too: that of the next
   approved entry of its theme, which it would come before; else the page after the last approved
   entry of its theme (whose pages are counted by laying it out); else, in a theme with no
   approved entry yet, from the book laid out with it.
3. Each proof is laid out in a child process (workers.py, one at a time a core the process may
   use) and written to `<out>/<id>.pdf` under a name of its own, then renamed.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import jinja2

from ebook.bookkeeping.fingerprints import installed_fingerprint
from ebook.model import Book, BookConfig, Entry
from ebook.options import Options
from ebook.pdf.document import LayoutError
from ebook.pdf.weasyprint.hyphenation import cache_folder
from ebook.pdf.weasyprint.registry import wanted
from ebook.pdf.workers import Workers, usable_cores
from ebook.pdf.write import GROUP_WEIGHT
from ebook.problems import Problem, has_errors, problem, sort_key
from ebook.read.assemble import assemble
from ebook.read.config import load_config, shown_path
from ebook.read.submissions import STATUSES, find_submission_files, load_submissions
from ebook.render.cover import cover_image
from ebook.render.pictures import PreparedImage
from ebook.render.views import RenderedBook, for_print, render_book
from ebook.review.proof_layout import (
    LaidProof,
    LaidProofs,
    Mark,
    Proofed,
    checklist,
    lay_out_proofs,
    prepared_pictures,
    proof_mark,
    proofs_layout,
)
from ebook.review.proof_numbers import KnownPlaces, PlacesOnly, first_numbers
from ebook.templates.load import Layouts, load_layouts

# With --all: the entries that may yet be printed.
EVERY = frozenset({"approved", "pending"})


@dataclass(frozen=True)
class Proofs:
    written: tuple[Path, ...]
    problems: tuple[Problem, ...]
    unknown: tuple[str, ...] = ()  # ids named that no submission has: nothing was done


def submission_ids(config_folder: Path) -> set[str]:
    root = config_folder / "submissions"
    return {path.stem for path in find_submission_files(root) if not path.is_dir()} if root.is_dir() else set()


def make_proofs(
    options: Options, ids: tuple[str, ...], out: Path, progress: Callable[[str], None] = lambda stage: None
) -> Proofs:
    """The proofs of the entries named, or with no id those of every approved or pending entry."""
    if not options.config.is_file():
        return Proofs((), (problem(options.shown_config, 0, 0, "B004", "there is no such book file"),))
    config, problems = load_config(options.config, options.shown_config)
    if config is None:
        return Proofs((), tuple(problems))
    if unknown := tuple(i for i in dict.fromkeys(ids) if i not in submission_ids(config.folder)):
        return Proofs((), (), unknown)
    layouts, layout_problems = load_layouts(config.folder, config.shown_folder)
    problems += layout_problems
    if layouts is None or has_errors(problems):
        return Proofs((), _sorted(problems))
    # The layout process imports WeasyPrint while the book is read.
    with Workers(wanted(options.environ)) as workers:
        progress("reading the book")
        submissions = load_submissions(config, frozenset(STATUSES) if ids else EVERY)
        named = set(ids)
        chosen = [e for e in submissions.entries if e.id in named or (not ids and e.status in EVERY)]
        approved = [e for e in submissions.entries if e.status == "approved"]
        # The problems of the files proofed (every file with --all), and those of no file.
        files = {
            shown_path(config.shown_folder, path.relative_to(config.folder)): path.stem
            for path in find_submission_files(config.folder / "submissions")
        }
        problems += [
            p for p in submissions.problems if not ids or files.get(p.path, "") in named or p.path not in files
        ]
        if not chosen:
            return Proofs((), _sorted(problems))
        book, _ = assemble(config, (*approved, *(e for e in chosen if e.status != "approved")), options.shown_config)
        workers.prepare(book.languages, cache_folder(options.environ))
        progress(f"laying out {len(chosen)} proof{'s' * (len(chosen) != 1)}")
        kept = out / ".make-book"
        jobs, images = prepared_pictures(book, {e.id for e in chosen}, kept)
        with jobs:
            cover = cover_image(config, images.get(config.cover) if config.cover else None)
            places = KnownPlaces(_build_cache(options), kept / "places", installed_fingerprint(options.environ))
            proofing = _Proofing(options, layouts, workers, images, cover, places, not ids)
            try:
                laid, layout_problems = proofing.lay_out(
                    book, approved, chosen, proof_mark(book, layouts, options.environ)
                )
            except LayoutError as error:  # in the book's own documents, laid out for its page numbers
                laid, layout_problems = {}, [problem(options.shown_config, 0, 0, "L005", str(error))]
            except jinja2.TemplateError as error:  # a book's own proof.html (or a template it includes)
                line = getattr(error, "lineno", None) or 0
                message = f"the template cannot be used: {type(error).__name__}: {error}"
                laid, layout_problems = {}, [problem(layouts.shown("proof.html"), line, 0, "L004", message)]
        problems += layout_problems
        written = []
        for entry_id, proof in laid.items():
            written.append(_write_atomically(out / f"{entry_id}.pdf", proof.data))
    return Proofs(tuple(written), _sorted(problems))


def _build_cache(options: Options) -> Path:
    """Where the last build into dist/ beside book.yaml kept its laid-out documents (cache.py)."""
    return options.config.parent / "dist" / ".make-book" / "cache" / "layouts"


def _sorted(problems: list[Problem]) -> tuple[Problem, ...]:
    return tuple(sorted(set(problems), key=sort_key))


class _LayoutNeeded(Exception):
    """A document of the book is not laid out yet (see _Proofing.numbers)."""


class _NoLayout:
    """Stands for the workers while the book's documents are looked up, until one must be laid out."""

    def __init__(self, patches: tuple[str, ...]) -> None:
        self.patches = patches

    def submit(self, *args: object, **kwargs: object) -> int:
        raise _LayoutNeeded


@dataclass(frozen=True)
class _Proofing:
    options: Options
    layouts: Layouts
    workers: Workers
    images: dict[Path, PreparedImage]
    cover: PreparedImage
    places: KnownPlaces
    every: bool  # --all

    def printed(self, book: Book) -> RenderedBook:
        return for_print(render_book(book, self.images, self.cover))

    def book_of(self, config: BookConfig, entries: tuple[Entry, ...]) -> Book:
        return assemble(config, entries, self.options.shown_config, self.options.environ)[0]

    def numbers(
        self, book: Book, wanted: set[str], known: Callable[[dict[str, int]], None] = lambda numbers: None
    ) -> dict[str, int] | None:
        """The number of the first page of these entries (ids) in this book: from what the last
        build or an earlier proof knows, or else from its runs laid out now, up to the last run
        that holds one of them, in layout processes of their own that are stopped as soon as
        those runs know where their pages fall; known is told the numbers each run adds, as
        it is placed, while the others are laid out."""
        rendered = self.printed(book)
        with contextlib.suppress(_LayoutNeeded):
            laying = cast(Workers, _NoLayout(self.workers.patches))
            return first_numbers(rendered, self.layouts, laying, self.places, wanted)
        if self.every:  # every run is wanted: laid out first by the proofs' own workers, set up already
            places_only = cast(Workers, PlacesOnly(self.workers))
            return first_numbers(rendered, self.layouts, places_only, self.places, wanted, known)
        with Workers(self.workers.patches) as workers:  # stopped once the runs wanted are placed
            workers.prepare(book.languages, cache_folder(self.options.environ))
            places_only = cast(Workers, PlacesOnly(workers))
            return first_numbers(rendered, self.layouts, places_only, self.places, wanted, known)

    def lay_out(
        self, book: Book, approved: list[Entry], chosen: list[Entry], mark: Mark
    ) -> tuple[dict[str, LaidProof], list[Problem]]:
        """Each chosen entry's proof, by id, laid out in the workers; their problems."""
        rendered = self.printed(book)
        wanted_ids = {e.id for e in chosen}
        # Each chosen entry's first page is that of an approved entry (itself, or the next of its
        # theme: "at"), or follows the last page of one ("after"), or its theme has none ("alone").
        where: dict[str, tuple[str, str]] = {}
        for part in rendered.parts:
            entries = [view.entry for view in part.entries]
            for i, entry in enumerate(entries):
                if entry.id not in wanted_ids:
                    continue
                later = next((e for e in entries[i + 1 :] if e.status == "approved"), None)
                earlier = next((e for e in reversed(entries[:i]) if e.status == "approved"), None)
                if entry.status == "approved":
                    where[entry.id] = ("at", entry.id)
                elif later is not None:  # it would begin where the next approved entry begins now
                    where[entry.id] = ("at", later.id)
                elif earlier is not None:
                    where[entry.id] = ("after", earlier.id)
                else:  # its theme's opening page would come too
                    where[entry.id] = ("alone", entry.id)
        needed = {ref for how, ref in where.values() if how != "alone"}
        follows = {i: ref for i, (how, ref) in where.items() if how == "after"}
        counted = set(follows.values())  # approved entries whose pages are counted, proofed or not
        views = [(view, part) for part in rendered.parts for view in part.entries]
        jobs: list[_Job] = []
        begun: set[str] = set()

        def begin(numbers: dict[str, int]) -> None:
            """The proofs whose numbers are known, begun in the workers while the book's runs
            that the others need are still laid out."""
            ready = []
            for view, part in views:
                how, ref = where.get(view.entry.id, ("", view.entry.id))
                if view.entry.id not in begun and ref in numbers and (how == "at" or view.entry.id in counted):
                    ready.append(Proofed(view, part.part, numbers[ref]))
                    begun.add(view.entry.id)
            jobs.extend(self.submit(ready, book, mark))

        numbers = self.numbers(self.book_of(book.config, tuple(approved)), needed, begin) if needed else {}
        lost = "the book's layout lost a place the page numbers need; make-book build says which"
        if numbers is None:
            return {}, [problem(self.layouts.shown("pdf.html"), 0, 0, "L003", lost)]
        begin(numbers)
        alone = []
        for view, part in views:
            if where.get(view.entry.id, ("", ""))[0] == "alone":
                entry = view.entry
                number = self.numbers(self.book_of(book.config, (*approved, entry)), {entry.id})
                if number is None:
                    return {}, [problem(self.layouts.shown("pdf.html"), 0, 0, "L003", lost)]
                alone.append(Proofed(view, part.part, number[entry.id]))
        jobs.extend(self.submit(alone, book, mark))
        laid, problems = self.collect(jobs)
        following: list[Proofed] = []
        for view, part in views:
            if (last := follows.get(view.entry.id)) is not None and last in laid:
                following.append(Proofed(view, part.part, numbers[last] + laid[last].pages))
        more, more_problems = self.collect(self.submit(following, book, mark))
        laid.update(more)
        return {i: proof for i, proof in laid.items() if i in wanted_ids}, problems + more_problems

    def submit(self, proofs: list[Proofed], book: Book, mark: Mark) -> list[_Job]:
        """The proofs laid out in documents of several each, two a core at least, to be cut
        apart: WeasyPrint's time for a document is mostly its own, not its pages' (the fonts
        subset and embedded, the style sheets read), so a document of each took 3.9 times a cold
        build for the 140 entries of the sample book."""
        jobs = []
        for batch in _batches(proofs, usable_cores()):
            layout = proofs_layout(batch, book, self.layouts, mark, self.workers.patches)
            titles = {p.view.anchor: f"{mark.labels['proof']}: {p.view.entry.title}" for p in batch}
            numbers = {p.view.anchor: p.number for p in batch}
            notes = {p.view.anchor: checklist(p.view, mark.labels) for p in batch}
            jobs.append(_Job(batch, self.workers.submit(lay_out_proofs, layout, titles, numbers, notes)))
        return jobs

    def collect(self, jobs: list[_Job]) -> tuple[dict[str, LaidProof], list[Problem]]:
        """Each proof laid out, by entry id, and the problems WeasyPrint met."""
        laid: dict[str, LaidProof] = {}
        problems: list[Problem] = []
        where = self.layouts.shown("proof.html")
        for job in jobs:
            try:
                result: LaidProofs = self.workers.result(job.number)
            except LayoutError as error:
                problems.append(problem(where, 0, 0, "L005", str(error)))
                continue
            problems += [problem(where, 0, 0, "L002", f"WeasyPrint: {m}") for m in result.messages]
            laid.update(
                {p.view.entry.id: result.proofs[p.view.anchor] for p in job.batch if p.view.anchor in result.proofs}
            )
        return laid, problems


@dataclass(frozen=True)
class _Job:
    batch: tuple[Proofed, ...]
    number: int  # the workers'


def _batches(proofs: list[Proofed], cores: int) -> list[tuple[Proofed, ...]]:
    """The proofs in documents of about equal weight (as the book's runs weigh entries), in order:
    two a core at least, and none heavier than a run of the book's body."""
    if not proofs:
        return []

    def weight(proof: Proofed) -> int:
        return 1_500 + len(proof.view.body) + 2_000 * len(proof.view.photos)

    total = sum(weight(p) for p in proofs)
    # Two documents a core: WeasyPrint's time per page grows with the document (write.py), and
    # the documents end closer together.
    count = min(len(proofs), max(2 * cores, -(-total // GROUP_WEIGHT)))
    batches: list[list[Proofed]] = [[]]
    done = 0
    for proof in proofs:
        if batches[-1] and done >= total * len(batches) / count:
            batches.append([])
        batches[-1].append(proof)
        done += weight(proof)
    return [tuple(batch) for batch in batches]


def _write_atomically(path: Path, data: bytes) -> Path:
    """Under a name of its own in the same folder, then renamed: a reader finds it whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.part{os.getpid()}")
    try:
        with part.open("wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        part.replace(path)
    finally:
        part.unlink(missing_ok=True)
    return path
