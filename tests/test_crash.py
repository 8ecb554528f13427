"""A build killed at any moment leaves the previous outputs whole and nothing stray in the output folder."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import BookFolder, entry_yaml
from fixture_book import make_fixture

from ebook.publish import outputs as publish

pytestmark = pytest.mark.slow
OUTPUTS = ("index.html", "voices-of-2020.epub", "voices-of-2020.pdf")


def digests(folder: Path) -> dict[str, str]:
    return {n: hashlib.sha256((folder / n).read_bytes()).hexdigest() for n in OUTPUTS}


def build_command(book: BookFolder) -> list[str]:
    return [sys.executable, "-m", "ebook", "build", "--config", str(book.root / "book.yaml"), "-q"]


def test_killed_builds_leave_whole_outputs(tmp_path: Path) -> None:
    book = make_fixture(tmp_path / "book")
    subprocess.run(build_command(book), check=True)
    old = digests(book.dist)
    # The new sources, built elsewhere, tell what a finished new build looks like.
    book.submission("late", entry_yaml(title="A late addition", name="Lena Late"))
    reference = make_fixture(tmp_path / "reference")
    reference.submission("late", entry_yaml(title="A late addition", name="Lena Late"))
    subprocess.run(build_command(reference), check=True)
    new = digests(reference.dist)
    assert old != new

    for delay in (0.2, 0.6, 1.0, 1.5, 2.0, 2.5, 3.0):
        process = subprocess.Popen(build_command(book), stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = digests(book.dist)
        for name in OUTPUTS:
            assert now[name] in (old[name], new[name]), (delay, name)
        assert sorted(p.name for p in book.dist.iterdir()) == sorted([".make-book", "read", *OUTPUTS])
    subprocess.run(build_command(book), check=True)
    assert digests(book.dist) == new


def test_outputs_staged_by_a_build_that_stops_before_publishing_are_gone(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    out.mkdir()
    with publish.locked(out):
        publish.publish(out, {"a.epub": b"old a"}, {"key": "k1"})
    with pytest.raises(RuntimeError), publish.locked(out), publish.Staging(out) as staging:
        staging.write({"a.epub": b"new a", "read/index.html": b"new page"})
        raise RuntimeError("the PDF could not be joined")
    assert sorted(p.name for p in out.iterdir()) == [".make-book", "a.epub"]
    assert (out / "a.epub").read_bytes() == b"old a"
    assert not (out / ".make-book/staging").exists()


def test_a_move_interrupted_half_way_is_finished_by_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "dist"
    out.mkdir()
    with publish.locked(out):
        publish.publish(out, {"a.epub": b"old a", "a.pdf": b"old b"}, {"key": "k1"})
    real_replace = os.replace
    moved: list[str] = []

    def crash_after_first_move(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if Path(dst).parent == out and moved:
            raise KeyboardInterrupt  # the process dies here
        real_replace(src, dst)
        if Path(dst).parent == out:
            moved.append(str(dst))

    monkeypatch.setattr(os, "replace", crash_after_first_move)
    with pytest.raises(KeyboardInterrupt), publish.locked(out):
        publish.publish(out, {"b.epub": b"new a", "b.pdf": b"new b"}, {"key": "k2"})
    monkeypatch.setattr(os, "replace", real_replace)
    assert (out / ".make-book/staging/COMMIT.json").is_file()
    with publish.locked(out):  # any later run first finishes the committed move
        pass
    assert sorted(p.name for p in out.iterdir()) == [".make-book", "b.epub", "b.pdf"]
    assert (out / "b.pdf").read_bytes() == b"new b"
    state = json.loads((out / ".make-book/state.json").read_text())
    assert state["made_from"] == {"key": "k2"}
    assert not (out / ".make-book/staging").exists()
