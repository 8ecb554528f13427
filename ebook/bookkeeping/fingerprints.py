"""What is installed that changes the outputs of unchanged sources, as fingerprints for the caches
(up_to_date.py, layout_cache.py, images.py): the fonts and the Python packages.

WeasyPrint finds its fonts through fontconfig, so a font installed, removed or upgraded (`apt`)
changes the PDF. The fonts' fingerprint is a digest of the path, size and modification time of
every file in fontconfig's standard font folders and in its configuration, the same kind of check
fontconfig makes before it trusts its own caches: a few milliseconds for the 300 fonts of a Debian
machine with the Noto families. A library upgraded (`pip`) may change any output: the packages'
fingerprint is a digest of the names of their .dist-info folders, which carry their versions
(0.4 ms, where asking importlib.metadata for each version takes 60).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path


def font_folders(environ: Mapping[str, str]) -> list[Path]:
    """The folders fontconfig reads fonts and its configuration from by default (fonts.conf)."""
    folders = [Path("/etc/fonts"), Path("/usr/share/fonts"), Path("/usr/local/share/fonts")]
    home = environ.get("HOME")
    data_home = environ.get("XDG_DATA_HOME") or (home and os.path.join(home, ".local", "share"))
    if data_home:
        folders.append(Path(data_home) / "fonts")
    if home:
        folders.append(Path(home) / ".fonts")
    return folders


def fonts_fingerprint(environ: Mapping[str, str]) -> str:
    digest = hashlib.sha256()
    for folder in font_folders(environ):
        for path in _files(folder):
            try:
                stat = path.stat()
            except OSError:
                continue  # removed while being read, or a broken link: not a font fontconfig can use
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode(errors="surrogateescape"))
    return digest.hexdigest()


def _files(folder: Path) -> Iterator[Path]:
    for root, folders, files in os.walk(folder):
        folders.sort()
        for name in sorted(files):
            yield Path(root) / name


def packages_fingerprint() -> str:
    names = []
    for folder in sys.path:
        with contextlib.suppress(OSError):
            names += sorted(name for name in os.listdir(folder or ".") if name.endswith(".dist-info"))
    return hashlib.sha256("\0".join(names).encode()).hexdigest()


def installed_fingerprint(environ: Mapping[str, str]) -> str:
    """Both: everything installed that the outputs depend on."""
    return hashlib.sha256(f"{fonts_fingerprint(environ)}\0{packages_fingerprint()}".encode()).hexdigest()
