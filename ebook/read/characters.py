"""Checks on characters, shared by every file and every field: what text make-book accepts."""

from __future__ import annotations

import re
import unicodedata

# C0 controls except tab and newline (carriage return is folded away by YAML), DEL, C1 controls.
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_SURROGATE = "\ud800-\udfff"
_NONCHAR = "\ufdd0-\ufdef\ufffe\uffff" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17)
)
_BIDI = "\u202a-\u202e\u2066-\u2069"

FORBIDDEN_IN_TEXT = re.compile(f"[{_CONTROL}{_SURROGATE}{_NONCHAR}]")
FORBIDDEN_IN_FILE = re.compile(f"[{_CONTROL}{_NONCHAR}]")
BIDI_CONTROL = re.compile(f"[{_BIDI}]")


def describe(char: str) -> str:
    """Name a character the way an editor can find it: U+0007 (BELL)."""
    code = f"U+{ord(char):04X}"
    if "\ud800" <= char <= "\udfff":
        return f"{code} (a lone surrogate)"
    if FORBIDDEN_IN_TEXT.fullmatch(char) and unicodedata.category(char) == "Cn":
        return f"{code} (a non-character)"
    if unicodedata.category(char) == "Cc":
        return f"{code} (a control character)"
    name = unicodedata.name(char, "")
    return f"{code} ({name})" if name else code


def forbidden_characters(text: str, bidi: bool = False) -> list[str]:
    """The characters, in text order, that no text may contain; with bidi, also direction controls."""
    pattern = re.compile(f"{FORBIDDEN_IN_TEXT.pattern}|{BIDI_CONTROL.pattern}") if bidi else FORBIDDEN_IN_TEXT
    return pattern.findall(text)


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def slug(text: str) -> str:
    """An ASCII file-name slug: 'Voices of 2020' -> 'voices-of-2020', 'Été' -> 'ete'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "book"
