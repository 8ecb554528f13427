"""Typographer's marks by language: quotation marks, apostrophes, dashes, ellipses and French spaces.

A text comes in as pieces: the text an author typed, and fixed pieces (code, line breaks) that are
read for context but never changed. Straight quotes are paired in the pieces of one paragraph and
become the marks CLDR gives the language (read through ICU: Babel does not carry CLDR's
<delimiters>); a quote inside another takes the language's alternate marks. A quote that nothing
pairs stays straight and is reported, so that the editor fixes the text rather than the book
printing a guess. URLs and e-mail addresses are left exactly as typed.

The rules, with examples, are in docs/typography.md.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import accumulate

import icu
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

APOSTROPHE = "\u2019"
NARROW_NBSP = "\u202f"  # inside « » and before ; ! ? in French
NBSP = "\u00a0"  # before : in French
_DASHES = {"--": "\u2013", "---": "\u2014"}
_ELLIPSIS = "\u2026"
# Runs of hyphens or dots of other lengths (rules, "-----", "....") are the author's drawing: kept.
_SEQUENCES = re.compile(r"(?<!-)-{2,3}(?!-)|(?<!\.)\.\.\.(?!\.)")
# Left exactly as typed: an address must keep every character to stay the same address (trailing
# punctuation belongs to the sentence, as linkify and pandoc's autolinks read it), and so must markup.
_ADDRESSES = (
    (("://", "www.", "mailto:"), re.compile(r"(?:(?:https?|ftp)://|www\.|mailto:)[^\s<>\"]*[^\s<>\"'.,;:!?)\]}]")),
    (("@",), re.compile(r"(?<![\w.+'-])[\w.+-][\w.+'-]*@[\w-]+(?:\.[\w-]+)+")),
    # HTML typed into a text is shown as text (Markdown's raw HTML is off): its quotes are code's.
    (("<",), re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>|<!--.*?-->")),
)
_DECADE = re.compile(r"\d\ds(?!\w)")
_ELIDED = re.compile(r"\d\d(?!\w)|[^\W\d_](?!\w)")
_SPACES = " \u00a0\u2009\u202f"
_FRENCH_BEFORE = {";": NARROW_NBSP, "!": NARROW_NBSP, "?": NARROW_NBSP, ":": NBSP}
_DELIMITERS = icu.ULocaleDataDelimiterType
_WORK = re.compile(r"[\"']|--|\.\.\.")  # what can change: nothing else is looked at
_FRENCH_WORK = re.compile(r"[\"'«»;:!?]|--|\.\.\.")


@dataclass(frozen=True)
class Marks:
    """What one language's text gets: its quotation marks, primary and nested, and its spacing."""

    language: str
    primary: tuple[str, str]
    alternate: tuple[str, str]
    french_spacing: bool

    @property
    def opening(self) -> set[str]:
        """The marks that only open (typed by the author, they count when quotes nest)."""
        return {self.primary[0], self.alternate[0]} - {self.primary[1], self.alternate[1]}

    @property
    def closing(self) -> set[str]:
        return {self.primary[1], self.alternate[1]} - {self.primary[0], self.alternate[0]}

    @cached_property
    def quotes(self) -> re.Pattern[str]:
        """Finds the straight quotes and the marks that open or close."""
        return re.compile(f"[\"'{re.escape(''.join(self.opening | self.closing))}]")


def marks_for(language: str) -> Marks:
    """CLDR's marks for a BCP 47 tag, falling back as CLDR does (fr-CA has its own, de-AT is de's,
    a language CLDR lacks gets the root's “ ” ‘ ’)."""
    data = icu.LocaleData(icu.Locale.forLanguageTag(language).getName())

    def delimiter(name: str) -> str:
        return str(data.getDelimiter(getattr(_DELIMITERS, name)))

    return Marks(
        language,
        (delimiter("QUOTATION_START"), delimiter("QUOTATION_END")),
        (delimiter("ALT_QUOTATION_START"), delimiter("ALT_QUOTATION_END")),
        language.split("-")[0].lower() == "fr",
    )


