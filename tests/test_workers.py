"""The layout processes (workers.py): calls run in children of one process set up in advance,
their results and failures come back to the call they belong to, and a child or a layout process
that dies at any moment, in the middle of handing over a large result too, fails the build with
one line, never leaves it waiting, and leaves no process behind."""

from __future__ import annotations

import gc
import os
import pickle
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from ebook.pdf.workers import WorkerDied, Workers, ended, usable_cores

KILLED = "a layout process was killed: signal 9, perhaps out of memory"


def _identity(value: object) -> tuple[object, int]:
    return value, os.getpid()


def _fail(message: str) -> None:
    raise ValueError(message)


def _hyphenation_loaded() -> list[str]:
    import pyphen

    return sorted(str(path.name) for path in pyphen.hdcache)


def _alive(pid: int | str) -> bool:
    """Running, and not a zombie waiting for its parent to read its status."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def _descendants(pid: int) -> list[int]:
    """Every process under pid, whatever thread forked it."""
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        children = []
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
        found += children
        todo += children
    return found


def _gone(pids: list[int], within: float = 10) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline and any(_alive(pid) for pid in pids):
        time.sleep(0.02)
    return not any(_alive(pid) for pid in pids)


def test_results_come_back_to_their_call_from_a_child_process() -> None:
    with Workers() as workers:
        keys = [workers.submit(_identity, n) for n in range(5)]
        results = [workers.result(key) for key in reversed(keys)]
    assert [value for value, _ in results] == [4, 3, 2, 1, 0]
    assert os.getpid() not in {pid for _, pid in results}
    assert len({pid for _, pid in results}) == 5  # each in a child of its own, which ends with it


def _collector_enabled() -> bool:
    return gc.isenabled()


def test_a_child_makes_no_cycle_collection_and_the_build_still_does() -> None:
    """A child's objects live until it ends (workers._call): the collector is off in it alone."""
    with Workers() as workers:
        assert workers.result(workers.submit(_collector_enabled)) is False
    assert gc.isenabled()


def test_a_call_that_cannot_be_sent_raises_at_once_and_the_next_call_still_runs() -> None:
    with Workers() as workers:
        with pytest.raises((pickle.PicklingError, AttributeError, TypeError)):
            workers.submit(_identity, lambda: "a function defined in a call")  # cannot go to a process
        assert workers.result(workers.submit(_identity, "ok"))[0] == "ok"


def test_a_failure_in_a_child_is_raised_where_its_result_is_asked_for() -> None:
    with Workers() as workers:
        failing, fine = workers.submit(_fail, "no such page"), workers.submit(_identity, "ok")
        assert workers.result(fine)[0] == "ok"
        with pytest.raises(ValueError, match="no such page"):
            workers.result(failing)


def test_children_share_the_dictionaries_loaded_before_them(tmp_path: Path) -> None:
    for patches in ((), ("hyphenation_kept_parsed",)):  # Pyphen's own loading, or the kept dictionaries
        with Workers(patches) as workers:
            workers.prepare(["de-DE", "fr", "de"], tmp_path)
            loaded = workers.result(workers.submit(_hyphenation_loaded))
        assert any(name.startswith("hyph_de") for name in loaded)
        assert any(name.startswith("hyph_fr") for name in loaded)
        assert bool(list(tmp_path.glob("hyph_de*.pickle"))) == bool(patches)


def _sleep(started: Path) -> None:
    started.touch()
    time.sleep(60)


def test_a_dead_layout_process_fails_the_build_instead_of_hanging(tmp_path: Path) -> None:
    with Workers() as workers:
        pid = workers.result(workers.submit(os.getppid))  # the process the children are forked from
        sleeping = workers.submit(_sleep, tmp_path / "started")
        while not (tmp_path / "started").exists():
            time.sleep(0.02)
        child = _descendants(pid)
        assert child
        os.kill(pid, signal.SIGKILL)
        started = time.monotonic()
        with pytest.raises(WorkerDied, match=f"^{KILLED}$"):
            workers.result(sleeping)
        assert time.monotonic() - started < 5
    assert _gone([pid, *child])


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
    while not (children := _descendants(layout)):
        assert time.monotonic() < deadline, "the sleeping call never began"
        time.sleep(0.01)  # its child is forked once the request arrives
    build.kill()
    build.wait()
    assert _gone([layout, *children])


