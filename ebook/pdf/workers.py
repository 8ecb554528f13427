"""The processes that lay the PDF out, started as a build begins so that their set-up overlaps
the reading of the book.

One process, the layout process, is forked first. While the book is read it imports WeasyPrint
(half a second), and once the book's languages are known it loads their hyphenation dictionaries
(hyphenation.py). Every call is then made in a child forked from it, which shares all that and
gives its memory back when it ends (WeasyPrint's memory grows with the document). As many
children work at a time as the build may use cores (os.sched_getaffinity); the next begins as
one ends.

A call may note what it knows before it returns: a run of the body notes where its pages fall
once it is laid out, so that the documents that need its page numbers are asked for while it
still writes its PDF.

How they fail (the out-of-memory killer, a user's `kill`, Ctrl-C):
- A child writes what it notes or returns into a file of its own, then tells the build with a
  message of a few bytes, which a pipe takes whole (at most PIPE_BUF, 4096 bytes, in one write):
  no lock is shared, so a child killed at any moment, in the middle of a large result too, leaves
  at worst a half-written file that nobody reads.
- The layout process has no thread: it waits on the requests and on its children's pidfds
  (multiprocessing.connection.wait), reaps each child as it ends, and tells the build of one that
  ended without answering, with its wait status decoded (os.waitstatus_to_exitcode).
- The build waits on the results and on the layout process's sentinel, so it learns within
  milliseconds that the layout process is gone too. Either way the call's note and result raise
  WorkerDied: "a layout process was killed: signal 9, perhaps out of memory".
- The layout process and its children ignore SIGINT and are a process group of their own: Ctrl-C
  interrupts the build alone, which kills the group as it unwinds (close()). Each also dies with
  the process that forked it (PR_SET_PDEATHSIG), should the build be killed outright.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import itertools
import multiprocessing
import os
import pickle
import queue
import shutil
import signal
import tempfile
import threading
import weakref
from collections import deque
from collections.abc import Callable, Iterable
from multiprocessing.connection import Connection, wait
from pathlib import Path
from types import TracebackType
from typing import Any

from ebook.pdf.weasyprint.fast_import import import_weasyprint
from ebook.pdf.weasyprint.hyphenation import load_hyphenation
from ebook.pdf.weasyprint.registry import NAMES

_PR_SET_PDEATHSIG = 1  # from <sys/prctl.h>


class WorkerDied(Exception):
    """A process of the build ended without answering: the build cannot go on."""


def usable_cores() -> int:
    """The CPUs this process may run on (its affinity, which containers and `taskset` narrow),
    not the machine's count."""
    return max(1, len(os.sched_getaffinity(0)))


def ended(what: str, exit_code: int) -> str:
    """How a process ended, in a line for the user; exit_code as os.waitstatus_to_exitcode gives it."""
    if exit_code < 0:
        number = -exit_code
        oom = ", perhaps out of memory" if number == signal.SIGKILL else ""
        return f"{what} was killed: signal {number}{oom}"
    return f"{what} ended unexpectedly (exit status {exit_code})"