@dataclass(frozen=True)
class Piece:
    text: str
    fixed: bool = False  # code or a line break: context only


@dataclass(frozen=True)
class Straight:
    """A straight quote left as typed because nothing pairs it: which piece, where in it."""

    piece: int
    offset: int
    mark: str


@dataclass(frozen=True)
class Typeset:
    texts: tuple[str, ...]  # one a piece, the fixed ones as they were
    straight: tuple[Straight, ...]


def _is_space(char: str | None) -> bool:
    return char is None or char.isspace()


def _is_punctuation(char: str | None) -> bool:
    return char is not None and unicodedata.category(char)[0] in "PS"


def _is_wide(char: str | None) -> bool:
    """Chinese and Japanese run without spaces: a quote between two such characters may open or close."""
    return char is not None and unicodedata.east_asian_width(char) in "WF" and not _is_punctuation(char)


class _Paragraph:
    """One paragraph: its text joined, which characters may change, and what they become."""

    def __init__(self, pieces: Sequence[Piece], marks: Marks) -> None:
        self.marks = marks
        self.text = "".join(piece.text for piece in pieces)
        self.starts = list(accumulate((len(piece.text) for piece in pieces), initial=0))
        self.fixed = bytearray(len(self.text))  # 1: code, a line break or an address
        for start, piece in zip(self.starts, pieces, strict=False):
            if piece.fixed:
                self.fixed[start : start + len(piece.text)] = b"\1" * len(piece.text)
        for signs, pattern in _ADDRESSES:
            if any(sign in self.text for sign in signs):  # the patterns cost 20 times the test
                for match in pattern.finditer(self.text):
                    self.fixed[match.start() : match.end()] = b"\1" * len(match.group())
        self.out: dict[int, str] = {}  # what a character becomes ("" when it goes)
        self.opening, self.closing = marks.opening, marks.closing
        self.straight: list[tuple[int, str]] = []
        self.pairs: dict[int, tuple[int, bool]] = {}  # where a pair opens: where it closes, typed by the author

    def at(self, index: int) -> str | None:
        return self.text[index] if 0 <= index < len(self.text) else None

    def piece_of(self, index: int) -> int:
        return bisect_right(self.starts, index) - 1

    def sequences(self) -> None:
        if "--" not in self.text and "..." not in self.text:
            return
        for match in _SEQUENCES.finditer(self.text):
            start, end = match.span()
            if not any(self.fixed[start:end]) and self.piece_of(start) == self.piece_of(end - 1):
                self.out[start] = _DASHES.get(match.group(), _ELLIPSIS)
                self.out.update(dict.fromkeys(range(start + 1, end), ""))

    def quotes(self) -> None:
        stack: list[tuple[str, int, bool]] = []  # (the mark typed, where, typed by the author)
        for match in self.marks.quotes.finditer(self.text):
            i, char = match.start(), match.group()
            if self.fixed[i]:
                continue
            if char in self.opening:
                stack.append((char, i, True))
            elif char in self.closing:
                if any(t for _, _, t in stack) and not self.inside_word(i):
                    while not stack[-1][2]:
                        self.leave(stack.pop())
                    self.pairs[stack.pop()[1]] = (i, True)
            else:
                self.quote(i, char, stack)
        for left in stack:
            self.leave(left)
        self.nest()

    def nest(self) -> None:
        """Each pair's marks by how many pairs hold it: the primary marks, then the alternate, then
        the primary again. Pairs found by a stack never cross, so one sweep counts them."""
        ends: list[int] = []
        for start in sorted(self.pairs):
            while ends and ends[-1] < start:
                ends.pop()
            end, typed = self.pairs[start]
            if not typed:
                self.out[start], self.out[end] = self.marks.alternate if len(ends) % 2 else self.marks.primary
            ends.append(end)

    def inside_word(self, i: int) -> bool:
        before, after = self.at(i - 1), self.at(i + 1)
        return before is not None and before.isalnum() and after is not None and after.isalnum()

    def quote(self, i: int, char: str, stack: list[tuple[str, int, bool]]) -> None:
        before, after = self.at(i - 1), self.at(i + 1)
        opens = not _is_space(after) and (not _is_punctuation(after) or _is_space(before) or _is_punctuation(before))
        closes = not _is_space(before) and (not _is_punctuation(before) or _is_space(after) or _is_punctuation(after))
        is_open = any(mark == char for mark, _, _ in stack)
        if opens and closes and (_is_wide(before) or _is_wide(after) or not self.inside_word(i)):
            opens, closes = not is_open, is_open  # unspaced Chinese and Japanese; between marks: ."'
        elif self.marks.french_spacing and char == '"' and (_is_space(before) or _is_space(after)):
            # " oui ", as French is often typed: the spaces inside become no-break ones.
            if is_open and (_is_space(after) or _is_punctuation(after)):
                opens, closes = False, True
            elif _is_space(before) or _is_punctuation(before):
                opens, closes = True, False
        if opens and closes:  # inside a word: don't, l'hôpital; a " there is an inch or a gershayim
            if char == "'":
                self.out[i] = APOSTROPHE
        elif opens and char == "'" and _DECADE.match(self.text, i + 1):
            self.out[i] = APOSTROPHE  # the ’90s
        elif opens:
            stack.append((char, i, False))
        elif closes and is_open:
            while stack[-1][0] != char:
                self.leave(stack.pop())
            self.pairs[stack.pop()[1]] = (i, False)
        elif closes and char == "'" and not _is_punctuation(before):
            self.out[i] = APOSTROPHE  # the students' books, goin'
        else:
            self.leave((char, i, False))

    def leave(self, open_quote: tuple[str, int, bool]) -> None:
        mark, index, typed = open_quote
        if typed:  # the author's own marks are never changed nor reported
            return
        if mark == "'" and _ELIDED.match(self.text, index + 1):
            self.out[index] = APOSTROPHE  # nothing closes it: Dutch ’s and ’t, the ’68 strikes
        else:
            self.straight.append((index, mark))

    def french(self) -> None:
        """U+202F inside « » and before ; ! ?, U+00A0 before :, replacing the spaces typed there."""
        made = {i for i, c in self.out.items() if c in "«»"}
        for i in sorted(made | {m.start() for m in re.finditer("[«»;:!?]", self.text)}):
            char = self.out.get(i, self.text[i])
            if self.fixed[i]:
                continue
            if char == "«":
                self.space_after(i, NARROW_NBSP)
            elif char == "»":
                self.space_before(i, NARROW_NBSP)
            elif char in _FRENCH_BEFORE and self.ends_a_clause(i):
                self.space_before(i, _FRENCH_BEFORE[char])

    def ends_a_clause(self, i: int) -> bool:
        before, after = self.at(i - 1), self.at(i + 1)
        if before is not None and before in "!?;:([{":  # ?! and !!! take one space, before the first
            return False
        if self.text[i] == ":" and before is not None and before.isdigit() and after is not None and after.isdigit():
            return False  # 12:30
        return after is None or after.isspace() or (_is_punctuation(after) and after not in "/\\-_")

    def space_after(self, i: int, space: str) -> None:
        j = i + 1
        while j < len(self.text) and self.text[j] in _SPACES and not self.fixed[j]:
            j += 1
        if j == len(self.text) or self.text[j].isspace():
            return
        self.out.update(dict.fromkeys(range(i + 1, j), ""))
        self.out[i] = self.out.get(i, self.text[i]) + space

    def space_before(self, i: int, space: str) -> None:
        j = i - 1
        while j >= 0 and self.text[j] in _SPACES and not self.fixed[j]:
            j -= 1
        if j < 0 or self.text[j].isspace():
            return
        self.out.update(dict.fromkeys(range(j + 1, i), ""))
        self.out[i] = space + self.out.get(i, self.text[i])

    def texts(self, pieces: Sequence[Piece]) -> tuple[str, ...]:
        changed: dict[int, list[int]] = {}
        for i in sorted(self.out):
            changed.setdefault(self.piece_of(i), []).append(i)
        made = []
        for number, piece in enumerate(pieces):
            if piece.fixed or number not in changed:
                made.append(piece.text)
                continue
            parts, last, end = [], self.starts[number], self.starts[number + 1]
            for i in changed[number]:
                parts += [self.text[last:i], self.out[i]]
                last = i + 1
            made.append("".join(parts) + self.text[last:end])
        return tuple(made)


