"""The web edition (dist/read/) read as a validator and a reader would: every entry page against
the EPUB's text, lang and dir, links and assets inside the folder, citations against the PDF."""

from __future__ import annotations

import dataclasses
import io
import itertools
import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import BOOK_YAML, BookFolder, Run, entry_yaml, jpeg_bytes
from fixture_book import ENTRIES, build
from lxml import etree, html
from PIL import Image
from pypdf import PdfReader
from readers import NS, Epub, pdf_outline

from ebook.options import Options
from ebook.pipeline import load_book
from ebook.problems import problem
from ebook.render.cover import cover_image
from ebook.render.pictures import ImageJobs
from ebook.render.views import RenderedBook, render_book
from ebook.templates.load import Layouts
from ebook.web.edition import contents_page, entry_page, search_script, web_edition, web_site
from ebook.web.search import terms

APPROVED = [name for name, text in ENTRIES.items() if "status: approved" in text]


@pytest.fixture
def dist(built: BookFolder) -> Path:
    """The output folder of the fixture book (fixture_book.py), built once for the session."""
    return built.dist


def page(path: Path) -> html.HtmlElement:
    return html.fromstring(path.read_bytes())


def words(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def epub_entries(dist: Path) -> dict[str, etree._Element]:
    """Each entry's article in the EPUB, by its title."""
    epub = Epub(next(dist.glob("*.epub")))
    found = {}
    for name in epub.spine_documents():
        if name.startswith("text/entry-"):
            article = epub.xml(f"EPUB/{name}").find(".//x:article", NS)
            found[words(article.find(".//x:h1", NS))] = article
    return found


def test_every_approved_entry_has_a_page_with_the_epubs_text_lang_and_dir(dist: Path) -> None:
    read = dist / "read"
    epub = epub_entries(dist)
    assert sorted(p.stem for p in read.glob("*.html") if p.name != "index.html") == sorted(APPROVED)
    assert len(epub) == len(APPROVED)
    for name in APPROVED:
        doc = page(read / f"{name}.html")
        article = doc.find(".//article")
        title = words(article.find(".//h1"))
        assert words(article) == words(epub[title]), name
        assert doc.get("lang") == article.get("lang") == epub[title].get("lang"), name
        assert doc.get("dir") == article.get("dir") == epub[title].get("dir"), name
    assert page(read / "haddad.html").get("dir") == "rtl"
    assert page(read / "oba.html").get("lang") == "ja"
    assert not (read / "draft.html").exists()  # pending: only in serve's preview


def _references(doc: html.HtmlElement) -> list[tuple[str, str]]:
    # What the browser loads by itself (an asset), or what a reader or a program follows (a link).
    def kind(el: html.HtmlElement) -> str:
        return "a" if el.tag == "a" or (el.tag == "link" and el.get("rel") in ("alternate", "prev", "next")) else el.tag

    found = [(kind(el), el.get(attr)) for el in doc.iter() for attr in ("href", "src") if el.get(attr) is not None]
    found += [
        (el.tag, part.split()[0])
        for el in doc.iter("img")
        for part in (el.get("srcset") or "").split(",")
        if part.strip()
    ]
    return found


def test_links_and_assets_resolve_inside_the_folder_and_nothing_comes_from_outside(dist: Path) -> None:
    read = dist / "read"
    pages = sorted(read.rglob("*.html"))
    assert len(pages) >= len(APPROVED) + 6  # contents, foreword, two themes, acknowledgements, contributors
    for path in pages:
        doc = page(path)
        for tag, ref in _references(doc):
            parts = urlsplit(ref)
            if ref.startswith("data:"):
                assert tag == "link", (path, ref)  # the empty icon, so that browsers ask for none
                continue
            if parts.scheme or ref.startswith("//"):
                assert tag == "a" and parts.scheme in ("http", "https", "mailto"), (path, ref)
                continue
            if not parts.path:
                assert not parts.fragment or doc.get_element_by_id(parts.fragment) is not None, (path, ref)
                continue
            target = (path.parent / unquote(parts.path)).resolve()
            assert target.is_file(), (path, ref)
            assert dist.resolve() in target.parents, (path, ref)
            if tag != "a":
                assert read.resolve() in target.parents, (path, ref)  # assets: inside read/
        assert doc.find(".//head/title").text
        assert all(img.get("alt") for img in doc.iter("img")), path
    css = (read / "assets" / "web.css").read_text()
    assert "@import" not in css
    fonts = re.findall(r"url\(\"([^\"]+)\"\)", css)
    assert len(fonts) == 7 and len(fonts) == css.count("url(")
    assert all((read / "assets" / font).read_bytes()[:4] == b"wOF2" for font in fonts)
    assert "SIL Open Font License" in (read / "assets" / "fonts" / "OFL.txt").read_text()
    script = (read / "assets" / "search.js").read_text()
    assert not re.search(r"fetch\(|XMLHttpRequest|https?://", script)


def test_contents_lists_themes_entries_and_authors_with_one_search_box_and_links_both_ways(dist: Path) -> None:
    doc = page(dist / "read" / "index.html")
    assert len(doc.xpath("//input[@type='search']")) == 1
    themes = [words(h) for h in doc.xpath("//nav[@class='contents']//h3")]
    assert themes == ["Theme one", "Theme two"]
    listed = [words(li) for li in doc.xpath("//ol[@class='entries']/li")]
    assert "Night shift in Lyon Émile Zola" in listed
    assert "A quiet voice A radiographer" in listed
    assert doc.xpath("//a[@href='../index.html']"), "the contents links back to the download page"
    download = page(dist / "index.html")
    assert download.xpath("//a[@href='read/index.html']")
    book = json.loads(doc.xpath("//script[@type='application/ld+json']")[0].text)
    assert book["@type"] == "Book" and [c["url"] for c in book["hasPart"]][:2] == ["first.html", "ruiz.html"]
    for name in ("foreword", "acknowledgements", "contributors", "theme-1", "theme-2"):
        assert doc.xpath(f"//a[@href='book/{name}.html']"), name


def test_every_page_offers_the_epub_and_the_pdf(dist: Path) -> None:
    epub, pdf = next(dist.glob("*.epub")).name, next(dist.glob("*.pdf")).name
    for path in (dist / "read").rglob("*.html"):
        root = "../" * len(path.relative_to(dist).parts[1:])
        doc = page(path)
        hrefs = {a.get("href") for a in doc.iter("a")}
        assert f"{root}{epub}" in hrefs and f"{root}{pdf}" in hrefs, path


def _pdf_ranges(pdf: Path) -> dict[str, tuple[str, str]]:
    """Each entry's first and last page, as printed, from the PDF's bookmarks and page labels."""
    reader = PdfReader(pdf)
    labels = reader.page_labels
    texts = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
    marks = [(title, index) for depth, title, index in pdf_outline(pdf)]
    ranges = {}
    for (title, first), (_, after) in itertools.pairwise(marks):
        last = max(i for i in range(first, after) if texts[i].strip() not in ("", labels[i]))
        ranges[title] = (labels[first], labels[last])
    return ranges


def test_citations_give_the_pdfs_pages_and_name_no_anonymous_author(dist: Path) -> None:
    ranges = _pdf_ranges(next(dist.glob("*.pdf")))
    for name in APPROVED:
        doc = page(dist / "read" / f"{name}.html")
        meta = {m.get("name"): m.get("content") for m in doc.iter("meta") if m.get("name", "").startswith("citation_")}
        title = meta["citation_title"]
        assert (meta["citation_firstpage"], meta["citation_lastpage"]) == ranges[title], name
        first, last = ranges[title]
        shown = words(doc.find_class("pdf-pages")[0])
        assert shown == (
            f"page {first} in the PDF edition" if first == last else f"pages {first}–{last} in the PDF edition"
        )
        assert meta["citation_book_title"] == "Voices of 2020"
        assert meta["citation_publisher"] == "Test Society"
        assert meta["citation_publication_date"] == "2020/12/01"
        chapter = json.loads(doc.xpath("//script[@type='application/ld+json']")[0].text)
        assert chapter["@type"] == "Chapter" and (chapter["pageStart"], chapter["pageEnd"]) == (first, last)
        assert chapter["isPartOf"]["name"] == "Voices of 2020"
        cite = words(doc.find_class("cite")[0])
        assert title in cite and "Voices of 2020" in cite
        if name == "anon":
            assert "citation_author" not in meta and "author" not in chapter
            assert cite.startswith("Cite this: A radiographer, “A quiet voice”")
        else:
            assert meta["citation_author"] == chapter["author"]["name"]
    for path in (dist / "read").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".js"):
            assert "Hidden Person" not in path.read_text("utf-8"), path


