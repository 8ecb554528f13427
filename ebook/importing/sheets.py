"""Read a form export (.csv, .xlsx, .ods) into a header and rows of text, each row with its line.

A row's line is where the response begins in the CSV (a quoted answer may run over several
lines), or the spreadsheet's row number. Every cell becomes text: a formula stays the formula's
text (never run), a date cell becomes an ISO date.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
import zlib
from dataclasses import dataclass
from pathlib import Path
from zipfile import BadZipFile

from lxml import etree

from ebook.importing.zips import open_zip, read_member, what_it_is

MAX_EXPORT_BYTES = 256 * 1024 * 1024
_ODF_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_ODF_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
# An ODS row or cell repeated this often is the empty rest of the sheet, not answers.
_MAX_REPEAT = 1000


@dataclass(frozen=True)
class Row:
    line: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Sheet:
    columns: tuple[str, ...]
    rows: tuple[Row, ...]


class SheetError(Exception):
    """The export cannot be read at all; the message says why, in the editor's words."""


def read_sheet(path: Path) -> Sheet:
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
    except OSError as e:
        raise SheetError(f"the export cannot be read: {e.strerror or e}") from None
    if not path.is_file():
        raise SheetError("the export is not a file")
    if size > MAX_EXPORT_BYTES:
        raise SheetError(f"the export is larger than {MAX_EXPORT_BYTES // (1024 * 1024)} MiB")
    if size == 0:
        raise SheetError("the export is empty")
    readers = {".csv": _csv_file, ".tsv": _csv_file, ".txt": _csv_file, ".xlsx": _xlsx_rows, ".ods": _ods_rows}
    if suffix not in readers:
        raise SheetError(f'make-book reads .csv, .xlsx and .ods exports, not "{suffix or path.name}"')
    try:
        table = readers[suffix](path)
    except (ValueError, OSError, RecursionError, UnicodeError) as e:  # damaged in a way no check foresaw
        raise SheetError(f"the export is damaged: it cannot be read ({type(e).__name__})") from None
    return _sheet(table)


def _csv_file(path: Path) -> list[tuple[int, list[str]]]:
    return _csv_rows(path.read_bytes())


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def _sheet(table: list[tuple[int, list[str]]]) -> Sheet:
    table = [(line, cells) for line, cells in table if any(c.strip() for c in cells)]
    if not table:
        raise SheetError("the export is empty: it has no row of column titles")
    _, header = table[0]
    while header and not header[-1].strip():
        header.pop()
    # A title's line breaks and runs of spaces are one space, so that the map can name it on one line.
    columns = tuple(" ".join(_clean(c).split()) for c in header)
    seen: dict[str, int] = {}
    for i, title in enumerate(columns):
        if title and title in seen:
            raise SheetError(
                f'two columns have the title "{title}" (columns {seen[title] + 1} and {i + 1}); rename one'
            )
        seen.setdefault(title, i)
    rows = []
    for line, cells in table[1:]:
        extra = [c for c in cells[len(columns) :] if c.strip()]
        if extra:
            raise SheetError(
                f"row {line} has {len(columns) + len(extra)} or more cells but the export has {len(columns)} columns"
            )
        cells = [_clean(c) for c in cells[: len(columns)]]
        rows.append(Row(line, tuple(cells + [""] * (len(columns) - len(cells)))))
    if not rows:
        raise SheetError("the export has column titles but no responses")
    return Sheet(columns, tuple(rows))


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text"
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise SheetError("the export starts as UTF-16 text but cannot be read as such") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")  # what Excel writes for "CSV" on Windows
    except UnicodeDecodeError:
        kind = what_it_is(data[:8])
        raise SheetError(
            "the export is neither UTF-8 nor Windows-1252 text"
            + (f": it is {kind}" if kind != "not a file of that kind" else "")
        ) from None


def _delimiter(text: str) -> str:
    """The separator that splits the first record into the most columns (a question text rarely
    holds a tab, and a title with a comma inside quotes is one column under any choice)."""
    first = next(csv.reader(io.StringIO(text[:65536], newline="")), [])
    best, count = ",", len(first)
    for candidate in (";", "\t"):
        fields = next(csv.reader(io.StringIO(text[:65536], newline=""), delimiter=candidate), [])
        if len(fields) > count:
            best, count = candidate, len(fields)
    return best


