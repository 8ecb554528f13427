"""Typographer's marks by language (render/typography.py): quotes, apostrophes, dashes, ellipses,
French spaces; never in code, addresses or across paragraphs; quotes nothing pairs stay straight
and `make-book check` says where; `typography: plain` keeps the text as typed."""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import BOOK_YAML, BookFolder, Run, entry_yaml, jpeg_bytes
from fontTools.ttLib import TTCollection, TTFont
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree
from pypdf import PdfReader
from readers import NS, Epub, pdf_page_texts, run_epubcheck

from ebook.render.markdown import make_parser, to_xhtml
from ebook.render.typography import NARROW_NBSP, NBSP, Piece, marks_for, typeset_pieces, typeset_text

MD = make_parser()

# CLDR's marks (as ICU 72-76 carry them): primary open and close, alternate open and close.
CLDR = {
    "en": "“”‘’",
    "fr": "«»«»",
    "de": "„“‚‘",
    "es": "«»“”",
    "it": "«»“”",
    "pt": "“”‘’",
    "nl": "‘’‘’",
    "pl": "„”«»",
    "ru": "«»„“",
    "el": "«»“”",
    "tr": "“”‘’",
    "ja": "「」『』",
    "zh-Hans": "“”‘’",
    "zh-Hant": "「」『』",
    "ko": "“”‘’",
    "ar": "”“’‘",
    "he": "””’’",
}
# A word of each language, for sentences that read as its text would.
WORDS = {
    "en": "word",
    "fr": "mot",
    "de": "Wort",
    "es": "palabra",
    "it": "parola",
    "pt": "palavra",
    "nl": "woord",
    "pl": "słowo",
    "ru": "слово",
    "el": "λέξη",
    "tr": "kelime",
    "ko": "단어",
    "ar": "كلمة",
    "he": "מילה",
}
UNSPACED = ("ja", "zh-Hans", "zh-Hant")


def typed(language: str) -> str:
    """Straight quotes, a nested pair, dashes, an ellipsis and an apostrophe, as a phone types them."""
    if language in UNSPACED:
        return "彼は\"これは'二'です\"と言った--ね---よ...O'Brien"
    w = WORDS[language]
    return f"{w} \"{w} '{w}' {w}\" {w} -- {w} --- {w}... O'Brien"


def printed(language: str) -> str:
    """What a typesetter prints for typed(language): CLDR's marks, the nested pair alternate."""
    p0, p1, a0, a1 = CLDR[language]
    if language in UNSPACED:
        return f"彼は{p0}これは{a0}二{a1}です{p1}と言った–ね—よ…O’Brien"
    w = WORDS.get(language, "")
    if language == "fr":  # a narrow no-break space inside « »
        p0, p1, a0, a1 = (f"{p0}{NARROW_NBSP}", f"{NARROW_NBSP}{p1}", f"{a0}{NARROW_NBSP}", f"{NARROW_NBSP}{a1}")
    return f"{w} {p0}{w} {a0}{w}{a1} {w}{p1} {w} – {w} — {w}… O’Brien"


@pytest.mark.parametrize("language", list(CLDR))
def test_marks_come_from_cldr(language: str) -> None:
    marks = marks_for(language)
    assert "".join(marks.primary + marks.alternate) == CLDR[language]


def test_regional_tags_fall_back_as_cldr_does() -> None:
    assert marks_for("de-AT").primary == ("„", "“")
    assert marks_for("pt-PT").primary == ("«", "»")
    assert marks_for("zh-TW").primary == ("「", "」")
    assert marks_for("fr-CA").alternate == ("”", "“")
    assert marks_for("x-unknown").primary == ("“", "”")  # CLDR's root


