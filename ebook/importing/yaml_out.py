"""One submission as YAML an editor reads and edits: the contract's field order, texts in double
quotes, the body as a literal block, the provenance and any problems in comments at the top.

Every text is written so that make-book's own reader (read/strict_yaml.py) gives back exactly the
value: the file is read back before it is written, and a value that would not survive is a
problem instead of a surprise.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ebook.read.characters import FORBIDDEN_IN_FILE
from ebook.read.fields import FieldReader
from ebook.read.strict_yaml import parse_yaml
from ebook.read.submissions import SUBMISSION_FIELDS

ORDER = (
    "status", "theme", "title", "language", "author.name", "author.sort_name", "author.role",
    "author.affiliation", "author.country", "author.anonymous", "consent", "order", "submitted", "body",
)  # fmt: skip
# Ids and codes are written bare (make-book reads every value as text, so NO stays Norway).
_PLAIN = ("status", "theme", "language", "author.country")
PHOTO_ORDER = ("file", "alt", "caption", "credit")
# YAML 1.1 (PyYAML) also breaks lines at NEL, LS and PS: in a block they would split the text.
_YAML_BREAKS = re.compile("[\x85\u2028\u2029]")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P"}


def quoted(text: str) -> str:
    return '"' + re.sub(r'[\\"\t\n\x85\u2028\u2029]', lambda m: _ESCAPES[m.group()], text) + '"'


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, dt.date)):
        return str(value) if isinstance(value, int) else value.isoformat()
    return quoted(str(value))


def _block(text: str, indent: str) -> str:
    """A literal block (`|`), with an indentation indicator when the text starts with spaces or an
    empty line, and the chomping that keeps its final line breaks exactly; without the last break."""
    if _YAML_BREAKS.search(text) or not text.strip():
        return " " + quoted(text)
    trailing = len(text) - len(text.rstrip("\n"))
    chomp = "-" if trailing == 0 else "" if trailing == 1 else "+"
    body = text[: len(text) - trailing] if trailing else text
    indicator = str(len(indent)) if body[:1] in (" ", "\n", "\t") else ""
    lines = [(indent + line) if line else "" for line in body.split("\n")]
    return f" |{indicator}{chomp}\n" + "\n".join(lines + [""] * max(0, trailing - 1))


def comment_line(text: str) -> str:
    """A comment holds one line of text and nothing a YAML file may not hold."""
    cleaned = FORBIDDEN_IN_FILE.sub("\ufffd", text)
    return "# " + re.sub(r"[\r\n\x85\u2028\u2029]+", " ", cleaned).strip()


def compose(values: dict[str, Any], photos: list[dict[str, str]], comments: list[str]) -> str:
    out = [comment_line(c) if c else "#" for c in comments]
    in_author = False
    for name in ORDER:
        if name not in values:
            continue
        value = values[name]
        if name.startswith("author."):
            if not in_author:
                out.append("author:")
                in_author = True
            key, indent = name.split(".", 1)[1], "  "
        else:
            key, indent = name, ""
        if name == "body":
            out.append("body:" + _block(value, "  "))
        else:
            plain = name in _PLAIN and isinstance(value, str) and re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", value)
            out.append(f"{indent}{key}: {value if plain else _scalar(value)}")
    if photos:
        out.append("photos:")
        for photo in photos:
            first = True
            for key in PHOTO_ORDER:
                if key in photo:
                    out.append(f"{'  - ' if first else '    '}{key}: {quoted(photo[key])}")
                    first = False
    return "\n".join(out) + "\n"


def read_back(text: str, shown: str) -> dict[str, Any] | None:
    """The values make-book's reader finds in text (None if it cannot read it): for the check."""
    mapping, problems = parse_yaml(text, shown)
    if mapping is None or problems:
        return None
    reader = FieldReader(shown)
    fields = reader.read(mapping, SUBMISSION_FIELDS)
    if any(p.code not in ("F001", "F004") for p in reader.problems):
        return None
    found: dict[str, Any] = {}
    for key, value in fields.values.items():
        if key == "author":
            found.update({f"author.{k}": v for k, v in value.values.items()})
        elif key == "photos":
            found["photos"] = [dict(group.values) for group in value]
        else:
            found[key] = value
    return found
