"""The shipped sample book: it checks clean, and every character it uses has a glyph in the fonts the PDF uses."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Run
from fontTools.ttLib import TTCollection, TTFont
from pypdf import PdfReader

from ebook.cli import main
from ebook.options import Options
from ebook.pipeline import load_book

ROOT = Path(__file__).resolve().parent.parent


def test_check_passes_on_the_shipped_sample(run: Callable[..., Run]) -> None:
    result = run("check", cwd=ROOT)
    assert result.code == 0, result.stderr
    assert result.problems == []


def test_sample_has_the_promised_variety() -> None:
    book, _, problems = load_book(Options(ROOT / "book.yaml", "book.yaml"))
    assert book is not None, problems
    entries = book.entries
    assert len(entries) >= 130
    assert len({e.author.country for e in entries}) >= 25
    languages = {e.language.split("-")[0] for e in entries}
    assert len(languages) >= 8 and {"ar", "ja", "zh"} <= languages
    assert any(e.direction == "rtl" for e in entries)
    assert sum(1 for e in entries if e.photos) >= 25
    assert any(e.author.anonymous for e in entries)
    assert len(list((ROOT / "submissions").rglob("*.yaml"))) > len(entries)  # pending, rejected, withdrawn too


def _cmap(path: str, index: int) -> set[int]:
    font = TTCollection(path).fonts[index] if path.endswith(".ttc") else TTFont(path, lazy=True)
    return set(font.getBestCmap() or {})


def _family_coverage(family: str) -> set[int]:
    """Every code point the font files of a family (any style) map, found the way Pango finds them."""
    listing = subprocess.run(
        ["fc-list", f":family={family}", "file", "index"], capture_output=True, text=True, check=True
    ).stdout
    covered: set[int] = set()
    for line in listing.splitlines():
        match = re.match(r"(.+?): :index=(\d+)", line.strip())
        if match:
            covered |= _cmap(match.group(1), int(match.group(2)))
    return covered


def test_every_character_of_the_sample_has_a_glyph_in_the_stylesheet_fonts() -> None:
    css = (ROOT / "layouts/book.css").read_text() + (ROOT / "layouts/print.css").read_text()
    families = sorted(set(re.findall(r'"(Noto [^"]+)"', css)))
    covered: set[int] = set()
    for family in families:
        found = _family_coverage(family)
        assert found, f"the font {family} named in the stylesheets is not installed"
        covered |= found
    text = "".join(p.read_text("utf-8") for p in (ROOT / "submissions").rglob("*.yaml"))
    text += (ROOT / "book.yaml").read_text("utf-8")
    used = {ord(c) for c in text if not c.isspace() and c not in "\u200b\u200c\u200d\ufeff"}
    missing = sorted(chr(c) for c in used - covered)
    assert missing == []


@pytest.mark.slow
def test_the_sample_builds_into_a_valid_accessible_book(tmp_path: Path) -> None:
    """What `make book` promises: epubcheck and Ace clean, a PDF of at least 150 pages."""
    from readers import run_epubcheck
    from test_accessibility import run_ace, violations

    out = tmp_path / "dist"
    assert main(["build", "--config", str(ROOT / "book.yaml"), "--out", str(out), "-q"]) == 0
    assert run_epubcheck(out / "behind-the-images.epub") == []
    assert violations(run_ace(out / "behind-the-images.epub", tmp_path / "ace")) == []
    assert len(PdfReader(out / "behind-the-images.pdf").pages) >= 150
