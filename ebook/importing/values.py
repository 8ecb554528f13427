"""Answers as forms write them, made into the values a submission holds: dates, true/false,
themes. Countries and languages are read by ebook.read.countries."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ebook.model import Theme
from ebook.read.countries import fold

_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            "january jan janvier janv januar enero ene gennaio",
            "february feb fevrier fevr februar febrero febbraio",
            "march mar mars marz marzo",
            "april apr avril abril aprile",
            "may mai mayo maggio",
            "june jun juin juni junio giugno",
            "july jul juillet juil juli julio luglio",
            "august aug aout august agosto",
            "september sep sept septembre septiembre settembre",
            "october oct octobre oktober octubre ottobre okt",
            "november nov novembre noviembre",
            "december dec decembre dezember diciembre dicembre dez",
        ]
    )
    for name in names.split()
}
_YEAR_FIRST = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T ,])")
_NUMERIC = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?:$|[T ,])")
_DAY_MONTH = re.compile(r"(\d{1,2})\.?[ -]([^\W\d_]+)\.?[ -,]+(\d{4})")
_MONTH_DAY = re.compile(r"([^\W\d_]+)\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})")


@dataclass(frozen=True)
class DateText:
    """What a date answer holds: a sure date, or two numbers whose order the column must settle."""

    date: dt.date | None = None
    first: int = 0  # for dd/dd/yyyy: the first number, the second, the year
    second: int = 0
    year: int = 0


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def read_date(text: str) -> DateText | None:
    cleaned = text.strip()
    try:
        if m := _YEAR_FIRST.match(cleaned):
            return DateText(dt.date(int(m[1]), int(m[2]), int(m[3])))
        if m := _NUMERIC.match(cleaned):
            return DateText(None, int(m[1]), int(m[2]), _year(m[3]))
        folded = fold(cleaned.replace(".", " "))
        if (m := _DAY_MONTH.match(folded)) and m[2] in _MONTHS:
            return DateText(dt.date(int(m[3]), _MONTHS[m[2]], int(m[1])))
        if (m := _MONTH_DAY.search(folded)) and m[1] in _MONTHS:
            return DateText(dt.date(int(m[3]), _MONTHS[m[1]], int(m[2])))
    except ValueError:
        return None
    return None


def settle_order(dates: list[DateText]) -> str | None:
    """DMY or MDY when some date in the column has a day over 12; None when none says."""
    dmy = any(d.first > 12 for d in dates if d.date is None)
    mdy = any(d.second > 12 for d in dates if d.date is None)
    if dmy and not mdy:
        return "DMY"
    if mdy and not dmy:
        return "MDY"
    return None


def ambiguous(dates: list[DateText]) -> bool:
    return any(d.date is None and d.first != d.second for d in dates)


def as_date(value: DateText, order: str | None) -> dt.date | None:
    if value.date is not None:
        return value.date
    day, month = (value.first, value.second) if order == "DMY" else (value.second, value.first)
    if order not in ("DMY", "MDY") and value.first != value.second:
        return None
    try:
        return dt.date(value.year, month, day)
    except ValueError:
        return None


_TRUE = {"true", "yes", "y", "1", "oui", "ja", "si", "sim", "da", "tak", "x", "agree", "i agree"}
_FALSE = {"false", "no", "n", "0", "non", "nein", "nee", "nao", "nie", "ne"}


def as_bool(text: str, answers: dict[str, bool]) -> bool | None:
    key = fold(text)
    if key in answers:
        return answers[key]
    if answers:
        return None
    return True if key in _TRUE else False if key in _FALSE else None


def as_theme(text: str, themes: tuple[Theme, ...]) -> str | None:
    key = fold(text)
    for theme in themes:
        if text.strip() == theme.id or key == fold(theme.id) or key == fold(theme.title):
            return theme.id
    return None
