"""Office files are zip archives: look at one before anything unpacks it.

Python's zipfile never inflates a member past the size its directory declares (ZipExtFile stops
at file_size and checks the CRC), so adding up the declared sizes bounds the memory a hostile
file ("zip bomb") can take: https://docs.python.org/3/library/zipfile.html#decompression-pitfalls
"""

from __future__ import annotations

import zipfile
from pathlib import Path

MAX_UNPACKED = 200 * 1024 * 1024
MAX_MEMBERS = 20_000


def what_it_is(head: bytes) -> str:
    """A short name for what a file's first bytes say it is, for messages."""
    if head.startswith(b"%PDF"):
        return "a PDF file"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "an old Office 97-2003 file (.doc or .xls)"
    if head.startswith(b"{\\rtf"):
        return "an RTF file"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff")):
        return "a picture"
    if head.startswith(b"PK"):
        return "a zip archive of another kind"
    return "not a file of that kind"


def open_zip(path: Path, limit: int = MAX_UNPACKED) -> tuple[zipfile.ZipFile | None, str | None]:
    """The archive, or why it cannot be used: not a zip (and what it is instead), damaged, or too
    big once unpacked."""
    try:
        with path.open("rb") as f:
            head = f.read(8)
    except OSError as e:
        return None, f"cannot be read: {e.strerror or e}"
    if not head.startswith(b"PK\x03\x04"):
        return None, f"is not what its name says: it is {what_it_is(head)}"
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        return None, "is damaged: its zip archive cannot be read"
    members = archive.infolist()
    unpacked = sum(m.file_size for m in members)
    if len(members) > MAX_MEMBERS or unpacked > limit:
        archive.close()
        return None, (
            f"is too big once unpacked ({unpacked // (1024 * 1024)} MiB in {len(members)} parts; "
            f"the limit is {limit // (1024 * 1024)} MiB)"
        )
    return archive, None


def read_member(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        return archive.read(name)
    except KeyError:
        return None
