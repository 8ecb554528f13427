"""Exports, maps and files for the import tests, all made by the tests themselves."""

from __future__ import annotations

import csv
import io
from pathlib import Path

MAP = """\
status: approved
columns:
  "Timestamp": submitted
  "Full name": author.name
  "Your role": author.role
  "Country": author.country
  "Title": title
  "Your testimonial": body
  "Language": language
  "Theme": theme
  "Photos": photos.file
  "Photo descriptions": photos.alt
  "Consent": consent
values:
  consent: {"Yes, I agree": true, "No": false}
"""

HEADER = ["Timestamp", "Full name", "Your role", "Country", "Title", "Your testimonial", "Language", "Theme",
          "Photos", "Photo descriptions", "Consent"]  # fmt: skip


def response(**cells: str) -> list[str]:
    base = {
        "Timestamp": "2020-11-03 10:12:01",
        "Full name": "Amélie Durand",
        "Your role": "Radiographer",
        "Country": "France",
        "Title": "Twelve-hour shifts",
        "Your testimonial": "First paragraph.\n\nSecond paragraph.",
        "Language": "Français",
        "Theme": "one",
        "Photos": "",
        "Photo descriptions": "",
        "Consent": "Yes, I agree",
    }
    base.update({k.replace("_", " "): v for k, v in cells.items()})
    return [base[h] for h in HEADER]


def csv_text(rows: list[list[str]], header: list[str] = HEADER, delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def write_csv(
    folder: Path, rows: list[list[str]], name: str = "responses.csv", header: list[str] = HEADER, delimiter: str = ","
) -> Path:
    path = folder / name
    path.write_text(csv_text(rows, header, delimiter), encoding="utf-8")
    return path
