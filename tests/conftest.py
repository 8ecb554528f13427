"""Tests make their own book folders: a book.yaml, submissions written as YAML text, pictures drawn with Pillow."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from ebook.cli import main

BOOK_YAML = """\
title: "Voices of 2020"
subtitle: "A test book"
publisher: "Test Society"
editors:
  - "Ada Editor"
language: en
identifier: "urn:uuid:12345678-1234-5678-1234-567812345678"
date: 2020-12-01
license: "CC BY 4.0"
description: "A small book for the tests."
foreword: |
  A *short* foreword.
acknowledgements: |
  Thanks.
themes:
  - id: one
    title: "Theme one"
    intro: "The first theme."
  - id: two
    title: "Theme two"
"""


def entry_yaml(
    title: str = "A day in the CT room",
    name: str = "Amélie Durand",
    theme: str = "one",
    status: str = "approved",
    extra: str = "",
    author_extra: str = "",
    body: str | None = None,
    country: str = "FR",
    language: str | None = None,
) -> str:
    body = body if body is not None else "First paragraph of the story.\n\nSecond paragraph, with *emphasis*."
    lines = [f"status: {status}", f"theme: {theme}", f'title: "{title}"']
    if language:
        lines.append(f"language: {language}")
    lines += ["author:", f'  name: "{name}"', '  role: "Radiographer"', f"  country: {country}"]
    lines += [f"  {line}" for line in author_extra.splitlines() if line]
    lines += ["consent: true", "body: |", textwrap.indent(body, "  ")]
    text = "\n".join(lines) + "\n"
    return text + textwrap.dedent(extra)


def jpeg_bytes(
    size: tuple[int, int] = (640, 480), color: tuple[int, int, int] = (80, 110, 140), exif: bytes | None = None
) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, color)
    if exif is not None:
        image.save(out, "JPEG", quality=80, exif=exif)
    else:
        image.save(out, "JPEG", quality=80)
    return out.getvalue()


@dataclass
class BookFolder:
    root: Path

    def write(self, relative: str, content: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    def submission(self, ident: str, text: str | bytes, folder: str = "") -> Path:
        return self.write(f"submissions/{folder}{ident}.yaml", text)

    @property
    def dist(self) -> Path:
        return self.root / "dist"


@dataclass
class Run:
    code: int
    stderr: str

    @property
    def lines(self) -> list[str]:
        return self.stderr.splitlines()

    @property
    def problems(self) -> list[str]:
        return [line for line in self.lines if not line.startswith("make-book:")]


@pytest.fixture(scope="session", autouse=True)
def cache_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Builds keep parsed hyphenation dictionaries in the user's cache folder: the tests' builds
    keep theirs in a folder of their own, shared by the session."""
    folder = tmp_path_factory.mktemp("cache-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder))
        yield folder


@pytest.fixture
def book(tmp_path: Path) -> BookFolder:
    folder = BookFolder(tmp_path / "book")
    folder.write("book.yaml", BOOK_YAML)
    return folder


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """Run the command line as a user would, from inside the book folder unless told otherwise."""

    def go(*args: str, cwd: Path | None = None) -> Run:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main(list(args))
        return Run(code, capsys.readouterr().err)

    return go


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BookFolder:
    """The fixture book of fixture_book.py, built once for every test that reads its outputs."""
    from fixture_book import build, make_fixture

    book = make_fixture(tmp_path_factory.mktemp("built") / "book")
    assert build(book) == 0
    return book
