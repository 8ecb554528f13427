"""The number each entry's first page has in the book's PDF as it would be built now, for make-book
proof: from the book's own layout machinery (pdf/write.py's start_pdf), never from a guess.

An entry begins on a new page (print.css) and nothing of it depends on what comes before but the
number of its first page and that page's side, so a proof lays the entry out alone from that
number. That number needs every page before it, which is most of the book's layout. So the runs
the book is laid out in are begun as a build begins them, and a run is not laid out again when
- the last build laid out the same run (its documents are kept by what they are made from, in
  `dist/.make-book/cache/layouts`, read here and never written), or
- an earlier proof did: only where its pages fall is kept, a line of JSON a run, under
  `<proofs>/.make-book/places/`, by the same key as the build's.
A run laid out here is waited for only until it knows where its pages fall, not while it writes
its PDF. An entry that is not approved is not in the book: its number is the one it would have if
it were approved alone (see proof_plan.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ebook.bookkeeping.kept import keep_file
from ebook.pdf.cache import LayoutCache
from ebook.pdf.document import LaidOut, Layout, LayoutError, Placed, lay_out
from ebook.pdf.page_numbers import BodyNumbers
from ebook.pdf.runs import body_pages
from ebook.pdf.workers import Workers
from ebook.pdf.write import GROUP_WEIGHT, start_pdf
from ebook.render.views import RenderedBook
from ebook.templates.load import Layouts


class KnownPlaces(LayoutCache):
    """Where the pages of the book's documents fall: from the last build's kept documents (read
    only), else from what earlier proofs noted. Nothing is put in the build's folder."""

    def __init__(self, build: Path | None, own: Path, installed: str) -> None:
        super().__init__(own, installed)
        self._build = LayoutCache(build, installed) if build is not None else None
        self.keys: list[tuple[str, str]] = []  # (section, key) of each document begun, in order

    def key(self, layout: Layout) -> str:
        key = super().key(layout)
        self.keys.append((layout.section, key))
        return key

    def get(self, key: str) -> LaidOut | None:
        if self.keys and self.keys[-1] == ("digits", key):  # never looked at: its pages are not the body's
            return LaidOut(b"", 0, {}, (), None, ())
        if self._build is not None and (kept := self._build.get(key)) is not None:
            return kept
        assert self.folder is not None
        try:
            noted = json.loads((self.folder / f"{key}.json").read_text("utf-8"))
            return LaidOut(b"", noted["pages"], noted["anchors"], (), None, (), (), tuple(noted["blanks"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, laid: LaidOut) -> None:
        """Proofs keep no document: only where pages fall (note)."""

    def note(self, key: str, placed: Placed) -> None:
        assert self.folder is not None
        noted = {"pages": placed.pages, "anchors": placed.anchors, "blanks": list(placed.blanks)}
        keep_file(self.folder / f"{key}.json", json.dumps(noted).encode())


class PlacesOnly:
    """Workers for the book's documents that lay each out only until it knows where its pages
    fall (place_only): a proof needs no more of them, and a core is free as soon as it does."""

    def __init__(self, workers: Workers) -> None:
        self.workers = workers
        self.patches = workers.patches

    def submit(self, function: Callable[..., Any], *args: Any, noting: bool = False) -> int:
        assert function is lay_out and noting
        return self.workers.submit(place_only, *args, noting=True)

    def note(self, number: int) -> Any:
        return self.workers.note(number)

    def result(self, number: int) -> Any:
        return self.workers.result(number)


class _Placed(Exception):
    """Raised from lay_out's note to stop before the PDF is written."""


def place_only(layout: Layout, note: Callable[[Placed], None]) -> None:
    """In a child process: lay_out until it notes where the pages fall, then stop (what it
    raises then comes back as a LayoutError, which is not one here)."""
    noted: list[Placed] = []

    def stop(placed: Placed) -> None:
        note(placed)
        noted.append(placed)
        raise _Placed

    try:
        lay_out(layout, stop)
    except LayoutError:
        if not noted:
            raise


def first_numbers(
    rendered: RenderedBook,
    layouts: Layouts,
    workers: Workers,
    places: KnownPlaces,
    wanted: set[str],
    known: Callable[[dict[str, int]], None] = lambda numbers: None,
) -> dict[str, int] | None:
    """The wanted entry ids of this (printed) book -> the number of their first page (and maybe
    others'); None if the book's layout lost a place (the build reports it). The runs are waited
    for in order, up to the last that holds a wanted entry: later ones do not move its pages;
    known is told the numbers known once each run of a book laid out in runs is placed."""
    if not rendered.parts:
        return {}
    first_key = len(places.keys)
    pending = start_pdf(rendered, layouts, workers, places, GROUP_WEIGHT)
    keys = [key for section, key in places.keys[first_key:] if section != "digits"]
    anchors = {view.anchor: view.entry.id for view in rendered.entries}
    placed: list[Placed] = []
    missing = set(wanted)
    for begun, key in zip(pending.begun, keys, strict=True):
        where = begun.placed()
        if where is None:
            return None
        placed.append(where)
        places.note(key, where)
        missing -= {anchors[a] for a in where.anchors if a in anchors}
        if len(pending.groups) > 1:
            known(_numbers(pending.openings, placed, anchors))
        if not missing:
            break
    if len(pending.groups) == 1:  # laid out whole: the body begins with the first theme's opening
        whole = placed[0]
        front = whole.anchors[rendered.parts[0].anchor] - 1
        return {anchors[a]: page - front for a, page in whole.anchors.items() if a in anchors}
    return _numbers(pending.openings, placed, anchors)


def _numbers(openings: list[set[str]], placed: list[Placed], anchors: dict[str, str]) -> dict[str, int]:
    """The first page's number of each entry (by id) in the first len(placed) runs."""
    numbers = BodyNumbers(body_pages(openings[: len(placed)], placed), placed).of_anchors()
    return {anchors[a]: number for a, number in numbers.items() if a in anchors}