@pytest.mark.parametrize("language", list(CLDR))
def test_each_language_gets_its_own_marks(language: str) -> None:
    done = typeset_text(typed(language), marks_for(language))
    assert done.texts == (printed(language),) and done.straight == ()


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "O'Brien's patients, l'hôpital, don't", "O’Brien’s patients, l’hôpital, don’t"),
        ("en", "the '90s and the students' books, goin' home", "the ’90s and the students’ books, goin’ home"),
        ("en", "'90 was a year,' she said", "“90 was a year,” she said"),
        ("nl", "'s Avonds zei hij 't", "’s Avonds zei hij ’t"),
        ("en", "\"'Nested' first\" and \"last 'nested'\"", "“‘Nested’ first” and “last ‘nested’”"),
        ("en", '"one \'two "three" two\' one"', "“one ‘two “three” two’ one”"),
        ("de", "Er sagte: \"Hallo 'du'\".", "Er sagte: „Hallo ‚du‘“."),
        ("es", '"¿Qué?" dijo.', "«¿Qué?» dijo."),
        ("en", '("quoted") and "end".', "(“quoted”) and “end”."),
        ("en", 'She said: "wait -- no."', "She said: “wait – no.”"),
        ("en", "a---b and c--d, not ---- nor ....", "a—b and c–d, not ---- nor ...."),
        ("en", "5-10, well-known, 2020-12-01", "5-10, well-known, 2020-12-01"),
        ("he", 'צה"ל אמר "שלום"', 'צה"ל אמר ”שלום”'),  # a gershayim is not a quote
        ("ja", '「もう」と"彼"は言った', "「もう」と「彼」は言った"),
    ],
)
def test_quotes_apostrophes_and_dashes_in_context(language: str, text: str, expected: str) -> None:
    done = typeset_text(text, marks_for(language))
    assert done.texts == (expected,) and done.straight == ()


def test_marks_the_author_typed_are_kept_and_count_for_nesting() -> None:
    fr = marks_for("fr")
    assert (
        typeset_text('« Il a dit "non" »', fr).texts[0]
        == f"«{NARROW_NBSP}Il a dit «{NARROW_NBSP}non{NARROW_NBSP}»{NARROW_NBSP}»"
    )
    assert typeset_text('“Typed ‘already’” and "new"', marks_for("en")).texts[0] == "“Typed ‘already’” and “new”"
    assert typeset_text('„Sie sagte "ja"“', marks_for("de")).texts[0] == "„Sie sagte ‚ja‘“"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('Il a dit "oui" : bien !', "Il a dit «\u202foui\u202f»\u00a0: bien\u202f!"),
        ("Quoi?! Vraiment ; oui:", "Quoi\u202f?! Vraiment\u202f; oui\u00a0:"),
        (
            "« déjà  espacé » et «collé»",
            "«\u202fdéjà\u202fespacé\u202f» et «\u202fcollé\u202f»".replace("déjà\u202fespacé", "déjà  espacé"),
        ),
        ("à 12:30 (?) voir https://a.fr/x?y=1:2 !", "à 12:30 (?) voir https://a.fr/x?y=1:2\u202f!"),
    ],
)
def test_french_spaces(text: str, expected: str) -> None:
    assert typeset_text(text, marks_for("fr")).texts[0] == expected


def test_french_quotes_typed_with_spaces_inside() -> None:
    assert typeset_text('Il a dit " oui " puis " non ".', marks_for("fr")).texts[0] == (
        "Il a dit «\u202foui\u202f» puis «\u202fnon\u202f»."
    )
    nested = typeset_text('"Il a dit "oui" puis "non"."', marks_for("fr")).texts[0]
    assert nested == "«\u202fIl a dit «\u202foui\u202f» puis «\u202fnon\u202f».\u202f»"
    assert typeset_text('He said " yes " twice', marks_for("en")).straight != ()  # elsewhere a guess


def test_french_spaces_are_no_break_spaces() -> None:
    for space in (NARROW_NBSP, NBSP):
        assert unicodedata.category(space) == "Zs" and space not in " \t"


def test_addresses_are_left_as_typed() -> None:
    text = "See https://example.org/a--b/it's?q=x... and www.x.org/--y or write to jo--e.o'hara@example.com --"
    out = typeset_text(text, marks_for("en")).texts[0]
    assert "https://example.org/a--b/it's?q=x…" in out and "www.x.org/--y" in out
    assert "jo--e.o'hara@example.com" in out and out.endswith(" –")


def test_markup_typed_as_text_is_left_as_typed() -> None:
    out = xhtml('Type <a href="x">it\'s</a> and <!-- "no" -- --> then "yes"')
    assert out == '<p>Type &lt;a href="x"&gt;it’s&lt;/a&gt; and &lt;!-- "no" -- --&gt; then “yes”</p>\n'


