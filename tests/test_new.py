"""make-book new: a folder that builds at once; a non-empty folder is refused and left untouched."""

from __future__ import annotations

from pathlib import Path

import pytest


def test_new_folder_checks_and_lists_every_field(tmp_path: Path, run) -> None:
    result = run("new", str(tmp_path / "book"))
    assert result.code == 0
    text = (tmp_path / "book" / "book.yaml").read_text(encoding="utf-8")
    for field in (
        "title",
        "subtitle",
        "publisher",
        "editors",
        "language",
        "identifier",
        "date",
        "license",
        "description",
        "cover",
        "foreword",
        "acknowledgements",
        "themes",
        "intro",
    ):
        assert f"{field}:" in text, field
    assert "{uuid}" not in text and "{date}" not in text
    check = run("check", cwd=tmp_path / "book")
    assert check.code == 0, check.stderr
    assert check.problems == []


@pytest.mark.slow
def test_new_folder_builds_a_one_entry_book(tmp_path: Path, run) -> None:
    assert run("new", str(tmp_path / "book")).code == 0
    result = run(cwd=tmp_path / "book")
    assert result.code == 0, result.stderr
    assert (tmp_path / "book" / "dist" / "voices-of-our-call.epub").is_file()
    assert (tmp_path / "book" / "dist" / "voices-of-our-call.pdf").is_file()


def test_new_refuses_a_non_empty_folder(tmp_path: Path, run) -> None:
    folder = tmp_path / "taken"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    result = run("new", str(folder))
    assert result.code == 2
    assert result.lines == [
        f"make-book: {folder} is not empty; make-book new starts a book only in a new or empty folder"
    ]
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_new_accepts_an_empty_folder(tmp_path: Path, run) -> None:
    (tmp_path / "empty").mkdir()
    assert run("new", str(tmp_path / "empty")).code == 0
    assert (tmp_path / "empty" / "submissions" / "example.yaml").is_file()
