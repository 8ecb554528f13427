"""Submission text is rendered inertly and always as well-formed XHTML."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree
from markupsafe import Markup

from ebook.render.markdown import make_parser, to_xhtml

MD = make_parser()


def parse(fragment: str) -> etree._Element:
    return etree.fromstring(f'<div xmlns="http://www.w3.org/1999/xhtml">{fragment}</div>')


def test_raw_html_is_text() -> None:
    out = to_xhtml(
        MD,
        '<script>alert(1)</script> <iframe src="x"></iframe> <link rel=attachment href=/etc/passwd>'
        ' <b onclick="x()">b</b> <style>*{}</style>',
    )
    tree = parse(out)
    assert [el.tag.split("}")[1] for el in tree.iter()] == ["div", "p"]
    assert "<script>alert(1)</script>" in "".join(tree.itertext())


def test_links_keep_only_web_and_mail() -> None:
    out = to_xhtml(
        MD,
        "[a](https://a.example) [b](http://b.example) [c](mailto:c@d.example) "
        "[d](javascript:alert(1)) [e](file:///etc/passwd) [f](data:text/html,x) [g](/local)",
    )
    hrefs = [a.get("href") for a in parse(out).iter("{http://www.w3.org/1999/xhtml}a")]
    assert hrefs == ["https://a.example", "http://b.example", "mailto:c@d.example"]


def test_images_never_fetch() -> None:
    out = to_xhtml(MD, "![a scan](http://tracker.example/pixel.png) and ![](file:///etc/passwd)")
    tree = parse(out)
    assert tree.find(".//{http://www.w3.org/1999/xhtml}img") is None
    assert "[a scan]" in "".join(tree.itertext())
    assert all(not el.attrib for el in tree.iter())


def test_entities_never_break_the_xml() -> None:
    out = to_xhtml(MD, "a&nbsp;b &bogus; &#0; &#x110000; &amp;&lt;")
    text = "".join(parse(out).itertext())
    assert text == "a\u00a0b &bogus; \ufffd \ufffd &<\n"


def test_headings_sit_below_the_entry_title_without_gaps() -> None:
    assert to_xhtml(MD, "## One\n\n#### Two\n\n## Three", top_level=3) == "<h3>One</h3>\n<h4>Two</h4>\n<h3>Three</h3>\n"
    assert to_xhtml(MD, "# One\n\n###### Six", top_level=2) == "<h2>One</h2>\n<h3>Six</h3>\n"


@settings(max_examples=300, deadline=None)
@example("\ufffe\x01\ud800")
@given(st.text(alphabet=st.characters(codec=None), max_size=400))
def test_any_text_gives_well_formed_xhtml(text: str) -> None:
    out = to_xhtml(MD, text)
    parse(out)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "<",
                ">",
                "&",
                "*",
                "_",
                "[",
                "]",
                "(",
                ")",
                "!",
                "`",
                "#",
                "\n",
                " ",
                "x",
                "&nbsp;",
                "&#0;",
                "<b>",
                "](javascript:x)",
                "\u202e",
                "\u00a0",
                "ل",
                "字",
            ]
        ),
        max_size=80,
    ).map("".join)
)
def test_markdown_punctuation_soup_gives_well_formed_xhtml(text: str) -> None:
    parse(to_xhtml(MD, text))


HEADINGS = st.lists(
    st.tuples(st.integers(1, 6), st.text(alphabet="ab <>&h2/", min_size=1, max_size=8)), max_size=8
).map(lambda items: "\n\n".join(f"{'#' * level} {text}\n\n<h{level}> text `<h3>`" for level, text in items))


@settings(max_examples=60, deadline=None)
@given(HEADINGS)
def test_the_printed_book_ranks_an_entry_s_headings_as_a_render_from_h3_does(body: str) -> None:
    """for_print moves them one level down instead of rendering the Markdown again."""
    from ebook.render.views import CountryGroup, EntryView, PartView, RenderedBook, for_print

    view = EntryView(None, 1, "entry-1", "", "", "", "", Markup(to_xhtml(MD, body, 2, "entry-1-b")), ())  # type: ignore[arg-type]
    part = PartView(None, "part-1", "", None, (view,))  # type: ignore[arg-type]
    rendered = RenderedBook(None, (part,), None, None, (CountryGroup("FR", "France", (view,)),), None)  # type: ignore[arg-type]
    printed = for_print(rendered)
    assert printed.entries[0].body == to_xhtml(MD, body, 3, "entry-1-b")
    assert printed.countries[0].entries == printed.entries  # the index shows the same entries