def test_previous_and_next_follow_the_book_order(dist: Path) -> None:
    order = [a.get("href") for a in page(dist / "read" / "index.html").xpath("//ol[@class='entries']/li/a")]
    assert order == ["first.html", "ruiz.html", "zola.html", "haddad.html", "anon.html", "oba.html"]
    for at, href in enumerate(order):
        doc = page(dist / "read" / href)
        previous = doc.xpath("//nav[@class='turn']//a[@rel='prev']/@href")
        following = doc.xpath("//nav[@class='turn']//a[@rel='next']/@href")
        assert previous == ([order[at - 1]] if at else [])
        assert following == ([order[at + 1]] if at + 1 < len(order) else [])


def test_photos_have_alt_caption_credit_and_a_picture_of_the_folder(dist: Path) -> None:
    doc = page(dist / "read" / "ruiz.html")
    figure = doc.find(".//article//figure")
    img = figure.find("img")
    assert img.get("alt") == "A portable X-ray unit in a corridor"
    assert words(figure.find("figcaption")) == "Our portable unit Photo: E. Ruiz"
    assert (dist / "read" / img.get("src")).read_bytes()[:2] == b"\xff\xd8"
    assert (int(img.get("width")), int(img.get("height"))) == (600, 900)  # turned upright


def test_search_index_holds_every_entry_folded_and_stays_small(dist: Path) -> None:
    script = (dist / "read" / "assets" / "search-index.js").read_text("utf-8")
    index = json.loads(script.removeprefix("window.MAKE_BOOK_SEARCH=").removesuffix(";\n"))
    assert [d[0] for d in index["docs"]] == [
        "first.html",
        "ruiz.html",
        "zola.html",
        "haddad.html",
        "anon.html",
        "oba.html",
    ]
    assert index["terms"] == sorted(index["terms"])
    for word in ("emile", "zola", "الاشعه", "撮影", "影装"):
        assert word in index["terms"], word
    assert len(script.encode()) < 100_000


