"""Hostile but legal input is rendered inertly: no markup from submissions, no fetch, no leak."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import BOOK_YAML, BookFolder, Run, entry_yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from pypdf import PdfReader
from readers import pdf_page_texts

from ebook.options import Options
from ebook.pipeline import load_book
from ebook.render.pictures import PreparedImage
from ebook.render.views import render_book

HOSTILE_BODY = """\
<script>fetch('http://127.0.0.1:9/steal')</script>
<link rel="attachment" href="file:///etc/passwd"> <img src="http://127.0.0.1:9/pixel.png" onerror="x()">
<style>@import url(http://127.0.0.1:9/evil.css); body { background: url(file:///etc/shadow) }</style>
![tracker](http://127.0.0.1:9/t.png) [click](javascript:alert(1)) [file](file:///etc/hostname)
<iframe src="http://127.0.0.1:9/"></iframe> &nbsp; &bogus; &#0; <svg><image href="file:///etc/passwd"/></svg>
"""


@pytest.mark.slow
def test_hostile_body_is_text_and_nothing_is_fetched(
    book: BookFolder, run: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts: list[object] = []

    def no_network(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("make-book tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket.socket, "connect_ex", no_network)
    book.submission("x", entry_yaml(title="<b>Bold?</b> & </title>", body=HOSTILE_BODY))
    result = run("build", cwd=book.root)
    assert result.code == 0, result.stderr
    assert attempts == []
    pdf = book.dist / "voices-of-2020.pdf"
    reader = PdfReader(pdf)
    assert reader.attachments == {}
    raw = pdf.read_bytes()
    assert b"root:" not in raw and b"/EmbeddedFile" not in raw and b"/JavaScript" not in raw
    text = "\n".join(pdf_page_texts(pdf))
    assert "<script>fetch(" in text and "<b>Bold?</b> & </title>" in text
    links = [
        a.get_object()["/A"].get("/URI")
        for page in reader.pages
        for a in page.get("/Annots") or []
        if "/URI" in a.get_object().get("/A", {})
    ]
    assert links == []


def _entry_with(field_text: str, where: str) -> str:
    quoted = json.dumps(field_text)  # a JSON string is a YAML double-quoted scalar, escapes included
    if where == "name":
        return entry_yaml(name="PLACEHOLDER").replace('"PLACEHOLDER"', quoted)
    if where == "body":
        return entry_yaml(body="PLACEHOLDER").replace("body: |\n  PLACEHOLDER\n", f"body: {quoted}\n")
    return entry_yaml(title="PLACEHOLDER").replace('"PLACEHOLDER"', quoted)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=200), where=st.sampled_from(["title", "name", "body"]))
def test_any_text_in_a_field_gives_well_formed_xhtml_or_a_clean_problem(tmp_path: Path, text: str, where: str) -> None:
    root = tmp_path / "hypo"
    book = BookFolder(root)
    book.write("book.yaml", BOOK_YAML)
    book.submission("x", _entry_with(text, where))
    loaded, layouts, problems = load_book(Options(root / "book.yaml", "book.yaml", environ={}))
    if loaded is None:
        assert problems and all(p.path == "submissions/x.yaml" and p.line > 0 for p in problems), problems
        return
    assert layouts is not None
    rendered = render_book(loaded, {}, PreparedImage("images/cover.jpg", "image/jpeg", 1, 1, bytes))
    (view,) = rendered.entries
    fragment = layouts.env.get_template("entry.html").render(
        book=loaded, labels=layouts.labels, view=view, level=1, href=lambda v: "#", src=lambda i: i.name
    )
    etree.fromstring(f'<div xmlns="http://www.w3.org/1999/xhtml">{fragment}</div>')


@pytest.mark.slow
def test_pathological_text_lays_out_and_finishes(book: BookFolder) -> None:
    """A 10,000-letter word, 500 emoji in a row and a 20,000-word body: the build ends, with the word wrapped."""
    book.submission("word", entry_yaml(title="One long word", body="x" * 10_000))
    book.submission("emoji", entry_yaml(title="Emoji", name="B", body="😷🩻🫁🙏" * 125))
    book.submission("long", entry_yaml(title="Long", name="C", body=("a few words of text " * 50 + "\n\n") * 200))
    command = [sys.executable, "-m", "ebook", "build", "--config", str(book.root / "book.yaml"), "-q"]
    subprocess.run(command, check=True, timeout=600, capture_output=True)  # a guard against hangs, not a speed goal
    pages = pdf_page_texts(book.dist / "voices-of-2020.pdf")
    assert len(pages) > 50
    widths = [len(line) for page in pages for line in page.splitlines()]
    assert max(widths) < 200  # the long word was broken across lines, not run off the page
