"""The HTTP side of make-book serve: the standard library's threading server, one thread a request.

GET and HEAD only. Every HTML page gets the problems banner at the top of its body and the reload
script at its end; the script listens at /__make-book/events (server-sent events) and reloads the
page when the edition's version passes the one the page was served with.
"""

from __future__ import annotations

import contextlib
import ipaddress
import mimetypes
import socket
import socketserver
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from markupsafe import Markup

from ebook.problems import has_errors
from ebook.serve.edition import Edition
from ebook.serve.markup import OWN_FILES, banner, inject, own_file, own_page
from ebook.serve.requests import OWN_PREFIX, BadRequest, Request, parse_target

_TEXT = "text/plain; charset=utf-8"
PICTURES = "pictures/"  # the prepared pictures, named by their content (ebook.web.pages.picture_path)
KEEP_ALIVE = 15.0  # seconds between comments on an idle event stream: a closed tab is noticed


class Preview:
    """The edition being served, swapped whole by the rebuilding thread, waited on by event streams."""

    def __init__(self, edition: Edition) -> None:
        self._current = (edition, banner(edition.problems))  # swapped whole: a request sees one state
        self._changed = threading.Condition()
        self.closing = threading.Event()

    @property
    def edition(self) -> Edition:
        return self._current[0]

    @property
    def current(self) -> tuple[Edition, Markup]:
        """The edition and its problems banner, as one state."""
        return self._current

    def publish(self, edition: Edition) -> None:
        with self._changed:
            self._current = (edition, banner(edition.problems))
            self._changed.notify_all()

    def wait_past(self, version: int, timeout: float) -> Edition:
        """The edition once its version is not `version`, or as it is after timeout seconds."""
        with self._changed:
            self._changed.wait_for(lambda: self.edition.version != version or self.closing.is_set(), timeout)
            return self.edition

    def close(self) -> None:
        with self._changed:
            self.closing.set()
            self._changed.notify_all()


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # an open event stream never holds the end of the program
    block_on_close = False

    def __init__(self, host: str, port: int, preview: Preview) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.preview = preview
        self.host = host
        super().__init__((host.strip("[]"), port), _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind also looks up the host's name (socket.getfqdn), which can take
        # seconds where name resolution is slow; the name is never used here.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), int(self.server_address[1])

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A request that failed is the browser's to retry, never a traceback in the editor's terminal."""


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "make-book-serve"
    sys_version = ""
    # The headers and the body go out as two writes: with Nagle's algorithm the second waited for
    # the browser's delayed acknowledgement, 40 ms and more a page (measured, Linux loopback).
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def log_message(self, format: str, *args: Any) -> None:
        """Requests are not logged: the terminal is for the book's problems."""

    def _answer(self, body: bool) -> None:
        try:
            if not self._host_allowed():
                return self._send(HTTPStatus.BAD_REQUEST, b"unknown host\n", _TEXT, body)
            try:
                request = parse_target(self.path)
            except BadRequest as e:
                return self._send(HTTPStatus.BAD_REQUEST, f"{e}\n".encode(), _TEXT, body)
            if request.path.startswith(OWN_PREFIX):
                return self._own(request, body)
            self._file(request, body)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass  # the browser went away
        except Exception as e:  # a bug of make-book's: one line to the browser, none in the terminal
            with contextlib.suppress(OSError):
                self._send(
                    HTTPStatus.INTERNAL_SERVER_ERROR, f"make-book: {type(e).__name__}: {e}\n".encode(), _TEXT, body
                )

    def _host_allowed(self) -> bool:
        """On a loopback address, only requests for a loopback name: a web page elsewhere cannot
        reach the preview through a name of its own that resolves to 127.0.0.1 (DNS rebinding)."""
        if not is_loopback(self.server.host):
            return True
        host = self.headers.get("Host", "")
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return not host or is_loopback(name)

    def _own(self, request: Request, body: bool) -> None:
        name = request.path.removeprefix(OWN_PREFIX)
        if name == "events":
            return self._events(request, body)
        data = own_file(name)
        if data is None:
            return self._send(HTTPStatus.NOT_FOUND, b"not found\n", _TEXT, body)
        self._send(HTTPStatus.OK, data, OWN_FILES[name], body)

    def _file(self, request: Request, body: bool) -> None:
        edition, shown_banner = self.server.preview.current
        data = edition.get(request.path)
        html = request.path.endswith((".html", ".htm"))
        if data is None and not edition.files and html:  # nothing could be made yet: say why
            text = "The book has errors; the web edition will be shown once they are fixed."
            if not has_errors(edition.problems):
                text = "The book has no entry to show yet."
            page = own_page("The book cannot be shown yet", text, shown_banner, edition.version, False)
            return self._send(HTTPStatus.OK, page, "text/html; charset=utf-8", body)
        if data is None:
            if not html:
                return self._send(HTTPStatus.NOT_FOUND, b"not found\n", _TEXT, body)
            page = own_page(
                "No such page", f"The web edition has no page {request.path}.", shown_banner, edition.version, True
            )
            return self._send(HTTPStatus.NOT_FOUND, page, "text/html; charset=utf-8", body)
        kind = mimetypes.guess_type(request.path)[0] or "application/octet-stream"
        if html:
            data = inject(data, shown_banner, edition.version)
        if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
            kind += "; charset=utf-8"
        self._send(HTTPStatus.OK, data, kind, body, lasting=request.path.startswith(PICTURES))

    def _send(self, status: HTTPStatus, data: bytes, kind: str, body: bool, *, lasting: bool = False) -> None:
        """lasting: a file named after its content, which a reload need not fetch again."""
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        # Everything else is fetched again at every reload, so that it shows the latest state.
        self.send_header("Cache-Control", "max-age=31536000, immutable" if lasting else "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _events(self, request: Request, body: bool) -> None:
        """Server-sent events: "reload" whenever the edition's version is not the page's."""
        preview = self.server.preview
        since = _version(request.query.get("since", [""])[0])
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not body:
            return
        self.wfile.write(b"retry: 500\n\n")  # reconnect soon after serve restarts
        self.wfile.flush()
        version = preview.edition.version if since is None else since
        while not preview.closing.is_set():
            edition = preview.wait_past(version, KEEP_ALIVE)
            if edition.version != version:
                version = edition.version
                self.wfile.write(f"event: reload\ndata: {version}\n\n".encode())
            else:
                self.wfile.write(b": still here\n\n")
            self.wfile.flush()


def _version(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) < 12 else None
