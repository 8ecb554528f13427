"""Warnings for the straight quotes the typography leaves as typed (T002), with their lines.

The texts are typeset as the book will print them (render/typography.py); only when one of a
file's texts has a quote that nothing pairs is the file read again, for the lines of its fields:
the model keeps the texts, not where they were written.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

from markdown_it import MarkdownIt

from ebook.model import BookConfig, Entry
from ebook.problems import Problem, problem
from ebook.read.strict_yaml import Mapping, Node, Scalar, Sequence, read_yaml
from ebook.render.markdown import make_parser
from ebook.render.typography import Marks, marks_for, typeset_text

# Where a Markdown block may begin without a blank line before it (a list item, a heading, a
# quotation, a fence): the text read as plain paragraphs is cut there too, so that it never pairs
# quotes Markdown keeps apart. Parsing is what costs (1 ms an entry); most texts need none.
_MAY_BE_BLOCKS = re.compile(r"\n(?=[ \t]*(?:[-*+>#=]|\d+[.)]|```|~~~))")


def _loose_apostrophe(text: str) -> bool:
    """Is there a ' that is not between two letters or digits? (150 times a regular expression's speed)"""
    at = text.find("'")
    while at != -1:
        if at in (0, len(text) - 1) or not (text[at - 1].isalnum() and text[at + 1].isalnum()):
            return True
        at = text.find("'", at + 1)
    return False


# (where the field is: keys and list positions from the top of the file, its text, is it Markdown)
_Text = tuple[tuple[str | int, ...], str | None, bool]


def _entry_texts(entry: Entry) -> Iterator[_Text]:
    a = entry.author
    yield ("title",), entry.title, False
    for name in ("name", "sort_name", "role", "affiliation"):
        yield ("author", name), getattr(a, name), False
    yield ("body",), entry.body, True
    for number, photo in enumerate(entry.photos):
        for name in ("alt", "caption", "credit"):
            yield ("photos", number, name), getattr(photo, name), False


def _book_texts(config: BookConfig) -> Iterator[_Text]:
    for name in ("title", "subtitle", "publisher", "description"):
        yield (name,), getattr(config, name), False
    for number, editor in enumerate(config.editors):
        yield ("editors", number), editor, False
    for name in ("foreword", "acknowledgements"):
        yield (name,), getattr(config, name), True
    for number, theme in enumerate(config.themes):
        yield ("themes", number, "title"), theme.title, False
        yield ("themes", number, "intro"), theme.intro, True


def _straight_lines(md: MarkdownIt, text: str, markdown: bool, marks: Marks) -> list[tuple[int, str]]:
    """(line counted from 0 in the text, the mark) for each quote left straight."""
    if '"' not in text and not _loose_apostrophe(text) and "&" not in text:
        return []  # an apostrophe inside a word is never left straight
    if markdown:
        if (
            not any(typeset_text(block, marks, straight_only=True).straight for block in _MAY_BE_BLOCKS.split(text))
            and "&" not in text
        ):
            return []  # read as text, no quote is left straight: Markdown only takes quotes away
        env: dict[str, object] = {"marks": marks}
        md.parse(text, env)
        found = env.get("straight", [])
        assert isinstance(found, list)
        return found
    return [(text.count("\n", 0, s.offset), s.mark) for s in typeset_text(text, marks, straight_only=True).straight]


def _node(top: Mapping, where: tuple[str | int, ...]) -> Node | None:
    node: Node | None = top
    for step in where:
        if isinstance(step, str) and isinstance(node, Mapping):
            node = node.get(step)
        elif isinstance(step, int) and isinstance(node, Sequence) and step < len(node.items):
            node = node.items[step]
        else:
            return None
    return node


def _source_line(source: list[str], node: Scalar, line: int) -> int:
    """The file's line of the text's line (counted from 0). A | block keeps the text's lines, one
    for one, from the line after its indicator; elsewhere YAML folds lines (a line break becomes a
    space, each empty line a line break), so the first line of the folded one is given."""
    indicator = source[node.line - 1][node.column - 1 : node.column] if node.line <= len(source) else ""
    if indicator == "|":
        return node.line + 1 + line
    start = node.line + 1 if indicator == ">" else node.line
    empty = 0
    for number in range(start, len(source) + 1):
        if not source[number - 1].strip():
            empty += 1
        elif empty >= line:
            return number
    return node.line


def _field_name(where: tuple[str | int, ...]) -> str:
    name = ""
    for step in where:
        name += f"[{step + 1}]" if isinstance(step, int) else (f".{step}" if name else step)
    return name


def _file_problems(
    path: Callable[[], Path], shown: str, texts: Iterator[_Text], marks: Marks, md: MarkdownIt
) -> list[Problem]:
    found = [
        (where, markdown, line, mark)
        for where, text, markdown in texts
        if text
        for line, mark in _straight_lines(md, text, markdown, marks)
    ]
    if not found:
        return []
    top, _ = read_yaml(path(), shown)
    source = path().read_text(encoding="utf-8-sig").splitlines() if top is not None else []
    problems = []
    for where, markdown, line, mark in found:
        node = _node(top, where) if top is not None else None
        if top is not None and not isinstance(node, Scalar):
            continue  # a text the file does not hold: the sort name that is the name
        at = _source_line(source, node, line) if isinstance(node, Scalar) else 0
        hint = f", or write \\{mark} to keep it straight" if markdown else ""
        message = (
            f'"{_field_name(where)}": the quotation mark {mark} has no partner, so it is printed as typed '
            f"(add its partner{hint})"
        )
        problems.append(problem(shown, at, 0, "T002", message).as_warning())
    return problems


def _entry_path(config: BookConfig, entry: Entry) -> Path:
    """The entry's file, from the path shown for it (the book's shown folder joined with its place)."""
    return config.folder / os.path.relpath(entry.shown_path, config.shown_folder or os.curdir)


def quote_problems(
    config: BookConfig, entries: tuple[Entry, ...], config_path: Path, config_shown: str
) -> list[Problem]:
    """A warning for every quote the book will print straight, unless book.yaml says typography: plain."""
    if config.typography == "plain":
        return []
    md = make_parser()
    problems = _file_problems(lambda: config_path, config_shown, _book_texts(config), marks_for(config.language), md)
    for entry in entries:
        problems += _file_problems(
            partial(_entry_path, config, entry), entry.shown_path, _entry_texts(entry), marks_for(entry.language), md
        )
    return problems
