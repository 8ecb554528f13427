"""Find the files a cell names (a file name, a relative path or a form tool's link) under --files.

Nothing is ever fetched: a link is matched to a file the editor downloaded, by the file name at
the end of its path or by the id a Google Drive link carries (Drive names a downloaded upload
"<original name> - <respondent>.<ext>", and the editor may keep its id in the name). Names are
compared in NFC, so a name typed on a Mac (NFD) finds the same file. A path must stay inside
--files: no `..`, no absolute path, no symbolic link.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

MAX_FILES = 200_000
_LINK = re.compile(r"https?://[^\s,;<>\"']+", re.IGNORECASE)


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


@dataclass(frozen=True)
class Found:
    path: Path | None
    problem: str | None = None  # why the name cannot be used
    error: bool = False  # a name leading out of --files is an error; one that matches nothing a warning


@dataclass(frozen=True)
class FileIndex:
    root: Path | None
    by_name: dict[str, tuple[Path, ...]]
    shown: str = "the files folder"  # as the editor gave it

    @staticmethod
    def of(root: Path | None, shown: str = "the files folder") -> FileIndex:
        by_name: dict[str, list[Path]] = {}
        if root is not None and root.is_dir():
            count = 0
            for directory, subdirs, files in os.walk(root):
                subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
                for name in sorted(files):
                    by_name.setdefault(_key(name), []).append(Path(directory) / name)
                count += len(files)
                if count > MAX_FILES:  # a folder this big is not a form's uploads; stop looking
                    break
        return FileIndex(root, {k: tuple(v) for k, v in by_name.items()}, shown)

    def _check(self, path: Path, item: str) -> Found:
        if path.is_symlink():
            return Found(None, f'"{item}" is a symbolic link under the files folder; copy the file there instead', True)
        assert self.root is not None
        if not path.resolve().is_relative_to(self.root.resolve()):
            return Found(None, f'"{item}" leads outside the files folder', True)
        if not path.is_file():
            return Found(None, f'"{item}" is not a regular file', True)
        return Found(path)

    def find(self, item: str) -> Found:
        if self.root is None:
            return Found(None, f'"{item}" names a file, but no --files folder was given to find it in')
        if _LINK.fullmatch(item):
            return self._link(item)
        if item.startswith(("/", "\\", "~")) or re.match(r"^[A-Za-z]:[\\/]", item):
            return Found(None, f'"{item}" is an absolute path; name the file as it is under the files folder', True)
        parts = [p for p in re.split(r"[/\\]", item) if p not in ("", ".")]
        if ".." in parts:
            return Found(None, f'"{item}" contains ..; files must be inside the files folder', True)
        if not parts:
            return Found(None, f'"{item}" is not a file name')
        if len(parts) == 1:
            matches = self.by_name.get(_key(parts[0]), ())
            if not matches:
                return Found(None, f'"{item}" matches no file under {self.shown}')
            return self._check(matches[0], item)
        current = self.root
        for part in parts:
            try:
                names = {_key(n): n for n in os.listdir(current)}
            except OSError:
                return Found(None, f'"{item}" matches no file under {self.shown}')
            if _key(part) not in names:
                return Found(None, f'"{item}" matches no file under {self.shown}')
            current = current / names[_key(part)]
            if current.is_symlink():
                return Found(
                    None, f'"{item}" passes through a symbolic link; copy the file into the files folder', True
                )
        return self._check(current, item)

    def _link(self, link: str) -> Found:
        parts = urlsplit(link)
        ids = parse_qs(parts.query).get("id", [])
        ids += re.findall(r"/d/([A-Za-z0-9_-]{10,})", parts.path)
        for ident in ids:
            for key, paths in self.by_name.items():
                if ident.casefold() in key:
                    return self._check(paths[0], link)
        last = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1])
        if last and "." in last:
            matches = self.by_name.get(_key(last), ())
            if matches:
                return self._check(matches[0], link)
        return Found(
            None, f"the link {link} matches no file under {self.shown} (make-book never downloads: save the file there)"
        )


def split_files(cell: str, index: FileIndex) -> list[str]:
    """The files a cell names: one a line, or separated by commas or semicolons, links included.
    A whole line that is the name of a file is kept whole, commas and all."""
    items: list[str] = []
    for line in cell.split("\n"):
        line = line.strip()
        if not line:
            continue
        if index.by_name.get(_key(line)):
            items.append(line)
            continue
        links = _LINK.findall(line)
        rest = _LINK.sub(" ", line)
        items += [link.rstrip(".)") for link in links]
        items += [p.strip() for p in re.split(r"[,;]", rest) if p.strip()]
    return items


def is_reference(cell: str) -> bool:
    """A body cell that names a file (a single name with a document's extension, or a link) rather
    than holding the text itself."""
    text = cell.strip()
    if "\n" in text or len(text) > 2000:
        return False
    if _LINK.fullmatch(text):
        return True
    return bool(
        re.fullmatch(r"[^\n]{1,255}\.(docx|docm|dotx|dotm|odt|ott|doc|rtf|pdf|pages|txt|md)", text, re.IGNORECASE)
    )
