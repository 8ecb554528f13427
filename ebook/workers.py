"""The processes that lay the PDF out, started as a build begins so that their set-up overlaps
the reading of the book.

One process is forked first. While the book is read it imports WeasyPrint (half a second), and
once the book's languages are known it loads their hyphenation dictionaries (hyphenation.py).
Every document is then laid out in a child forked from it, which shares all that and gives its
memory back when it ends (WeasyPrint's memory grows with the document); two children at a time,
one a core.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import io
import multiprocessing
import signal
from collections.abc import Callable, Iterable
from multiprocessing.connection import Connection
from multiprocessing.pool import Pool
from pathlib import Path
from types import TracebackType
from typing import Any

from ebook.hyphenation import load_hyphenation

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
        self._process = context.Process(target=_serve, args=(self._requests, outgoing), name="make-book layout")
        self._process.start()
        outgoing.close()
        self._received: dict[int, tuple[bool, Any]] = {}
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

    def submit(self, function: Callable[..., Any], *args: Any) -> int:
        """Call function(*args) in a child process; the number to ask for its result with."""
        self._submitted += 1
        self._send("call", (self._submitted, function, args))
        return self._submitted

    def result(self, key: int) -> Any:
        """What the call returned, waiting for it; what it raised is raised here."""
        while key not in self._received:
            try:
                number, ok, value = self._results.recv()
            except EOFError:
                raise RuntimeError(_GONE) from None
            self._received[number] = (ok, value)
        ok, value = self._received.pop(key)
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


def _serve(requests: multiprocessing.Queue[tuple[str, Any]], results: Connection) -> None:
    """The first process: set up, then fork a child for each call, until the build stops it."""
    _end_with_parent()
    _import_weasyprint()  # once, before the children that share it

    pool: Pool | None = None
    while True:
        kind, payload = requests.get()
        if kind == "languages":
            load_hyphenation(*payload)
            continue
        if pool is None:  # its first children are forked now, with the dictionaries loaded
            pool = multiprocessing.get_context("fork").Pool(WORKERS, _end_with_parent, maxtasksperchild=1)
        number, function, args = payload
        pool.apply_async(
            function,
            args,
            callback=functools.partial(_reply, results, number, True),
            error_callback=functools.partial(_reply, results, number, False),
        )


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


def _end_with_parent() -> None:
    """In a child: end when the process that forked it ends, however it ends (killed too), so
    that no layout goes on for a build that is gone, and a build whose layout process is gone
    sees the results pipe close instead of waiting for ever. (Linux: make-book runs on Debian.)"""
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _reply(results: Connection, number: int, ok: bool, value: Any) -> None:
    """Sent from the pool's thread that collects results; the only one that sends."""
    results.send((number, ok, value))