def test_fixed_pieces_are_context_only() -> None:
    done = typeset_pieces(
        [Piece('He typed "'), Piece('ls "-la"', fixed=True), Piece('" -- then'), Piece("\n", True)], marks_for("en")
    )
    assert done.texts == ("He typed “", 'ls "-la"', "” – then", "\n")


def xhtml(text: str, language: str = "en") -> str:
    return to_xhtml(MD, text, marks=marks_for(language))


def test_markdown_code_links_and_markup_are_untouched() -> None:
    text = textwrap.dedent(
        """\
        Run `echo "it's" -- done...` then "go" -- [the 'site'](https://x.org/a--b?c="d") <https://y.org/e--f...>

            indented "code" -- block...

        ```
        fenced "code" -- block...
        ```

        *"emphasis"* and **'strong'** or "a *mixed* one" \\"escaped\\" e--mail@x.org
        """
    )
    out = xhtml(text)
    assert '<code>echo "it\'s" -- done...</code> then “go” – <a href="https://x.org/a--b?c=%22d%22"' in out
    assert ">the “site”</a>" in out and ">https://y.org/e--f...</a>" in out
    assert 'indented "code" -- block...' in out and 'fenced "code" -- block...' in out
    assert '<em>“emphasis”</em> and <strong>“strong”</strong> or “a <em>mixed</em> one” "escaped" e--mail@x.org' in out


def test_quotes_never_pair_across_paragraphs_or_list_items() -> None:
    text = 'One "open\n\nclose" two\n\n- item "a\n- b" item'
    env: dict[str, object] = {"marks": marks_for("en")}
    MD.parse(text, env)
    assert env["straight"] == [(0, '"'), (2, '"'), (4, '"'), (5, '"')]
    assert xhtml(text).count('"') == 4


def test_a_soft_line_break_is_counted_in_the_line() -> None:
    env: dict[str, object] = {"marks": marks_for("en")}
    MD.parse('Fine "here"\nand "there\nstill fine.', env)
    assert env["straight"] == [(1, '"')]


def test_without_marks_markdown_is_as_typed() -> None:
    assert to_xhtml(MD, 'Plain "text" -- as typed...') == '<p>Plain "text" -- as typed...</p>\n'


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("ab 1\"'-.:;!?«»“”\n`*[]()<>&\\_#é日ש")) | st.characters(), max_size=120),
    st.sampled_from(list(CLDR)),
)
@example("\"a 'b' c\" -- d... l'e", "fr")
@example('`"`"x"`"`', "en")
def test_any_text_keeps_its_letters_and_digits_and_stays_well_formed(text: str, language: str) -> None:
    marks = marks_for(language)
    out = typeset_text(text, marks).texts[0]

    def kept(s: str) -> list[str]:
        return [c for c in s if unicodedata.category(c)[0] in "LN"]

    assert kept(out) == kept(text)
    assert {c for c in text} - {c for c in out} <= set("\"'-. \t\u00a0\u2009\u202f")
    changed = {c for c in out} - {c for c in text}
    assert changed <= set("".join(marks.primary + marks.alternate) + "’–—…" + NARROW_NBSP + NBSP)
    fragment = to_xhtml(MD, text, marks=marks)
    etree.fromstring(f'<div xmlns="http://www.w3.org/1999/xhtml">{fragment}</div>')
    assert kept("".join(etree.fromstring(f"<div>{fragment}</div>").itertext())) == kept(
        "".join(etree.fromstring(f"<div>{to_xhtml(MD, text)}</div>").itertext())
    )


# -- make-book check: where the quotes left straight are ---------------------------------------


