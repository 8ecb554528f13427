"""Where the book stands before it is built: every submission's status, figures and what it owes.

The problems come from the build's own reader, held to an approved entry's rules whatever the
status, so that what a pending entry owes is what it would owe once approved. A file the reader
refuses is read again loosely (lenient.py) so that it is still counted under its status and theme.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ebook.model import BookConfig, Entry, Theme
from ebook.problems import Problem, sort_key
from ebook.read.config import shown_path
from ebook.read.submissions import STATUSES, find_submission_files, load_submissions
from ebook.review.lenient import Glimpse, count_words, glimpse

# A status that is missing or not one of the four: the build refuses such a file whatever it holds.
INVALID = "invalid"
COLUMNS = (*STATUSES, INVALID)

CONSENT_OWED = "consent is not true"


def alt_owed(photo: int) -> str:
    return f"photo {photo} has no alt text"


@dataclass(frozen=True)
class Submission:
    id: str
    path: str  # as the editor would type it from where make-book was run
    status: str  # one of COLUMNS
    written_status: str | None  # what the file says, when it is not one of the four
    theme: str | None
    title: str | None
    author: str | None
    language: str | None
    country: str | None
    words: int
    photos: int
    uncredited: tuple[int, ...]  # the photos (from 1) without a credit: optional, but editors chase them
    owing: tuple[str, ...]
    problems: tuple[Problem, ...]

    @property
    def printable(self) -> bool:
        return self.status == "approved" and not self.owing


@dataclass(frozen=True)
class Tally:
    """The figures of a group of submissions: a theme, the unsorted ones, or the whole book."""

    # Read-only mappings (the model is never changed once built); dicts because JSON wants objects.
    statuses: Mapping[str, int] = field(default_factory=dict)  # every key of COLUMNS
    words: int = 0
    words_approved: int = 0
    photos: int = 0
    languages: Mapping[str, int] = field(default_factory=dict)  # most frequent first
    countries: Mapping[str, int] = field(default_factory=dict)

    @property
    def entries(self) -> int:
        return sum(self.statuses.values())


@dataclass(frozen=True)
class ThemeTally:
    theme: Theme
    tally: Tally


@dataclass(frozen=True)
class BookStatus:
    title: str
    language: str  # the book's: that of its title and its themes' titles
    themes: tuple[ThemeTally, ...]  # in book.yaml's order
    unsorted: Tally  # submissions whose theme is missing or not in book.yaml
    total: Tally
    submissions: tuple[Submission, ...]  # in file order
    other_problems: tuple[Problem, ...]  # those of no one submission file (a linked folder, no files)

    @property
    def uncredited(self) -> tuple[Submission, ...]:
        """Approved and pending entries with a photo that has no credit: the book prints them, but
        the photographer's name is what editors most often have to chase."""
        return tuple(s for s in self.submissions if s.uncredited and s.status in ("approved", "pending"))

    @property
    def not_printable(self) -> tuple[Submission, ...]:
        """What stands between the submissions and the book, what stops a build first: approved
        entries that owe something, files whose status cannot be told, then every pending entry,
        those that owe something first; each group in the themes' order."""
        themes = {t.theme.id: i for i, t in enumerate(self.themes)}
        rank = {"approved": 0, INVALID: 1, "pending": 2}
        return tuple(
            sorted(
                (
                    s
                    for s in self.submissions
                    if (s.status == "approved" and s.owing) or s.status in ("pending", INVALID)
                ),
                key=lambda s: (rank[s.status], not s.owing, themes.get(s.theme or "", len(themes)), s.id, s.path),
            )
        )


def tally(submissions: Iterable[Submission]) -> Tally:
    statuses = dict.fromkeys(COLUMNS, 0)
    words = words_approved = photos = 0
    languages: Counter[str] = Counter()
    countries: Counter[str] = Counter()
    for s in submissions:
        statuses[s.status] += 1
        words += s.words
        words_approved += s.words if s.status == "approved" else 0
        photos += s.photos
        languages.update([s.language] if s.language else [])
        countries.update([s.country] if s.country else [])
    return Tally(
        statuses,
        words,
        words_approved,
        photos,
        dict(sorted(languages.items(), key=lambda kv: (-kv[1], kv[0]))),
        dict(sorted(countries.items(), key=lambda kv: (-kv[1], kv[0]))),
    )


