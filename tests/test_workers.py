"""The layout processes (workers.py): calls run in children of one process set up in advance,
their results and failures come back to the call they belong to, and a build whose layout
process dies fails instead of waiting for ever."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from ebook.pdf.workers import Workers


def _identity(value: object) -> tuple[object, int]:
    return value, os.getpid()


def _fail(message: str) -> None:
    raise ValueError(message)


def _hyphenation_loaded() -> list[str]:
    import pyphen

    return sorted(str(path.name) for path in pyphen.hdcache)


def test_results_come_back_to_their_call_from_a_child_process() -> None:
    with Workers() as workers:
        keys = [workers.submit(_identity, n) for n in range(5)]
        results = [workers.result(key) for key in reversed(keys)]
    assert [value for value, _ in results] == [4, 3, 2, 1, 0]
    assert os.getpid() not in {pid for _, pid in results}
    assert len({pid for _, pid in results}) == 5  # each in a child of its own, which ends with it


def test_a_failure_in_a_child_is_raised_where_its_result_is_asked_for() -> None:
    with Workers() as workers:
        failing, fine = workers.submit(_fail, "no such page"), workers.submit(_identity, "ok")
        assert workers.result(fine)[0] == "ok"
        with pytest.raises(ValueError, match="no such page"):
            workers.result(failing)


def test_children_share_the_dictionaries_loaded_before_them() -> None:
    with Workers() as workers:
        workers.prepare(["de-DE", "fr", "de"], None)
        loaded = workers.result(workers.submit(_hyphenation_loaded))
    assert any(name.startswith("hyph_de") for name in loaded)
    assert any(name.startswith("hyph_fr") for name in loaded)


def _sleep(started: Path) -> None:
    started.touch()
    time.sleep(60)


def test_a_dead_layout_process_fails_the_build_instead_of_hanging(tmp_path: Path) -> None:
    with Workers() as workers:
        pid = workers.result(workers.submit(os.getppid))  # the process the children are forked from
        sleeping = workers.submit(_sleep, tmp_path / "started")
        while not (tmp_path / "started").exists():
            time.sleep(0.05)
        os.kill(pid, signal.SIGKILL)
        started = time.monotonic()
        with pytest.raises(RuntimeError, match="ended unexpectedly"):
            workers.result(sleeping)
        assert time.monotonic() - started < 30


def test_the_layout_processes_end_with_the_build_however_it_ends() -> None:
    """A build killed outright leaves no layout process behind (nor its children)."""
    script = (
        "import os, time\n"
        "from ebook.pdf.workers import Workers\n"
        "workers = Workers()\n"
        "print(workers.result(workers.submit(os.getppid)), flush=True)\n"
        "workers.submit(time.sleep, 60)\n"
        "time.sleep(60)\n"
    )
    build = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert build.stdout is not None
    layout = int(build.stdout.readline())
    deadline = time.monotonic() + 10
    while not (children := Path(f"/proc/{layout}/task/{layout}/children").read_text().split()):
        assert time.monotonic() < deadline, "the sleeping call never began"
        time.sleep(0.01)  # its child is forked once the request arrives
    build.kill()
    build.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in [str(layout), *children]):
        time.sleep(0.1)
    assert not [pid for pid in [str(layout), *children] if _alive(pid)]


def _alive(pid: str) -> bool:
    """Running, and not a zombie waiting for its parent to read its status."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


_IMPORT = """
import subprocess, sys
started = []
class Spy(subprocess.Popen):
    def __init__(self, args, *rest, **options):
        started.append(args[0])
        super().__init__(args, *rest, **options)
subprocess.Popen = Spy
{prepare}
from ebook.pdf.workers import _import_weasyprint
_import_weasyprint()
from weasyprint.text.ffi import pango
import ctypes.util
assert pango.pango_version() > 0 and ctypes.util.find_library.__module__ == "ctypes.util"
print(started)
"""


def test_weasyprint_is_imported_with_one_reading_of_the_linker_cache() -> None:
    """Not ldconfig, gcc and ld for each of the names WeasyPrint tries (about 40 programs)."""
    done = subprocess.run([sys.executable, "-c", _IMPORT.format(prepare="")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["['/sbin/ldconfig']"]


def test_a_library_the_linker_cache_lacks_is_looked_for_as_before() -> None:
    """A library that only the full search finds: the import is done again the slow way."""
    only_found_slowly = """
import cffi, ctypes.util
dlopen = cffi.FFI.dlopen
def refused_while_fast(ffi, name, flags=0):
    if ctypes.util.find_library.__name__ == "from_linker_cache":
        raise OSError(f"{name}: not found")
    return dlopen(ffi, name, flags)
cffi.FFI.dlopen = refused_while_fast
"""
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT.format(prepare=only_found_slowly)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert len(eval(done.stdout)) > 5  # ldconfig, gcc and ld asked about each name, as ctypes does


def _note_then_wait(gate: Path, note: Callable[[object], None]) -> str:
    note("laid out")
    while not gate.exists():
        time.sleep(0.02)
    return "written"


def test_a_note_reaches_the_build_while_its_call_goes_on(tmp_path: Path) -> None:
    with Workers() as workers:
        call = workers.submit(_note_then_wait, tmp_path / "gate", noting=True)
        assert workers.note(call) == "laid out"  # the call is still waiting for the gate
        (tmp_path / "gate").touch()
        assert workers.result(call) == "written"


def _fail_noting(message: str, note: Callable[[object], None]) -> None:
    raise ValueError(message)


def test_a_failure_before_the_note_is_raised_where_the_note_is_asked_for() -> None:
    with Workers() as workers:
        call = workers.submit(_fail_noting, "lost", noting=True)
        with pytest.raises(ValueError, match="lost"):
            workers.note(call)


def _interval(folder: Path, name: str) -> None:
    (folder / f"{name}.start").write_text(str(time.monotonic()))
    time.sleep(0.4)
    (folder / f"{name}.end").write_text(str(time.monotonic()))


def test_two_children_work_at_a_time(tmp_path: Path) -> None:
    with Workers() as workers:
        calls = [workers.submit(_interval, tmp_path, str(n)) for n in range(4)]
        for call in calls:
            workers.result(call)
    spans = [tuple(float((tmp_path / f"{n}.{edge}").read_text()) for edge in ("start", "end")) for n in range(4)]
    for start, _ in spans:
        assert sum(1 for begin, end in spans if begin <= start < end) <= 2


def _killed() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_child_killed_fails_the_build_instead_of_hanging() -> None:
    """The out-of-memory killer, say: its call's result (and note) is a failure, and the next call still runs."""
    with Workers() as workers:
        call = workers.submit(_killed, noting=False)
        with pytest.raises(RuntimeError, match="ended unexpectedly"):
            workers.result(call)
        assert workers.result(workers.submit(_identity, "after"))[0] == "after"
