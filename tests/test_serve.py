"""make-book serve, started for real as a subprocess on a free port of 127.0.0.1, against small books
made in tmp_path: pages served, edits and problems seen in the pages, paths refused, the address
bound; and, in process, what a change makes again."""

from __future__ import annotations

import http.client
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import BookFolder, entry_yaml, jpeg_bytes

from ebook.render.views import RenderedBook, render_book
from ebook.serve.book import BookState, Loaded
from ebook.serve.edition import EditionMaker
from ebook.serve.requests import BadRequest, parse_target
from ebook.web.edition import web_edition, web_site

WAIT = 10.0  # seconds: far above the goal (0.5 s), so that a slow machine does not fail a test
STARTING = 60.0  # seconds for serve to start or stop: Python's imports and the first edition, on a busy machine


class Served:
    """A make-book serve process, its stderr collected line by line."""

    def __init__(self, folder: Path, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ebook", "serve", "--port", "0", *args],
            cwd=folder,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        found = self.wait_for(r"serving the web edition at http://127\.0\.0\.1:(\d+)/", STARTING)
        self.port = int(found[1])

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, pattern: str, seconds: float = WAIT) -> re.Match[str]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                assert self.process.poll() is None, "\n".join(self.seen)
                continue
            self.seen.append(line)
            if found := re.search(pattern, line):
                return found
        raise AssertionError(f"no line matched {pattern!r} in:\n" + "\n".join(self.seen))

    def get(self, path: str, host: str | None = None) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=WAIT)
        connection.putrequest("GET", path, skip_host=host is not None)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        connection.close()
        return response.status, body

    def events(self, since: int) -> EventStream:
        return EventStream(self.port, since)

    def until(self, events: EventStream, path: str, check: Callable[[int, str], bool]) -> str:
        """The page once check(status, page) holds, each reload announced waited for, as the page's
        script waits: a save may reach serve in more than one piece (the file emptied, then written)."""
        deadline = time.monotonic() + WAIT
        while True:
            status, page = self.get(path)
            if check(status, page):
                return page
            assert time.monotonic() < deadline, page[-1000:]
            events.next_reload()

    def stop(self) -> tuple[int, str]:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=STARTING)
        time.sleep(0.1)
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return code, "\n".join(self.seen)


class EventStream:
    """/__make-book/events, as a page's script listens to it."""

    def __init__(self, port: int, since: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
        self.connection.request("GET", f"/__make-book/events?since={since}")
        self.response = self.connection.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type") == "text/event-stream"

    def next_reload(self) -> int:
        """The version announced by the next "reload" event."""
        event = None
        while True:
            line = self.response.readline().decode()
            assert line, "the event stream ended"
            if line.startswith("event: "):
                event = line.split(": ", 1)[1].strip()
            elif line.startswith("data: ") and event == "reload":
                return int(line.split(": ", 1)[1])

    def close(self) -> None:
        self.connection.close()


def version_of(page: str) -> int:
    found = re.search(r'<script src="/__make-book/reload\.js" data-version="(\d+)"></script>', page)
    assert found, page[-500:]
    return int(found[1])


@pytest.fixture
def three(book: BookFolder) -> BookFolder:
    book.submission("durand", entry_yaml(title="A day in the CT room", body="The scanner hummed all night."))
    book.submission("berg", entry_yaml(title="Night shift", name="Bo Berg", body="We kept the lights low."))
    book.submission("okafor", entry_yaml(title="Still waiting", name="Ada Okafor", status="pending", theme="two"))
    return book


@pytest.fixture
def served(three: BookFolder) -> Iterator[Served]:
    server = Served(three.root)
    yield server
    server.stop()


def test_serves_the_web_edition_with_pending_entries_marked(served: Served) -> None:
    status, contents = served.get("/")
    assert status == 200
    assert "A day in the CT room" in contents and "Night shift" in contents and "Still waiting" in contents
    status, pending = served.get("/okafor.html")
    assert status == 200
    assert '<span class="badge pending">pending</span>' in pending
    status, approved = served.get("/durand.html")
    assert "The scanner hummed all night." in approved
    assert "badge pending" not in approved
    assert approved.rstrip().endswith(
        f'<script src="/__make-book/reload.js" data-version="{version_of(approved)}"></script>\n</body>\n</html>'.rstrip()
    )
    assert "make-book-problems" not in approved  # no banner: the book has no problem
    status, script = served.get("/__make-book/reload.js")
    assert status == 200 and "EventSource" in script


def test_pictures_are_served_to_be_kept_and_pages_to_be_fetched_again(book: BookFolder) -> None:
    book.write("submissions/photos/one.jpg", jpeg_bytes())
    photo = 'photos:\n  - file: photos/one.jpg\n    alt: "A scanner at night"\n'
    book.submission("durand", entry_yaml(extra=photo))
    server = Served(book.root)
    try:
        _, page = server.get("/durand.html")
        found = re.search(r'<img src="(pictures/[0-9a-f]+\.jpg)" alt="A scanner at night"', page)
        assert found, page
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=WAIT)
        for path, kind, cache in (
            (found[1], "image/jpeg", "max-age=31536000, immutable"),
            ("durand.html", "text/html; charset=utf-8", "no-store"),
            ("assets/web.css", "text/css; charset=utf-8", "no-store"),
        ):
            connection.request("GET", "/" + path)
            response = connection.getresponse()
            assert response.read(), path
            assert (response.status, response.getheader("Content-Type"), response.getheader("Cache-Control")) == (
                200,
                kind,
                cache,
            ), path
        connection.close()
    finally:
        server.stop()


