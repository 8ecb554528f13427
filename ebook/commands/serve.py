"""make-book serve: the web edition on http://127.0.0.1:8000/, kept current while the book changes."""

from __future__ import annotations

import argparse
import errno
import os
import signal
import sys
import tempfile
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from ebook.commands.report import EXIT_OK, EXIT_USAGE, add_config, print_problems, say

if TYPE_CHECKING:
    from ebook.serve.live import Rebuilt


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"not a port number (0 to 65535): {text}")
    return int(text)


def arguments(parser: argparse.ArgumentParser, command: str) -> None:
    add_config(parser)
    parser.add_argument(
        "--port", type=_port, default=8000, metavar="8000", help="the port to serve on (default: 8000; 0: any free one)"
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        metavar="127.0.0.1",
        help="the address to serve on (default: 127.0.0.1, this computer only)",
    )


def run(ns: argparse.Namespace) -> int:
    signal.signal(signal.SIGTERM, _interrupt)  # a service manager's stop ends it as Ctrl-C does
    try:
        return _serve(ns)
    except KeyboardInterrupt:  # Ctrl-C at any moment, the first reading and the imports too
        say("stopped")
        return EXIT_OK


def _serve(ns: argparse.Namespace) -> int:
    # Imported here, inside run()'s Ctrl-C handling: the first imports take a second.
    from ebook.serve.book import BookState
    from ebook.serve.edition import Edition
    from ebook.serve.live import LiveEdition
    from ebook.serve.server import Preview, PreviewServer, is_loopback
    from ebook.serve.watch import BookWatcher

    config = Path(ns.config)
    try:
        server = PreviewServer(ns.host, ns.port, Preview(Edition({}, {}, (), 0)))
    except OSError as e:
        reason = e.strerror or str(e)
        if e.errno == errno.EADDRINUSE:
            reason = "the port is in use (choose another with --port)"
        say(f"cannot serve on {ns.host}:{ns.port}: {reason}")
        return EXIT_USAGE
    host, port = server.server_name, server.server_port
    address = f"[{host}]" if ":" in host else host
    with tempfile.TemporaryDirectory(prefix="make-book-serve-") as pictures:
        # The book's date as a build dates it (assemble.build_date); nothing else of the
        # environment shows in the web edition. ebook.build's environ() would import the PDF writer.
        environ = {k: v for k, v in os.environ.items() if k == "SOURCE_DATE_EPOCH"}
        state = BookState(config.absolute(), os.path.normpath(ns.config), environ, Path(pictures))
        live = LiveEdition(state, server.preview, _rebuilt, _failed)
        watcher = BookWatcher(config.absolute().parent, state.watched, live.changed)
        try:
            watcher.start()  # before the first reading, so that no save is missed meanwhile
            first = live.first()
            if not is_loopback(ns.host):
                say(f"serving on {ns.host}: anyone who can reach this computer on the network can read the book")
            say(f"serving the web edition at http://{address}:{port}/ (Ctrl-C to stop)")
            if first.empty:
                say("the book cannot be shown yet; the page lists its problems")
            live.start()
            server.serve_forever(poll_interval=0.2)
        finally:
            server.preview.close()
            watcher.stop()
            live.stop()
            server.server_close()
    return EXIT_OK


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _rebuilt(rebuilt: Rebuilt) -> None:
    edition = rebuilt.edition
    if edition.version > 1:
        made = sorted(edition.made, key=lambda p: (p.startswith("book/"), p == "index.html", p))  # entries first
        pages = ", ".join(made[:3]) + (f" and {len(made) - 3} more pages" if len(made) > 3 else "")
        say(f"updated in {rebuilt.seconds * 1000:.0f} ms" + (f": {pages}" if pages else ""))
    if rebuilt.problems_changed and not print_problems(edition.problems) and not edition.problems:
        say("no problems now")
    sys.stderr.flush()


def _failed(error: Exception) -> None:
    say(f"internal error while updating: {type(error).__name__}: {error}; the pages show the last state")