_IMPORT = """
import subprocess, sys
started = []
class Spy(subprocess.Popen):
    def __init__(self, args, *rest, **options):
        started.append(args[0])
        super().__init__(args, *rest, **options)
subprocess.Popen = Spy
{prepare}
from ebook.pdf.weasyprint.fast_import import import_weasyprint
import_weasyprint({patches})
from weasyprint.text.ffi import pango
import ctypes.util
assert pango.pango_version() > 0 and ctypes.util.find_library.__module__ == "ctypes.util"
print(started)
"""


def test_weasyprint_is_imported_with_one_reading_of_the_linker_cache() -> None:
    """Not ldconfig, gcc and ld for each of the names WeasyPrint tries (about 40 programs)."""
    script = _IMPORT.format(prepare="", patches=("libraries_found_in_linker_cache",))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["['/sbin/ldconfig']"]
    plain = subprocess.run(  # the switch off: as WeasyPrint does it
        [sys.executable, "-c", _IMPORT.format(prepare="", patches=())], capture_output=True, text=True
    )
    assert plain.returncode == 0, plain.stderr
    assert len(eval(plain.stdout)) > 5


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
    script = _IMPORT.format(prepare=only_found_slowly, patches=("libraries_found_in_linker_cache",))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
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


def test_as_many_children_work_at_a_time_as_the_build_may_use_cores(tmp_path: Path) -> None:
    cores = usable_cores()
    with Workers() as workers:
        calls = [workers.submit(_interval, tmp_path, str(n)) for n in range(2 * cores)]
        for call in calls:
            workers.result(call)
    spans = [
        tuple(float((tmp_path / f"{n}.{edge}").read_text()) for edge in ("start", "end")) for n in range(len(calls))
    ]
    at_once = [sum(1 for begin, end in spans if begin <= start < end) for start, _ in spans]
    assert max(at_once) == cores  # never more, and they did overlap (when there are cores to overlap on)


def test_the_workers_follow_the_cpus_the_process_may_use() -> None:
    script = "import os\nos.sched_setaffinity(0, {min(os.sched_getaffinity(0))})\n"
    script += "from ebook.pdf.workers import usable_cores\nprint(usable_cores(), os.cpu_count())"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.split()[0] == "1" and int(done.stdout.split()[1]) == os.cpu_count()


def _killed(*note: object) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _exits(code: int) -> None:
    os._exit(code)


def test_a_child_that_dies_fails_its_call_with_one_line_and_the_next_call_still_runs() -> None:
    with Workers() as workers:
        killed, exited = workers.submit(_killed, noting=True), workers.submit(_exits, 3)
        with pytest.raises(WorkerDied, match=f"^{KILLED}$"):
            workers.note(killed)
        with pytest.raises(WorkerDied, match=f"^{KILLED}$"):
            workers.result(killed)
        with pytest.raises(WorkerDied, match=r"^a layout process ended unexpectedly \(exit status 3\)$"):
            workers.result(exited)
        assert workers.result(workers.submit(_identity, "after"))[0] == "after"
    assert ended("a layout process", -int(signal.SIGTERM)) == "a layout process was killed: signal 15"


def _large(megabytes: int, delay: float, note: Callable[[object], None]) -> bytes:
    time.sleep(delay)
    note(os.getpid())
    return os.urandom(1 << 20) * megabytes


@pytest.mark.parametrize("moment", ["before it notes", "after it notes", "while it sends its result"])
def test_a_child_killed_at_any_moment_fails_its_call_within_seconds(moment: str) -> None:
    for _attempt in range(5):  # "while it sends": until the kill falls inside the write
        with Workers() as workers:
            layout, first = workers.result(workers.submit(_parent_and_self))
            call = workers.submit(_large, 64, 0.5 if moment == "before it notes" else 0, noting=True)
            if moment == "before it notes":
                deadline = time.monotonic() + 10
                while not (children := [c for c in _descendants(layout) if c != first]):
                    assert time.monotonic() < deadline
                    time.sleep(0.001)
                child = children[0]
            else:
                child = workers.note(call)
            if moment == "while it sends its result":
                partial = workers._folder / f"{call}.result.partial"
                while not (partial.exists() and partial.stat().st_size > 0):
                    time.sleep(0.0002)
            os.kill(child, signal.SIGKILL)
            in_the_middle = moment != "while it sends its result" or not (workers._folder / f"{call}.result").exists()
            started = time.monotonic()
            with pytest.raises(WorkerDied, match=f"^{KILLED}$"):
                if moment == "before it notes":
                    workers.note(call)
                workers.result(call)
            assert time.monotonic() - started < 5
            assert workers.result(workers.submit(_identity, "after"))[0] == "after"
        assert _gone([layout, child])
        if in_the_middle:
            return
    pytest.fail("the kill never fell while the result was written")


