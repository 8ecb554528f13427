"""Which files of the book changed, with watchfiles (inotify on Linux, FSEvents on macOS).

Two watchers: the book's folder alone (book.yaml, a cover beside it, submissions/ or layouts/
appearing), and submissions/ and layouts/ with everything below them. The book's folder itself is
not watched below its top: it may hold dist/, .git or a virtual environment, thousands of folders
that make nothing of the book.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import watchfiles

if TYPE_CHECKING:  # watchfiles defines it for type checkers only
    from watchfiles.main import AbstractEvent

# Changes that come together are reported once: watchfiles waits this long for more (ms), and
# never longer than DEBOUNCE in all. An editor's save is a few writes within a millisecond.
STEP = 30
DEBOUNCE = 400


class _Either:
    """Set when either event is: watchfiles stops on any object with is_set()."""

    def __init__(self, *events: threading.Event) -> None:
        self.events = events

    def is_set(self) -> bool:
        return any(e.is_set() for e in self.events)


def _quiet_filter() -> watchfiles.DefaultFilter:
    """watchfiles' usual filter (editor swap and backup files), and hidden files too, which make
    nothing of the book (an editor's save-as-then-rename still shows as the real file's change)."""

    class Filter(watchfiles.DefaultFilter):
        def __call__(self, change: watchfiles.Change, path: str) -> bool:
            return bool(super().__call__(change, path)) and not Path(path).name.startswith(".")

    return Filter()


class BookWatcher:
    """Calls report(changed paths) from its own threads until stop()."""

    def __init__(self, folder: Path, below: Iterable[Path], report: Callable[[set[Path]], None]) -> None:
        self.folder = folder
        self.below = tuple(below)
        self.report = report
        self._stop = threading.Event()
        self._again = threading.Event()  # a folder to watch below appeared or went
        self._threads = [
            threading.Thread(target=self._watch_top, name="make-book-watch-top", daemon=True),
            threading.Thread(target=self._watch_below, name="make-book-watch-below", daemon=True),
        ]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=2)

    def _changes(self, paths: list[Path], recursive: bool, stop: AbstractEvent) -> Iterable[set[Path]]:
        for changes in watchfiles.watch(
            *paths,
            watch_filter=_quiet_filter(),
            debounce=DEBOUNCE,
            step=STEP,
            stop_event=stop,
            rust_timeout=1000,
            recursive=recursive,
            raise_interrupt=False,
        ):
            yield {Path(path) for _, path in changes}

    def _watch_top(self) -> None:
        for changed in self._changes([self.folder], False, self._stop):
            if changed & set(self.below):
                self._again.set()
            self.report(changed)

    def _watch_below(self) -> None:
        while not self._stop.is_set():
            self._again.clear()
            folders = [f for f in self.below if f.is_dir()]
            if not folders:
                self._again.wait(timeout=1)
                continue
            try:
                for changed in self._changes(folders, True, _Either(self._stop, self._again)):
                    self.report(changed)
            except OSError:  # a folder went while the watch began: the top watcher will say so
                self._again.wait(timeout=1)
