"""Any text in any cell gives a file make-book reads back with the same values, or a problem."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ebook.importing.column_map import Column, ImportMap
from ebook.importing.files import FileIndex
from ebook.importing.row import Context, convert_row
from ebook.importing.sheets import Row, Sheet
from ebook.importing.yaml_out import compose, read_back
from ebook.model import BookConfig, Theme
from ebook.read.countries import Names

COLUMNS = ("Name", "Title", "Story", "Role")
MAP = ImportMap(
    "pending",
    "one",
    None,
    (
        Column("Name", "author.name", 1),
        Column("Title", "title", 2),
        Column("Story", "body", 3),
        Column("Role", "author.role", 4),
    ),
    (),
)
CONFIG = BookConfig(
    folder=Path("/nonexistent"), shown_folder="", title="T", subtitle=None, publisher="P", editors=(), language="en",
    direction="ltr", identifier="urn:uuid:12345678-1234-5678-1234-567812345678", date=dt.date(2020, 1, 1),
    license="CC", description=None, cover=None, foreword=None, acknowledgements=None,
    themes=(Theme("one", "One", None, 1),),
)  # fmt: skip
NAMES = Names()


def _context() -> Context:
    sheet = Sheet(COLUMNS, ())
    return Context(CONFIG, sheet, MAP, NAMES, FileIndex.of(None), {})


# Plain text, and text made of what YAML, Markdown and the strict reader find hard.
_HARD = st.text(
    alphabet=st.sampled_from(list(" \n\t#:-*>|&!%@`'\"\\{}[],?~\x85\u2028\u2029\ufeff\u202e\x07e\u0301é日")),
    max_size=40,
)
CELL = st.one_of(st.text(max_size=80), _HARD)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(CELL, min_size=4, max_size=4))
def test_any_cells_read_back_the_same_or_are_problems(cells: list[str]) -> None:
    cleaned = [unicodedata.normalize("NFC", c.replace("\r\n", "\n").replace("\r", "\n")) for c in cells]
    converted = convert_row(Row(2, tuple(cleaned)), _context())
    text = compose(converted.values, [], ["Imported by make-book from r.csv, row 2.", *cells])
    back = read_back(text, "t.yaml")
    assert back is not None, text
    for value, target in zip(cleaned, ("author.name", "title", "body", "author.role"), strict=True):
        problems = [
            n
            for n in converted.notes
            if n.message.startswith(f'"{COLUMNS[("author.name", "title", "body", "author.role").index(target)]}"')
        ]
        if not value.strip():
            assert target not in back
        elif problems:
            assert target not in back and problems[0].code in ("I026", "I027")
        elif target == "body":
            assert back[target] == value.strip("\n").rstrip() + "\n"
        elif target == "title":
            assert back[target] == value.strip()
        else:
            assert back[target] == " ".join(value.split())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30),
        min_size=3,
        max_size=3,
    ),
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from(["utf-8", "utf-8-sig"]),
)
def test_any_csv_cell_reads_back_as_written(tmp_path_factory, cells: list[str], delimiter: str, encoding: str) -> None:
    import csv
    import io

    from ebook.importing.sheets import SheetError, read_sheet

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["Name", "Title", "Story"])
    writer.writerow(cells)
    path = tmp_path_factory.mktemp("csv") / "r.csv"
    path.write_bytes(out.getvalue().encode(encoding))
    try:
        sheet = read_sheet(path)
    except SheetError as e:
        assert not any(c.strip() for c in cells), e  # only a row with no answer is no response
        return
    expected = [unicodedata.normalize("NFC", c.replace("\r\n", "\n").replace("\r", "\n")) for c in cells]
    assert sheet.columns == ("Name", "Title", "Story")
    assert list(sheet.rows[0].cells) == expected
    assert sheet.rows[0].line == 2
