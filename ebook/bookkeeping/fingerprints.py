"""What is installed that changes the outputs of unchanged sources, as fingerprints for the caches
(up_to_date.py, pdf/cache.py, render/pictures.py): the fonts, the system libraries that lay out and
draw text, the Python packages and make-book's own code.

WeasyPrint finds its fonts through fontconfig, so a font installed, removed or upgraded (`apt`)
changes the PDF. The fonts' fingerprint is a digest of the path, size and modification time of
every file in fontconfig's standard font folders and in its configuration, the same kind of check
fontconfig makes before it trusts its own caches: a few milliseconds for the 300 fonts of a Debian
machine with the Noto families. A library upgraded (`pip`) may change any output: the packages'
fingerprint is a digest of the names of their .dist-info folders, which carry their versions
(0.4 ms, where asking importlib.metadata for each version takes 60), and make-book's own modules
are hashed whole (an editable install changes them without a new version; about 1 ms).
Pango, HarfBuzz, FreeType and fontconfig come from the system (`apt`): an upgrade changes line
breaks, shaping and subsets, so their files' sizes and times count too, with the linker's cache,
which every library install rewrites.
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


PACKAGE = Path(__file__).resolve().parents[1]
# The libraries WeasyPrint lays out and draws text with, and where Debian and others keep them.
TEXT_LIBRARIES = ("libpango", "libharfbuzz", "libfreetype", "libfontconfig", "libfribidi", "libcairo")
LIBRARY_FOLDERS = (Path("/usr/lib"), Path("/usr/local/lib"), Path("/lib"))


def packages_fingerprint() -> str:
    """The Python code that makes the outputs: the packages installed and make-book's own modules."""
    names = []
    for folder in sys.path:
        with contextlib.suppress(OSError):
            names += sorted(name for name in os.listdir(folder or ".") if name.endswith(".dist-info"))
    digest = hashlib.sha256("\0".join(names).encode())
    digest.update(code_fingerprint(PACKAGE).encode())
    return digest.hexdigest()


def code_fingerprint(package: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(f"{path.relative_to(package)}\0".encode() + path.read_bytes() + b"\0")
    return digest.hexdigest()


def libraries_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in [Path("/etc/ld.so.cache"), *_text_libraries(LIBRARY_FOLDERS)]:
        with contextlib.suppress(OSError):
            stat = path.stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode(errors="surrogateescape"))
    return digest.hexdigest()


def _text_libraries(folders: tuple[Path, ...]) -> list[Path]:
    found = []
    for top in folders:
        for folder in (top, *sorted(p for p in top.glob("*-linux-gnu*") if p.is_dir())):
            with contextlib.suppress(OSError):
                found += sorted(
                    folder / name for name in os.listdir(folder) if name.startswith(TEXT_LIBRARIES) and ".so" in name
                )
    return found


def installed_fingerprint(environ: Mapping[str, str]) -> str:
    """Everything installed that the outputs depend on: fonts, text libraries, Python code."""
    parts = (fonts_fingerprint(environ), libraries_fingerprint(), packages_fingerprint())
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()