def _csv_rows(data: bytes) -> list[tuple[int, list[str]]]:
    if b"\0" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SheetError(f"the export is not text: it is {what_it_is(data[:8])}")
    text = _decode(data)
    # A cell can be as long as the file; the per-answer limit is applied with the row's line.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows = []
    try:
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            rows.append((start, cells))
    except csv.Error as e:
        raise SheetError(f"the export cannot be read as CSV near line {reader.line_num}: {e}") from None
    return rows


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_rows(path: Path) -> list[tuple[int, list[str]]]:
    import openpyxl  # imported here: only an .xlsx import needs it

    archive, why = open_zip(path)
    if archive is None:
        raise SheetError(f"the export {why}")
    archive.close()
    try:
        # read_only streams the rows; data_only=False keeps a formula as its text, never its result.
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
        try:
            sheet = book.worksheets[0]
            rows = []
            for row in sheet.iter_rows():
                cells = [c for c in row if getattr(c, "row", None) is not None]
                if not cells:
                    continue
                width = max(c.column for c in cells)
                values = [""] * width
                for c in cells:
                    values[c.column - 1] = _cell_text(c.value)
                rows.append((cells[0].row, values))
            return rows
        finally:
            book.close()
    except SheetError:
        raise
    except (KeyError, IndexError, ValueError, TypeError, OSError, BadZipFile, zlib.error, EOFError) as e:
        raise SheetError(f"the export cannot be read as an Excel workbook ({type(e).__name__})") from None
    except Exception as e:  # openpyxl raises many kinds on damaged parts; none may become a traceback
        raise SheetError(f"the export cannot be read as an Excel workbook ({type(e).__name__})") from None


def _ods_text(cell: etree._Element) -> str:
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
            if tag == "s":
                parts.append(" " * min(int(child.get(f"{{{_ODF_TEXT}}}c", "1") or 1), 1000))
            elif tag == "tab":
                parts.append("\t")
            elif tag == "line-break":
                parts.append("\n")
            elif tag != "annotation":
                walk(child)
            if child.tail:
                parts.append(child.tail)

    paragraphs = []
    for p in cell.iter(f"{{{_ODF_TEXT}}}p"):
        if any(etree.QName(a).localname == "annotation" for a in p.iterancestors()):
            continue
        parts = []
        walk(p)
        paragraphs.append("".join(parts))
    return "\n".join(paragraphs)


def _ods_rows(path: Path) -> list[tuple[int, list[str]]]:
    archive, why = open_zip(path)
    if archive is None:
        raise SheetError(f"the export {why}")
    with archive:
        try:
            content = read_member(archive, "content.xml")
        except (BadZipFile, zlib.error, EOFError, OSError):
            content = None
    if content is None:
        raise SheetError("the export cannot be read as an OpenDocument spreadsheet (content.xml is missing or damaged)")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, load_dtd=False)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as e:
        raise SheetError(f"the export cannot be read as an OpenDocument spreadsheet: {e}") from None
    table = root.find(f".//{{{_ODF_OFFICE}}}spreadsheet/{{{_ODF_TABLE}}}table")
    if table is None:
        raise SheetError("the export is an OpenDocument file without a sheet")
    rows: list[tuple[int, list[str]]] = []
    line = 0
    for row in table.iter(f"{{{_ODF_TABLE}}}table-row"):
        repeat = int(row.get(f"{{{_ODF_TABLE}}}number-rows-repeated", "1") or 1)
        cells: list[str] = []
        for cell in row:
            if etree.QName(cell).localname not in ("table-cell", "covered-table-cell"):
                continue
            span = int(cell.get(f"{{{_ODF_TABLE}}}number-columns-repeated", "1") or 1)
            kind = cell.get(f"{{{_ODF_OFFICE}}}value-type")
            date = cell.get(f"{{{_ODF_OFFICE}}}date-value", "") if kind == "date" else ""
            text = date.replace("T", " ") if date else _ods_text(cell)
            if not text and span > _MAX_REPEAT:
                span = 1
            cells += [text] * min(span, _MAX_REPEAT)
        if repeat > 1 and not any(c.strip() for c in cells):
            line += repeat
            continue
        for _ in range(min(repeat, _MAX_REPEAT)):
            line += 1
            rows.append((line, list(cells)))
    return rows
