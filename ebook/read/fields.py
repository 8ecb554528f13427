"""Read the fields of a YAML mapping against a declared list, the same way for every file.

Each field is declared once with its kind; the reader returns plain Python values plus the line
and column of each, and a problem for every value that does not fit, in the editor's words.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import langcodes
import pycountry

from ebook.problems import Problem, problem
from ebook.read.characters import describe, forbidden_characters, normalise
from ebook.read.countries import Names
from ebook.read.strict_yaml import Mapping, Node, Scalar, Sequence

RTL_SCRIPTS = frozenset({"Arab", "Hebr", "Thaa", "Syrc", "Nkoo", "Adlm", "Rohg", "Mand", "Samr", "Mend"})


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # text | markdown | bool | int | date | language | country | texts | map | maps
    required: bool = False
    strict_bidi: bool = False  # names and titles may not hold bidi controls
    fields: tuple[Field, ...] = ()


def leaf_fields(spec: tuple[Field, ...], prefix: str = "") -> Iterator[tuple[str, Field]]:
    """("author.name", its Field), …: every field that holds a value, by its dotted name, in order
    (a list of groups by the name of its items' fields: "photos.file")."""
    for f in spec:
        if f.fields:
            yield from leaf_fields(f.fields, f"{prefix}{f.name}.")
        else:
            yield prefix + f.name, f


@dataclass
class Fields:
    """What a mapping held: values by field name, and where each was written."""

    values: dict[str, Any] = field(default_factory=dict)
    where: dict[str, tuple[int, int]] = field(default_factory=dict)


_KIND_WORDS = {
    "text": "a text",
    "markdown": "a text",
    "bool": "true or false",
    "int": "a whole number",
    "date": "a date",
    "language": "a language tag",
    "country": "a country code",
    "texts": "a list of texts",
    "map": "a group of fields",
    "maps": "a list of groups of fields",
}


def _shape(node: Node) -> str:
    return "a list" if isinstance(node, Sequence) else "a group of fields" if isinstance(node, Mapping) else "a text"


def text_direction(language: str) -> str:
    script = langcodes.Language.get(language).maximize().script
    return "rtl" if script in RTL_SCRIPTS else "ltr"


def country_name(code: str) -> str | None:
    country = pycountry.countries.get(alpha_2=code) if re.fullmatch(r"[A-Za-z]{2}", code) else None
    if country is None:
        return None
    return str(getattr(country, "common_name", None) or country.name)


# Answers people give for true and false, in the languages of the sample's authors: a hint only,
# the value is still refused (FORMAT.md: true or false).
_YES_NO = {
    **dict.fromkeys(("yes", "y", "on", "oui", "ja", "sí", "si", "sim", "tak", "да", "はい", "نعم", "כן"), True),
    **dict.fromkeys(("no", "n", "off", "non", "nein", "não", "nie", "нет", "いいえ", "لا", "לא"), False),
}


def _date_hint(text: str) -> str:
    """' (did you mean 2020-11-03?)' for a date written day first or month first, both where it is
    ambiguous (03/11/2020 is 3 November in Europe, March 11 in the United States)."""
    found = re.fullmatch(r"([0-9]{1,2})[./-]([0-9]{1,2})[./-]([0-9]{4})", text)
    if not found:
        return ""
    first, second, year = int(found[1]), int(found[2]), int(found[3])
    meant = []
    for day, month in ((first, second), (second, first)):
        try:
            iso = dt.date(year, month, day).isoformat()
        except ValueError:
            continue
        if iso not in meant:
            meant.append(iso)
    return f" (did you mean {' or '.join(meant)}?)" if meant else ""


class FieldReader:
    def __init__(self, shown: str, names: Names | None = None) -> None:
        """names: the country and language names for hints, shared by the readers of one run (their
        index is made on the first hint asked for, about a second)."""
        self.shown = shown
        self.problems: list[Problem] = []
        self.names = names

    def _names(self) -> Names:
        if self.names is None:
            self.names = Names()
        return self.names

    def _report(self, node: Node, code: str, message: str) -> None:
        self.problems.append(problem(self.shown, node.line, node.column, code, message))

    def read(self, mapping: Mapping, spec: tuple[Field, ...], prefix: str = "") -> Fields:
        out = Fields()
        known = {f.name: f for f in spec}
        for key, value in mapping.items:
            name = prefix + key.value
            if key.value not in known:
                close = difflib.get_close_matches(key.value, list(known), n=1)
                hint = (
                    f' (did you mean "{prefix}{close[0]}"?)' if close else f"; the fields here are {', '.join(known)}"
                )
                self._report(key, "F002", f'unknown field "{name}"{hint}')
                continue
            out.where[key.value] = (value.line, value.column)
            result = self._value(value, known[key.value], name)
            if result is not None:
                out.values[key.value] = result
        for f in spec:
            if f.required and f.name not in out.where:
                self._report(mapping, "F001", f'the required field "{prefix}{f.name}" is missing')
        return out

    def _value(self, node: Node, f: Field, name: str) -> Any:
        if f.kind in ("map", "maps", "texts"):
            return self._compound(node, f, name)
        if not isinstance(node, Scalar):
            self._report(node, "F003", f'"{name}" must be {_KIND_WORDS[f.kind]}, not {_shape(node)}')
            return None
        if node.is_null or not node.value.strip():
            if f.required:
                self._report(node, "F004", f'"{name}" is empty')
            return None
        text = self._text(node, f, name)
        if text is None:
            return None
        return getattr(self, f"_as_{f.kind}", lambda t, n, nm: t)(text, node, name)

    def _compound(self, node: Node, f: Field, name: str) -> Any:
        if isinstance(node, Scalar) and node.is_null:
            if f.required:
                self._report(node, "F004", f'"{name}" is empty')
            return None
        if f.kind == "map":
            if not isinstance(node, Mapping):
                self._report(node, "F003", f'"{name}" must be a group of fields, not {_shape(node)}')
                return None
            return self.read(node, f.fields, name + ".")
        if not isinstance(node, Sequence):
            self._report(node, "F003", f'"{name}" must be {_KIND_WORDS[f.kind]}, not {_shape(node)}')
            return None
        if f.kind == "texts":
            item = Field(f.name, "text", True, f.strict_bidi)
            values = [self._value(n, item, f"{name}[{i + 1}]") for i, n in enumerate(node.items)]
            return tuple(v for v in values if v is not None)
        groups = []
        for i, item_node in enumerate(node.items):
            if not isinstance(item_node, Mapping):
                self._report(
                    item_node, "F003", f'each item of "{name}" must be a group of fields, not {_shape(item_node)}'
                )
                continue
            groups.append(self.read(item_node, f.fields, f"{name}[{i + 1}]."))
        return tuple(groups)

    def _text(self, node: Scalar, f: Field, name: str) -> str | None:
        bad = forbidden_characters(node.value, bidi=f.strict_bidi)
        if bad:
            char = bad[0]
            more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
            kind = (
                "direction control" if char in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069" else "character"
            )
            self._report(
                node, "T001", f'"{name}" contains the {kind} {describe(char)}{more}, which is not allowed here'
            )
            return None
        return normalise(node.value.strip() if f.kind != "markdown" else node.value)

    def _as_bool(self, text: str, node: Scalar, name: str) -> bool | None:
        if text in ("true", "false"):
            return text == "true"
        meant = _YES_NO.get(text.casefold())
        hint = f" (did you mean {'true' if meant else 'false'}?)" if meant is not None else ""
        self._report(node, "F005", f'"{name}" must be true or false, got "{text}"{hint}')
        return None

    def _as_int(self, text: str, node: Scalar, name: str) -> int | None:
        if re.fullmatch(r"[+-]?[0-9]{1,9}", text):
            return int(text)
        self._report(node, "F006", f'"{name}" must be a whole number like 1 or 2, got "{text}"')
        return None

    def _as_date(self, text: str, node: Scalar, name: str) -> dt.date | None:
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                self._report(node, "F007", f'"{name}" is not a real date: {text}')
                return None
        self._report(node, "F007", f'"{name}" must be a date written YYYY-MM-DD, got "{text}"{_date_hint(text)}')
        return None

    def _as_language(self, text: str, node: Scalar, name: str) -> str | None:
        if langcodes.tag_is_valid(text):
            return text
        meant = self._names().language_tag(text)
        hint = f" (did you mean {meant}?)" if meant else ""
        self._report(node, "F008", f'"{name}" must be a language tag like en, fr or pt-BR, got "{text}"{hint}')
        return None

    def _as_country(self, text: str, node: Scalar, name: str) -> str | None:
        if country_name(text) is not None:
            return text.upper()
        meant = self._names().country_code(text) or self._names().suggest_country(text)
        hint = f" (did you mean {meant}?)" if meant else ""
        self._report(node, "F009", f'"{name}" must be an ISO 3166 country code like FR, got "{text}"{hint}')
        return None
