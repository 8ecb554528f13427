"""A book folder's own layouts/ replaces the built-in files one by one."""

from __future__ import annotations

import zipfile
from collections.abc import Callable

import pytest
from conftest import BookFolder, Run, entry_yaml
from readers import pdf_page_texts

from ebook.templates.load import BUILT_IN

pytestmark = pytest.mark.slow


def test_own_templates_css_and_labels_override_the_built_in_ones(book: BookFolder, run: Callable[..., Run]) -> None:
    book.submission("a", entry_yaml(title="Overridden entry"))
    entry = (
        (BUILT_IN / "entry.html")
        .read_text()
        .replace('<div class="body">', '<p class="marker">HOUSE STYLE</p>\n<div class="body">')
    )
    book.write("layouts/entry.html", entry)
    book.write(
        "layouts/labels.yaml",
        'contents: "Inhalt"\naccessibility_summary: "Mit Inhaltsverzeichnis und gegliederten Überschriften."\n',
    )
    book.write("layouts/print.css", (BUILT_IN / "print.css").read_text().replace("size: A5;", "size: A4;"))
    result = run("build", cwd=book.root)
    assert result.code == 0, result.stderr
    with zipfile.ZipFile(book.dist / "voices-of-2020.epub") as epub:
        chapter = next(epub.read(n).decode() for n in epub.namelist() if n.startswith("EPUB/text/entry-"))
        nav = epub.read("EPUB/nav.xhtml").decode()
        package = epub.read("EPUB/content.opf").decode()
    assert "HOUSE STYLE" in chapter
    assert "Inhalt" in nav
    # The accessibility summary in the book's words, sentence by sentence, in the EPUB and the page.
    page = (book.dist / "index.html").read_text()
    for where in (package, page):
        start = where.index("Mit Inhaltsverzeichnis und gegliederten Überschriften. ")
        assert where.index("Text can be resized and reflowed.", start) and "This publication has" not in where
    pages = pdf_page_texts(book.dist / "voices-of-2020.pdf")
    assert any("HOUSE STYLE" in p for p in pages)
    assert any(p.strip().startswith("Inhalt") for p in pages)
    assert any("Foreword" in p for p in pages)  # labels not overridden keep the built-in words
    from pypdf import PdfReader

    width = float(PdfReader(book.dist / "voices-of-2020.pdf").pages[0].mediabox.width)
    assert round(width / 72 * 25.4) == 210  # A4 from the book's own print.css


def test_a_broken_own_template_is_reported_not_written(book: BookFolder, run: Callable[..., Run]) -> None:
    book.submission("a", entry_yaml())
    book.write("layouts/part.html", "<section><p>unclosed</section>")
    result = run("build", cwd=book.root)
    assert result.code == 1
    assert any(
        line.startswith("layouts/part.html: L001 the template produced markup that is not well-formed XML")
        for line in result.problems
    ), result.stderr
    assert not book.dist.exists()


def test_an_own_template_extends_the_built_in_one_and_replaces_one_block(
    book: BookFolder, run: Callable[..., Run]
) -> None:
    book.submission("a", entry_yaml(title="Extended entry", body="The body stays as it was."))
    book.write(
        "layouts/entry.html",
        '{% extends "builtin/entry.html" %}\n'
        '{% block byline %}<p class="byline" id="{{ view.anchor }}-byline">By {{ view.entry.author.name }}</p>{% endblock %}\n',
    )
    result = run("build", cwd=book.root)
    assert result.code == 0, result.stderr
    with zipfile.ZipFile(book.dist / "voices-of-2020.epub") as epub:
        chapter = next(epub.read(n).decode() for n in epub.namelist() if n.startswith("EPUB/text/entry-"))
    assert "By Amélie Durand</p>" in chapter  # the block replaced
    assert "Extended entry" in chapter and "The body stays as it was." in chapter  # the rest built in
    assert '<span class="role">' not in chapter
    pages = pdf_page_texts(book.dist / "voices-of-2020.pdf")
    assert any("By Amélie Durand" in p and "The body stays as it was." in p for p in pages)