def typeset_pieces(pieces: Sequence[Piece], marks: Marks, straight_only: bool = False) -> Typeset:
    """One paragraph: its pieces with typographer's marks, and the quotes left straight
    (straight_only: only those, the texts as they were, for make-book check)."""
    wanted = _FRENCH_WORK if marks.french_spacing else _WORK
    if not any(wanted.search(piece.text) for piece in pieces if not piece.fixed):
        return Typeset(tuple(piece.text for piece in pieces), ())  # most names and titles
    paragraph = _Paragraph(pieces, marks)
    if not straight_only:
        paragraph.sequences()
    paragraph.quotes()
    if marks.french_spacing and not straight_only:
        paragraph.french()
    straight = tuple(
        Straight(paragraph.piece_of(i), i - paragraph.starts[paragraph.piece_of(i)], mark)
        for i, mark in sorted(paragraph.straight)
    )
    return Typeset(tuple(p.text for p in pieces) if straight_only else paragraph.texts(pieces), straight)


def typeset_text(text: str, marks: Marks, straight_only: bool = False) -> Typeset:
    """A plain text (a title, a name, a caption): each of its paragraphs on its own."""
    if not (_FRENCH_WORK if marks.french_spacing else _WORK).search(text):
        return Typeset((text,), ())
    pieces = [Piece(part, fixed=part.isspace()) for part in re.split(r"(\n\s*\n)", text) if part]
    out = [""] * len(pieces)
    straight: list[Straight] = []
    for number, piece in enumerate(pieces):
        if piece.fixed:
            out[number] = piece.text
            continue
        done = typeset_pieces([piece], marks, straight_only)
        out[number] = done.texts[0]
        straight += [replace(s, piece=number) for s in done.straight]
    offsets = list(accumulate((len(p.text) for p in pieces), initial=0))
    return Typeset(("".join(out),), tuple(replace(s, piece=0, offset=offsets[s.piece] + s.offset) for s in straight))


