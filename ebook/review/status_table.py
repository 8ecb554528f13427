"""The status report for a terminal: one table of themes, then what each unprintable entry owes.

Built as rich renderables (https://rich.readthedocs.io), which measure wide characters, wrap to
the terminal and drop colour when the output is not a terminal; the CLI prints them. Every text
from the book goes in as a `Text`, never as markup, so that `[bold]` in a title stays as written.
"""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ebook.read.submissions import STATUSES
from ebook.review.status import INVALID, BookStatus, Submission, Tally

STATUS_STYLES = {"approved": "green", "pending": "yellow", "rejected": "dim", "withdrawn": "dim", INVALID: "bold red"}
_HEADERS = {"approved": "appr.", "pending": "pend.", "rejected": "rej.", "withdrawn": "wdr.", INVALID: "invalid"}


def _counts_line(status: BookStatus) -> Text:
    line = Text(status.title, style="bold")
    line.append(": ")
    shown = [s for s in (*STATUSES, INVALID) if s != INVALID or status.total.statuses[INVALID]]
    for i, name in enumerate(shown):
        if i:
            line.append(", ")
        line.append(f"{status.total.statuses[name]} {name}", style=STATUS_STYLES[name])
    return line


def _theme_table(status: BookStatus) -> Table:
    columns = [s for s in (*STATUSES, INVALID) if s != INVALID or status.total.statuses[INVALID]]
    table = Table(box=box.SIMPLE_HEAD, padding=(0, 0), show_edge=False, show_footer=True, header_style="bold")
    table.add_column("theme", footer="total", overflow="ellipsis", no_wrap=True, min_width=8, max_width=24)

    def figures(t: Tally) -> list[str]:
        return [
            *(str(t.statuses[c]) for c in columns),
            f"{t.words:,}",
            str(t.photos),
            str(len(t.languages)),
            str(len(t.countries)),
        ]

    headers = [*(_HEADERS[c] for c in columns), "words", "photos", "lang.", "ctry."]
    for header, total in zip(headers, figures(status.total), strict=True):
        table.add_column(header, footer=total, justify="right", no_wrap=True)
    for theme in status.themes:
        table.add_row(Text(theme.theme.id), *figures(theme.tally))
    if status.unsorted.entries:
        table.add_row(Text("(no known theme)", style="red"), *figures(status.unsorted))
    return table


def _owing_block(s: Submission) -> Group:
    head = Text()
    head.append(s.id, style="bold")
    head.append("  ")
    head.append(s.status if s.status != INVALID else f"status {s.written_status or 'missing'}", STATUS_STYLES[s.status])
    head.append(f"  {s.theme or 'no theme'}  {s.path}", style="dim")
    owed = s.owing
    # Each item hangs from its dash, so that a long message wraps under its own first word.
    items = Table.grid(padding=(0, 1))
    items.add_column(width=1)
    items.add_column()
    for item in owed:
        items.add_row("-", Text(item, style="red"))
    return Group(head, Padding(items, (0, 0, 0, 2), expand=False))


def _numbers(photos: tuple[int, ...]) -> str:
    return ("photo " if len(photos) == 1 else "photos ") + ", ".join(map(str, photos))


def status_report(status: BookStatus) -> RenderableType:
    parts: list[RenderableType] = [_counts_line(status), _theme_table(status)]
    parts.append(
        Text("words, photos, languages (lang.) and countries (ctry.) count every submission, whatever its status")
    )
    waiting = status.not_printable
    parts.append(Text(f"\nNot printable yet: {len(waiting)}", style="bold"))
    parts += [_owing_block(s) for s in waiting if s.owing]
    ready = [s.id for s in waiting if not s.owing]
    if ready:
        parts.append(Text(f"pending, owing nothing ({len(ready)}): ", style="yellow") + Text(", ".join(ready)))
    if status.uncredited:
        parts.append(Text(f"\nPhotos without a credit: {len(status.uncredited)} entries", style="bold"))
        parts.append(Text("; ".join(f"{s.id} ({_numbers(s.uncredited)})" for s in status.uncredited)))
    if status.other_problems:
        parts.append(Text("\nOther problems", style="bold"))
        parts += [Text(p.format(), style="red") for p in status.other_problems]
    return Group(*parts)
