"""The web edition as serve holds it: made again only where a change shows.

The pages are ebook.web's; which of them a change touches is decided here, from what each page
shows. An entry's page shows its entry, its theme, the titles of the entries before and after it,
and the book's settings: it is made again when one of those changed, and otherwise kept as it
was. The contents and the book's few other pages (themes, contributors) list the entries: they are
made again when a title, an author or a setting changed, not for an entry's text. The search
index (110 ms) is made only when a page asks for it, once for each state of the entries, so that
a save reaches the open pages without waiting for it.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import jinja2

from ebook.problems import Problem
from ebook.render.views import EntryView, RenderedBook
from ebook.templates.load import Layouts
from ebook.web.edition import (
    WebSite,
    asset_files,
    book_pages,
    contents_page,
    entry_page,
    picture_files,
    search_script,
    template_problem,
    web_site,
)

SEARCH_INDEX = "assets/search-index.js"


@dataclass(frozen=True)
class Edition:
    """One state of the served edition: its files by path under read/, and the book's problems."""

    files: Mapping[str, bytes]
    later: Mapping[str, Callable[[], bytes]]  # files made when first asked for (the search index)
    problems: tuple[Problem, ...]
    version: int
    made: frozenset[str] = frozenset()  # the pages this state made again, for the tests and the log

    def get(self, path: str) -> bytes | None:
        if path in self.files:
            return self.files[path]
        make = self.later.get(path)
        return None if make is None else make()

    @property
    def empty(self) -> bool:
        return not self.files

    def serves_as(self, other: Edition) -> bool:
        """Whether this state serves what other does: the same problems, paths and bytes."""
        if self.problems != other.problems or self.files.keys() != other.files.keys():
            return False
        if self.later.keys() != other.later.keys() or any(self.later[p] is not other.later[p] for p in self.later):
            return False
        return all(data is other.files[path] or data == other.files[path] for path, data in self.files.items())


@dataclass(frozen=True)
class Made:
    files: dict[str, bytes]
    later: dict[str, Callable[[], bytes]]
    made: set[str]  # the pages made again
    problems: tuple[Problem, ...]  # the web edition's own: its labels, a template that does not work


@dataclass
class EditionMaker:
    """The pages of the last edition made, each with what it was made from; used by one thread."""

    _pages: dict[str, tuple[object, bytes]] = field(default_factory=dict)
    _search: tuple[object, Callable[[], bytes]] | None = None
    _assets: tuple[Layouts, dict[str, bytes]] | None = None
    _listing: object = None
    _book_pages: dict[str, bytes] = field(default_factory=dict)

    def make(self, rendered: RenderedBook, layouts: Layouts) -> Made:
        """Every file of the edition, those made when first asked for, and the pages made again.
        A book's own template that does not work is a problem (L004), not an error of serve's."""
        try:
            return self._make(rendered, layouts)
        except jinja2.TemplateError as e:
            self._pages, self._listing = {}, None  # what was made before the error is not to be trusted
            return Made({}, {}, set(), (template_problem(e, layouts),))

    def _make(self, rendered: RenderedBook, layouts: Layouts) -> Made:
        site = web_site(rendered, layouts, None, None, preview=True)
        settings = (rendered.book.config, rendered.book.modified, layouts, tuple(site.labels.items()))
        pages: dict[str, tuple[object, bytes]] = {}
        made: set[str] = set()

        def page(path: str, shows: object, make: Callable[[], bytes]) -> None:
            kept = self._pages.get(path)
            if kept is not None and kept[0] == shows:
                pages[path] = kept
            else:
                pages[path] = (shows, make())
                made.add(path)

        views = rendered.entries
        theme_of = {id(view): (part.part.number, part.part.theme) for part in rendered.parts for view in part.entries}
        for at, view in enumerate(views):
            shows = (
                settings,
                view,
                theme_of[id(view)],
                _listed(site, views[at - 1]) if at > 0 else None,
                _listed(site, views[at + 1]) if at + 1 < len(views) else None,
            )
            entry_id = view.entry.id
            page(site.entry_file(entry_id), shows, functools.partial(entry_page, site, entry_id))
        # The contents and the other pages list the entries: their titles and authors, not their text.
        listing = (
            settings,
            tuple(_listed(site, view) for view in views),
            tuple((part.part.number, part.part.theme, part.intro) for part in rendered.parts),
            rendered.foreword,
            rendered.acknowledgements,
            tuple((group.code, group.name, tuple(v.entry.id for v in group.entries)) for group in rendered.countries),
        )
        page("index.html", listing, functools.partial(contents_page, site))
        if self._listing != listing:  # book_pages makes them all at once (3 ms)
            self._book_pages = book_pages(site)
            self._listing = listing
        for path, data in self._book_pages.items():
            page(path, listing, functools.partial(_given, data))
        self._pages = pages

        files = {path: data for path, (_, data) in pages.items()}
        files.update(self._asset_files(site))
        files.update(picture_files(site))
        return Made(files, {SEARCH_INDEX: self._search_index(site, (settings, views))}, made, site.problems)

    def _asset_files(self, site: WebSite) -> dict[str, bytes]:
        """The stylesheet and scripts, read again only when the layouts were."""
        if self._assets is None or self._assets[0] is not site.layouts:
            self._assets = (site.layouts, asset_files(site))
        return self._assets[1]

    def _search_index(self, site: WebSite, shows: object) -> Callable[[], bytes]:
        if self._search is None or self._search[0] != shows:
            self._search = (shows, _once(functools.partial(search_script, site)))
        return self._search[1]


def _listed(site: WebSite, view: EntryView) -> tuple[object, ...]:
    """What a page that links to an entry shows of it (the contents, the entries before and after,
    a theme's page, the contributors): its link, title, author, status and place; not its text."""
    entry = view.entry
    return (
        entry.id,
        site.entry_file(entry.id),
        entry.title,
        entry.language,
        entry.direction,
        entry.status,
        entry.author,
        view.byline_name,
        view.anonymous_label,
        view.index_name,
        view.anchor,
    )


def _given(data: bytes) -> bytes:
    return data


def _once(make: Callable[[], bytes]) -> Callable[[], bytes]:
    """make() run by the first thread that asks, its bytes kept for every later one."""
    lock = threading.Lock()
    made: list[bytes] = []

    def get() -> bytes:
        with lock:
            if not made:
                made.append(make())
            return made[0]

    return get
