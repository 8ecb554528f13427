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

from ebook.bookkeeping.fingerprints import installed_fingerprint
from ebook.model import Book, BookConfig, Entry
from ebook.options import Options
from ebook.pdf.document import LayoutError
from ebook.pdf.weasyprint.hyphenation import cache_folder
from ebook.pdf.weasyprint.registry import wanted
from ebook.pdf.workers import Workers
from ebook.problems import Problem, has_errors, problem, sort_key
from ebook.read.assemble import assemble
from ebook.read.config import load_config, shown_path
from ebook.read.submissions import STATUSES, find_submission_files, load_submissions
from ebook.render.cover import cover_image
from ebook.render.pictures import PreparedImage
from ebook.render.views import RenderedBook, for_print, render_book
from ebook.review.proof_layout import LaidProof, Mark, lay_out_proof, prepared_pictures, proof_layout, proof_mark
from ebook.review.proof_numbers import KnownPlaces, first_numbers
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
        jobs, images = prepared_pictures(book, {e.id for e in chosen}, kept / "images")
        with jobs:
            cover = cover_image(config, images.get(config.cover) if config.cover else None)
            places = KnownPlaces(_build_cache(options), kept / "places", installed_fingerprint(options.environ))
            proofing = _Proofing(options, layouts, workers, images, cover, places)
            laid, layout_problems = proofing.lay_out(book, approved, chosen, proof_mark(book, layouts, options.environ))
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

    def printed(self, book: Book) -> RenderedBook:
        return for_print(render_book(book, self.images, self.cover))

    def book_of(self, config: BookConfig, entries: tuple[Entry, ...]) -> Book:
        return assemble(config, entries, self.options.shown_config, self.options.environ)[0]

    def numbers(self, book: Book) -> dict[str, int] | None:
        """The number of each entry's first page in this book: from what the last build or an
        earlier proof knows, or else from its runs laid out now, on every core, in layout
        processes of their own that are stopped as soon as they know where their pages fall."""
        rendered = self.printed(book)
        with contextlib.suppress(_LayoutNeeded):
            return first_numbers(rendered, self.layouts, cast(Workers, _NoLayout(self.workers.patches)), self.places)
        with Workers(self.workers.patches) as workers:
            workers.prepare(book.languages, cache_folder(self.options.environ))
            return first_numbers(rendered, self.layouts, workers, self.places)

    def lay_out(
        self, book: Book, approved: list[Entry], chosen: list[Entry], mark: Mark
    ) -> tuple[dict[str, LaidProof], list[Problem]]:
        """Each chosen entry's proof, by id, laid out in the workers; their problems."""
        rendered = self.printed(book)
        views = {view.entry.id: (view, part) for part in rendered.parts for view in part.entries}
        numbers = self.numbers(self.book_of(book.config, tuple(approved)))
        if numbers is None:
            message = "the book's layout lost a place the page numbers need; make-book build says which"
            return {}, [problem(self.layouts.shown("pdf.html"), 0, 0, "L003", message)]
        wanted_ids = {e.id for e in chosen}
        first: dict[str, int] = {}
        follows: dict[str, str] = {}  # an entry -> the approved entry whose last page it would follow
        for part in rendered.parts:
            entries = [view.entry for view in part.entries]
            for i, entry in enumerate(entries):
                if entry.id not in wanted_ids:
                    continue
                later = next((e for e in entries[i + 1 :] if e.status == "approved"), None)
                earlier = next((e for e in reversed(entries[:i]) if e.status == "approved"), None)
                if entry.status == "approved":
                    first[entry.id] = numbers[entry.id]
                elif later is not None:  # it would begin where the next approved entry begins now
                    first[entry.id] = numbers[later.id]
                elif earlier is not None:
                    follows[entry.id] = earlier.id
                else:  # a theme with no approved entry: its opening page would come too
                    alone = self.numbers(self.book_of(book.config, (*approved, entry)))
                    if alone is None:
                        return {}, [problem(entry.shown_path, 0, 0, "L003", "its layout lost a place")]
                    first[entry.id] = alone[entry.id]

        def begin(entry_id: str, number: int) -> int:
            view, part = views[entry_id]
            layout = proof_layout(view, part, book, self.layouts, mark, number, self.workers.patches)
            return self.workers.submit(lay_out_proof, layout)

        jobs = {entry_id: begin(entry_id, number) for entry_id, number in first.items()}
        counted = {a: jobs.get(a) or begin(a, numbers[a]) for a in set(follows.values())}  # their pages
        laid: dict[str, LaidProof] = {}
        problems: list[Problem] = []
        for entry_id, job in [*jobs.items(), *counted.items()]:
            if entry_id not in laid:
                laid[entry_id] = self.result(job, views[entry_id][0].entry, problems)
        for entry_id, last in follows.items():
            after = numbers[last] + laid[last].pages
            laid[entry_id] = self.result(begin(entry_id, after), views[entry_id][0].entry, problems)
        return {i: proof for i, proof in laid.items() if i in wanted_ids and proof.data}, problems

    def result(self, job: int, entry: Entry, problems: list[Problem]) -> LaidProof:
        try:
            proof: LaidProof = self.workers.result(job)
        except LayoutError as error:
            problems.append(problem(entry.shown_path, 0, 0, "L004", str(error)))
            return LaidProof(b"", 0, ())
        problems += [problem(entry.shown_path, 0, 0, "L002", f"WeasyPrint: {m}") for m in proof.messages]
        return proof


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