def test_a_saved_edit_reloads_the_open_pages_with_the_new_text(three: BookFolder, served: Served) -> None:
    _, page = served.get("/durand.html")
    events = served.events(version_of(page))
    before = version_of(page)
    three.submission("durand", entry_yaml(title="A day in the CT room", body="The scanner fell silent at dawn."))
    assert events.next_reload() > before  # announced to the open page
    page = served.until(events, "/durand.html", lambda _, page: "The scanner fell silent at dawn." in page)
    events.close()
    assert "hummed" not in page
    assert version_of(page) > before
    served.wait_for(r"updated in \d+ ms: .*durand\.html")


def test_a_page_that_missed_a_change_is_told_at_once(three: BookFolder, served: Served) -> None:
    _, page = served.get("/durand.html")
    three.submission("berg", entry_yaml(title="Night shift, again", name="Bo Berg"))
    served.wait_for(r"updated in")
    events = served.events(version_of(page))  # the page's script connects after the change
    assert events.next_reload() > version_of(page)
    events.close()


def test_every_page_shows_the_problems_until_they_are_fixed(three: BookFolder, served: Served) -> None:
    _, page = served.get("/")
    events = served.events(version_of(page))
    broken = entry_yaml(title="Night shift", name="Bo Berg").replace('title: "Night shift"\n', "")
    three.submission("berg", broken)
    line = "submissions/berg.yaml:1:1: F001 the required field &#34;title&#34; is missing"
    served.until(events, "/", lambda _, page: line in page)
    for path in ("/", "/durand.html", "/okafor.html", "/berg.html", "/book/foreword.html", "/no-such-page.html"):
        _, page = served.get(path)
        assert line in page, path
        assert "make-book: 1 error" in page
    served.wait_for(r'submissions/berg\.yaml:1:1: F001 the required field "title" is missing')
    three.submission("berg", entry_yaml(title="Night shift", name="Bo Berg", body="Fixed now."))
    served.until(events, "/berg.html", lambda _, page: "Fixed now." in page and "F001" not in page)
    events.close()
    for path in ("/", "/durand.html", "/berg.html"):
        _, page = served.get(path)
        assert "F001" not in page and "make-book-problems" not in page, path
    assert "Fixed now." in served.get("/berg.html")[1]
    served.wait_for("no problems now")


def test_an_entry_added_then_removed_comes_and_goes(three: BookFolder, served: Served) -> None:
    _, page = served.get("/")
    events = served.events(version_of(page))
    three.submission("nakamura", entry_yaml(title="新しい朝", name="中村 ひかり", language="ja", country="JP"), "more/")
    page = served.until(events, "/nakamura.html", lambda status, _: status == 200)
    assert "新しい朝" in page and 'lang="ja"' in page
    assert "新しい朝" in served.get("/")[1]
    (three.root / "submissions" / "more" / "nakamura.yaml").unlink()
    served.until(events, "/nakamura.html", lambda status, _: status == 404)
    events.close()
    assert "新しい朝" not in served.get("/")[1]


def test_a_template_of_the_book_that_does_not_work_is_shown_until_fixed(three: BookFolder) -> None:
    (three.root / "layouts" / "web").mkdir(parents=True)
    server = Served(three.root)
    try:
        _, page = server.get("/durand.html")
        events = server.events(version_of(page))
        three.write(
            "layouts/web/entry.html",
            '{% extends "web/base.html" %}\n{% block main %}{% if %}{% endif %}{% endblock %}\n',
        )
        line = "layouts/web/entry.html:2: L004 the template cannot be used: Expected an expression, got &#39;end of statement block&#39;"
        page = server.until(events, "/berg.html", lambda _, page: line in page)
        assert "Night shift" in page  # the last good page, still served
        (three.root / "layouts" / "web" / "entry.html").unlink()
        page = server.until(events, "/berg.html", lambda _, page: "L004" not in page)
        events.close()
        assert "Night shift" in page
    finally:
        server.stop()


