"""Every problem code make-book can report is in the table editors read, and the table holds no
code make-book no longer reports."""

from __future__ import annotations

import re
from pathlib import Path

import ebook

ROOT = Path(ebook.__file__).parent.parent


def test_the_codes_in_the_code_are_those_of_the_table() -> None:
    used = set()
    for path in Path(ebook.__file__).parent.rglob("*.py"):
        used |= set(re.findall(r"""["']([BFILPSTY][0-9]{3})["']""", path.read_text("utf-8")))
    table = set(re.findall(r"^\| ([A-Z][0-9]{3}) \|", (ROOT / "docs" / "problem-codes.md").read_text("utf-8"), re.M))
    assert sorted(used - table) == [] and sorted(table - used) == []
