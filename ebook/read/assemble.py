"""Put the approved entries in book order: themes as in book.yaml, then FORMAT.md's rule inside each."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import unicodedata
from collections.abc import Callable, Iterable
from itertools import groupby

from pyuca import Collator

from ebook.model import Book, BookConfig, Contributors, Entry, Part
from ebook.problems import Problem, problem
from ebook.read.characters import slug
from ebook.render.typeset_book import typeset_book


def collation_keys(texts: Iterable[str]) -> dict[str, tuple[int, ...]]:
    """Each text's sort key under the Unicode Collation Algorithm, with the default table and no
    language tailoring. pyuca parses the whole table, 30,000 rows, in 0.09 s, and no layout can
    begin before the entries are in order. A text's key only ever uses the rows that begin with one
    of its characters (decomposed, as the algorithm reads them) and the implicit weights of
    characters without a row: pyuca is given those rows alone, and gives the same keys."""
    wanted = list(dict.fromkeys(texts))
    characters = {ord(c) for text in wanted for c in unicodedata.normalize("NFD", text)}
    collator = _CollatorOf(characters)
    return {text: collator.sort_key(text) for text in wanted}


class _CollatorOf(Collator):  # type: ignore[misc]
    def __init__(self, characters: set[int]) -> None:
        self.characters = characters
        super().__init__()

    def load(self, filename: str) -> None:
        with open(filename, encoding="utf-8") as table, tempfile.NamedTemporaryFile("w", encoding="utf-8") as rows:
            rows.writelines(row for row in table if row.startswith("@") or self._begins_with_one(row))
            rows.flush()
            super().load(rows.name)

    def _begins_with_one(self, row: str) -> bool:
        first = row.split(maxsplit=1)[0] if row.strip() and not row.startswith("#") else ""
        return bool(first) and int(first, 16) in self.characters


def entry_order(key: Callable[[str], tuple[int, ...]]) -> Callable[[Entry], tuple[object, ...]]:
    def order(entry: Entry) -> tuple[object, ...]:
        has_order = entry.order is not None
        return (not has_order, entry.order if has_order else 0, key(entry.author.sort_name), entry.id)

    return order


def build_date(config: BookConfig, environ: dict[str, str] | None = None) -> dt.datetime:
    """SOURCE_DATE_EPOCH when set (reproducible-builds.org), else midnight UTC of the book's date."""
    epoch = (environ if environ is not None else dict(os.environ)).get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.combine(config.date, dt.time(), dt.UTC)


def assemble(
    config: BookConfig, entries: tuple[Entry, ...], config_shown: str, environ: dict[str, str] | None = None
) -> tuple[Book, list[Problem]]:
    keys = collation_keys(text for e in entries for text in (e.author.sort_name, e.author.country_name))
    key = keys.__getitem__
    order = entry_order(key)
    parts: list[Part] = []
    warnings: list[Problem] = []
    for theme in config.themes:
        chosen = sorted((e for e in entries if e.theme == theme.id), key=order)
        if not chosen:
            warnings.append(
                problem(
                    config_shown, theme.line, 0, "S005", f'theme "{theme.id}" has no approved entry and is left out'
                ).as_warning()
            )
            continue
        parts.append(Part(len(parts) + 1, theme, tuple(chosen)))
    chosen_entries = tuple(e for part in parts for e in part.entries)
    book = Book(
        config,
        tuple(parts),
        slug(config.title),
        build_date(config, environ),
        contributors_by_country(chosen_entries, key),
    )
    return typeset_book(book), warnings  # every writer gets the same marks


def contributors_by_country(
    entries: tuple[Entry, ...], key: Callable[[str], tuple[int, ...]]
) -> tuple[Contributors, ...]:
    """Countries by name, people by FORMAT.md's collation rule (anonymous ones by their hidden name too)."""
    by_country = sorted(entries, key=lambda e: (key(e.author.country_name), e.author.country))
    groups = []
    for code, members in groupby(by_country, key=lambda e: e.author.country):
        people = sorted(members, key=lambda e: (key(e.author.sort_name), e.id))
        groups.append(Contributors(code, people[0].author.country_name, tuple(e.id for e in people)))
    return tuple(groups)
