"""Read one YAML file strictly into a small tree of positioned nodes.

PyYAML's safe_load expands aliases, lets later duplicate keys win and turns `NO` into False, so
make-book reads the event stream itself: every scalar stays the text that was written, and every
construct FORMAT.md forbids becomes a problem with its line and column.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ebook.problems import Problem, problem
from ebook.read.characters import FORBIDDEN_IN_FILE, describe

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 20
# The C parser is about ten times faster; the pure-Python one behaves the same.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Scalar:
    value: str
    line: int
    column: int
    plain: bool = True

    @property
    def is_null(self) -> bool:
        return self.plain and self.value in ("", "~", "null", "Null", "NULL")


@dataclass(frozen=True)
class Mapping:
    items: tuple[tuple[Scalar, Node], ...]
    line: int
    column: int

    def get(self, key: str) -> Node | None:
        for k, v in self.items:
            if k.value == key:
                return v
        return None


@dataclass(frozen=True)
class Sequence:
    items: tuple[Node, ...]
    line: int
    column: int


Node = Scalar | Mapping | Sequence


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _decode(data: bytes, shown: str) -> tuple[str | None, list[Problem]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        column = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        return None, [
            problem(
                shown,
                line,
                column,
                "Y002",
                f"the file is not UTF-8 text: byte 0x{data[e.start]:02X} at offset {e.start} "
                "cannot be read; save the file as UTF-8",
            )
        ]
    bad = [
        problem(
            shown,
            *_position(text, m.start()),
            "Y003",
            f"the file contains the character {describe(m.group())}, which is not allowed in text",
        )
        for m in FORBIDDEN_IN_FILE.finditer(text)
    ]
    return text, bad[:20]


def read_yaml(path: Path, shown: str) -> tuple[Mapping | None, list[Problem]]:
    """The top-level mapping of a YAML file, or None and the reasons it cannot be used."""
    try:
        if path.stat().st_size > MAX_BYTES:
            return None, [
                problem(shown, 0, 0, "Y001", f"the file is larger than {MAX_BYTES // 1024} KiB; split it or shorten it")
            ]
        data = path.read_bytes()
    except OSError as e:
        return None, [problem(shown, 0, 0, "Y013", f"the file cannot be read: {e.strerror or e}")]
    text, problems = _decode(data, shown)
    if text is None or problems:
        return None, problems
    return parse_yaml(text, shown)


def parse_yaml(text: str, shown: str) -> tuple[Mapping | None, list[Problem]]:
    builder = _TreeBuilder(shown)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            builder.feed(event)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        what = e.problem or "the YAML cannot be read"
        if "invalid Unicode character escape" in what:
            what = "an escape in a quoted text names a lone surrogate or an invalid character"
        elif "cannot start any token" in what and mark is not None and text[mark.index : mark.index + 1] == "\t":
            what = "a tab is used for indentation; YAML indents with spaces"
        builder.problems.append(problem(shown, line, column, "Y004", f"YAML syntax error: {what}"))
        return None, builder.problems
    except yaml.YAMLError as e:
        builder.problems.append(problem(shown, 0, 0, "Y004", f"YAML syntax error: {e}"))
        return None, builder.problems
    if builder.problems:
        return None, builder.problems
    if not builder.documents or (isinstance(builder.documents[0], Scalar) and builder.documents[0].is_null):
        return None, [problem(shown, 1, 0, "Y010", "the file is empty")]
    top = builder.documents[0]
    if not isinstance(top, Mapping):
        return None, [
            problem(
                shown,
                top.line,
                top.column,
                "Y011",
                "the file must be a list of fields (`name: value` lines), not a single "
                f"{'list' if isinstance(top, Sequence) else 'text'}",
            )
        ]
    return top, []


def _where(event: yaml.Event) -> tuple[int, int]:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)


class _TreeBuilder:
    """Turns parser events into nodes, reporting every forbidden construct it meets."""

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.problems: list[Problem] = []
        self.documents: list[Node] = []
        self.stack: list[tuple[list[Node], int, int, bool]] = []
        self.too_deep = 0

    def _report(self, event: yaml.Event, code: str, message: str) -> None:
        self.problems.append(problem(self.shown, *_where(event), code, message))

    def _check(self, event: yaml.Event) -> None:
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!":
            self._report(
                event, "Y005", f"the tag {tag.replace('tag:yaml.org,2002:', '!!')} is not allowed; write plain values"
            )
        elif tag == "!":
            self._report(event, "Y005", "the tag ! is not allowed; write plain values")
        if (anchor := getattr(event, "anchor", None)) is not None:
            self._report(event, "Y006", f"anchors (&{anchor}) are not allowed; write each value out")

    def _add(self, node: Node) -> None:
        if self.stack:
            self.stack[-1][0].append(node)
        else:
            self.documents.append(node)

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.DocumentStartEvent) and self.documents:
            self._report(event, "Y009", "the file holds several YAML documents (---); keep one entry per file")
        elif isinstance(event, yaml.AliasEvent):
            self._report(event, "Y006", f"aliases (*{event.anchor}) are not allowed; write each value out")
            self._add(Scalar("", *_where(event)))
        elif isinstance(event, yaml.ScalarEvent):
            self._check(event)
            self._add(Scalar(event.value, *_where(event), plain=event.style in (None, "")))
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self._check(event)
            if len(self.stack) == MAX_DEPTH and not self.too_deep:
                self._report(event, "Y012", f"the values are nested more than {MAX_DEPTH} levels deep")
            self.too_deep += len(self.stack) >= MAX_DEPTH
            self.stack.append(([], *_where(event), isinstance(event, yaml.MappingStartEvent)))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            children, line, column, is_mapping = self.stack.pop()
            self._add(self._mapping(children, line, column) if is_mapping else Sequence(tuple(children), line, column))

    def _mapping(self, children: list[Node], line: int, column: int) -> Mapping:
        items: list[tuple[Scalar, Node]] = []
        seen: dict[str, Scalar] = {}
        for key, value in zip(children[::2], children[1::2], strict=True):
            if not isinstance(key, Scalar):
                self.problems.append(
                    problem(
                        self.shown, key.line, key.column, "Y004", "YAML syntax error: a field name must be plain text"
                    )
                )
                continue
            if key.value == "<<" and key.plain:
                self.problems.append(
                    problem(
                        self.shown,
                        key.line,
                        key.column,
                        "Y007",
                        "merge keys (<<) are not allowed; write each field out",
                    )
                )
                continue
            if key.value in seen:
                first = seen[key.value]
                self.problems.append(
                    problem(
                        self.shown,
                        key.line,
                        key.column,
                        "Y008",
                        f'the field "{key.value}" is given twice (first on line {first.line})',
                    )
                )
                continue
            seen[key.value] = key
            items.append((key, value))
        return Mapping(tuple(items), line, column)
