"""make-book status --html: the status report as one self-contained page of charts and tables.

The charts are inline SVG whose geometry is computed here and whose markup is in
layouts/status.html: no script, no font, no picture from anywhere else, so the page opens the
same from a mail attachment as from a disk. Each chart names itself for screen readers and is
followed by a table of its figures.
"""

from __future__ import annotations

import math
import os
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import jinja2
import pycountry

from ebook.read.fields import country_name
from ebook.read.submissions import STATUSES
from ebook.review.status import INVALID, BookStatus, Tally
from ebook.templates.folders import layout_folders

VIEW_WIDTH = 720  # the SVG's own units; the page scales it to the column's width
LABEL_WIDTH = 210
VALUE_ROOM = 56  # right of the longest bar, for its figure
ROW, BAR = 24, 16
AXIS = 22  # below the bars, for the scale's figures
MOST_BARS = 25  # a ranked chart draws the first ones and names the rest; its table has them all
LABEL_CELLS = 30  # about what LABEL_WIDTH holds at the chart's font size, a wide character counting 2


@dataclass(frozen=True)
class Segment:
    kind: str  # a status, or "all"
    value: int
    x: float
    width: float


@dataclass(frozen=True)
class Bar:
    label: str  # shortened to fit; full is the whole text
    full: str
    value: int
    y: float
    segments: tuple[Segment, ...]
    counts: Mapping[str, int]  # by kind, every kind of the chart present
    spoken: str  # the bar in words, for its tooltip


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    height: float
    kinds: tuple[str, ...]  # the statuses in the legend, in order; empty for a one-colour chart
    note: str = ""


@dataclass(frozen=True)
class Column:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Histogram:
    id: str
    title: str
    description: str
    columns: tuple[Column, ...]
    ticks: tuple[Tick, ...]  # the vertical scale: y positions in x
    height: float
    left_out: int  # submissions with no text that could be read


def short(text: str, cells: int = LABEL_CELLS) -> str:
    """text cut to about cells columns, a wide (CJK) character counting two, with an ellipsis."""
    used = 0
    for i, char in enumerate(text):
        used += 2 if unicodedata.east_asian_width(char) in "WF" else 1
        if used > cells:
            return text[: max(i - 1, 1)] + "…"
    return text


def nice_step(largest: int, most: int = 6) -> int:
    """A round step (1, 2 or 5 times a power of ten) that cuts 0..largest into at most `most` parts."""
    if largest <= 0:
        return 1
    power: int = pow(10, max(0, len(str(largest)) - 2))  # a tenth of largest's order of magnitude
    for base in (1, 2, 5, 10, 20, 50, 100):
        if largest / (base * power) <= most:
            return base * power
    return 100 * power


def _scale(largest: int) -> tuple[float, tuple[Tick, ...]]:
    step = nice_step(largest)
    top = max(step, math.ceil(largest / step) * step)
    per_unit = (VIEW_WIDTH - LABEL_WIDTH - VALUE_ROOM) / top
    ticks = tuple(Tick(LABEL_WIDTH + v * per_unit, f"{v:,}") for v in range(0, top + 1, step))
    return per_unit, ticks


def _bar_chart(
    ident: str, title: str, description: str, rows: list[tuple[str, dict[str, int]]], kinds: tuple[str, ...]
) -> BarChart:
    per_unit, ticks = _scale(max((sum(v.values()) for _, v in rows), default=0))
    bars = []
    for i, (label, values) in enumerate(rows):
        x = float(LABEL_WIDTH)
        segments = []
        for kind in kinds or tuple(values):
            value = values.get(kind, 0)
            if value:
                segments.append(Segment(kind, value, x, value * per_unit))
                x += value * per_unit
        total = sum(values.values())
        spoken = ", ".join(f"{values[k]} {k}" for k in kinds if values.get(k)) if kinds else f"{total}"
        bars.append(
            Bar(short(label), label, total, i * ROW, tuple(segments), dict(values), f"{label}: {spoken or 'none'}")
        )
    return BarChart(ident, title, description, tuple(bars), ticks, len(rows) * ROW + AXIS, kinds)


def _tally_statuses(t: Tally, kinds: tuple[str, ...]) -> dict[str, int]:
    return {k: t.statuses[k] for k in kinds}


def _language_name(tag: str) -> str:
    primary = tag.split("-")[0].lower()
    language = pycountry.languages.get(alpha_2=primary) if len(primary) == 2 else None
    language = language or pycountry.languages.get(alpha_3=primary)
    return f"{language.name} ({tag})" if language is not None else tag


