"""Files make-book did not write are never touched (FORMAT.md, "The command"): an output that
would replace one is refused with B005, before any work for the three top-level files, and when
the web edition's files are known for those in read/."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import BookFolder, Run, entry_yaml

MINE = "<!doctype html><title>Our own landing page</title>"


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_page_of_the_editor_s_own_where_the_download_page_goes_is_kept(
    book: BookFolder, run: Callable[..., Run]
) -> None:
    book.submission("a", entry_yaml())
    book.write("dist/index.html", MINE)
    result = run("build", cwd=book.root)
    assert result.code == 1
    assert "dist/index.html: B005 a file make-book did not write is where an output goes" in result.stderr
    assert "nothing was written" in result.stderr
    assert _files(book.dist) == {"index.html": MINE.encode()}  # no EPUB, no PDF, no bookkeeping either


def test_a_file_of_the_editor_s_own_in_the_web_edition_s_folder_is_kept(
    book: BookFolder, run: Callable[..., Run]
) -> None:
    book.submission("a", entry_yaml())
    book.write("dist/read/index.html", MINE)
    book.write("dist/read/notes.txt", "ours")
    result = run("build", cwd=book.root)
    assert result.code == 1
    assert [line for line in result.lines if "B005" in line] == [
        "dist/read/index.html: B005 a file make-book did not write is where an output goes; nothing was "
        "replaced: move it away, or build into another folder (--out)"
    ]
    assert {name: data for name, data in _files(book.dist).items() if not name.startswith(".make-book")} == {
        "read/index.html": MINE.encode(),
        "read/notes.txt": b"ours",
    }
    assert not (book.dist / ".make-book" / "staging").exists()  # what was staged is gone
    # Moved away, the next build writes the edition, and the file beside it is still not touched.
    (book.dist / "read" / "index.html").unlink()
    assert run("build", cwd=book.root).code == 0
    assert (book.dist / "read" / "notes.txt").read_text() == "ours"
    assert b"<nav" in (book.dist / "read" / "index.html").read_bytes()


def test_make_book_s_own_outputs_are_replaced_and_a_link_is_not_followed(
    book: BookFolder, run: Callable[..., Run], tmp_path: Path
) -> None:
    book.submission("a", entry_yaml())
    assert run("build", cwd=book.root).code == 0
    book.submission("b", entry_yaml(title="A second report", name="Ana Second"))
    assert run("build", cwd=book.root).code == 0  # its own outputs of the last build: replaced
    elsewhere = tmp_path / "elsewhere.pdf"
    elsewhere.write_bytes(b"%PDF of someone else")
    other = BookFolder(tmp_path / "other")
    other.write("book.yaml", (book.root / "book.yaml").read_text())
    other.submission("a", entry_yaml())
    other.dist.mkdir()
    (other.dist / "voices-of-2020.pdf").symlink_to(elsewhere)
    result = run("build", cwd=other.root)
    assert result.code == 1 and "dist/voices-of-2020.pdf: B005" in result.stderr
    assert (other.dist / "voices-of-2020.pdf").is_symlink() and elsewhere.read_bytes() == b"%PDF of someone else"