def _parent_and_self() -> tuple[int, int]:
    return os.getppid(), os.getpid()


def test_calls_that_cannot_import_weasyprint_fail_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from ebook.pdf import workers as module

    def broken(patches: tuple[str, ...]) -> None:
        raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(module, "import_weasyprint", broken)
    with Workers() as workers, pytest.raises(WorkerDied, match=r"^WeasyPrint cannot be imported: OSError: cannot"):
        workers.result(workers.submit(_identity, 1))


# A real build, killed or interrupted at many moments: one line, a non-zero exit, no traceback,
# no process left behind, and the outputs of the build before untouched.


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from fixture_book import make_fixture

    book = make_fixture(tmp_path_factory.mktemp("killed") / "book")
    done = subprocess.run(_build_command(book.root), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return book.root


def _build_command(root: Path) -> list[str]:
    return [sys.executable, "-m", "ebook", "build", "--config", str(root / "book.yaml"), "--no-cache", "-q"]


def _outputs(dist: Path) -> dict[str, bytes]:
    return {str(p.relative_to(dist)): p.read_bytes() for p in sorted(dist.rglob("*")) if p.is_file()}


def _interrupted_build(root: Path, stop: Callable[[int, int], bool]) -> tuple[subprocess.Popen[str], str, list[int]]:
    """A build, stop(build, layout child) called as soon as a layout child runs (True: it stopped
    something), then until the build ends; its stderr and every process seen under it."""
    log = root.parent / f"stderr-{time.monotonic_ns()}.txt"  # a file: a pipe nobody reads could block the build
    build = subprocess.Popen(_build_command(root), stderr=log.open("w"), text=True, start_new_session=True)
    seen: set[int] = set()
    first_seen: dict[int, float] = {}
    stopped = False
    deadline = time.monotonic() + 120
    while build.poll() is None and time.monotonic() < deadline:
        under = _descendants(build.pid)
        seen.update(under)
        now = time.monotonic()
        # A layout child: forked from the layout process, and still the build's program 0.1 s
        # later (not the fork of ldconfig that the layout process starts as it imports WeasyPrint).
        for pid in under:
            if _parent(pid) in under and _is_fork_of(pid, build.pid):
                first_seen.setdefault(pid, now)
        layout_children = [pid for pid, when in first_seen.items() if now - when > 0.1 and _is_fork_of(pid, build.pid)]
        if layout_children and not stopped:
            stopped = stop(build.pid, layout_children[0])
        time.sleep(0.002)
    try:
        build.wait(timeout=60)
    except subprocess.TimeoutExpired:
        build.kill()
        pytest.fail(f"the build never ended: {log.read_text()}")
    return build, log.read_text(), sorted(seen)


def _is_fork_of(pid: int, build: int) -> bool:
    """A process forked from the build (a layout child), not a program one started (ldconfig)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes() == Path(f"/proc/{build}/cmdline").read_bytes()
    except OSError:
        return False


def _parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.2, 0.5, 1.0, 2.0])
def test_a_build_whose_layout_child_is_killed_ends_with_one_line(built_once: Path, delay: float) -> None:
    root, before = built_once, _outputs(built_once / "dist")
    killed_at: list[float] = []

    def kill(build: int, child: int) -> bool:
        time.sleep(delay)
        if not _alive(child):
            return True  # it was done already: the build goes on
        os.kill(child, signal.SIGKILL)
        killed_at.append(time.monotonic())
        return True

    build, errors, seen = _interrupted_build(root, kill)
    # Killed early, the child cannot have handed its result over (a layout takes a second or more);
    # later, it may have, just before it ended: then the build has what it needs and goes on.
    if killed_at and (delay < 0.5 or build.returncode != 0):
        assert time.monotonic() - killed_at[0] < 30  # within seconds (the machine is shared)
        assert build.returncode == 1
        assert errors.splitlines() == [f"make-book: {KILLED}; the previous outputs are unchanged"]
        assert _outputs(root / "dist") == before
    else:  # done before the kill: built again
        assert build.returncode == 0, errors
        assert errors.splitlines()[-1].startswith("make-book: done")
    assert "Traceback" not in errors
    assert _gone(seen)


def test_a_build_whose_layout_process_is_killed_ends_with_one_line(built_once: Path) -> None:
    root, before = built_once, _outputs(built_once / "dist")

    def kill_layout(build: int, child: int) -> bool:
        os.kill(_parent(child), signal.SIGKILL)
        return True

    build, errors, seen = _interrupted_build(root, kill_layout)
    assert build.returncode == 1
    assert errors.splitlines() == [f"make-book: {KILLED}; the previous outputs are unchanged"]
    assert _gone(seen)
    assert _outputs(root / "dist") == before


@pytest.mark.parametrize("delay", [0.0, 0.3])
def test_ctrl_c_ends_the_build_and_every_process_with_one_line(built_once: Path, delay: float) -> None:
    """The terminal sends SIGINT to the build's process group: the build's own, its picture workers'."""
    root, before = built_once, _outputs(built_once / "dist")

    def interrupt(build: int, child: int) -> bool:
        time.sleep(delay)
        os.killpg(build, signal.SIGINT)
        return True

    build, errors, seen = _interrupted_build(root, interrupt)
    # 130, or killed by SIGINT itself when it arrives as Python finalises (the shell shows 130 too)
    assert build.returncode in (130, -signal.SIGINT), errors
    assert errors.splitlines() == ["make-book: interrupted; the previous outputs are unchanged"]
    assert _gone(seen)
    assert _outputs(root / "dist") == before


def test_what_weasyprint_raises_is_a_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An exception inside WeasyPrint (or one of its assertions) is L005, never a traceback."""
    import weasyprint
    from fixture_book import make_fixture

    from ebook.cli import main

    def broken(*args: object, **options: object) -> None:
        raise AssertionError("a box without a parent")

    monkeypatch.setattr(weasyprint.Document, "write_pdf", broken)  # the layout children are forked from here
    book = make_fixture(tmp_path / "book")
    capsys.readouterr()
    assert main(["build", "--config", str(book.root / "book.yaml"), "-q"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{book.root / 'book.yaml'}: L005 WeasyPrint could not lay out the PDF (the book): "
        "AssertionError: a box without a parent",
        "make-book: 1 error",
        "make-book: nothing was written",
    ]
    assert not [path for path in (book.root / "dist").glob("*") if path.name != ".make-book"]  # its caches alone


def _killed_while_encoding(*args: object) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_build_whose_picture_process_is_killed_ends_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from fixture_book import make_fixture

    from ebook.cli import main
    from ebook.render import pictures

    monkeypatch.setattr(pictures, "_encode_file", _killed_while_encoding)  # the picture workers are forked from here
    book = make_fixture(tmp_path / "book")
    capsys.readouterr()
    assert main(["build", "--config", str(book.root / "book.yaml"), "--no-cache", "-q"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "make-book: a picture process ended unexpectedly, perhaps out of memory; the previous outputs are unchanged"
    ]
    assert not [path for path in (book.root / "dist").glob("*") if path.name != ".make-book"]


def test_the_layout_process_sets_weasyprint_up_once_and_quietly(capfd: pytest.CaptureFixture[str]) -> None:
    """warm_up, which the layout process runs before it forks: cffi's types that WeasyPrint names
    are parsed then (children inherit them), nothing is printed, and no patch stays made."""
    from weasyprint.text.ffi import ffi

    from ebook.pdf.document import warm_up
    from ebook.pdf.weasyprint.registry import NAMES

    pid = os.fork()
    if pid == 0:  # a fresh process, as the layout process is
        ffi._parsed_types.clear()  # cffi's cache of parsed C types (private: a test's probe)
        warm_up(NAMES)
        os._exit(0 if ffi._parsed_types and "new" not in vars(ffi) else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert capfd.readouterr() == ("", "")
