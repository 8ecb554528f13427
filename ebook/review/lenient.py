"""Read what can be read of a submission the build refuses, for the status report only.

The build's reader (read/submissions.py) judges every file and says what is wrong; it returns no
entry for a file with problems. The status report still needs that file's status, theme, words
and photos, so this module reads it as loosely as it can: PyYAML's base loader (every value stays
text, no tag is run), and for a file that is not YAML at all, its unindented `key: value` lines.
It never judges: every rule lives in the build's reader alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ebook.read.strict_yaml import MAX_BYTES


class _FirstKeyWins(getattr(yaml, "CBaseLoader", yaml.BaseLoader)):  # type: ignore[misc]
    """The base loader (the C one when PyYAML has it): every scalar stays text, no tag is run; a key
    given twice keeps its first value, as the build's reader does, where PyYAML keeps the last."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str) and key not in mapping:
                mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


# Chinese and Japanese are written without spaces: each ideograph or kana counts as a word, as word
# processors count them. Korean separates its words with spaces and is counted like Latin text.
_UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
# Else a word is a run of non-spaces holding at least one letter or digit, so that a dash or a
# Markdown marker standing alone (`-`, `*`, `>`) is not a word, and `don't` or `CT-scan` is one:
# matched from its first letter or digit to its end, what comes before being skipped by the search.
_WORD = re.compile(rf"[{_UNSPACED}]|[^\W_{_UNSPACED}][^\s{_UNSPACED}]*")
_TOP_LINE = re.compile(r"^(status|theme|title|language|consent):[ \t]*(.*?)[ \t]*$", re.MULTILINE)


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


@dataclass(frozen=True)
class Glimpse:
    """What a submission says about itself, each value as written (stripped), or None when absent."""

    status: str | None = None
    theme: str | None = None
    title: str | None = None
    language: str | None = None
    name: str | None = None
    country: str | None = None
    consent: str | None = None
    words: int = 0
    photos: int = 0
    photos_without_alt: tuple[int, ...] = ()  # 1-based, as the editor counts them
    photos_without_credit: tuple[int, ...] = ()
    readable: bool = True  # False: no fields could be read as YAML (at most the top-level lines)


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip() not in ("", "~", "null", "Null", "NULL"):
        return value.strip()
    return None


def _lacking(photos: list[Any], name: str) -> tuple[int, ...]:
    return tuple(i for i, photo in enumerate(photos, 1) if not (isinstance(photo, dict) and _text(photo.get(name))))


def _from_mapping(data: dict[Any, Any]) -> Glimpse:
    author = data.get("author")
    author = author if isinstance(author, dict) else {}
    photos = data.get("photos")
    photos = photos if isinstance(photos, list) else []
    body = data.get("body")
    return Glimpse(
        status=_text(data.get("status")),
        theme=_text(data.get("theme")),
        title=_text(data.get("title")),
        language=_text(data.get("language")),
        name=_text(author.get("name")),
        country=(_text(author.get("country")) or "").upper() or None,
        consent=_text(data.get("consent")),
        words=count_words(body) if isinstance(body, str) else 0,
        photos=len(photos),
        photos_without_alt=_lacking(photos, "alt"),
        photos_without_credit=_lacking(photos, "credit"),
    )


def _from_lines(text: str) -> Glimpse:
    """A file YAML cannot parse: its unindented simple fields, quotes and comments taken off."""
    found: dict[str, str] = {}
    for match in _TOP_LINE.finditer(text):
        value = re.sub(r"\s+#.*$", "", match.group(2)).strip().strip("\"'").strip()
        found.setdefault(match.group(1), value)
    return Glimpse(
        status=found.get("status") or None,
        theme=found.get("theme") or None,
        title=found.get("title") or None,
        language=found.get("language") or None,
        consent=found.get("consent") or None,
        readable=False,
    )


def glimpse(path: Path) -> Glimpse:
    """Whatever a submission file says, however broken it is; never raises for its content."""
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_BYTES:
            return Glimpse(readable=False)
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
    except OSError:
        return Glimpse(readable=False)
    try:
        # A file of several documents: the first is the entry, as the build's message assumes.
        for data in yaml.load_all(text, Loader=_FirstKeyWins):
            return _from_mapping(data) if isinstance(data, dict) else Glimpse(readable=False)
        return Glimpse(readable=False)
    except (yaml.YAMLError, RecursionError, ValueError, TypeError):
        return _from_lines(text)