def test_fold_and_terms_match_the_browsers(tmp_path: Path) -> None:
    """The same vectors through search.py and through search.js in Node.js: index and query agree."""
    vectors = [
        "Émile ÉCOLE naïve İstanbul straße ΣΟΦΟΣ Ångström ﬁne",
        "أَحْمَد إبراهيم آمنة مدرسة ٱلكتاب مستشفى ـمـ الأشعة",
        "新幹線で東京へ行きました。がっこう カタカナ ｶﾀｶﾅ 𠮷野家",
        "हिन्दी पाठ, 한국어 문장, עִבְרִית 12,5 km²",
        "โรงพยาบาลในกรุงเทพ ມື້ນີ້ ព្រះរាជាណាចក្រ မြန်မာစာ",
    ]
    script = Path(__file__).resolve().parents[1] / "layouts" / "web" / "search.js"
    code = f"require({json.dumps(str(script))}); const v = JSON.parse(process.argv[1]);" + (
        "console.log(JSON.stringify(v.map(t => makeBookSearch.terms(t))))"
    )
    out = subprocess.run(["node", "-e", code, json.dumps(vectors)], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [terms(v) for v in vectors]
    assert terms(vectors[0])[:3] == ["emile", "ecole", "naive"]
    assert "الاشعه" in terms(vectors[1]) and "احمد" in terms(vectors[1])
    assert "กร" in terms(vectors[4])  # Thai, written without spaces, is found inside its runs too


def test_a_rebuild_removes_the_pages_of_removed_entries_and_keeps_files_it_did_not_write(tmp_path: Path) -> None:
    book = BookFolder(tmp_path)

    book.write("book.yaml", BOOK_YAML)
    book.submission("alpha", entry_yaml(title="Alpha"))
    photo = 'photos:\n  - file: beta.jpg\n    alt: "A corridor"\n'
    book.submission("beta", entry_yaml(title="Beta", name="Bea Beta", extra=photo))
    book.write("submissions/beta.jpg", jpeg_bytes())
    assert build(book) == 0
    read = tmp_path / "dist" / "read"
    assert (read / "beta.html").is_file() and len(list((read / "pictures").iterdir())) == 1
    (read / "notes.txt").write_text("mine")
    (tmp_path / "submissions" / "beta.yaml").unlink()
    assert build(book) == 0
    assert not (read / "beta.html").exists() and not (read / "pictures").exists()  # emptied, so removed
    assert (read / "alpha.html").is_file() and (read / "notes.txt").read_text() == "mine"
    assert not list((tmp_path / "dist").rglob("*.tmp")) and not (tmp_path / "dist" / ".make-book" / "staging").exists()


def test_an_unchanged_rebuild_checks_the_web_edition_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:

    book = BookFolder(tmp_path)
    book.write("book.yaml", BOOK_YAML)
    book.submission("alpha", entry_yaml(title="Alpha"))
    assert build(book) == 0
    capsys.readouterr()
    assert build(book) == 0
    err = capsys.readouterr().err
    assert "(unchanged" in err and "read/index.html" in err and "alpha.html" not in err
    (tmp_path / "dist" / "read" / "alpha.html").write_text("damaged")
    assert build(book) == 0
    assert "(unchanged" not in capsys.readouterr().err
    assert "Alpha" in (tmp_path / "dist" / "read" / "alpha.html").read_text()


def _rendered(book: BookFolder) -> tuple[RenderedBook, Layouts]:
    loaded, layouts, problems = load_book(Options(book.root / "book.yaml", "book.yaml"))
    assert loaded is not None and layouts is not None, problems
    with ImageJobs([p.source for e in loaded.entries for p in e.photos], None) as jobs:
        images = {source: jobs.image(source).loaded() for source in jobs.plans}
    return render_book(loaded, images, cover_image(loaded.config, None)), layouts


def test_entry_files_are_the_entry_ids_quoted_in_links_and_index_is_kept_for_the_contents(tmp_path: Path) -> None:
    book = BookFolder(tmp_path)
    book.write("book.yaml", BOOK_YAML)
    for ident, title in (("index", "Called index"), ("100% sûr #1", "Odd name"), ("index-entry", "Taken")):
        book.submission(ident, entry_yaml(title=title))
    rendered, layouts = _rendered(book)
    site = web_site(rendered, layouts, None, None)
    assert site.files == {
        "index": "index-entry-entry.html",
        "100% sûr #1": "100% sûr #1.html",
        "index-entry": "index-entry.html",
    }
    files = web_edition(site)
    assert "Called index" in files["index-entry-entry.html"].decode() and "Called index" in files["index.html"].decode()
    contents = html.fromstring(files["index.html"])
    assert contents.xpath("//a[text()='Odd name']/@href") == ["100%25%20s%C3%BBr%20%231.html"]
    assert b"application/pdf" not in files["index.html"]  # no downloads given: no links to them


def test_preview_marks_pending_entries_and_every_page_shows_the_problems(tmp_path: Path) -> None:
    book = BookFolder(tmp_path)
    book.write("book.yaml", BOOK_YAML)
    book.submission("done", entry_yaml(title="Done"))
    book.submission("later", entry_yaml(title="Later", name="Lee Later"))
    rendered, layouts = _rendered(book)
    later = next(v for v in rendered.entries if v.entry.id == "later")
    pending = dataclasses.replace(later, entry=dataclasses.replace(later.entry, status="pending"))
    parts = tuple(
        dataclasses.replace(p, entries=tuple(pending if v is later else v for v in p.entries)) for p in rendered.parts
    )
    rendered = dataclasses.replace(rendered, parts=parts)
    found = problem("submissions/later.yaml", 3, 8, "S004", 'country must be an ISO 3166 code like FR, got "XX"')
    site = web_site(rendered, layouts, None, None, preview=True, problems=(found,))
    files = web_edition(site)
    badges = {
        name: html.fromstring(data).find_class("pending") for name, data in files.items() if name.endswith(".html")
    }
    assert [words(b) for b in badges["later.html"]] == ["pending"] and badges["done.html"] == []
    assert [words(b) for b in badges["index.html"]] == ["pending"]
    for name, data in files.items():
        if name.endswith(".html"):
            assert 'submissions/later.yaml:3:8: S004 country must be an ISO 3166 code like FR, got "XX"' in words(
                html.fromstring(data).find_class("problems")[0]
            ), name
            assert data.endswith(b"</body>\n</html>\n"), name
    plain = web_edition(web_site(rendered, layouts, None, None))
    assert not html.fromstring(plain["later.html"]).find_class("pending")
    assert not html.fromstring(plain["index.html"]).find_class("problems")
    assert entry_page(site, "later") == files["later.html"] and contents_page(site) == files["index.html"]


def test_a_books_own_web_labels_change_the_words_and_their_mistakes_are_reported(
    tmp_path: Path, run: Callable[..., Run]
) -> None:
    book = BookFolder(tmp_path)
    book.write("book.yaml", BOOK_YAML)
    book.submission("alpha", entry_yaml(title="Alpha"))
    book.write("layouts/web/labels.yaml", 'search: "Chercher"\nnext: "Suivant"\n')
    assert run("build", cwd=tmp_path).code == 0
    contents = (tmp_path / "dist" / "read" / "index.html").read_text()
    assert ">Chercher</label>" in contents and "Search the testimonials" in contents  # the others stay
    book.write("layouts/web/labels.yaml", 'serch: "Chercher"\n')
    for command in ("build", "check"):
        result = run(command, cwd=tmp_path)
        assert result.code == 1
        assert (
            result.problems.count('layouts/web/labels.yaml:1:1: F002 unknown field "serch" (did you mean "search"?)')
            == 1
        )


def test_the_search_index_of_140_entries_of_the_samples_text_stays_under_1_mb() -> None:
    """The shipped sample's entries in every language, scaled to the 140 entries of a typical book."""
    root = Path(__file__).resolve().parents[1]
    loaded, layouts, problems = load_book(Options(root / "book.yaml", "book.yaml"))
    assert loaded is not None and layouts is not None, problems
    with ImageJobs([p.source for e in loaded.entries for p in e.photos], None) as jobs:
        rendered = render_book(loaded, {s: jobs.image(s) for s in jobs.plans}, cover_image(loaded.config, None))
        size = len(search_script(web_site(rendered, layouts, None, None)))
    assert len(rendered.entries) >= 50 and len(rendered.book.languages) >= 5
    assert size / len(rendered.entries) * 140 < 1_000_000


def test_a_large_photo_has_a_half_size_copy_for_phones_but_not_in_the_preview(tmp_path: Path) -> None:
    book = BookFolder(tmp_path)
    book.write("book.yaml", BOOK_YAML)
    photos = 'photos:\n  - file: wide.jpg\n    alt: "A wide corridor"\n  - file: narrow.jpg\n    alt: "A door"\n'
    book.submission("alpha", entry_yaml(title="Alpha", extra=photos))
    book.write("submissions/wide.jpg", jpeg_bytes((1401, 1001)))
    book.write("submissions/narrow.jpg", jpeg_bytes((900, 600)))
    rendered, layouts = _rendered(book)
    files = web_edition(web_site(rendered, layouts, None, None))
    wide, narrow = html.fromstring(files["alpha.html"]).xpath("//article//figure/img")
    half, full = (candidate.split() for candidate in wide.get("srcset").split(", "))
    assert full == [wide.get("src"), "1401w"] and half[1] == "701w" and wide.get("sizes")
    assert Image.open(io.BytesIO(files[half[0]])).size == (701, 501)
    assert narrow.get("srcset") is None  # light enough for a phone as it is
    assert sorted(name for name in files if name.startswith("pictures/")) == sorted(
        [wide.get("src"), half[0], narrow.get("src")]
    )
    preview = web_edition(web_site(rendered, layouts, None, None, preview=True))
    assert html.fromstring(preview["alpha.html"]).xpath("//img/@srcset") == []
    assert half[0] not in preview


def test_a_books_own_web_template_that_does_not_work_is_a_problem_and_nothing_is_published(
    tmp_path: Path, run: Callable[..., Run]
) -> None:
    book = BookFolder(tmp_path)
    book.write("book.yaml", BOOK_YAML)
    book.submission("alpha", entry_yaml(title="Alpha"))
    book.write("layouts/web/page.html", '{% extends "web/base.html" %}\n{% block main %}\n{% if %}\n{% endblock %}\n')
    result = run("build", cwd=tmp_path)
    assert result.code == 1
    assert (
        "layouts/web/page.html:3: L004 the template cannot be used: Expected an expression, got 'end of statement block'"
        in (result.problems)
    )
    assert not (tmp_path / "dist" / "read").exists()
