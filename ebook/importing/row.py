"""One response (a row of the export) as the values of a submission, its photos and its problems."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ebook.importing.column_map import ImportMap
from ebook.importing.documents import convert
from ebook.importing.documents_model import DocumentError
from ebook.importing.files import FileIndex, is_reference, split_files
from ebook.importing.photos import PhotoError, Ready, prepare
from ebook.importing.sheets import Row, Sheet
from ebook.importing.values import as_bool, as_date, as_theme, read_date
from ebook.model import BookConfig
from ebook.read.characters import describe, forbidden_characters
from ebook.read.countries import Names, fold
from ebook.read.fields import leaf_fields
from ebook.read.submissions import STATUSES, SUBMISSION_FIELDS

MAX_ANSWER = 400_000  # characters: a submission file holds at most 1 MiB
MAX_PHOTO_BYTES = 64 * 1024 * 1024
# The fields that may hold no direction controls, as the build reads them.
_STRICT = frozenset(name for name, f in leaf_fields(SUBMISSION_FIELDS) if f.strict_bidi)
# One-line texts: two columns feeding one of them are joined with a space (a first and a last name).
_TEXTS = ("title", "author.name", "author.sort_name", "author.role", "author.affiliation")


@dataclass(frozen=True)
class Note:
    code: str
    message: str
    error: bool


@dataclass(frozen=True)
class PhotoOut:
    ready: Ready
    alt: str | None
    caption: str | None
    credit: str | None


@dataclass(frozen=True)
class Context:
    config: BookConfig
    sheet: Sheet
    import_map: ImportMap
    names: Names
    files: FileIndex
    date_orders: dict[str, str | None]  # column title -> DMY | MDY | YMD | None


@dataclass
class Converted:
    values: dict[str, Any] = field(default_factory=dict)
    photos: list[PhotoOut] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    def note(self, code: str, message: str, error: bool = True) -> None:
        self.notes.append(Note(code, message, error))


def _short(text: str) -> str:
    one = " ".join(text.split())
    return one if len(one) <= 60 else one[:57] + "…"


def convert_row(row: Row, context: Context) -> Converted:
    out = Converted()
    themes = context.config.themes
    out.values["status"] = context.import_map.status
    if context.import_map.theme:
        out.values["theme"] = context.import_map.theme
    lines: dict[str, list[str]] = {"photos.alt": [], "photos.caption": [], "photos.credit": []}
    # (name, picture or None when it could not be had, its place among the cells' files or -1
    # for a picture inside the body's document): descriptions pair with the names as written.
    found_photos: list[tuple[str, Ready | None, int]] = []
    for column in context.import_map.columns:
        cell = row.cells[context.sheet.columns.index(column.title)]
        title, target = column.title, column.target
        if not cell.strip():
            continue
        if len(cell) > MAX_ANSWER:
            out.note(
                "I026",
                f'"{title}": the answer is {len(cell):,} characters long, '
                f"more than the {MAX_ANSWER:,} an entry can hold; it was left out",
            )
            continue
        bad = forbidden_characters(cell, bidi=target in _STRICT)
        if bad:
            out.note(
                "I027",
                f'"{title}": the answer contains the character {describe(bad[0])}, '
                "which is not allowed here; it was left out",
            )
            continue
        text = cell.strip()
        if target in _TEXTS:
            joined = f"{out.values[target]} {text}" if target in out.values else text
            out.values[target] = " ".join(joined.split()) if target != "title" else joined
        elif target == "status":
            if fold(text) in STATUSES:
                out.values["status"] = fold(text)
            else:
                out.note("S001", f'"{title}": "{_short(text)}" is not a status ({", ".join(STATUSES)})')
        elif target == "theme":
            theme = as_theme(text, themes)
            if theme is None:
                known = ", ".join(t.id for t in themes)
                out.note("S002", f'"{title}": "{_short(text)}" is neither the id nor the title of a theme ({known})')
            else:
                out.values["theme"] = theme
        elif target == "language":
            tag = context.names.language_tag(text)
            if tag is None:
                out.note(
                    "F008",
                    f'"{title}": "{_short(text)}" is not a language make-book knows; '
                    "write a tag like fr or pt-BR, or the language's name",
                )
            else:
                out.values["language"] = tag
        elif target == "author.country":
            code = context.names.country_code(text)
            if code is None:
                hint = context.names.suggest_country(text)
                more = f" (did you mean {hint}?)" if hint else "; write an ISO code like FR or the country's name"
                out.note("F009", f'"{title}": "{_short(text)}" is not a country make-book knows{more}')
            else:
                out.values["author.country"] = code
        elif target in ("consent", "author.anonymous"):
            meaning = as_bool(text, context.import_map.answers(target))
            if meaning is None:
                out.note(
                    "F005", f'"{title}": the answer "{_short(text)}" is not listed under values: {target} in the map'
                )
            else:
                out.values[target] = meaning
        elif target == "order":
            if re.fullmatch(r"[+-]?[0-9]{1,9}", text):
                out.values["order"] = int(text)
            else:
                out.note("F006", f'"{title}": "{_short(text)}" is not a whole number')
        elif target == "submitted":
            parsed = read_date(text)
            date = as_date(parsed, context.date_orders.get(title)) if parsed else None
            if date is None:
                out.note("F007", f'"{title}": "{_short(text)}" is not a date make-book can read')
            else:
                out.values["submitted"] = date
        elif target == "body":
            _body(text, cell, title, context, out, found_photos)
        elif target == "photos.file":
            for item in split_files(text, context.files):
                named = sum(1 for _, _, place in found_photos if place >= 0)
                found_photos.append((item, _photo(item, title, context, out), named))
        else:
            lines[target] += [line.strip() for line in text.split("\n") if line.strip()]
    _assemble_photos(found_photos, lines, out)
    # A response with an error is pending anyway, its errors listed; else say why it is not approved.
    errors = any(n.error for n in out.notes)
    if out.values.get("status") == "approved" and not errors and (owing := _owing(out)):
        out.values["status"] = "pending"
        out.note("I036", f"written as pending, not approved: {'; '.join(owing)}", False)
    return out


REQUIRED = ("theme", "title", "author.name", "author.role", "author.country", "consent", "body")


def _owing(out: Converted) -> list[str]:
    """What keeps an entry out of the book: the build would refuse it as approved."""
    owing = [f'no "{name}"' for name in REQUIRED if name not in out.values]
    if out.values.get("consent") is False:
        owing.append("the author did not consent")
    if any(not photo.alt for photo in out.photos):
        owing.append("a photo has no description")
    return owing


def _body(
    text: str, cell: str, title: str, context: Context, out: Converted, pictures: list[tuple[str, Ready | None, int]]
) -> None:
    if not is_reference(text):
        body = cell.strip("\n").rstrip() + "\n"
        out.values["body"] = f"{out.values['body']}\n{body}" if "body" in out.values else body
        return
    found = context.files.find(text)
    if found.path is None:
        out.note("I031" if found.error else "I030", f'"{title}": {found.problem}', found.error)
        return
    try:
        document = convert(found.path, text)
    except DocumentError as e:
        out.note("I040", f'"{title}": {e}')
        return
    except (OSError, ValueError, RecursionError, MemoryError) as e:  # damaged in a way no check foresaw
        out.note("I040", f'"{title}": "{text}" is damaged: it cannot be read ({type(e).__name__})')
        return
    for warning in document.warnings:
        out.note("I041", warning, False)
    forbidden = forbidden_characters(document.markdown)
    if forbidden:
        out.note(
            "I027",
            f'"{title}": "{text}" contains the character {describe(forbidden[0])}, '
            "which is not allowed; the text was left out",
        )
    elif len(document.markdown) > MAX_ANSWER:
        out.note(
            "I026",
            f'"{title}": "{text}" holds {len(document.markdown):,} characters, '
            f"more than the {MAX_ANSWER:,} an entry can hold",
        )
    elif document.markdown.strip():
        out.values["body"] = document.markdown
    for i, picture in enumerate(document.pictures, 1):
        try:
            ready = prepare(picture.data, f"{text}, picture {i}")
        except PhotoError as e:
            out.note("I042", f'"{title}": {e}; the picture was left out', False)
            continue
        pictures.append((picture.alt, ready, -1))


def _photo(item: str, title: str, context: Context, out: Converted) -> Ready | None:
    found = context.files.find(item)
    if found.path is None:
        out.note("I031" if found.error else "I030", f'"{title}": {found.problem}', found.error)
        return None
    try:
        if found.path.stat().st_size > MAX_PHOTO_BYTES:
            raise PhotoError(f'"{item}" is larger than {MAX_PHOTO_BYTES // (1024 * 1024)} MiB')
        return prepare(found.path.read_bytes(), item)
    except PhotoError as e:
        out.note("I033", f'"{title}": {e}')
    except OSError as e:
        out.note("I033", f'"{title}": "{item}" cannot be read: {e.strerror or e}')
    return None


def _assemble_photos(found: list[tuple[str, Ready | None, int]], lines: dict[str, list[str]], out: Converted) -> None:
    named = sum(1 for _, _, place in found if place >= 0)
    alts, captions, credits = lines["photos.alt"], lines["photos.caption"], lines["photos.credit"]
    for what, given in (("descriptions", alts), ("captions", captions), ("credits", credits)):
        if given and len(given) != named:
            out.note(
                "I034",
                f"the response names {named} photo(s) but gives {len(given)} {what}; check which goes with which",
                False,
            )
    for name, ready, place in found:
        if ready is None:
            continue
        if place < 0:
            alt: str | None = name or None
            caption = credit = None
        else:
            alt = alts[place] if place < len(alts) else None
            caption = captions[place] if place < len(captions) else None
            credit = credits[place] if place < len(credits) else None
        if not alt:
            shown = "a picture in the body's document" if place < 0 else f'"{name}"'
            out.note(
                "I035",
                f"photo {len(out.photos) + 1} ({shown}) has no description (alt text); add one before approving",
                False,
            )
        out.photos.append(PhotoOut(ready, alt, caption, credit))