def test_check_warns_about_each_quote_left_straight_with_its_line(book: BookFolder, run: Callable[..., Run]) -> None:
    book.write("book.yaml", BOOK_YAML.replace('intro: "The first theme."', 'intro: |\n      The "first\n      theme.'))
    body = 'Fine "here".\n\nAn "open quote.\nAnd `"code"` is fine, \\"so is this.\n\n> quoted \'on\n> line 7'
    book.submission("a", entry_yaml(title='A \\"title', body=body))
    book.submission("b", entry_yaml(title="Fine 'title'", body='It\'s all "fine" here.', theme="two"))
    result = run("check", cwd=book.root)
    assert result.code == 0
    assert result.problems == [
        'book.yaml:19: warning: T002 "themes[1].intro": the quotation mark " has no partner, so it is printed as typed (add its partner, or write \\" to keep it straight)',
        'submissions/a.yaml:3: warning: T002 "title": the quotation mark " has no partner, so it is printed as typed (add its partner)',
        'submissions/a.yaml:12: warning: T002 "body": the quotation mark " has no partner, so it is printed as typed (add its partner, or write \\" to keep it straight)',
        "submissions/a.yaml:15: warning: T002 \"body\": the quotation mark ' has no partner, so it is printed as typed (add its partner, or write \\' to keep it straight)",
    ]


def test_plain_typography_keeps_the_text_as_typed_and_warns_of_nothing(
    book: BookFolder, run: Callable[..., Run]
) -> None:
    book.write("book.yaml", BOOK_YAML + "typography: plain\n")
    book.submission("a", entry_yaml(title='A \\"title', body='An "open quote -- as typed...'))
    book.submission("b", entry_yaml(theme="two"))
    result = run("check", cwd=book.root)
    assert (result.code, result.problems) == (0, [])


def test_an_unknown_typography_setting_is_an_error(book: BookFolder, run: Callable[..., Run]) -> None:
    book.write("book.yaml", BOOK_YAML + "typography: fancy\n")
    book.submission("a", entry_yaml())
    result = run("check", cwd=book.root)
    assert result.code == 1
    assert result.problems == ['book.yaml:21:13: T003 "typography" must be smart or plain, got "fancy"']


# -- a real book: the marks in the EPUB's text and the PDF's text --------------------------------


def _body_text(epub: Epub, document: str) -> str:
    root = epub.xml(f"EPUB/{document}")
    return " | ".join("".join(p.itertext()) for p in root.iterfind(".//x:p", NS))


@pytest.mark.slow
def test_a_book_in_seventeen_languages(book: BookFolder, run: Callable[..., Run]) -> None:
    book.write(
        "book.yaml",
        BOOK_YAML.replace('title: "Voices of 2020"', 'title: "Voices of \'20"').replace(
            "A *short* foreword.", 'A "short" foreword -- isn\'t it?'
        ),
    )
    for number, language in enumerate(CLDR, start=1):
        body = f'{typed(language)} `"code" --` https://example.org/a--b\n\nA "second" one -- here.\n'
        book.submission(
            f"e{number:02d}",
            entry_yaml(
                title=f'{language} \\"title\\"',
                name="Pat O'Brien",
                language=language,
                body=body,
                extra=f"order: {number}\n",
                theme="two" if language == "he" else "one",
            ),
        )
    result = run("build", cwd=book.root)
    assert result.code == 0, result.stderr
    assert result.problems == []
    epub = Epub(book.dist / "voices-of-20.epub")
    assert run_epubcheck(epub.path) == []
    pdf = book.dist / "voices-of-20.pdf"
    pdf_text = re.sub(r"\s+", " ", " ".join(pdf_page_texts(pdf)))
    entries = [d for d in epub.spine_documents() if "entry-" in d]
    assert len(entries) == len(CLDR)
    for document, language in zip(entries, CLDR, strict=True):
        p0, p1, _, _ = CLDR[language]
        text = _body_text(epub, document)
        assert f'| {printed(language)} "code" -- https://example.org/a--b | A ' in text, (language, text)
        title = "".join(epub.xml(f"EPUB/{document}").find(".//x:h1", NS).itertext())
        assert title.startswith(
            f"{language} {p0}title{p1}".replace("fr «title»", f"fr «{NARROW_NBSP}title{NARROW_NBSP}»")
        )
        # pdftotext gives U+202F as a space; right-to-left lines come out in reading order, with
        # the Latin runs around them placed as drawn: the language's own words are checked there.
        words = printed(language).split(" O’Brien")[0].replace(NARROW_NBSP, " ")
        if language in ("ar", "he"):
            words = words.removesuffix("…")
        assert words in pdf_text, (language, words)
    assert "A “short” foreword – isn’t it?" in pdf_text and "Pat O’Brien" in pdf_text
    assert "Voices of ’20" in pdf_text and "Voices of ’20" in (book.dist / "index.html").read_text()
    title = epub.opf.find(".//dc:title", NS)
    assert title is not None and title.text == "Voices of ’20"
    for number, language in enumerate(CLDR, start=1):  # the web edition prints the EPUB's text
        page = etree.parse(book.dist / "read" / f"e{number:02d}.html", etree.HTMLParser()).getroot()
        assert printed(language) in "".join(page.itertext()), language
    assert '"code" --' in pdf_text and "https://example.org/a--b" in pdf_text.replace("‐ ", "")
    _every_mark_is_set_in_a_noto_face(pdf)


