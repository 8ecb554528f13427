"""The book as make-book serve keeps it between saves: read once, then only what a change touches.

A saved, added or removed submission is read alone (2 ms) and spliced into the entries of the last
full read (saved with an error, it stays as it was last read without one, its problems shown);
book.yaml, a folder moved, or anything else the splice cannot vouch for reads all the submissions
again (70 ms for the sample book). Pictures are prepared once for each content and
kept in memory; the Markdown of an entry is rendered again only when it changed (rendering.py).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from ebook.bookkeeping.kept import file_digest
from ebook.model import Book, BookConfig, Entry
from ebook.problems import Problem, has_errors, problem, sort_key
from ebook.read.assemble import assemble
from ebook.read.config import load_config, shown_path
from ebook.read.picture_files import picture_problems
from ebook.read.submissions import find_submission_files, load_submissions, read_submission
from ebook.render.cover import cover_image
from ebook.render.pictures import ImageJobs, PreparedImage
from ebook.render.views import RenderedBook
from ebook.serve.rendering import RenderCache, render_cached
from ebook.templates.load import Layouts, load_layouts

# A preview shows the entries still waiting for approval too, held to an approved entry's rules.
WANTED = frozenset({"approved", "pending"})
# Problems load_submissions finds across files, which reading one file again cannot update.
_ACROSS_FILES = ("S004", "S006")


@dataclass(frozen=True)
class Loaded:
    """What a change left: the rendered book (None when none can be made), its layouts, its problems."""

    rendered: RenderedBook | None
    layouts: Layouts | None
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class _Prepared:
    image: PreparedImage
    failure: str | None


class BookState:
    """Owned by the one thread that rebuilds; every other thread sees only what update() returns."""

    def __init__(self, config_path: Path, shown_config: str, environ: dict[str, str], image_cache: Path) -> None:
        self.config_path = config_path
        self.shown_config = shown_config
        self.environ = environ
        self.image_cache = image_cache
        self.render_cache = RenderCache()
        self.config: BookConfig | None = None
        self._config_problems: list[Problem] = []
        self._layouts: Layouts | None = None
        self._layout_problems: list[Problem] = []
        self._files: dict[Path, str] = {}  # every submission file (and linked folder): its shown path
        self._entries: dict[str, Entry] = {}  # by shown path
        self._problems: list[Problem] = []  # the submissions'
        self._pictures: dict[tuple[Path, str], _Prepared] = {}  # by source and content digest
        self._digests: dict[Path, tuple[tuple[int, int], str]] = {}  # by source: (mtime, size) and digest
        self._cover: tuple[tuple[object, ...], PreparedImage] | None = None
        # The last book assembled: from which config and entries (by shown path), with its warnings.
        self._assembled: tuple[BookConfig, dict[str, Entry], Book, list[Problem]] | None = None

    @property
    def watched(self) -> tuple[Path, ...]:
        """The folders whose files make the book, besides book.yaml's own folder."""
        folder = self.config_path.parent
        return (folder / "submissions", folder / "layouts")

    def update(self, changed: Iterable[Path] | None = None) -> Loaded:
        """The book after the files changed have been read again; None: read everything."""
        folder = self.config_path.parent
        changed = None if changed is None else set(changed)
        if changed is None or self.config_path in changed or self.config is None:
            self._read_config()
            self._read_layouts()
            self._read_all_submissions()
        else:
            if any(_under(p, folder / "layouts") for p in changed):
                self._read_layouts()
            submissions = {p for p in changed if _under(p, folder / "submissions")}
            if submissions:
                self._read_submissions(submissions)
            if self.config.cover in changed:
                self._cover = None
        return self._assemble()

    def _read_config(self) -> None:
        self.config = None
        if not self.config_path.is_file():
            self._config_problems = [problem(self.shown_config, 0, 0, "B004", "there is no such book file")]
            return
        self.config, self._config_problems = load_config(self.config_path, self.shown_config)

    def _read_layouts(self) -> None:
        if self.config is None:
            self._layouts, self._layout_problems = None, []
            return
        self._layouts, self._layout_problems = load_layouts(self.config.folder, self.config.shown_folder)

    def _read_all_submissions(self) -> None:
        self._files, self._entries, self._problems = {}, {}, []
        if self.config is None:
            return
        root = self.config.folder / "submissions"
        found = load_submissions(self.config, WANTED)
        files = find_submission_files(root) if root.is_dir() else []
        self._files = {p: shown_path(self.config.shown_folder, p.relative_to(self.config.folder)) for p in files}
        self._entries = {e.shown_path: e for e in found.entries}
        self._problems = list(found.problems)

    def _read_submissions(self, changed: set[Path]) -> None:
        """Each saved, added or removed submission read alone, when that gives what
        load_submissions would; otherwise all of them."""
        assert self.config is not None
        if any(p.code in _ACROSS_FILES for p in self._problems):
            return self._read_all_submissions()
        gone = {p for p in changed if p in self._files and not os.path.lexists(p)}
        known = {p for p in changed if p in self._files} - gone
        if any(p.is_symlink() or not p.is_file() for p in known):
            return self._read_all_submissions()  # replaced by a link or a folder
        added = {p for p in changed - self._files.keys() if p.suffix in (".yaml", ".yml") and os.path.lexists(p)}
        others = {p for p in changed - self._files.keys() if p.suffix not in (".yaml", ".yml")}
        if not self._plain_additions(added, gone) or any(p.is_dir() or not p.exists() for p in others):
            return self._read_all_submissions()  # a folder moved in, a deleted picture, an id taken twice…
        for path in gone:
            shown = self._files.pop(path)
            self._entries.pop(shown, None)
            self._problems = [q for q in self._problems if q.path != shown]
        root = self.config.folder / "submissions"
        for path in added:
            self._files[path] = shown_path(self.config.shown_folder, path.relative_to(self.config.folder))
        again = known | added
        if others:  # pictures: the entries that show them, and those whose problems may name them
            shows = {p.source for e in self._entries.values() for p in e.photos}
            if others & shows:
                again |= {p for p, shown in self._files.items() if self._shows(shown, others)}
            again |= {p for p, shown in self._files.items() if any(q.path == shown for q in self._problems)}
        for path in again:
            shown = self._files[path]
            entry, _, found = read_submission(path, root, self.config, shown, WANTED)
            self._problems = [q for q in self._problems if q.path != shown] + found
            if entry is not None:
                self._entries[shown] = entry
            elif path in added or not has_errors(found):  # rejected or withdrawn now: out of the preview
                self._entries.pop(shown, None)
            # An entry saved with an error stays in the book as it was last read without one: the
            # editor keeps its page while fixing it, and the entries after it keep their numbers
            # (one leaving would make all of their pages again).
        if not self._entries:
            self._read_all_submissions()  # "no approved entry" is load_submissions' to say
        return None

    def _plain_additions(self, added: set[Path], gone: set[Path]) -> bool:
        """Whether the files added are submissions that load_submissions reads as such: regular
        files, in no hidden or linked folder, each with an id of its own."""
        assert self.config is not None
        root = self.config.folder / "submissions"
        ids = [p.stem for p in self._files if p not in gone] + [p.stem for p in added]
        if len(ids) != len(set(ids)):
            return False
        for path in added:
            if path.is_symlink() or not path.is_file() or path.name.startswith("."):
                return False
            folders = [f for f in path.relative_to(root).parents if f.name]
            if any(f.name.startswith(".") or (root / f).is_symlink() for f in folders):
                return False
        return True

    def _shows(self, shown: str, pictures: set[Path]) -> bool:
        entry = self._entries.get(shown)
        return entry is not None and any(p.source in pictures for p in entry.photos)

    def _assemble(self) -> Loaded:
        problems = self._config_problems + self._layout_problems + self._problems
        if self.config is None or self._layouts is None or not self._entries:
            return Loaded(None, self._layouts, _sorted(problems))
        book, warnings = self._book_of(dict(self._entries))
        images, failures = self._prepare_pictures(book)
        problems += warnings + picture_problems(book, self.shown_config, failures)
        rendered = render_cached(book, images, self._cover_image(book.config, images), self.render_cache)
        return Loaded(rendered, self._layouts, _sorted(problems))

    def _book_of(self, entries: dict[str, Entry]) -> tuple[Book, list[Problem]]:
        """assemble()'s book. When only the text of entries changed, the last book with the new
        texts: assemble orders and typesets titles and names (110 ms for the sample book, most of
        a save's time), and gives the text as read (tests/test_serve.py holds it to that)."""
        assert self.config is not None
        if self._assembled is not None:
            config, before, book, warnings = self._assembled
            if config is self.config and before.keys() == entries.keys():
                texts = {shown: e.body for shown, e in entries.items() if e != before[shown]}
                if all(replace(before[shown], body=body) == entries[shown] for shown, body in texts.items()):
                    book = replace(
                        book,
                        parts=tuple(
                            replace(part, entries=tuple(_with_text(e, texts) for e in part.entries))
                            for part in book.parts
                        ),
                    )
                    self._assembled = (config, entries, book, warnings)
                    return book, warnings
        book, warnings = assemble(self.config, tuple(entries.values()), self.shown_config, self.environ)
        self._assembled = (self.config, entries, book, warnings)
        return book, warnings

    def _prepare_pictures(self, book: Book) -> tuple[dict[Path, PreparedImage], dict[Path, str]]:
        """Every picture of the book, each prepared once for each content it has had."""
        sources = [p.source for e in book.entries for p in e.photos]
        if book.config.cover:
            sources.append(book.config.cover)
        keys = {source: (source, self._digest(source)) for source in dict.fromkeys(sources)}
        todo = [source for source, key in keys.items() if key not in self._pictures]
        if todo:
            with ImageJobs(todo, self.image_cache, {s: keys[s][1] for s in todo}) as jobs:
                for source in todo:
                    result = jobs.result(source)
                    failure = result if isinstance(result, str) else None
                    self._pictures[keys[source]] = _Prepared(jobs.image(source).loaded(), failure)
        used = set(keys.values())
        self._pictures = {key: value for key, value in self._pictures.items() if key in used}
        images = {source: self._pictures[key].image for source, key in keys.items()}
        failures = {
            source: failure for source, key in keys.items() if (failure := self._pictures[key].failure) is not None
        }
        return images, failures

    def _digest(self, source: Path) -> str:
        """The content's digest, read again only when the file's time or size changed."""
        try:
            stat = source.stat()
        except OSError:
            return ""
        signature = (stat.st_mtime_ns, stat.st_size)
        known = self._digests.get(source)
        if known is None or known[0] != signature:
            try:
                known = (signature, file_digest(source))
            except OSError:
                return ""
            self._digests[source] = known
        return known[1]

    def _cover_image(self, config: BookConfig, images: dict[Path, PreparedImage]) -> PreparedImage:
        """The editor's cover, or the drawn one, drawn again only when what it shows changed."""
        prepared = images.get(config.cover) if config.cover else None
        shows = (config.title, config.subtitle, config.editors, config.publisher, prepared and prepared.name)
        if self._cover is None or self._cover[0] != shows:
            image = cover_image(config, prepared)
            self._cover = (shows, prepared or _drawn_once(image))
        return self._cover[1]


def _with_text(entry: Entry, texts: dict[str, str]) -> Entry:
    return replace(entry, body=texts[entry.shown_path]) if entry.shown_path in texts else entry


def _drawn_once(image: PreparedImage) -> PreparedImage:
    """A drawn cover keeps its bytes once drawn (80 ms), for every edition made after."""
    return PreparedImage(image.name, image.media_type, image.width, image.height, functools.cache(image.load))


def _under(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _sorted(problems: list[Problem]) -> tuple[Problem, ...]:
    return tuple(sorted(set(problems), key=sort_key))