class Workers:
    def __init__(self, patches: tuple[str, ...] = NAMES, workers: int | None = None) -> None:
        """patches: the names of registry.py's patches to make (the import's and the
        hyphenation's here); workers: how many children at a time (default: usable_cores())."""
        context = multiprocessing.get_context("fork")  # the children share the imported WeasyPrint
        self.patches = patches
        # In memory where the system has it: results of some megabytes are written once, read once.
        shared = Path("/dev/shm")
        memory = str(shared) if shared.is_dir() and os.access(shared, os.W_OK) else None
        self._folder = Path(tempfile.mkdtemp(prefix="make-book-layout-", dir=memory))
        # Removed by close(), or as Python exits if close() was never reached (not if killed).
        self._remove_folder = weakref.finalize(self, shutil.rmtree, self._folder, ignore_errors=True)
        incoming, self._requests = context.Pipe(duplex=False)
        self._results, outgoing = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_serve,
            args=(incoming, outgoing, self._folder, os.getpid(), patches, workers or usable_cores()),
            name="make-book layout",
        )
        # daemon: should the build end without close() (interrupted in here, say), multiprocessing
        # ends it at exit instead of waiting for it.
        self._process.daemon = True
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})  # until it ignores it (_serve)
        self._process.start()
        try:
            with contextlib.suppress(OSError):  # here too, so that close() finds the group however soon
                os.setpgid(self._process.pid or 0, self._process.pid or 0)
            incoming.close()
            outgoing.close()
            # A thread sends the requests, so a caller never waits for the layout process to read
            # them: it reads none while it imports WeasyPrint, and a pipe takes only 64 KB. It takes
            # no lock that a process forked from the build (the picture workers) would need.
            self._outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()  # pickled requests
            self._sender = threading.Thread(target=self._send_all, name="make-book requests", daemon=True)
            self._received: dict[tuple[int, str], tuple[bool, Any]] = {}
            self._died: dict[int, str] = {}  # call -> how its child ended, for a call that got no answer
            self._numbers = itertools.count(1)
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)  # a Ctrl-C meanwhile is raised here
            self._sender.start()
        except BaseException:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
            self.close()
            raise

    def __enter__(self) -> Workers:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def _send_all(self) -> None:
        while (request := self._outbox.get()) is not None:
            try:
                self._requests.send_bytes(request)
            except Exception:  # the layout process is gone (or closing): the build learns it by waiting
                return

    def _send(self, request: tuple[str, Any]) -> None:
        """Pickled here, so that a request that cannot be raises in the caller (the thread that
        sends it would only stop, and the build wait for an answer that never comes)."""
        self._outbox.put(pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL))

    def prepare(self, languages: Iterable[str], kept: Path | None) -> None:
        """Load these languages' hyphenation dictionaries before any layout begins, from the folder
        where they are kept parsed (hyphenation.py), if any."""
        self._send(("languages", (sorted(set(languages)), kept)))

    def submit(self, function: Callable[..., Any], *args: Any, noting: bool = False) -> int:
        """Call function(*args) in a child process, or function(*args, note) if noting: note(value)
        hands value to whoever asks for it with note(); the number to ask for its result with."""
        number = next(self._numbers)
        self._send(("call", (number, function, args, noting)))
        return number

    def result(self, key: int) -> Any:
        """What the call returned, waiting for it; what it raised is raised here."""
        return self._wait(key, "result")

    def note(self, key: int) -> Any:
        """What a noting call noted first, waiting for it; None if it returned without a note, and
        what it raised before noting is raised here."""
        return self._wait(key, "note")

    def _wait(self, key: int, kind: str) -> Any:
        while (key, kind) not in self._received:
            if key in self._died:
                raise WorkerDied(self._died[key])
            ready = wait([self._results, self._process.sentinel])
            if self._results in ready:
                self._receive()
            elif not self._results.poll():  # the layout process is gone, and said all it had sent
                self._process.join()
                raise WorkerDied(ended("a layout process", self._process.exitcode or 0))
        ok, value = self._received.pop((key, kind))
        if not ok:
            raise value
        return value

    def _receive(self) -> None:
        try:
            number, kind, exit_code = self._results.recv()
        except EOFError:  # every writer is gone: the sentinel tells how
            self._process.join()
            raise WorkerDied(ended("a layout process", self._process.exitcode or 0)) from None
        if kind == "died":
            if (number, "result") not in self._received:
                self._died[number] = ended("a layout process", exit_code)
            return
        path = self._folder / f"{number}.{kind}"
        with path.open("rb") as answer:
            self._received[(number, kind)] = pickle.load(answer)
        path.unlink()

    def close(self) -> None:
        """Stop it and its children at once: every result wanted is in hand (or no longer wanted),
        and a build that needed no layout does not wait for its set-up to finish."""
        if hasattr(self, "_outbox"):
            self._outbox.put(None)
        if self._process.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._process.pid, signal.SIGKILL)  # it and every child
            with contextlib.suppress(ProcessLookupError):
                self._process.kill()  # before it made its own group
        self._process.join()
        if hasattr(self, "_sender") and self._sender.is_alive():
            self._sender.join(timeout=5)  # it stops at once, its pipe's reader gone: not closed under it
        self._requests.close()
        self._results.close()
        self._remove_folder()