MARKS = set("“”‘’„‚«»「」『』–—…")


def _every_mark_is_set_in_a_noto_face(pdf: Path) -> None:
    faces: dict[str, set[str]] = {}

    def seen(text: str, cm: object, tm: object, font: dict[str, object] | None, size: float) -> None:
        for char in set(text) & MARKS:
            faces.setdefault(char, set()).add(str(font["/BaseFont"]).split("+")[-1] if font else "none")

    for page in PdfReader(pdf).pages:
        page.extract_text(visitor_text=seen)
    assert set(faces) == MARKS, faces
    assert all(face.startswith("Noto") for found in faces.values() for face in found), faces


FONTS = Path("/usr/share/fonts")


def test_the_book_faces_have_every_new_mark() -> None:
    """book.css sets text in Noto Serif and headings in Noto Sans, the CJK faces after them: between
    them they have each mark (and the Arabic and Hebrew faces fall back to Noto Serif and Sans)."""
    marks = MARKS | {"‚", "‹", "›", NARROW_NBSP, NBSP}

    def cmap(name: str) -> set[int]:
        found = list(FONTS.rglob(name))
        assert found, name
        if name.endswith(".ttc"):
            return set(TTCollection(found[0]).fonts[0].getBestCmap())
        return set(TTFont(found[0], lazy=True).getBestCmap())

    for latin, cjk in (
        ("NotoSerif-Regular.ttf", "NotoSerifCJK-Regular.ttc"),
        ("NotoSans-Regular.ttf", "NotoSansCJK-Regular.ttc"),
    ):
        have = cmap(latin) | cmap(cjk)
        assert {ord(c) for c in marks} <= have, [c for c in marks if ord(c) not in have]
    assert {ord(c) for c in marks} - {0x300C, 0x300D, 0x300E, 0x300F} <= cmap("NotoSerif-Regular.ttf")


def _lines_laid_out(html: str) -> list[tuple[str, str]]:
    """(language, text) of every line WeasyPrint lays out."""
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    found: list[tuple[str, str]] = []

    def walk(box: boxes.Box, language: str) -> None:
        element = getattr(box, "element", None)
        language = element.get("lang", language) if element is not None else language
        if isinstance(box, boxes.LineBox):
            found.append((language, "".join(t.text for t in box.descendants() if isinstance(t, boxes.TextBox))))
            return
        for child in getattr(box, "children", ()):
            walk(child, language)

    for page in HTML(string=html).render().pages:
        walk(page._page_box, "en")
    return found


@pytest.mark.slow
def test_no_line_ends_with_an_opening_mark_or_begins_with_a_closing_one() -> None:
    words = {
        **WORDS,
        "fr": "extraordinaire",
        "de": "Donaudampfschiff",
        "ja": "日本語の文章です",
        "zh-Hans": "中文句子",
        "zh-Hant": "中文句子",
    }
    paragraphs = []
    for language in ("en", "fr", "de", "pl", "ru", "el", "ar", "he", "ko", "ja", "zh-Hans", "zh-Hant"):
        w = words[language]
        pieces = [f'"{w} {w}" {w}', f"'{w}' {w} --", f"{w}... {w} !", f"{w}: «{w}»", f"{w} \"{w} '{w}'\""]
        text = " ".join(pieces[(i * 7) % len(pieces)] for i in range(40))
        direction = "rtl" if language in ("ar", "he") else "ltr"
        paragraphs.append(
            f'<p lang="{language}" dir="{direction}">{typeset_text(text, marks_for(language)).texts[0]}</p>'
        )
    style = "<style>@page { size: A4; margin: 1cm } p { font-family: 'Noto Serif', 'Noto Serif CJK JP'; }</style>"
    checked = 0
    for width in ("2.6cm", "3.4cm", "4.4cm"):
        lines = _lines_laid_out(f"{style}<div style='width: {width}'>{''.join(paragraphs)}</div>")
        for language, line in lines:
            p0, p1, a0, a1 = CLDR[language]
            text = line.strip()
            if not text:
                continue
            checked += 1
            assert not (text[-1] in (p0, a0) and text[-1] not in (p1, a1)), (width, language, line)
            assert not (text[0] in (p1, a1) and text[0] not in (p0, a0)), (width, language, line)
            assert text[0] not in "…!?;:", (width, language, line)
    assert checked > 500


