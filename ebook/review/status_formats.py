"""The status report as data: FORMAT.md's JSON object, and the rows of a spreadsheet."""

from __future__ import annotations

from typing import Any

from ebook.read.submissions import STATUSES
from ebook.review.status import INVALID, BookStatus, Submission, Tally

CSV_COLUMNS = (
    "id",
    "path",
    "status",
    "theme",
    "title",
    "author",
    "language",
    "country",
    "words",
    "photos",
    "printable",
    "owing",
    "photos_without_credit",
)

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV Injection":
# https://owasp.org/www-community/attacks/CSV_Injection); tab and carriage return are on the list
# because some spreadsheets skip them before looking for the formula sign.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(cell: str) -> str:
    """The cell as text a spreadsheet shows and never runs: an apostrophe before a formula sign,
    also when spaces come first (LibreOffice skips them)."""
    if cell.startswith(_FORMULA_STARTS) or cell.lstrip(" ").startswith(_FORMULA_STARTS):
        return "'" + cell
    return cell


def tally_json(t: Tally) -> dict[str, Any]:
    return {
        **{status: t.statuses[status] for status in (*STATUSES, INVALID)},
        "entries": t.entries,
        "words": t.words,
        "words_approved": t.words_approved,
        "photos": t.photos,
        "languages": dict(t.languages),
        "countries": dict(t.countries),
    }


def submission_json(s: Submission) -> dict[str, Any]:
    return {
        "id": s.id,
        "path": s.path,
        "status": s.status,
        "theme": s.theme,
        "language": s.language,
        "country": s.country,
        "words": s.words,
        "photos": s.photos,
        "owing": list(s.owing),
        "printable": s.printable,
        "photos_without_credit": list(s.uncredited),
        "written_status": s.written_status,
        "title": s.title,
        "author": s.author,
        "problems": [
            {"line": p.line, "column": p.column, "code": p.code, "message": p.message, "severity": p.severity.value}
            for p in s.problems
        ],
    }


def as_json(status: BookStatus) -> dict[str, Any]:
    """FORMAT.md's object: counts, themes, submissions, each with a few keys more."""
    return {
        "counts": {k: status.total.statuses[k] for k in (*STATUSES, INVALID)},
        "themes": [{"id": t.theme.id, "title": t.theme.title, **tally_json(t.tally)} for t in status.themes],
        "unsorted": tally_json(status.unsorted),
        "total": tally_json(status.total),
        "submissions": [submission_json(s) for s in status.submissions],
        "not_printable": [s.path for s in status.not_printable],
        "problems": [p.format() for p in status.other_problems],
    }


def csv_rows(status: BookStatus) -> list[list[str]]:
    """A header, then one row a submission; every cell neutralised, the owing list one item a line."""
    rows = [list(CSV_COLUMNS)]
    for s in status.submissions:
        cells = [
            s.id,
            s.path,
            s.status,
            s.theme or "",
            s.title or "",
            s.author or "",
            s.language or "",
            s.country or "",
            str(s.words),
            str(s.photos),
            "yes" if s.printable else "no",
            "\n".join(s.owing),
            ", ".join(map(str, s.uncredited)),
        ]
        rows.append([neutralise(c) for c in cells])
    return rows