def test_a_book_that_cannot_be_read_at_first_shows_its_problems_then_the_book(book: BookFolder) -> None:
    book.submission("durand", entry_yaml())
    text = (book.root / "book.yaml").read_text()
    book.write("book.yaml", text.replace('publisher: "Test Society"\n', ""))
    server = Served(book.root)
    try:
        status, page = server.get("/")
        assert status == 200
        assert "The book cannot be shown yet" in page
        assert "book.yaml:1:1: F001 the required field &#34;publisher&#34; is missing" in page
        events = server.events(version_of(page))
        book.write("book.yaml", text)
        page = server.until(events, "/", lambda _, page: "A day in the CT room" in page)
        events.close()
        assert "F001" not in page
    finally:
        server.stop()


def test_nothing_outside_the_edition_is_served(tmp_path: Path, three: BookFolder, served: Served) -> None:
    secret = tmp_path / "outside" / "secret.yaml"
    secret.parent.mkdir()
    secret.write_text(entry_yaml(title="TOPSECRET", body="TOPSECRET text"))
    _, page = served.get("/")
    events = served.events(version_of(page))
    (three.root / "submissions" / "linked.yaml").symlink_to(secret)
    served.until(events, "/", lambda _, page: "submissions/linked.yaml: Y014 the file is a symbolic link" in page)
    secret.with_name("secret.jpg").write_bytes(jpeg_bytes())
    (three.root / "submissions" / "photos").mkdir()
    (three.root / "submissions" / "photos" / "out.jpg").symlink_to(secret.with_name("secret.jpg"))
    photo = 'photos:\n  - file: photos/out.jpg\n    alt: "x"\n'
    three.submission("pictured", entry_yaml(title="Pictured", name="P", extra=photo))
    line = "submissions/pictured.yaml:14:11: P002 photo &#34;photos/out.jpg&#34; is a symbolic link; copy the picture into the folder instead"
    page = served.until(events, "/", lambda _, page: line in page)
    events.close()
    assert served.get("/pictured.html")[0] == 404
    assert "TOPSECRET" not in page
    for path in (
        "/../book.yaml",
        "/%2e%2e/book.yaml",
        "/%2E%2E%2Fbook.yaml",
        "/book/%2e%2e/%2e%2e/book.yaml",
        "/..%5cbook.yaml",
        "//etc/passwd",
        "/%00",
        "/%ff",
        "/linked.html",
        "/submissions/durand.yaml",
        "/book.yaml",
        "/" + "%2e%2e/" * 8 + "etc/passwd",
    ):
        status, body = served.get(path)
        assert status in (400, 404), path
        assert "TOPSECRET" not in body and "publisher:" not in body and "root:" not in body, path
    assert served.get("/../book.yaml")[0] == 400
    assert served.get("/no-such-file.css")[0] == 404
    for raw in (
        b"GARBAGE\r\n\r\n",
        b"GET\r\n\r\n",
        b"POST / HTTP/1.1\r\n\r\n",
        b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n",
    ):
        with socket.create_connection(("127.0.0.1", served.port), timeout=WAIT) as raw_socket:
            raw_socket.sendall(raw)
            answer = b"".join(iter(lambda: raw_socket.recv(4096), b""))
        # A request line of one word is answered the HTTP/0.9 way, the error page without a status line.
        assert re.search(rb"(HTTP/1\.[01] |Error code: )(400|414|501)\b", answer), (raw[:20], answer)
        assert b"Traceback" not in answer
    assert served.get("/")[0] == 200  # still serving


def test_a_request_for_another_host_name_is_refused(served: Served) -> None:
    """A page elsewhere cannot read the preview through a name of its own for 127.0.0.1."""
    assert served.get("/", host="rebound.example:80")[0] == 400
    assert served.get("/", host=f"localhost:{served.port}")[0] == 200