def test_folded_and_one_line_texts_are_placed_on_their_lines(book: BookFolder, run: Callable[..., Run]) -> None:
    text = entry_yaml(title='Plain \\"title', body="Fine.").replace(
        "body: |\n  Fine.\n", "body: >\n  Folded \"text\n  goes on.\n\n\n  Second 'para\n"
    )
    book.submission("a", text)
    book.submission("b", entry_yaml(theme="two"))
    result = run("check", cwd=book.root)
    assert result.problems == [
        'submissions/a.yaml:3: warning: T002 "title": the quotation mark " has no partner, so it is printed as typed (add its partner)',
        'submissions/a.yaml:10: warning: T002 "body": the quotation mark " has no partner, so it is printed as typed (add its partner, or write \\" to keep it straight)',
        "submissions/a.yaml:14: warning: T002 \"body\": the quotation mark ' has no partner, so it is printed as typed (add its partner, or write \\' to keep it straight)",
    ]


@pytest.mark.parametrize("setting", ["", "typography: smart\n", "typography: plain\n"])
def test_the_setting_decides_for_every_text_of_the_book(book: BookFolder, setting: str) -> None:
    from ebook.options import Options
    from ebook.pipeline import load_book
    from ebook.render.pictures import PreparedImage
    from ebook.render.views import render_book

    book.write("book.yaml", BOOK_YAML.replace("A *short* foreword.", 'A "short" foreword...') + setting)
    book.submission("a", entry_yaml(title='It\'s \\"one\\"', name="Pat O'Brien", body='Body "text" -- here.'))
    photo = 'photos:\n  - file: x.jpg\n    alt: "Ein \\"Bild\\""\n    caption: "Unser -- Gerät"\n    credit: "Foto: O\'Neil"\n'
    book.submission("b", entry_yaml(theme="two", language="de", body='Ein "Text".', extra=photo))
    book.write("submissions/x.jpg", jpeg_bytes())
    loaded, _, problems = load_book(Options(book.root / "book.yaml", "book.yaml", environ={}))
    assert loaded is not None, problems
    (picture,) = loaded.entries[1].photos
    smart = setting != "typography: plain\n"
    expected = (
        ("Ein „Bild“", "Unser – Gerät", "Foto: O’Neil") if smart else ('Ein "Bild"', "Unser -- Gerät", "Foto: O'Neil")
    )
    assert (picture.alt, picture.caption, picture.credit) == expected
    loaded = replace(
        loaded, parts=tuple(replace(p, entries=tuple(replace(e, photos=()) for e in p.entries)) for p in loaded.parts)
    )
    rendered = render_book(loaded, {}, PreparedImage("images/cover.jpg", "image/jpeg", 1, 1, bytes))
    first, second = rendered.entries
    texts = (first.entry.title, first.entry.author.name, str(first.body), str(second.body), str(rendered.foreword))
    if setting == "typography: plain\n":
        assert texts == (
            'It\'s "one"',
            "Pat O'Brien",
            '<p id="entry-1-b1">Body "text" -- here.</p>\n',
            '<p id="entry-2-b1">Ein "Text".</p>\n',
            '<p id="foreword-b1">A "short" foreword...</p>\n',
        )
    else:
        assert texts == (
            "It’s “one”",
            "Pat O’Brien",
            '<p id="entry-1-b1">Body “text” – here.</p>\n',
            '<p id="entry-2-b1">Ein „Text“.</p>\n',
            '<p id="foreword-b1">A “short” foreword…</p>\n',
        )