# Problems that say again what an owing line of FORMAT.md's own wording already says.
_CONSENT_FIELD = re.compile(r'"consent"')
_ALT_FIELD = re.compile(r'"photos\[\d+\]\.alt"')


def _said_already(p: Problem) -> bool:
    if p.code == "S003":
        return True
    return p.code in ("F001", "F004", "F005") and bool(_CONSENT_FIELD.search(p.message) or _ALT_FIELD.search(p.message))


def owing_line(p: Problem) -> str:
    """A problem in an owing list: the submission's path is already given, its line is not."""
    return f"line {p.line}: {p.code} {p.message}" if p.line else f"{p.code} {p.message}"


def _owing(seen: Glimpse, problems: list[Problem]) -> tuple[str, ...]:
    if not problems:
        return ()
    owed = []
    # A file read only line by line owes consent only if a consent line says so: else nobody knows.
    if seen.consent != "true" and (seen.readable or seen.consent is not None):
        owed.append(CONSENT_OWED)
    owed += [alt_owed(i) for i in seen.photos_without_alt]
    covered = [p for p in problems if _said_already(p)] if owed else []
    owed += [owing_line(p) for p in problems if p not in covered]
    return tuple(owed)


def _from_entry(entry: Entry, shown: str) -> Submission:
    return Submission(
        id=entry.id,
        path=shown,
        status=entry.status,
        written_status=None,
        theme=entry.theme,
        title=entry.title,
        author=entry.author.name,
        language=entry.language,
        country=entry.author.country,
        words=count_words(entry.body),
        photos=len(entry.photos),
        uncredited=tuple(i for i, photo in enumerate(entry.photos, 1) if not photo.credit),
        owing=(),
        problems=(),
    )


def _from_glimpse(path: Path, shown: str, config: BookConfig, problems: list[Problem]) -> Submission:
    seen = glimpse(path)
    status = seen.status if seen.status in STATUSES else INVALID
    return Submission(
        id=path.stem,
        path=shown,
        status=status,
        written_status=seen.status if status == INVALID else None,
        theme=seen.theme,
        title=seen.title,
        author=seen.name,
        language=seen.language or (config.language if seen.readable else None),
        country=seen.country,
        words=seen.words,
        photos=seen.photos,
        uncredited=seen.photos_without_credit,
        owing=_owing(seen, problems),
        problems=tuple(problems),
    )


def book_status(config: BookConfig) -> BookStatus:
    """Never fails on a submission: a broken one is counted as far as it can be read, with what it owes."""
    loaded = load_submissions(config, frozenset(STATUSES))
    by_path: dict[str, list[Problem]] = {}
    for p in sorted(loaded.problems, key=sort_key):
        by_path.setdefault(p.path, []).append(p)
    entries = {e.shown_path: e for e in loaded.entries}
    root = config.folder / "submissions"
    submissions = []
    for path in find_submission_files(root) if root.is_dir() else []:
        if path.is_dir():  # a linked folder is not a submission: its problem is the book's
            continue
        shown = shown_path(config.shown_folder, path.relative_to(config.folder))
        entry = entries.get(shown)
        problems = by_path.pop(shown, [])
        if entry is not None and not problems:
            submissions.append(_from_entry(entry, shown))
        else:
            submissions.append(_from_glimpse(path, shown, config, problems))
    known = {t.id for t in config.themes}
    return BookStatus(
        title=config.title,
        language=config.language,
        themes=tuple(ThemeTally(t, tally(s for s in submissions if s.theme == t.id)) for t in config.themes),
        unsorted=tally(s for s in submissions if s.theme not in known),
        total=tally(submissions),
        submissions=tuple(submissions),
        other_problems=tuple(p for ps in by_path.values() for p in ps),
    )
