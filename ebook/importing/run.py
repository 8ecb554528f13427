"""make-book import, from the export to the files written: read, check the map, then one file per
new response. Nothing is overwritten (files are opened with "x"), nothing is written outside
--into but a proposed map, and a response already imported (its key is in the comment of a file
anywhere under submissions/) is skipped, wherever that file went and whatever was edited in it."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ebook.importing.column_map import ImportMap, missing_columns, propose, read_map
from ebook.importing.files import FileIndex
from ebook.importing.row import REQUIRED, Context, Converted, convert_row
from ebook.importing.sheets import Row, Sheet, SheetError, read_sheet
from ebook.importing.values import ambiguous, read_date, settle_order
from ebook.importing.yaml_out import compose, read_back
from ebook.problems import Problem, problem
from ebook.read.characters import slug
from ebook.read.config import load_config
from ebook.read.countries import Names
from ebook.read.submissions import find_submission_files

KEY_LINE = re.compile(rb"^# make-book-response: ([0-9a-f]{20}(?:-\d+)?)\b", re.MULTILINE)


@dataclass(frozen=True)
class ImportRequest:
    export: Path
    shown_export: str
    config: Path
    shown_config: str
    map_path: Path
    shown_map: str
    files: Path | None
    shown_files: str
    into: Path
    shown_into: str
    cache: Path | None = None  # where the country and language names are kept between runs


@dataclass(frozen=True)
class ImportResult:
    problems: tuple[Problem, ...]
    written: tuple[Path, ...] = ()
    already: int = 0
    proposed_map: Path | None = None


def response_key(sheet: Sheet, row: Row) -> str:
    """The same answers give the same key in any later, longer export (an empty cell, as in a
    question added later, counts as no answer)."""
    digest = hashlib.sha256()
    for title, cell in sorted(zip(sheet.columns, row.cells, strict=True)):
        if title and cell.strip():
            digest.update(f"{title}\x1e{cell.strip()}\x1f".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:20]


def _seen(folders: list[Path]) -> tuple[set[str], set[str]]:
    """The response keys and the ids already in the book."""
    keys: set[str] = set()
    ids: set[str] = set()
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in find_submission_files(folder):
            ids.add(path.stem)
            try:
                with path.open("rb") as f:
                    head = f.read(4096)
            except OSError:
                continue
            keys.update(m.decode() for m in KEY_LINE.findall(head))
    return keys, ids


def _date_orders(sheet: Sheet, import_map: ImportMap, shown: str) -> tuple[dict[str, str | None], list[Problem]]:
    orders: dict[str, str | None] = {}
    problems = []
    for column in import_map.columns:
        if column.target != "submitted":
            continue
        i = sheet.columns.index(column.title)
        dates = [(row, d) for row in sheet.rows if (d := read_date(row.cells[i])) is not None]
        order = import_map.date_order or settle_order([d for _, d in dates])
        if order is None and ambiguous([d for _, d in dates]):
            first = next(row for row, d in dates if d.date is None and d.first != d.second)
            problems.append(
                problem(
                    shown,
                    first.line,
                    0,
                    "I025",
                    f'"{column.title}": dates like "{first.cells[i].strip()}" can be read day first or month first, '
                    "and no date in the column says which; add date_order: DMY or MDY to the map",
                )
            )
        orders[column.title] = order
    return orders, problems


def _free_id(base: str, taken: set[str], into: Path) -> str:
    candidate, n = base, 1
    while candidate in taken or (into / f"{candidate}.yaml").exists() or any((into / "photos").glob(f"{candidate}-*")):
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


def _write(converted: Converted, ident: str, request: ImportRequest, row: Row, key: str) -> Path | str:
    """The path written, or why the row could not be written."""
    values = dict(converted.values)
    if any(n.error for n in converted.notes):
        values["status"] = "pending"
    photos = []
    for n, photo in enumerate(converted.photos, 1):
        entry = {"file": f"photos/{ident}-{n}{photo.ready.extension}"}
        for name in ("alt", "caption", "credit"):
            if value := getattr(photo, name):
                entry[name] = value
        photos.append(entry)
    comments = [
        f"Imported by make-book from {Path(request.shown_export).name}, row {row.line}.",
        f"make-book-response: {key} (keep this line: importing again skips this response)",
    ]
    if converted.notes:
        comments += ["", "Found when importing (check each, then fix it here):"]
        comments += [f"  {n.code} {n.message}" for n in converted.notes]
    text = compose(values, photos, comments)
    back = read_back(text, f"{ident}.yaml")
    if back is None or any(back.get(k) != v for k, v in values.items()) or back.get("photos", []) != photos:
        return "the answers could not be written as a file make-book reads back unchanged"
    if len(text.encode()) > 1024 * 1024:
        return "the entry would be larger than 1 MiB"
    request.into.mkdir(parents=True, exist_ok=True)
    if photos:
        (request.into / "photos").mkdir(exist_ok=True)
    for entry, photo in zip(photos, converted.photos, strict=True):
        with (request.into / entry["file"]).open("xb") as f:
            f.write(photo.ready.data)
    target = request.into / f"{ident}.yaml"
    with target.open("x", encoding="utf-8", newline="\n") as f:
        f.write(text)
    return target


def _unsafe_into(request: ImportRequest) -> str | None:
    for path in (request.into, request.into / "photos"):
        if path.is_symlink():
            return f"{path} is a symbolic link; make-book writes only into real folders"
        if path.exists() and not path.is_dir():
            return f"{path} is not a folder"
    return None


def run_import(request: ImportRequest) -> ImportResult:
    config, problems = load_config(request.config, request.shown_config)
    if config is None:
        return ImportResult(tuple(problems))
    shown = request.shown_export
    try:
        sheet = read_sheet(request.export)
    except SheetError as e:
        return ImportResult((problem(shown, 0, 0, "I010", str(e)),))
    except (OSError, MemoryError) as e:
        return ImportResult((problem(shown, 0, 0, "I010", f"the export cannot be read: {e}"),))
    if not request.map_path.exists():
        try:
            with request.map_path.open("x", encoding="utf-8") as f:
                f.write(propose(sheet, Path(shown).name))
        except OSError as e:
            return ImportResult((problem(request.shown_map, 0, 0, "I001", f"no map, and none could be written: {e}"),))
        message = (
            f"there was no map: make-book wrote this proposed one, listing the {len(sheet.columns)} columns of "
            f"{shown} with the field each seems to feed and a sample answer; check it, then import again"
        )
        return ImportResult((problem(request.shown_map, 0, 0, "I001", message),), proposed_map=request.map_path)
    import_map, map_problems = read_map(request.map_path, request.shown_map)
    if import_map is None:
        return ImportResult(tuple(map_problems))
    problems = missing_columns(import_map, sheet, request.shown_map)
    if import_map.theme and import_map.theme not in {t.id for t in config.themes}:
        problems.append(
            problem(request.shown_map, 0, 0, "I006", f'the theme "{import_map.theme}" is not in {request.shown_config}')
        )
    if why := _unsafe_into(request):
        problems.append(problem(request.shown_into, 0, 0, "I007", why))
    if problems:
        return ImportResult(tuple(problems))
    orders, problems = _date_orders(sheet, import_map, shown)
    if problems:
        return ImportResult(tuple(problems))
    fed = {c.target for c in import_map.columns} | ({"theme"} if import_map.theme else set())
    found = [
        problem(
            request.shown_map,
            0,
            0,
            "I005",
            f'no column feeds the required field "{name}": add it to each entry before approving',
        ).as_warning()
        for name in REQUIRED
        if name not in fed
    ]
    keys, ids = _seen([config.folder / "submissions", request.into])
    names = Names(tuple(dict.fromkeys(("en", config.language.split("-")[0]))), request.cache)
    files = FileIndex.of(request.files, request.shown_files)
    context = Context(config, sheet, import_map, names, files, orders)
    written: list[Path] = []
    already = 0
    occurrences: dict[str, int] = {}
    for row in sheet.rows:
        key = response_key(sheet, row)
        occurrences[key] = occurrences.get(key, 0) + 1
        if occurrences[key] > 1:
            key = f"{key}-{occurrences[key]}"
        if key in keys:
            already += 1
            continue
        converted = convert_row(row, context)
        base = slug(str(converted.values.get("author.name", ""))) if converted.values.get("author.name") else ""
        ident = _free_id(base if base != "book" else f"response-{row.line}", ids, request.into)
        for note in converted.notes:
            noted = problem(shown, row.line, 0, note.code, note.message)
            found.append(noted if note.error else noted.as_warning())
        outcome = _write(converted, ident, request, row, key)
        if isinstance(outcome, str):
            found.append(problem(shown, row.line, 0, "I090", outcome))
        else:
            written.append(outcome)
            keys.add(key)
    return ImportResult(tuple(found), tuple(written), already)
