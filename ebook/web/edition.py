"""The web edition (dist/read/) as files in memory: what a build publishes and `serve` serves.

The contract:

- ``site = web_site(rendered, layouts, page_starts, downloads, preview=False, problems=())`` gathers
  once what every page needs (labels, the PDF page of each entry, each entry's file name).
  ``site.problems`` holds the problems of the web labels (layouts/web/labels.yaml), to report.
- ``web_edition(site)`` -> ``{path under read/: bytes}``: every page, stylesheet, script, the
  search index and the pictures (``pictures/<hash>.jpg``, from the prepared pictures: reading their
  bytes waits for ImageJobs). Paths use "/" and never begin with it.
- For a rebuild of what one change affects: ``entry_page(site, entry_id)`` (one entry's page, at
  ``site.entry_file(entry_id)``), ``contents_page(site)`` (``index.html``), ``search_script(site)``
  (``assets/search-index.js``), ``book_pages(site)`` (foreword, themes, acknowledgements,
  contributors, under ``book/``), ``picture_files(site)`` and ``asset_files(site)``.
- ``preview=True`` marks the entries whose status is not "approved" with a visible badge;
  ``problems`` are shown at the top of every page (path:line:column: CODE message).
  ``downloads`` None: no EPUB and PDF links (the preview has none).
- ``page_starts`` None or empty: no PDF page numbers and no citation pages.
- A book's own template under layouts/web/ may raise ``jinja2.TemplateError``: ``template_problem``
  turns it into the problem to report (L004).
- Every page is one HTML document that ends with ``</body>\\n</html>\\n``: a server may insert a
  script just before ``</body>``.

Entries are at ``<entry-id>.html`` (FORMAT.md); every other page is under ``book/``, where no entry
id can reach, but for an entry named "index", which gets ``index-entry.html``.
"""

from __future__ import annotations

import os

import jinja2

from ebook.problems import Problem, problem
from ebook.templates.load import Layouts
from ebook.web.pages import asset_files, book_pages, contents_page, entry_page, picture_files, search_script
from ebook.web.site import WebSite, web_site

WEB_FOLDER = "read"  # dist/read/


def template_problem(error: jinja2.TemplateError, layouts: Layouts) -> Problem:
    """A book's own web template that does not work (L004): its file, and its line for a syntax error."""
    name: str | None = getattr(error, "name", None)
    try:
        where = layouts.shown(name) if name else os.path.normpath(os.path.join(layouts.shown_folder, "layouts"))
    except FileNotFoundError:
        where = str(name)
    return problem(where, getattr(error, "lineno", None) or 0, 0, "L004", f"the template cannot be used: {error}")


__all__ = [
    "WEB_FOLDER",
    "WebSite",
    "asset_files",
    "book_pages",
    "contents_page",
    "entry_page",
    "picture_files",
    "search_script",
    "template_problem",
    "web_edition",
    "web_site",
]


def web_edition(site: WebSite) -> dict[str, bytes]:
    """Every file of read/, by its path there."""
    files = {"index.html": contents_page(site)}
    for view in site.rendered.entries:
        files[site.entry_file(view.entry.id)] = entry_page(site, view.entry.id)
    files.update(book_pages(site))
    files["assets/search-index.js"] = search_script(site)
    files.update(asset_files(site))
    files.update(picture_files(site))
    return files
