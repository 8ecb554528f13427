"""The command line as FORMAT.md fixes it: commands, defaults, exit codes."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from conftest import BookFolder, Run, entry_yaml

import ebook
from ebook.cli import main


@pytest.mark.parametrize(
    "args", [["--bogus"], ["check", "--out", "x"], ["build", "--config"], ["publish"], ["check", "extra"]]
)
def test_wrong_use_exits_2(book: BookFolder, run: Callable[..., Run], args: list[str]) -> None:
    result = run(*args, cwd=book.root)
    assert result.code == 2
    assert "usage: make-book" in result.stderr
    assert not book.dist.exists()


def test_check_writes_nothing_and_says_ready(book: BookFolder, run: Callable[..., Run]) -> None:
    book.submission("a", entry_yaml(theme="two"))
    book.submission("b", entry_yaml())
    result = run("check", cwd=book.root)
    assert (result.code, result.lines) == (0, ["make-book: the book is ready to build"])
    assert sorted(p.name for p in book.root.iterdir()) == ["book.yaml", "submissions"]


def test_warnings_do_not_change_the_exit_status(book: BookFolder, run: Callable[..., Run]) -> None:
    book.submission("a", entry_yaml())
    result = run("check", "--config", "book.yaml", cwd=book.root)
    assert result.code == 0
    assert result.lines == [
        'book.yaml:19: warning: S005 theme "two" has no approved entry and is left out',
        "make-book: 1 warning",
        "make-book: the book is ready to build",
    ]


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"make-book {ebook.__version__}\n"
    assert re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", ebook.__version__)


@pytest.mark.parametrize("command", ["build", "check", "new", "import", "status", "proof", "serve"])
def test_every_command_has_help_that_fits_it(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, "--help"]) == 0
    text = capsys.readouterr().out
    assert text.startswith(f"usage: make-book {command}") and ("--config" in text) == (command != "new")


def test_an_output_folder_that_cannot_be_written_is_reported_without_a_traceback(
    book: BookFolder, run: Callable[..., Run]
) -> None:
    book.submission("a", entry_yaml())
    book.write("dist", "a file where the output folder should be")
    result = run("build", cwd=book.root)
    assert result.code == 1
    assert result.lines[-1].startswith("make-book: cannot write ")
    assert "Traceback" not in result.stderr