def _serve(
    requests: Connection, results: Connection, folder: Path, build: int, patches: tuple[str, ...], cores: int
) -> None:
    """The layout process: set up, then fork a child for each call, at most `cores` at a time,
    until the build stops it. No thread: each child is forked from the only one."""
    os.setpgid(0, 0)  # its own group, that the build kills whole; the terminal's Ctrl-C reaches the build alone
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # and its children's, forked from it
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    _end_with_parent(build)
    # No cycle collection here nor in the children, which inherit it: in a child it would only
    # scan again and again the millions of objects a layout keeps until its PDF is written (2 to
    # 3 % of a run), and a child's memory is given back whole when it ends (a run of the benchmark
    # book peaks 1 MB higher); here, it would scan WeasyPrint's modules and the dictionaries as
    # they load (0.06 s of 0.37 s), and little is made after them.
    gc.disable()
    layout = os.getpid()
    broken = None  # why WeasyPrint cannot be used: every call is answered with it
    try:
        import_weasyprint(patches)  # once, before the children that share it
    except Exception as error:
        broken = WorkerDied(f"WeasyPrint cannot be imported: {type(error).__name__}: {error}")
    else:
        from ebook.pdf.document import warm_up  # here: the build forks this process sooner without it

        with contextlib.suppress(Exception):  # only sooner: a child that needs it sets it up itself
            warm_up(patches)  # while the build still reads the book
    waiting: deque[tuple[int, Callable[..., Any], tuple[Any, ...], bool]] = deque()
    running: dict[int, tuple[int, int]] = {}  # pidfd -> (pid, the number of its call)
    open_requests = True
    while open_requests or waiting or running:
        while waiting and len(running) < cores:
            number, function, args, noting = waiting.popleft()
            pid = os.fork()
            if pid == 0:
                _call(results, folder, number, function, args, noting, layout)  # never returns
            running[os.pidfd_open(pid)] = (pid, number)
        for ready in wait([requests, *running] if open_requests else list(running)):
            if ready is requests:
                try:
                    kind, payload = requests.recv()
                except EOFError:  # the build is gone, or done with it
                    open_requests = False
                    continue
                if kind == "languages":
                    languages, kept = payload
                    _load_hyphenation(languages, kept, patches)
                elif broken is not None:
                    _answer(results, folder, payload[0], "note", False, broken)
                    _answer(results, folder, payload[0], "result", False, broken)
                else:
                    waiting.append(payload)
            else:
                assert isinstance(ready, int)
                pid, number = running.pop(ready)
                os.close(ready)
                _, status = os.waitpid(pid, 0)
                exit_code = os.waitstatus_to_exitcode(status)
                if exit_code != 0:
                    results.send((number, "died", exit_code))  # a few bytes: one whole write


def _call(
    results: Connection,
    folder: Path,
    number: int,
    function: Callable[..., Any],
    args: tuple[Any, ...],
    noting: bool,
    parent: int,
) -> None:
    """In a child: make the call, hand over what it notes and returns (or raises), and end."""
    _end_with_parent(parent)
    noted = False

    def note(value: Any, ok: bool = True) -> None:
        nonlocal noted
        if not noted:
            noted = True
            _answer(results, folder, number, "note", ok, value)

    status = 0
    try:
        try:
            value = function(*args, note) if noting else function(*args)
            if noting:
                note(None)  # it returned without a note: its result tells everything
            _answer(results, folder, number, "result", True, value)
        except Exception as error:  # handed to the build, which raises it where the result is asked for
            if noting:
                note(error, ok=False)
            _answer(results, folder, number, "result", False, error)
    except BaseException:  # it cannot answer: the layout process tells the build it ended
        status = 1
    finally:
        os._exit(status)


def _answer(results: Connection, folder: Path, number: int, kind: str, ok: bool, value: Any) -> None:
    """A call's note or result, in a file of its own, then a message of a few bytes that says so."""
    partial = folder / f"{number}.{kind}.partial"
    try:
        data = pickle.dumps((ok, value), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as error:  # what it returned or raised cannot be handed over: say so instead
        data = pickle.dumps((False, TypeError(f"make-book cannot hand over {type(value).__name__}: {error}")))
    partial.write_bytes(data)
    partial.rename(folder / f"{number}.{kind}")  # whole, or not there
    results.send((number, kind, 0))  # under PIPE_BUF: one whole write, whatever the others do


def _load_hyphenation(languages: list[str], kept: Path | None, patches: tuple[str, ...]) -> None:
    """The dictionaries loaded before the children are forked; if make-book's way fails (Pyphen
    changed), Pyphen's own; if that fails too, WeasyPrint loads them in each child as it needs them."""
    for folder in (kept if "hyphenation_kept_parsed" in patches else None, None):
        try:
            load_hyphenation(languages, folder)
            return
        except Exception:  # the layout works without them, only later
            continue


def _end_with_parent(parent: int) -> None:
    """In a child: end when the process that forked it ends, however it ends (killed too), so
    that no layout goes on for a build that is gone. The signal follows the *thread* that forked
    it (prctl(2)): both forks are made from a main thread, and must stay so. (Linux: make-book
    runs on Debian.)"""
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it ended between the fork and the line above
        os._exit(1)
