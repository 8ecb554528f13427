"""The processes that lay the PDF out, started as a build begins so that their set-up overlaps
the reading of the book.

One process is forked first. While the book is read it imports WeasyPrint (half a second), and
once the book's languages are known it loads their hyphenation dictionaries (hyphenation.py).
Every call is then made in a child forked from it, which shares all that and gives its memory
back when it ends (WeasyPrint's memory grows with the document).

A call may note what it knows before it returns: a run of the body notes where its pages fall
once it is laid out, so that the documents that need its page numbers are asked for while it
still writes its PDF, and begin on the first core free. Two children work at a time, one a core
(and their memory with them); the next begins as one ends.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterable
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Lock
from pathlib import Path
from types import TracebackType
from typing import Any

from ebook.pdf.weasyprint.hyphenation import load_hyphenation

WORKERS = 2
_GONE = "make-book's layout process ended unexpectedly"
_PR_SET_PDEATHSIG = 1  # from <sys/prctl.h>


class Workers:
    def __init__(self) -> None:
        context = multiprocessing.get_context("fork")
        # A queue's thread sends the requests, so a caller never waits for the layout process to
        # read them: it reads none while it imports WeasyPrint, and a pipe takes only 64 KB.
        self._requests: multiprocessing.Queue[tuple[str, Any]] = context.Queue()
        self._requests.cancel_join_thread()  # what is still unsent when the build ends is not wanted
        self._results, outgoing = context.Pipe(duplex=False)
        channel = _Channel(outgoing, context.Lock())
        self._process = context.Process(
            target=_serve, args=(self._requests, channel, os.getpid()), name="make-book layout"
        )
        self._process.start()
        outgoing.close()
        self._received: dict[tuple[int, str], tuple[bool, Any]] = {}
        self._submitted = 0

    def __enter__(self) -> Workers:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def prepare(self, languages: Iterable[str], kept: Path | None) -> None:
        """Load these languages' hyphenation dictionaries before any layout begins, from the folder
        where they are kept parsed (hyphenation.py), if any."""
        self._send("languages", (sorted(set(languages)), kept))

    def _send(self, kind: str, payload: Any) -> None:
        try:
            self._requests.put((kind, payload))
        except ValueError:  # closed
            raise RuntimeError(_GONE) from None

    def submit(self, function: Callable[..., Any], *args: Any, noting: bool = False) -> int:
        """Call function(*args) in a child process, or function(*args, note) if noting: note(value)
        hands value to whoever asks for it with note(); the number to ask for its result with."""
        self._submitted += 1
        self._send("call", (self._submitted, function, args, noting))
        return self._submitted

    def result(self, key: int) -> Any:
        """What the call returned, waiting for it; what it raised is raised here."""
        return self._wait(key, "result")

    def note(self, key: int) -> Any:
        """What a noting call noted first, waiting for it; None if it returned without a note, and
        what it raised before noting is raised here."""
        return self._wait(key, "note")

    def _wait(self, key: int, kind: str) -> Any:
        while (key, kind) not in self._received:
            try:
                number, sort, ok, value = self._results.recv()
            except EOFError:
                raise RuntimeError(_GONE) from None
            self._received[(number, sort)] = (ok, value)
        ok, value = self._received.pop((key, kind))
        if not ok:
            raise value
        return value

    def close(self) -> None:
        """Stop it and its children at once: every result wanted is in hand (or no longer wanted),
        and a build that needed no layout does not wait for its set-up to finish."""
        self._process.kill()
        self._process.join()
        self._requests.close()
        self._results.close()


class _Channel:
    """How the children of the layout process answer: one pipe to the build, which a lock keeps
    whole messages on."""

    def __init__(self, pipe: Connection, lock: Lock) -> None:
        self.pipe, self.lock = pipe, lock

    def send(self, number: int, kind: str, ok: bool, value: Any) -> None:
        with self.lock:
            self.pipe.send((number, kind, ok, value))


def _serve(requests: multiprocessing.Queue[tuple[str, Any]], channel: _Channel, build: int) -> None:
    """The first process: set up, then fork a child for each call, until the build stops it."""
    _end_with_parent(build)
    layout = os.getpid()
    _import_weasyprint()  # once, before the children that share it
    children: dict[int, int] = {}  # pid -> the number of its call
    forked, cores = threading.Condition(), threading.Semaphore(WORKERS)
    threading.Thread(target=_reap, args=(children, forked, cores, channel), daemon=True).start()
    while True:
        kind, payload = requests.get()
        if kind == "languages":
            load_hyphenation(*payload)
            continue
        number, function, args, noting = payload
        cores.acquire()  # a core free for it: released as a child ends
        with forked:
            pid = os.fork()
            if pid == 0:
                _call(channel, number, function, args, noting, layout)  # never returns
            children[pid] = number
            forked.notify()


def _call(
    channel: _Channel, number: int, function: Callable[..., Any], args: tuple[Any, ...], noting: bool, parent: int
) -> None:
    """In a child: make the call, send what it notes and returns (or raises), and end."""
    _end_with_parent(parent)
    noted = False

    def note(value: Any, ok: bool = True) -> None:
        nonlocal noted
        if not noted:
            noted = True
            channel.send(number, "note", ok, value)

    status = 0
    try:
        try:
            value = function(*args, note) if noting else function(*args)
            if noting:
                note(None)  # it returned without a note: its result tells everything
            channel.send(number, "result", True, value)
        except BaseException as error:  # sent to the build, which raises it
            if noting:
                note(error, ok=False)
            channel.send(number, "result", False, error)
    except BaseException:  # what it returned or raised cannot be sent: the layout process answers
        status = 1
    finally:
        os._exit(status)


def _reap(children: dict[int, int], forked: threading.Condition, cores: threading.Semaphore, channel: _Channel) -> None:
    """A thread of the layout process: collects the children that end, frees their cores, and
    answers for one that died before it could (killed, out of memory), so that the build fails
    instead of waiting for ever."""
    while True:
        with forked:
            while not children:
                forked.wait()
        pid, status = os.wait()
        with forked:
            number = children.pop(pid)
        cores.release()
        if status != 0:
            error = RuntimeError(f"make-book's layout of a document ended unexpectedly (status {status})")
            channel.send(number, "note", False, error)
            channel.send(number, "result", False, error)


def _import_weasyprint() -> None:
    """WeasyPrint tries up to six names for each library it loads (those of Linux, macOS and
    Windows), and cffi asks ctypes.util.find_library about every name it cannot open as given.
    On Linux each question runs ldconfig, then gcc and ld for a name ldconfig does not know: 22
    questions and about 40 programs started, 0.19 s of the import's 0.45 s. While WeasyPrint is
    imported here, they are answered from one reading of the linker's cache, as ldconfig's step
    answers them, and a name not in it is not looked for further. A library installed outside that
    cache (found through LD_LIBRARY_PATH) is then not found: the import is done again as before."""
    import ctypes.util
    import re
    import subprocess

    try:
        listing = subprocess.run(
            ["/sbin/ldconfig", "-p"], capture_output=True, env={"LC_ALL": "C", "LANG": "C"}, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        listing = b""

    def from_linker_cache(name: str) -> str | None:
        found = re.search(rb"\s(lib%s\.[^\s]+)\s+\(" % re.escape(name.encode()), listing)
        return found[1].decode() if found else None

    find_library = ctypes.util.find_library
    ctypes.util.find_library = from_linker_cache
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # WeasyPrint prints its installation help
            import weasyprint
    except OSError:
        ctypes.util.find_library = find_library
        import weasyprint  # noqa: F401
    finally:
        ctypes.util.find_library = find_library


def _end_with_parent(parent: int) -> None:
    """In a child: end when the process that forked it ends, however it ends (killed too), so
    that no layout goes on for a build that is gone, and a build whose layout process is gone
    sees the results pipe close instead of waiting for ever. (Linux: make-book runs on Debian.)"""
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it ended between the fork and the line above
        os._exit(1)
