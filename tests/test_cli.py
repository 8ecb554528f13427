"""The command line as FORMAT.md fixes it: commands, defaults, exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

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


def test_the_command_ends_at_once_with_its_output_and_exit_status(book: BookFolder, tmp_path: Path) -> None:
    """python -m ebook (and the make-book script) end the process with os._exit after main():
    what it printed reaches a pipe, the exit status is main's, and at-exit handlers still run."""
    book.submission("a", entry_yaml())
    probe = tmp_path / "probe.py"
    marker = tmp_path / "ran-at-exit"
    probe.write_text(
        "import atexit, pathlib, sys\n"
        f"atexit.register(pathlib.Path({str(marker)!r}).touch)\n"
        "sys.argv[1:] = sys.argv[2:]\n"
        "from ebook.cli import entry\n"
        "entry()\n"
    )
    for args, code, out, err in (
        (["--version"], 0, f"make-book {ebook.__version__}\n", ""),
        (["check"], 0, "", "make-book: the book is ready to build"),
        (["status", "--format", "json"], 0, '"counts"', ""),  # a JSON document on a pipe, whole
        (["status", "--config", "missing.yaml"], 1, "", "missing.yaml: B004"),
    ):
        marker.unlink(missing_ok=True)
        done = subprocess.run(
            [sys.executable, str(probe), "--", *args], cwd=book.root, capture_output=True, text=True, check=False
        )
        assert done.returncode == code, done.stderr
        assert out in done.stdout and (out or not done.stdout)
        assert err in done.stderr
        assert marker.exists()
    report = subprocess.run(
        [sys.executable, str(probe), "--", "status", "--format", "json"], cwd=book.root, capture_output=True, check=True
    )
    assert json.loads(report.stdout)["counts"]["approved"] == 1
    # A reader that stops reading (make-book status | head -1) ends it quietly.
    script = f"{sys.executable} {probe} -- status --format json | head -c 10"
    quiet = subprocess.run(["sh", "-c", script], cwd=book.root, capture_output=True, text=True, check=True)
    assert quiet.stdout == '{\n  "count' and "error" not in quiet.stderr
    via_module = subprocess.run([sys.executable, "-m", "ebook", "--version"], capture_output=True, text=True)
    assert (via_module.returncode, via_module.stdout.strip()) == (0, f"make-book {ebook.__version__}")
