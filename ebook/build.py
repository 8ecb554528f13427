"""The pipeline, top to bottom: gather everything and check it, then write, then put in place.

load config -> load layouts -> load submissions -> assemble -> (stop if any error)
-> prepare pictures -> render -> EPUB, PDF, download page -> publish atomically
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ebook import __version__
from ebook.assemble import assemble
from ebook.cover import cover_image
from ebook.fonts import fonts_fingerprint
from ebook.hyphenation import cache_folder
from ebook.images import ImageJobs, file_digest
from ebook.layout_cache import LayoutCache
from ebook.layouts import Layouts, load_layouts
from ebook.load_config import load_config
from ebook.load_submissions import load_submissions
from ebook.model import Book
from ebook.problems import Problem, has_errors, problem, sort_key
from ebook.publish import locked, outputs_intact, publish, read_state
from ebook.render import render_book
from ebook.workers import Workers
from ebook.write_epub import build_epub, render_documents
from ebook.write_page import build_page
from ebook.write_pdf import GROUP_WEIGHT, finish_pdf, start_pdf

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Options:
    config: Path
    shown_config: str
    out: Path | None = None  # None: check only
    use_cache: bool = True
    environ: dict[str, str] = field(default_factory=dict)
    pdf_group_weight: int = GROUP_WEIGHT  # the most a run of a big book's body weighs; see write_pdf.py


@dataclass(frozen=True)
class Result:
    problems: tuple[Problem, ...]
    outputs: tuple[Path, ...] = ()
    cached: bool = False
    pages: int = 0


def _sorted(problems: list[Problem]) -> tuple[Problem, ...]:
    return tuple(sorted(set(problems), key=sort_key))


def load_book(options: Options) -> tuple[Book | None, Layouts | None, list[Problem]]:
    """Everything make-book check does: read, validate, order. Writes nothing."""
    if not options.config.is_file():
        return None, None, [problem(options.shown_config, 0, 0, "B004", "there is no such book file")]
    config, problems = load_config(options.config, options.shown_config)
    if config is None:
        return None, None, problems
    layouts, layout_problems = load_layouts(config.folder, config.shown_folder)
    submissions = load_submissions(config)
    problems += layout_problems + list(submissions.problems)
    if has_errors(problems) or layouts is None:
        return None, layouts, problems
    book, warnings = assemble(config, submissions.entries, options.shown_config, options.environ)
    return book, layouts, problems + warnings


def input_digests(options: Options) -> dict[Path, str]:
    """The content hash of every file a build reads from the book folder (pictures included)."""
    folder = options.config.parent
    files = [options.config, *sorted(p for p in (folder / "submissions").rglob("*") if p.is_file())]
    return {path: file_digest(path) for path in files}


def input_key(options: Options, layouts: Layouts, digests: dict[Path, str]) -> str:
    """A digest of every input a build reads; equal keys give equal outputs."""
    epoch = options.environ.get("SOURCE_DATE_EPOCH", "")
    digest = hashlib.sha256(f"make-book {__version__}\0{epoch}\0{options.pdf_group_weight}\0".encode())
    for path, file_hash in digests.items():
        digest.update(f"{path.relative_to(options.config.parent)}\0{file_hash}\0".encode())
    digest.update(layouts.fingerprint().encode())
    digest.update(fonts_fingerprint(options.environ).encode())
    return digest.hexdigest()


def build(options: Options, progress: Progress = lambda stage: None) -> Result:
    if options.out is None:
        return Result(_sorted(load_book(options)[2]))
    with Workers() as workers:  # they set up for the layout while the book is read
        return _build(options, options.out, workers, progress)


def _build(options: Options, out: Path, workers: Workers, progress: Progress) -> Result:
    progress("reading the book")
    book, layouts, problems = load_book(options)
    if book is None or layouts is None or has_errors(problems):
        return Result(_sorted(problems))
    digests = input_digests(options) if options.use_cache else {}
    key = input_key(options, layouts, digests) if options.use_cache else None
    warnings = [p.format() for p in _sorted(problems)]
    if key is not None:
        state = read_state(out)
        if state.get("key") == key and outputs_intact(out, state):
            names = state.get("outputs")
            assert isinstance(names, dict)  # outputs_intact checked it
            return Result(_sorted(problems), tuple(out / str(n) for n in names), cached=True)

    workers.prepare(book.languages, cache_folder(options.environ))
    # Pictures are prepared in worker processes from here on. Prepared pictures and laid-out PDF
    # documents are kept by what they are made from in the output folder's bookkeeping.
    kept = out / ".make-book" / "cache" if options.use_cache else None
    sources = [p.source for e in book.entries for p in e.photos]
    if book.config.cover:
        sources.append(book.config.cover)
    with ImageJobs(sources, kept and kept / "images", digests) as jobs:
        images = {source: jobs.image(source) for source in jobs.plans}
        cover = cover_image(book.config, images.get(book.config.cover) if book.config.cover else None)

        # The PDF's layout begins first (slow, in the workers); meanwhile the EPUB's documents are
        # rendered and checked (cheap) and the cover drawn if need be. The EPUB is packaged last,
        # with a page list taken from where the PDF's pages begin.
        progress(f"laying out the PDF ({len(book.entries)} entries, {len(sources)} pictures)")
        pdf_rendered = render_book(book, images, cover, title_level=2)
        kept_layouts = LayoutCache(kept and kept / "layouts", fonts_fingerprint(options.environ))
        pending = start_pdf(pdf_rendered, layouts, workers, kept_layouts, options.pdf_group_weight)
        epub_rendered = render_book(book, images, cover, title_level=1)
        documents, problems_found = render_documents(epub_rendered, layouts)
        problems += problems_found
        if has_errors(problems):
            return Result(_sorted(problems))
        _ = cover.data  # drawn now, while the workers lay out
        pdf, pdf_problems = finish_pdf(pending, progress)
        problems += picture_problems(book, options.shown_config, jobs.failures())
        if any(p.code == "P005" for p in problems):
            pdf_problems = []  # WeasyPrint's complaints about the same pictures say nothing more
        problems += pdf_problems
        if pdf is None or has_errors(problems):
            return Result(_sorted(problems))
        progress("writing the EPUB")
        epub_data = build_epub(epub_rendered, layouts, documents, pdf.page_starts)
        epub_name, pdf_name = f"{book.slug}.epub", f"{book.slug}.pdf"
        page = build_page(pdf_rendered, layouts, epub_name, epub_data, pdf_name, pdf.data, bool(pdf.page_starts))

    progress("publishing")
    out.mkdir(parents=True, exist_ok=True)
    with locked(out):
        publish(out, {epub_name: epub_data, pdf_name: pdf.data, "index.html": page}, key, warnings)
        kept_layouts.keep_only_used()
    return Result(_sorted(problems), (out / epub_name, out / pdf_name, out / "index.html"), pages=pdf.pages)


def picture_problems(book: Book, shown_config: str, failures: dict[Path, str]) -> list[Problem]:
    found = [
        problem(e.shown_path, p.line, p.column, "P005", f'photo "{p.source.name}" {failures[p.source]}')
        for e in book.entries
        for p in e.photos
        if p.source in failures
    ]
    if book.config.cover in failures:
        found.append(
            problem(shown_config, 0, 0, "P005", f'cover "{book.config.cover.name}" {failures[book.config.cover]}')
        )
    return found


def environ() -> dict[str, str]:
    """What a build takes from its environment: the date for reproducible builds, where the user's
    cache folder is (hyphenation.py) and where the user's fonts are (fonts.py)."""
    names = ("SOURCE_DATE_EPOCH", "XDG_CACHE_HOME", "XDG_DATA_HOME", "HOME")
    return {k: v for k, v in os.environ.items() if k in names}