def _histogram(status: BookStatus) -> Histogram:
    lengths = [s.words for s in status.submissions if s.words > 0]
    step = nice_step(max(lengths, default=0), 12)
    counts = Counter(w // step for w in lengths)
    bins = range(min(counts, default=0), max(counts, default=0) + 1)  # from the shortest to the longest
    tallest = max(counts.values(), default=0)
    y_step = nice_step(tallest, 5)
    top = max(y_step, math.ceil(tallest / y_step) * y_step)
    plot_top, plot_height = 8.0, 200.0
    left = 56.0
    width = (VIEW_WIDTH - left - 8) / max(len(bins), 1)
    columns = tuple(
        Column(
            f"{b * step:,}–{(b + 1) * step - 1:,}" if step > 1 else f"{b:,}",
            counts[b],
            left + (b - bins.start) * width,
            plot_top + plot_height - counts[b] * plot_height / top,
            width - 2,
            counts[b] * plot_height / top,
        )
        for b in bins
    )
    ticks = tuple(Tick(plot_top + plot_height - v * plot_height / top, f"{v:,}") for v in range(0, top + 1, y_step))
    left_out = len(status.submissions) - len(lengths)
    return Histogram(
        "lengths",
        "Lengths",
        f"Submissions by length in words, in steps of {step:,} words" if step > 1 else "Submissions by length in words",
        columns,
        ticks,
        plot_top + plot_height + 48,
        left_out,
    )


@dataclass(frozen=True)
class Page:
    status: BookStatus
    statuses: tuple[str, ...]
    themes: BarChart
    countries: BarChart
    country_rows: tuple[tuple[str, int], ...]  # every country, most first
    languages: BarChart
    language_rows: tuple[tuple[str, int], ...]
    lengths: Histogram


def _ranked(ident: str, title: str, rows: list[tuple[str, int]], what: str) -> BarChart:
    """The first MOST_BARS rows as bars, the others named in a note: a bar summing them would be
    the longest and squeeze the ranking it follows."""
    chart = _bar_chart(
        ident,
        title,
        f"Submissions in each of {len(rows)} {what}, most first",
        [(name, {"all": n}) for name, n in rows[:MOST_BARS]],
        (),
    )
    rest = rows[MOST_BARS:]
    if not rest:
        return chart
    most = max(n for _, n in rest)
    note = f"{len(rest)} more {what} with {most if most == 1 else f'at most {most}'} each are in the table."
    return replace(chart, note=note)


def status_page(status: BookStatus) -> Page:
    kinds = tuple(k for k in (*STATUSES, INVALID) if k != INVALID or status.total.statuses[INVALID])
    theme_rows = [(t.theme.title, _tally_statuses(t.tally, kinds)) for t in status.themes]
    if status.unsorted.entries:
        theme_rows.append(("(no known theme)", _tally_statuses(status.unsorted, kinds)))
    countries = [(f"{country_name(c) or c} ({c})", n) for c, n in status.total.countries.items()]
    languages = [(_language_name(tag), n) for tag, n in status.total.languages.items()]
    return Page(
        status=status,
        statuses=kinds,
        themes=_bar_chart(
            "themes", "Entries per theme, by status", "Entries in each theme, stacked by status", theme_rows, kinds
        ),
        countries=_ranked("countries", "Contributors per country", countries, "countries"),
        country_rows=tuple(countries),
        languages=_ranked("languages", "Languages", languages, "languages"),
        language_rows=tuple(languages),
        lengths=_histogram(status),
    )


def render_status_page(status: BookStatus, book_folder: Path) -> str:
    """The page's HTML; a book's own layouts/status.html replaces the built-in one."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(f) for f in layout_folders(book_folder)]),
        autoescape=jinja2.select_autoescape(["html"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return env.get_template("status.html").render(
        page=status_page(status), view_width=VIEW_WIDTH, label_width=LABEL_WIDTH, bar_height=BAR
    )


def write_status_page(status: BookStatus, book_folder: Path, target: Path) -> None:
    """Written beside its place and renamed into it, so that a reader never sees half a page."""
    html = render_status_page(status, book_folder)
    folder = target.absolute().parent
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(html)
        os.chmod(temporary, 0o644)  # mkstemp's 0600 would keep the page from a web server or a colleague
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
