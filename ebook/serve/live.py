"""Keeping the served edition current: changes queued by the watcher, rebuilt by one thread.

Each rebuild reads what changed (book.py), makes the pages it shows again (edition.py) and
publishes a new Edition; its version moves only when a file or the problems changed, so saving
a file unchanged reloads nothing. While the book has errors, the pages of the last edition without
them stay served beside the new ones (an entry with an error keeps its last good page), and every
page shows the problems.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ebook.problems import has_errors, sort_key
from ebook.serve.book import BookState, Loaded
from ebook.serve.edition import Edition, EditionMaker
from ebook.serve.server import Preview


@dataclass(frozen=True)
class Rebuilt:
    """What one rebuild did, for the terminal."""

    edition: Edition
    seconds: float
    problems_changed: bool


class LiveEdition:
    """The edition, rebuilt by its own thread from the changes given to changed()."""

    def __init__(
        self,
        state: BookState,
        preview: Preview,
        on_rebuilt: Callable[[Rebuilt], None],
        on_failure: Callable[[Exception], None],
    ) -> None:
        self.state = state
        self.preview = preview
        self.on_rebuilt = on_rebuilt
        self.on_failure = on_failure
        self.maker = EditionMaker()
        self._queue: queue.Queue[set[Path] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="make-book-rebuild", daemon=True)

    def first(self) -> Edition:
        """The first edition: everything read and made."""
        start = time.perf_counter()
        edition = self._edition(self.state.update(None), None)
        self.preview.publish(edition)
        self.on_rebuilt(Rebuilt(edition, time.perf_counter() - start, bool(edition.problems)))
        return edition

    def start(self) -> None:
        self._thread.start()

    def changed(self, paths: set[Path]) -> None:
        """Called by the watcher's threads."""
        self._queue.put(paths)

    def stop(self) -> None:
        self._queue.put(None)
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while True:
            paths = self._queue.get()
            while paths is not None and not self._queue.empty():  # changes that queued meanwhile, at once
                more = self._queue.get()
                paths = None if more is None else paths | more
            if paths is None:
                return
            start = time.perf_counter()
            previous = self.preview.edition
            try:
                edition = self._edition(self.state.update(paths), previous)
            except Exception as e:  # a bug of make-book's: the last edition stays served, the loop goes on
                self.on_failure(e)
                continue
            if edition.version != previous.version:
                self.preview.publish(edition)
                changed = edition.problems != previous.problems
                self.on_rebuilt(Rebuilt(edition, time.perf_counter() - start, changed))

    def _edition(self, loaded: Loaded, previous: Edition | None) -> Edition:
        files: dict[str, bytes] = {}
        later: dict[str, Callable[[], bytes]] = {}
        made: set[str] = set()
        problems = loaded.problems
        if loaded.rendered is not None and loaded.layouts is not None:
            found = self.maker.make(loaded.rendered, loaded.layouts)
            files, later, made = found.files, found.later, found.made
            problems = tuple(sorted(set(problems + found.problems), key=sort_key))
        if previous is None:
            return Edition(files, later, problems, 1, frozenset(made))
        if has_errors(problems):
            files, later = {**previous.files, **files}, {**previous.later, **later}
        edition = Edition(files, later, problems, previous.version + 1, frozenset(made))
        if edition.serves_as(previous):
            return previous
        return edition
