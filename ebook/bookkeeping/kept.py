"""What make-book keeps between builds besides its outputs: cache files written whole or not at
all, and the digests that name them."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path


def keep_file(path: Path, data: bytes) -> None:
    """A file of make-book's caches (pictures, laid-out documents, hyphenation dictionaries):
    written under a name of its own, then renamed, so that a reader, another build too, finds it
    whole or not at all. Unlike the outputs it is not synced to disk: one lost in a crash only
    costs the work of making it again."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f"{path.name}.part{os.getpid()}")
    part.write_bytes(data)
    part.replace(path)


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's content, as the caches and the build's key name it."""
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def digest_if_readable(path: Path) -> str | None:
    try:
        return file_digest(path)
    except OSError:
        return None


def user_cache_folder(environ: Mapping[str, str], what: str) -> Path | None:
    """$XDG_CACHE_HOME/make-book/<what> (by default ~/.cache/): what make-book keeps outside any
    book, named so that it never goes stale and always safe to delete."""
    home = environ.get("XDG_CACHE_HOME") or (environ.get("HOME") and os.path.join(environ["HOME"], ".cache"))
    return Path(home) / "make-book" / what if home else None
