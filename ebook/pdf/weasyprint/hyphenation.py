"""Hyphenation dictionaries, loaded for WeasyPrint, and kept parsed in the user's cache folder.

Pyphen parses a dictionary's patterns each time a process loads one: German takes 0.47 s and
Hungarian 0.52 s, about 0.7 s for the ten languages of a typical book, and no layout can begin
before they are loaded. As TeX keeps its patterns in format files, make-book keeps each parsed
dictionary, named by a hash of the dictionary file, of Pyphen's version and of Python's, in
`<cache>/make-book/hyphenation/` (`$XDG_CACHE_HOME`, or `~/.cache`): loading it takes about 25 ms.
A dictionary that changes gets a new name, so a kept one is never stale; it is read with an
unpickler that accepts Pyphen's own classes and nothing else, and one it cannot read is parsed
again and replaced. Without a cache folder (no `HOME`), dictionaries are parsed every time, and
so they are with MAKE_BOOK_PLAIN_WEASYPRINT, through Pyphen's own API (registry.py). Upstream:
https://github.com/Kozea/Pyphen/issues/49 (loading a dictionary is slow).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ebook.bookkeeping.kept import keep_file


def cache_folder(environ: Mapping[str, str]) -> Path | None:
    """Where parsed dictionaries are kept, from the build's environment."""
    home = environ.get("XDG_CACHE_HOME") or (environ.get("HOME") and os.path.join(environ["HOME"], ".cache"))
    return Path(home) / "make-book" / "hyphenation" if home else None


def load_hyphenation(languages: Iterable[str], folder: Path | None) -> None:
    """Pyphen keeps the dictionaries it loads: WeasyPrint's Pyphen() finds them there, and so does
    every child process forked after this. Without a folder they are loaded through Pyphen's public
    API alone (the patch "hyphenation_kept_parsed" off, see registry.py); with one, the parsed
    dictionaries kept there are put in Pyphen's store (`pyphen.hdcache`, not documented)."""
    import pyphen

    for language in sorted(set(languages)):
        fallback = pyphen.language_fallback(language.replace("-", "_"))
        if not fallback:
            continue
        if folder is None:
            pyphen.Pyphen(lang=fallback)  # parsed, and kept in Pyphen's store by Pyphen itself
            continue
        path = pyphen.LANGUAGES[fallback]
        if path not in pyphen.hdcache:
            pyphen.hdcache[path] = _parsed(path, folder)


def _parsed(path: Path, folder: Path) -> Any:
    import pyphen

    source = path.read_bytes()
    version = f"{pyphen.__version__}\0{sys.version_info[:2]}\0".encode()
    kept = folder / f"{path.stem}-{hashlib.sha256(version + source).hexdigest()[:32]}.pickle"
    try:
        with kept.open("rb") as kept_file:
            dictionary = _PyphenOnly(kept_file).load()
        if isinstance(dictionary, pyphen.HyphDict):
            return dictionary
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
        pass  # not kept yet, or unreadable: parse it and keep it
    dictionary = pyphen.HyphDict(path)
    with contextlib.suppress(OSError):  # a read-only or full disk: the next build parses it again
        keep_file(kept, pickle.dumps(dictionary, protocol=pickle.HIGHEST_PROTOCOL))
    return dictionary


_ALLOWED = frozenset({("pyphen", "HyphDict"), ("pyphen", "DataInt"), ("pyphen", "AlternativeParser")})


class _PyphenOnly(pickle.Unpickler):
    """Loads a parsed dictionary and refuses anything else a file could ask to run."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of a hyphenation dictionary")
        return super().find_class(module, name)
