"""FORMAT.md's order: themes as in book.yaml; inside a theme `order` first, then the Unicode
Collation Algorithm on the sort key (no tailoring), then the id."""

from __future__ import annotations

import functools

from conftest import BookFolder, entry_yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pyuca import Collator

from ebook.options import Options
from ebook.pipeline import load_book
from ebook.read.assemble import collation_keys


def titles_in_order(book: BookFolder) -> list[str]:
    loaded, _, problems = load_book(Options(book.root / "book.yaml", "book.yaml", environ={}))
    assert loaded is not None, problems
    return [e.title for e in loaded.entries]


def test_collation_order_ties_and_explicit_order(book: BookFolder) -> None:
    book.submission("f", entry_yaml(title="Fatima", name="Fatima Zahra"))
    book.submission("e1", entry_yaml(title="Émile", name="Émile Zola"))
    book.submission("e0", entry_yaml(title="Elena", name="Elena Ruiz"))
    book.submission("z", entry_yaml(title="Ordered second", name="Zed", extra="order: 2\n"))
    book.submission("y", entry_yaml(title="Ordered first", name="Yan", extra="order: 1\n"))
    book.submission("b2", entry_yaml(title="Same name, id b2", name="Bob"))
    book.submission("b1", entry_yaml(title="Same name, id b1", name="Bob"))
    book.submission("t", entry_yaml(title="Second theme", name="Aaron", theme="two"))
    assert titles_in_order(book) == [
        "Ordered first",
        "Ordered second",
        "Same name, id b1",
        "Same name, id b2",
        "Elena",
        "Émile",
        "Fatima",
        "Second theme",
    ]


def test_sort_name_and_anonymous_entries(book: BookFolder) -> None:
    book.submission(
        "vd", entry_yaml(title="van Dijk", name="Sanne van Dijk", author_extra='sort_name: "Dijk, Sanne van"')
    )
    book.submission("anon", entry_yaml(title="Anonymous Cole", name="Cole Adams", author_extra="anonymous: true"))
    book.submission("ab", entry_yaml(title="Abel", name="Abel Brown"))
    book.submission("zz", entry_yaml(title="Zoë", name="Zoë Young"))
    assert titles_in_order(book) == ["Abel", "Anonymous Cole", "van Dijk", "Zoë"]


def test_entries_that_are_not_approved_are_left_out(book: BookFolder) -> None:
    book.submission("a", entry_yaml(title="In"))
    for status in ("pending", "rejected", "withdrawn"):
        book.submission(status, entry_yaml(title=status, status=status))
    assert titles_in_order(book) == ["In"]


def test_any_depth_of_folders(book: BookFolder) -> None:
    book.submission("deep", entry_yaml(title="Deep", name="B"), folder="a/b/c/d/")
    book.submission("top", entry_yaml(title="Top", name="A"))
    book.submission("yml", entry_yaml(title="Yml", name="C"))
    (book.root / "submissions/yml.yaml").rename(book.root / "submissions/yml.yml")
    book.submission(".hidden", entry_yaml(title="Hidden lock file"))
    assert titles_in_order(book) == ["Top", "Deep", "Yml"]


@functools.cache
def full_table() -> Collator:
    return Collator()


NAMES = [
    "Émile",
    "Elena",
    "Ǆemal",
    "Łukasz",
    "Ørsted",
    "ﬁona",
    "Þóra",
    "İlker",
    "L·lúcia",
    "Ωmega",
    "Ａｌｉ",
    "宮田",
    "하나",
    "يوسف",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(NAMES), st.text(max_size=12)), max_size=6))
def test_the_keys_of_a_partial_table_are_those_of_the_whole_one(texts: list[str]) -> None:
    """Contractions (L·), compatibility forms (ﬁ, Ａ), CJK implicit weights, anything Hypothesis finds."""
    keys = collation_keys(texts)
    assert set(keys) == set(texts)
    assert all(keys[text] == full_table().sort_key(text) for text in texts)
