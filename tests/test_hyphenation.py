"""Parsed hyphenation dictionaries kept in the cache folder: the same hyphens, never stale, and
nothing but a dictionary is ever loaded from there."""

from __future__ import annotations

import pickle
from pathlib import Path

import pyphen
import pytest

from ebook.pdf.weasyprint.hyphenation import cache_folder, load_hyphenation

WORDS = {
    "de": "Röntgenabteilung Computertomographie Schutzausrüstung",
    "hu": "egészségügyi asszisztens röntgenfelvétel",  # Hungarian has non-standard hyphenation
    "en": "radiographer reorganisation unprecedented",
    "nl": "ziekenhuisafdeling beschermingsmiddelen",
}


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pyphen's own store of loaded dictionaries, emptied for the test and restored after it."""
    monkeypatch.setattr(pyphen, "hdcache", {})


def _hyphenated(language: str) -> list[str]:
    dictionary = pyphen.Pyphen(lang=language)
    return [dictionary.inserted(word) for word in WORDS[language].split()]


def test_a_kept_dictionary_hyphenates_as_a_parsed_one(tmp_path: Path, fresh: None) -> None:
    expected = {language: _hyphenated(language) for language in WORDS}  # parsed by Pyphen itself
    assert expected["de"][0] != "Röntgenabteilung"
    for _ in range(2):  # parsed and kept, then read back
        pyphen.hdcache.clear()
        load_hyphenation(WORDS, tmp_path)
        assert {language: _hyphenated(language) for language in WORDS} == expected
    assert len(list(tmp_path.glob("hyph_*.pickle"))) == len(WORDS)
    assert not list(tmp_path.glob("*.part"))


def test_a_kept_dictionary_is_read_instead_of_parsed(
    tmp_path: Path, fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_hyphenation(["de"], tmp_path)
    pyphen.hdcache.clear()

    def parse(self: pyphen.HyphDict, path: Path) -> None:
        raise AssertionError(f"{path} was parsed again")

    monkeypatch.setattr(pyphen.HyphDict, "__init__", parse)
    load_hyphenation(["de"], tmp_path)
    assert [path.name for path in pyphen.hdcache] == [pyphen.LANGUAGES["de"].name]


def test_a_changed_dictionary_is_parsed_again(tmp_path: Path, fresh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "hyph_xx.dic"
    monkeypatch.setitem(pyphen.LANGUAGES, "xx", source)
    monkeypatch.setitem(pyphen.LANGUAGES_LOWERCASE, "xx", "xx")
    for pattern, expected in (("1b", "a-bc"), ("1c", "ab-c")):
        source.write_text(f"UTF-8\n{pattern}\n", encoding="utf-8")
        pyphen.hdcache.clear()
        load_hyphenation(["xx"], tmp_path / "kept")
        assert pyphen.Pyphen(filename=source, left=1, right=1).inserted("abc") == expected


def test_an_unreadable_kept_dictionary_is_parsed_and_replaced(tmp_path: Path, fresh: None) -> None:
    load_hyphenation(["nl"], tmp_path)
    (kept,) = tmp_path.glob("hyph_nl*.pickle")
    kept.write_bytes(b"not a pickle")
    pyphen.hdcache.clear()
    load_hyphenation(["nl"], tmp_path)
    assert _hyphenated("nl")[0] != "ziekenhuisafdeling"
    assert pickle.loads(kept.read_bytes()).patterns


class _Touch:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[Path]]:
        return Path.touch, (self.marker,)


def test_a_kept_file_that_asks_to_run_code_is_refused(tmp_path: Path, fresh: None) -> None:
    load_hyphenation(["en"], tmp_path)
    (kept,) = tmp_path.glob("hyph_en*.pickle")
    marker = tmp_path / "ran"
    kept.write_bytes(pickle.dumps(_Touch(marker)))
    pyphen.hdcache.clear()
    load_hyphenation(["en"], tmp_path)
    assert not marker.exists()
    assert _hyphenated("en")[0] != "radiographer"


def test_dictionaries_without_a_cache_folder_are_parsed(fresh: None) -> None:
    load_hyphenation(["de"], None)
    assert _hyphenated("de")[0] != "Röntgenabteilung"


def test_the_cache_folder_follows_xdg_then_home() -> None:
    assert cache_folder({"XDG_CACHE_HOME": "/x", "HOME": "/h"}) == Path("/x/make-book/hyphenation")
    assert cache_folder({"HOME": "/h"}) == Path("/h/.cache/make-book/hyphenation")
    assert cache_folder({}) is None