def _listening_addresses(port: int) -> set[str]:
    """The local addresses of the listening TCP sockets on port, from /proc/net/tcp{,6}."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for row in Path(table).read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


@pytest.mark.skipif(not os.path.exists("/proc/net/tcp"), reason="reads Linux's socket table")
def test_binds_the_loopback_address_only_by_default(served: Served) -> None:
    assert _listening_addresses(served.port) == {"0100007F"}  # 127.0.0.1, little-endian


def test_a_port_in_use_is_one_clear_line(book: BookFolder) -> None:
    book.submission("durand", entry_yaml())
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "ebook", "serve", "--port", str(port)],
            cwd=book.root,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2
    assert (
        done.stderr == f"make-book: cannot serve on 127.0.0.1:{port}: the port is in use (choose another with --port)\n"
    )


def test_ctrl_c_ends_it_cleanly(three: BookFolder) -> None:
    server = Served(three.root)
    events = server.events(0)  # an open page's stream does not hold the end
    code, stderr = server.stop()
    events.close()
    assert code == 0
    assert "Traceback" not in stderr
    assert stderr.splitlines()[-1] == "make-book: stopped"


def test_request_paths_stay_inside_the_edition() -> None:
    assert parse_target("/").path == "index.html"
    assert parse_target("/book/").path == "book/index.html"
    assert parse_target("/caf%C3%A9.html?x=1").path == "café.html"
    for bad in ("../x", "/../x", "/a/%2e%2e/x", "/%2e/x", "//x", "/a%5cb", "/a%00", "/%c3"):
        with pytest.raises(BadRequest):
            parse_target(bad)


def _made(state: BookState, maker: EditionMaker, changed: set[Path] | None) -> tuple[dict[str, bytes], set[str]]:
    loaded = state.update(changed)
    assert loaded.rendered is not None and loaded.layouts is not None, loaded.problems
    found = maker.make(loaded.rendered, loaded.layouts)
    assert_as_afresh(state, loaded)
    # The pages kept and made again are the web edition's, every file of it.
    whole = web_edition(web_site(loaded.rendered, loaded.layouts, None, None, preview=True))
    assert {**found.files, **{path: make() for path, make in found.later.items()}} == whole
    return found.files, found.made


def assert_as_afresh(state: BookState, loaded: Loaded) -> None:
    """What was kept or spliced is what reading the book afresh and render_book give."""
    afresh = BookState(state.config_path, state.shown_config, {}, state.image_cache).update(None)
    assert afresh.rendered is not None and loaded.rendered is not None
    assert loaded.rendered.book == afresh.rendered.book
    assert loaded.problems == afresh.problems
    assert loaded.rendered == as_render_book_renders(loaded.rendered)


def as_render_book_renders(rendered: RenderedBook) -> RenderedBook:
    """The same book rendered whole by views.render_book, with the same pictures."""
    images = {
        photo.source: view.image for v in rendered.entries for photo, view in zip(v.entry.photos, v.photos, strict=True)
    }
    return render_book(rendered.book, images, rendered.cover)


def test_renderings_kept_between_saves_are_what_render_book_gives(three: BookFolder, tmp_path: Path) -> None:
    quoted = 'She said "not tonight" -- and then the scanner\'s fan stopped...\n\n## After\n\nQuiet.'
    three.submission("berg", entry_yaml(title="Night shift", name="Bo Berg", body=quoted))
    three.submission("roux", entry_yaml(title="Une nuit", name="Zoé Roux", language="fr", body='Elle a dit "non" !'))
    three.submission("entry", entry_yaml(title="Entry", name="Zed Zane", body="An entry &amp; a note."))
    state = BookState(three.root / "book.yaml", "book.yaml", {}, tmp_path / "pictures")
    loaded = state.update(None)
    assert loaded.rendered is not None
    assert loaded.rendered == as_render_book_renders(loaded.rendered)
    assert "“not tonight”" in str(loaded.rendered.entries[1].body)  # typeset, as in the EPUB
    rendered = state.render_cache.rendered_entries

    # An entry added first: the others move one place on, their renderings kept and renumbered,
    # but for the one whose text holds "entry", rendered again.
    path = three.submission("abel", entry_yaml(title="First light", name="Aaron Abel"))
    loaded = state.update({path})
    assert loaded.rendered is not None
    assert [v.entry.id for v in loaded.rendered.entries][:2] == ["abel", "durand"]
    assert_as_afresh(state, loaded)
    assert state.render_cache.rendered_entries == rendered + 2

    path.unlink()
    assert_as_afresh(state, state.update({path}))

    # Added where load_submissions does not look, or with an id taken: as a full reading says.
    hidden = three.submission("hidden", entry_yaml(title="Hidden", name="H"), ".drafts/")
    assert_as_afresh(state, state.update({hidden}))
    twice = three.submission("berg", entry_yaml(title="Twice", name="T"), "more/")
    loaded = state.update({twice})
    assert 'S004 the id "berg" is also used by submissions/more/berg.yaml; rename one of the files' in {
        f"{p.code} {p.message}" for p in loaded.problems
    }
    assert_as_afresh(state, loaded)
    twice.unlink()
    assert_as_afresh(state, state.update({twice}))


def test_an_edited_entry_makes_its_own_page_again_and_nothing_else(three: BookFolder, tmp_path: Path) -> None:
    three.write("submissions/photos/one.jpg", jpeg_bytes())
    photo = 'photos:\n  - file: photos/one.jpg\n    alt: "A scanner"\n'
    three.submission("berg", entry_yaml(title="Night shift", name="Bo Berg", extra=photo))
    state = BookState(three.root / "book.yaml", "book.yaml", {}, tmp_path / "pictures")
    maker = EditionMaker()
    files, made = _made(state, maker, None)
    assert {"durand.html", "berg.html", "okafor.html", "index.html", "book/contributors.html"} <= made
    picture = next(p for p in files if p.startswith("pictures/"))
    rendered_before = state.render_cache.rendered_entries

    # Its text: its page alone, its Markdown alone.
    path = three.submission("durand", entry_yaml(title="A day in the CT room", body="Edited."))
    again, made = _made(state, maker, {path})
    assert made == {"durand.html"}
    assert state.render_cache.rendered_entries == rendered_before + 1
    assert b"Edited." in again["durand.html"]
    assert again["berg.html"] is files["berg.html"]
    assert again[picture] is files[picture]  # the picture prepared once

    # Saved again unchanged: nothing.
    assert _made(state, maker, {path})[1] == set()

    # Its title: its page, the pages that link to it (the entry after it, the contents, its theme, ...).
    path = three.submission("durand", entry_yaml(title="A night in the CT room", body="Edited."))
    again, made = _made(state, maker, {path})
    assert {"durand.html", "index.html", "book/theme-1.html"} <= made
    assert "okafor.html" not in made  # in another theme, not next to it
    assert b"A night in the CT room" in again["index.html"]

    # Saved with an error: it stays as it was last read, its problem shown, no page made again.
    path = three.submission("durand", entry_yaml(title="A night in the CT room", body="Edited.", extra="order: x\n"))
    loaded = state.update({path})
    assert loaded.rendered is not None and loaded.layouts is not None
    assert [p.format() for p in loaded.problems] == [
        'submissions/durand.yaml:11:8: F006 "order" must be a whole number like 1 or 2, got "x"'
    ]
    assert maker.make(loaded.rendered, loaded.layouts).made == set()
    assert "Edited." in str(loaded.rendered.entries[0].body)

    path = three.submission("durand", entry_yaml(title="A night in the CT room", body="Edited."))
    assert _made(state, maker, {path})[1] == set()  # fixed as it was: the same pages

    # Its picture changed: the picture prepared again, the entry's page made again.
    three.write("submissions/photos/one.jpg", jpeg_bytes(color=(200, 10, 10)))
    again, made = _made(state, maker, {three.root / "submissions/photos/one.jpg"})
    assert "berg.html" in made
    assert picture not in again and any(p.startswith("pictures/") for p in again)


CHROMIUM = "/usr/bin/chromium"


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (make test installs it)")
def test_an_open_page_in_chromium_reloads_itself_through_edit_problem_and_fix(
    three: BookFolder, served: Served
) -> None:
    from playwright.sync_api import sync_playwright

    shows = "text => document.body.innerText.includes(text)"
    hides = "text => !document.body.innerText.includes(text)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            # A script refused by the pages' Content-Security-Policy, or failing, is a failure too.
            complaints: list[str] = []
            page.on("console", lambda message: complaints.append(f"{message.type}: {message.text}"))
            page.on("pageerror", lambda error: complaints.append(f"error: {error}"))
            page.goto(f"http://127.0.0.1:{served.port}/durand.html")
            page.wait_for_function(shows, arg="The scanner hummed all night.")
            time.sleep(0.3)  # the page's event stream connects

            three.submission("durand", entry_yaml(title="A day in the CT room", body="Seen without a click."))
            page.wait_for_function(shows, arg="Seen without a click.", timeout=WAIT * 1000)

            three.submission("durand", entry_yaml(title="A day in the CT room", body="Not shown.", extra="order: x\n"))
            problem = 'submissions/durand.yaml:11:8: F006 "order" must be a whole number like 1 or 2, got "x"'
            page.wait_for_function(shows, arg=problem, timeout=WAIT * 1000)
            assert "Seen without a click." in page.inner_text("main")  # the last good text, still shown

            three.submission("durand", entry_yaml(title="A day in the CT room", body="Fixed."))
            page.wait_for_function(hides, arg="F006", timeout=WAIT * 1000)
            assert "Fixed." in page.inner_text("main")
            assert complaints == []
        finally:
            browser.close()
