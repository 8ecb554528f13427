"""The pipeline, top to bottom: gather everything and check it, then write, then put in place.

load config -> load layouts -> load submissions -> assemble -> (stop if any error)
-> prepare pictures -> render -> EPUB, PDF, web edition, download page -> publish atomically
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import jinja2

from ebook.bookkeeping.fingerprints import installed_fingerprint
from ebook.bookkeeping.kept import user_cache_folder
from ebook.bookkeeping.up_to_date import input_key, made_from
from ebook.model import Book
from ebook.options import Options, Progress, Result
from ebook.pdf.cache import LayoutCache
from ebook.pdf.page_starts import PageStart
from ebook.pdf.weasyprint.hyphenation import cache_folder
from ebook.pdf.workers import Workers
from ebook.pdf.write import GROUP_WEIGHT, place_pdf, start_pdf
from ebook.problems import Problem, has_errors, problem, sort_key
from ebook.publish.outputs import InTheWay, Staging, in_the_way, locked, read_state
from ebook.publish.page import build_page, cover_thumbnail, make_downloads
from ebook.read.assemble import assemble
from ebook.read.config import load_config
from ebook.read.countries import Names
from ebook.read.picture_files import picture_problems
from ebook.read.quotes import quote_problems
from ebook.read.submissions import load_submissions
from ebook.render.cover import cover_image
from ebook.render.pictures import ImageJobs
from ebook.render.views import for_print, render_book
from ebook.templates.load import Layouts, load_layouts
from ebook.web.labels import web_labels


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
    names = Names(cache=user_cache_folder(options.environ, "names"))  # for hints, made on the first one
    submissions = load_submissions(config, names=names)
    problems += layout_problems + list(submissions.problems)
    if layouts is not None:  # the web edition's words, so that check finds their mistakes too
        problems += web_labels(layouts)[1]
    if has_errors(problems) or layouts is None:
        return None, layouts, problems
    book, warnings = assemble(config, submissions.entries, options.shown_config, options.environ)
    warnings += quote_problems(config, submissions.entries, options.config, options.shown_config)
    return book, layouts, problems + warnings


def _in_the_way(out: Path, names: list[str]) -> list[Problem]:
    message = (
        "a file make-book did not write is where an output goes; nothing was replaced: "
        "move it away, or build into another folder (--out)"
    )
    return [problem(os.path.relpath(out / name), 0, 0, "B005", message) for name in names]


def check(options: Options) -> Result:
    """make-book check: every problem, nothing written."""
    return Result(_sorted(load_book(options)[2]))


def run(options: Options, out: Path, workers: Workers, digests: dict[Path, str], progress: Progress) -> Result:
    """A build into out; digests: those of up_to_date.input_digests, or none without the cache."""
    progress("reading the book")
    book, layouts, problems = load_book(options)
    if book is None or layouts is None or has_errors(problems):
        return Result(_sorted(problems))
    # Before any work: the web edition's files are looked at again when they are known (Staging).
    names = (f"{book.slug}.epub", f"{book.slug}.pdf", "index.html")
    blocked = in_the_way(out, dict.fromkeys(names), read_state(out))
    if blocked:
        return Result(_sorted(problems + _in_the_way(out, blocked)))
    # What the outputs are made from, hashed before they are read, for the next build to compare.
    others = [book.config.cover] if book.config.cover else []
    key = input_key(options, digests, others) if options.use_cache else None

    workers.prepare(book.languages, cache_folder(options.environ))
    # Pictures are prepared in worker processes from here on. Prepared pictures and laid-out PDF
    # documents are kept by what they are made from in the output folder's bookkeeping.
    kept = out / ".make-book" / "cache" if options.use_cache else None
    sources = [p.source for e in book.entries for p in e.photos]
    if book.config.cover:
        sources.append(book.config.cover)
    with contextlib.ExitStack() as publishing, ImageJobs(sources, kept and kept / "images", digests) as jobs:
        images = {source: jobs.image(source) for source in jobs.plans}
        cover = cover_image(book.config, images.get(book.config.cover) if book.config.cover else None)

        # The PDF's layout begins first (slow, in the workers); meanwhile the EPUB's documents are
        # rendered and checked (cheap) and the cover drawn if need be.
        progress(f"laying out the PDF ({len(book.entries)} entries, {len(sources)} pictures)")
        epub_rendered = render_book(book, images, cover)
        pdf_rendered = for_print(epub_rendered)
        kept_layouts = LayoutCache(kept and kept / "layouts", installed_fingerprint(options.environ))
        weight = GROUP_WEIGHT if options.pdf_group_weight is None else options.pdf_group_weight
        pending = start_pdf(pdf_rendered, layouts, workers, kept_layouts, weight)
        # Imported only now, while the workers lay out: ebooklib, lxml and the web edition's modules
        # took 0.02 s before the first layout could begin.
        from ebook.epub.write import build_epub, render_documents
        from ebook.web.edition import WEB_FOLDER, WebSite, template_problem, web_edition, web_site

        documents, problems_found = render_documents(epub_rendered, layouts)
        problems += problems_found
        if has_errors(problems):
            return Result(_sorted(problems))
        thumbnail = cover_thumbnail(cover.data)  # for the download page: drawn now, while the workers lay out
        epub_name, pdf_name = f"{book.slug}.epub", f"{book.slug}.pdf"
        links = make_downloads(layouts.labels, epub_name, None, pdf_name, None)
        # The web edition (the EPUB's rendering again, as pages for a browser, ebook/web/edition.py)
        # needs where the body's pages begin: it is made as soon as the runs of a big book have
        # noted that, while they write their PDFs, with links to the files being made.
        made: list[tuple[WebSite, dict[str, bytes] | Problem]] = []

        def make_web_edition(starts: tuple[PageStart, ...]) -> None:
            site = web_site(epub_rendered, layouts, starts, links)
            if has_errors(list(site.problems)):
                made.append((site, {}))
                return
            try:
                made.append((site, {f"{WEB_FOLDER}/{name}": data for name, data in web_edition(site).items()}))
            except jinja2.TemplateError as error:  # a book's own layouts/web/ template that does not work
                made.append((site, template_problem(error, layouts)))

        placed, pdf_problems = place_pdf(pending, progress, make_web_edition)
        pdf_data = None
        if placed is not None:
            # Packaged while the contents and the index write their PDFs, with a page list taken
            # from where the PDF's pages begin.
            progress("writing the EPUB and the web edition")
            epub_data = build_epub(epub_rendered, layouts, documents, placed.page_starts)
            if not made:  # a book laid out whole: its pages are placed only now
                make_web_edition(placed.page_starts)
            site, web = made[0]
            problems += site.problems
            if isinstance(web, Problem):
                problems.append(web)
            if has_errors(problems) or isinstance(web, Problem):
                return Result(_sorted(problems))
            # Written (staged) while the PDF is joined, and put in place with it (outputs.py).
            out.mkdir(parents=True, exist_ok=True)
            publishing.enter_context(locked(out))
            staging = publishing.enter_context(Staging(out))
            staging.write({epub_name: epub_data, **web})
            pdf_data, pdf_problems = placed.join()
        problems += picture_problems(book, options.shown_config, jobs.failures())
        if any(p.code == "P005" for p in problems):
            pdf_problems = []  # WeasyPrint's complaints about the same pictures say nothing more
        problems += pdf_problems
        if placed is None or pdf_data is None or has_errors(problems):
            return Result(_sorted(problems))
        downloads = make_downloads(layouts.labels, epub_name, epub_data, pdf_name, pdf_data)
        read_online = (f"{WEB_FOLDER}/index.html", site.labels["read_online"])
        page = build_page(pdf_rendered, layouts, downloads, bool(placed.page_starts), thumbnail, read_online)

        progress("publishing")
        staging.write({pdf_name: pdf_data, "index.html": page})
        try:
            staging.publish(made_from(options, key, others, _sorted(problems)) if key else {})
        except InTheWay as error:
            return Result(_sorted(problems + _in_the_way(out, error.names)))
        kept_layouts.keep_only_used()
    outputs = (out / epub_name, out / pdf_name, out / "index.html", out / WEB_FOLDER / "index.html")
    return Result(_sorted(problems), outputs, pages=placed.pages)