# Inline tokens read for context only: code, escapes (\" keeps a straight quote), line breaks,
# pictures (shown as their alt text in brackets).
_FIXED_TOKENS = {"code_inline": None, "text_special": None, "softbreak": "\n", "hardbreak": "\n", "image": None}


def markdown_rule(state: StateCore) -> None:
    """A markdown-it core rule, run where markdown-it's own smartquotes would run (before
    text_join, while escapes are still tokens of their own): each paragraph's text tokens with
    the marks in env["marks"]; the quotes left straight go to env["straight"] as (line, mark),
    the line counted from 0 in the Markdown text."""
    marks = state.env.get("marks")
    if marks is None:
        return
    work = _FRENCH_WORK if marks.french_spacing else _WORK
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        if "&" not in block.content and not work.search(block.content):
            continue  # nothing to change in the paragraph as typed (an entity may make a quote)
        pieces: list[Piece] = []
        owners: list[Token | None] = []
        in_autolink = False
        for token in block.children:
            if token.type == "link_open":
                in_autolink = token.markup == "autolink"
            elif token.type == "link_close":
                in_autolink = False
            if token.type == "text":
                pieces.append(Piece(token.content, fixed=in_autolink))
                owners.append(None if in_autolink else token)
            elif token.type in _FIXED_TOKENS:
                text = _FIXED_TOKENS[token.type]
                pieces.append(Piece(token.content if text is None else text, fixed=True))
                owners.append(None)
        done = typeset_pieces(pieces, marks)
        for owner, text in zip(owners, done.texts, strict=True):
            if owner is not None:
                owner.content = text
        first_line = block.map[0] if block.map else 0
        for straight in done.straight:
            line = first_line + sum(p.text.count("\n") for p in pieces[: straight.piece])
            state.env.setdefault("straight", []).append((line, straight.mark))
