"""Where a build's time goes, stage by stage, in one process.

    python benchmarks/stages.py BOOK_FOLDER [--only epub|pdf]

Stages: reading YAML and checking fields, preparing photos, Markdown and templates for each
edition, WeasyPrint layout, PDF writing, EPUB packaging. With --only, it prints the time of that
writer alone (its rendering included), for the benchmark's "EPUB only" and "PDF only" rows.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from ebook.build import environ
from ebook.epub.write import build_epub, render_documents
from ebook.options import Options
from ebook.pdf.weasyprint.hyphenation import cache_folder
from ebook.pdf.workers import Workers
from ebook.pdf.write import build_pdf
from ebook.pipeline import load_book
from ebook.render.cover import cover_image
from ebook.render.pictures import ImageJobs
from ebook.render.views import for_print, render_book


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("book", type=Path)
    parser.add_argument("--only", choices=("epub", "pdf"))
    args = parser.parse_args()
    clock = time.perf_counter
    times: dict[str, float] = {}
    start = clock()
    book, layouts, problems = load_book(Options((args.book / "book.yaml").absolute(), "book.yaml"))
    assert book is not None and layouts is not None, problems
    times["read YAML, check fields, order"] = clock() - start
    start = clock()
    with ImageJobs([p.source for e in book.entries for p in e.photos], None) as jobs:
        images = {source: jobs.image(source) for source in jobs.plans}
        assert not jobs.failures()  # waits for all of them, in the worker processes
    cover = cover_image(book.config, None)
    times["photos and cover (without overlap)"] = clock() - start
    if args.only != "pdf":
        start = clock()
        rendered = render_book(book, images, cover)
        documents, _ = render_documents(rendered, layouts)
        times["EPUB: Markdown and templates"] = clock() - start
        start = clock()
        build_epub(rendered, layouts, documents)
        times["EPUB: packaging"] = clock() - start
    if args.only != "epub":
        start = clock()
        pdf_rendered = for_print(render_book(book, images, cover))
        times["PDF: Markdown"] = clock() - start
        start = clock()
        with Workers() as workers:  # WeasyPrint's import and the hyphenation dictionaries count here
            workers.prepare(book.languages, cache_folder(environ()))
            pdf, _ = build_pdf(pdf_rendered, layouts, workers)
        assert pdf is not None
        times[f"PDF: templates, layout and writing ({pdf.pages} pages)"] = clock() - start
    total = sum(times.values())
    for stage, seconds in times.items():
        print(f"{stage:55} {seconds:7.2f} s {100 * seconds / total:5.1f} %")


if __name__ == "__main__":
    main()
