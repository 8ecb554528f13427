"""The book as data: built once by the loaders and assembler, never changed afterwards."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Photo:
    source: Path
    alt: str
    caption: str | None
    credit: str | None
    width: int
    height: int
    line: int = 0  # where the submission names the file, for messages
    column: int = 0


@dataclass(frozen=True)
class Author:
    name: str
    sort_name: str
    role: str
    affiliation: str | None
    country: str
    country_name: str
    anonymous: bool


@dataclass(frozen=True)
class Entry:
    id: str
    shown_path: str
    status: str
    theme: str
    title: str
    language: str
    direction: str
    author: Author
    order: int | None
    submitted: dt.date | None
    body: str
    photos: tuple[Photo, ...]


@dataclass(frozen=True)
class Theme:
    id: str
    title: str
    intro: str | None
    line: int = 0  # where book.yaml declares it, for messages


@dataclass(frozen=True)
class BookConfig:
    folder: Path
    shown_folder: str
    title: str
    subtitle: str | None
    publisher: str
    editors: tuple[str, ...]
    language: str
    direction: str
    identifier: str
    date: dt.date
    license: str
    description: str | None
    cover: Path | None
    foreword: str | None
    acknowledgements: str | None
    themes: tuple[Theme, ...]
    typography: str = "smart"  # or "plain": the texts exactly as typed (render/typography.py)


@dataclass(frozen=True)
class Part:
    number: int
    theme: Theme
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Contributors:
    """One country of the contributors index: its code, its name, its entries' ids in order."""

    country: str
    country_name: str
    entry_ids: tuple[str, ...]


@dataclass(frozen=True)
class Book:
    config: BookConfig
    parts: tuple[Part, ...]
    slug: str
    modified: dt.datetime
    contributors: tuple[Contributors, ...]

    @property
    def entries(self) -> tuple[Entry, ...]:
        return tuple(e for part in self.parts for e in part.entries)

    @property
    def languages(self) -> frozenset[str]:
        """The book's language and every entry's: the hyphenation dictionaries its PDF needs."""
        return frozenset({self.config.language, *(e.language for e in self.entries)})
