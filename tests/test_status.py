"""make-book status: counts and owing lists checked against the files of a damaged book, the JSON
shape of FORMAT.md, the CSV read back with the csv module, the table, and the --html page opened in
Chromium and checked by axe-core."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import BookFolder, Run, entry_yaml, jpeg_bytes

from ebook.cli import main
from ebook.review.lenient import count_words
from ebook.review.status_formats import CSV_COLUMNS, neutralise

ROOT = Path(__file__).resolve().parent.parent
BODY = "One two three four five."  # 5 words
PHOTO = 'photos:\n  - file: photos/p.jpg\n    alt: "A picture"\n'
THREE_PHOTOS = (
    'photos:\n  - file: photos/p.jpg\n  - file: photos/p.jpg\n    alt: ""\n  - file: photos/p.jpg\n    alt: "fine"\n'
)
CONSENT = "consent is not true"

# Every submission of the damaged book as its files say: status, theme, words, photos, owing.
EXPECTED: dict[str, tuple[str, str | None, int, int, tuple[str, ...]]] = {
    "submissions/clean-one.yaml": ("approved", "one", 5, 0, ()),
    "submissions/clean-two.yaml": ("approved", "two", 5, 1, ()),
    "submissions/clean-pending.yaml": ("pending", "one", 5, 0, ()),
    "submissions/clean-rejected.yaml": ("rejected", "two", 5, 0, ()),
    "submissions/consent-false.yaml": ("approved", "one", 5, 0, (CONSENT,)),
    "submissions/consent-missing.yaml": ("pending", "one", 5, 0, (CONSENT,)),
    "submissions/alt-missing.yaml": ("approved", "one", 5, 3, ("photo 1 has no alt text", "photo 2 has no alt text")),
    "submissions/role-missing.yaml": (
        "approved",
        "one",
        5,
        0,
        ('line 5: F001 the required field "author.role" is missing',),
    ),
    "submissions/bad-yaml.yaml": (
        "approved",
        "one",
        0,
        0,
        ("line 6: Y004 YAML syntax error: found unexpected end of stream",),
    ),
    "submissions/unknown-theme.yaml": (
        "pending",
        "nope",
        5,
        0,
        ('line 2: S002 unknown theme "nope"; book.yaml has one, two',),
    ),
    "submissions/a/twin.yaml": (
        "approved",
        "one",
        5,
        0,
        ('S004 the id "twin" is also used by submissions/b/twin.yaml; rename one of the files',),
    ),
    "submissions/b/twin.yaml": (
        "pending",
        "two",
        5,
        0,
        ('S004 the id "twin" is also used by submissions/a/twin.yaml; rename one of the files',),
    ),
    "submissions/status-bad.yaml": (
        "invalid",
        "one",
        5,
        0,
        ('line 1: S001 "status" must be one of approved, pending, rejected, withdrawn, got "maybe"',),
    ),
    "submissions/status-missing.yaml": (
        "invalid",
        "one",
        5,
        0,
        ('line 1: S001 the required field "status" is missing',),
    ),
    "submissions/withdrawn-broken.yaml": ("withdrawn", "one", 5, 0, (CONSENT,)),
    "submissions/@risk.yaml": ("approved", "one", 5, 0, ()),
}
# What stops the book, in the order the report gives it: approved entries first, then files whose
# status cannot be told, then pending ones (those owing something first), each by theme and id.
NOT_PRINTABLE = [
    "submissions/alt-missing.yaml",
    "submissions/bad-yaml.yaml",
    "submissions/consent-false.yaml",
    "submissions/role-missing.yaml",
    "submissions/a/twin.yaml",
    "submissions/status-bad.yaml",
    "submissions/status-missing.yaml",
    "submissions/consent-missing.yaml",
    "submissions/b/twin.yaml",
    "submissions/unknown-theme.yaml",
    "submissions/clean-pending.yaml",
]


def damaged(book: BookFolder) -> BookFolder:
    """A book with one submission for every kind of owing, and some that owe nothing."""
    book.write("submissions/photos/p.jpg", jpeg_bytes((64, 48)))
    sub = book.submission
    sub("clean-one", entry_yaml(body=BODY))
    sub("clean-two", entry_yaml(theme="two", body=BODY, country="DE", language="de", extra=PHOTO))
    sub("clean-pending", entry_yaml(status="pending", body=BODY, country="JP", language="ja"))
    sub("clean-rejected", entry_yaml(status="rejected", theme="two", body=BODY))
    sub("consent-false", entry_yaml(body=BODY).replace("consent: true", "consent: false"))
    sub("consent-missing", entry_yaml(status="pending", body=BODY).replace("consent: true\n", ""))
    sub("alt-missing", entry_yaml(body=BODY, extra=THREE_PHOTOS))
    sub("role-missing", entry_yaml(body=BODY).replace('  role: "Radiographer"\n', ""))
    sub("bad-yaml", 'status: approved\ntheme: one\ntitle: "unclosed\nbody: |\n  text\n')
    sub("unknown-theme", entry_yaml(status="pending", theme="nope", body=BODY))
    sub("twin", entry_yaml(body=BODY), folder="a/")
    sub("twin", entry_yaml(status="pending", theme="two", body=BODY), folder="b/")
    sub("status-bad", entry_yaml(status="maybe", body=BODY))
    sub("status-missing", entry_yaml(body=BODY).replace("status: approved\n", ""))
    sub("withdrawn-broken", entry_yaml(status="withdrawn", body=BODY).replace("consent: true", "consent: false"))
    sub("@risk", entry_yaml(title='=HYPERLINK(\\"http://x\\")', name="+SUM(A1)", body=BODY))
    return book


@pytest.fixture
def broken(book: BookFolder) -> BookFolder:
    return damaged(book)


def status_out(capsys: pytest.CaptureFixture[str], book: BookFolder, *args: str) -> tuple[int, str, str]:
    """Run make-book status in the book folder; its exit status, standard output and errors."""
    os.chdir(book.root)
    capsys.readouterr()
    code = main(["status", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def status_json(capsys: pytest.CaptureFixture[str], book: BookFolder) -> dict[str, Any]:
    code, out, err = status_out(capsys, book, "--format", "json")
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def test_counts_and_owing_lists_match_the_files(broken: BookFolder, capsys: pytest.CaptureFixture[str]) -> None:
    data = status_json(capsys, broken)
    got = {
        s["path"]: (s["status"], s["theme"], s["words"], s["photos"], tuple(s["owing"])) for s in data["submissions"]
    }
    assert got == EXPECTED
    assert data["counts"] == {"approved": 8, "pending": 4, "rejected": 1, "withdrawn": 1, "invalid": 2}
    one, two = data["themes"]
    assert (one["id"], one["approved"], one["pending"], one["rejected"], one["withdrawn"], one["invalid"]) == (
        "one",
        7,
        2,
        0,
        1,
        2,
    )
    assert (two["id"], two["approved"], two["pending"], two["rejected"], two["withdrawn"], two["invalid"]) == (
        "two",
        1,
        1,
        1,
        0,
        0,
    )
    assert (one["words"], two["words"], data["unsorted"]["pending"], data["unsorted"]["words"]) == (55, 15, 1, 5)
    assert (one["photos"], two["photos"], data["total"]["photos"]) == (3, 1, 4)
    assert data["total"]["words"] == sum(e[2] for e in EXPECTED.values()) == 75
    assert data["total"]["words_approved"] == 35
    assert data["total"]["countries"] == {"FR": 13, "DE": 1, "JP": 1}  # bad-yaml's country cannot be read
    assert data["total"]["languages"] == {"en": 13, "de": 1, "ja": 1}
    assert two["languages"] == {"de": 1, "en": 2} and two["countries"] == {"FR": 2, "DE": 1}
    assert data["not_printable"] == NOT_PRINTABLE
    statuses = {s["path"]: s for s in data["submissions"]}
    assert statuses["submissions/status-bad.yaml"]["written_status"] == "maybe"
    assert statuses["submissions/clean-one.yaml"]["printable"] is True
    assert statuses["submissions/consent-false.yaml"]["printable"] is False
    credits = {s["id"]: s["photos_without_credit"] for s in data["submissions"] if s["photos_without_credit"]}
    assert credits == {"clean-two": [1], "alt-missing": [1, 2, 3]}
    assert statuses["submissions/role-missing.yaml"]["problems"] == [
        {
            "line": 5,
            "column": 3,
            "code": "F001",
            "message": 'the required field "author.role" is missing',
            "severity": "error",
        }
    ]


def test_json_has_format_md_shape(broken: BookFolder, capsys: pytest.CaptureFixture[str]) -> None:
    data = status_json(capsys, broken)
    assert {"counts", "themes", "submissions"} <= set(data)
    assert set(STATUS := ("approved", "pending", "rejected", "withdrawn")) <= set(data["counts"])
    assert all(isinstance(data["counts"][k], int) for k in STATUS)
    assert [t["id"] for t in data["themes"]] == ["one", "two"]  # book.yaml's themes, in its order
    for theme in data["themes"]:
        assert {"id", *STATUS, "words"} <= set(theme)
        assert all(isinstance(theme[k], int) for k in (*STATUS, "words"))
    keys = {"id", "path", "status", "theme", "language", "country", "words", "photos", "owing"}
    for s in data["submissions"]:
        assert keys <= set(s)
        assert isinstance(s["words"], int) and isinstance(s["photos"], int)
        assert all(isinstance(item, str) for item in s["owing"])
    assert {s["id"] for s in data["submissions"]} >= {"clean-one", "twin", "@risk"}


def test_csv_reads_back_and_never_runs_a_formula(broken: BookFolder, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = status_out(capsys, broken, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert len(rows) == len(EXPECTED)
    by_path = {r["path"]: r for r in rows}
    for path, (status, theme, words, photos, owing) in EXPECTED.items():
        row = by_path[path]
        assert (row["status"], row["theme"], row["words"], row["photos"]) == (status, theme, str(words), str(photos))
        assert row["owing"] == "\n".join(owing)
    risk = by_path["submissions/@risk.yaml"]
    assert risk["id"] == "'@risk"
    assert risk["title"] == '\'=HYPERLINK("http://x")'
    assert risk["author"] == "'+SUM(A1)"
    for row in rows:  # no cell a spreadsheet would run
        for cell in row.values():
            assert not cell.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+33 1 23", "'+33 1 23"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("  =1", "'  =1"),
        ("Amélie Durand", "Amélie Durand"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutralise(cell: str, safe: str) -> None:
    assert neutralise(cell) == safe


def test_words_are_counted_as_a_reader_would() -> None:
    assert count_words("First paragraph of the story.\n\nSecond paragraph, with *emphasis*.") == 9
    assert count_words("A CT-scan — don't panic -- 12 times") == 6
    assert count_words("日本語の文章です。") == 8  # an ideograph or kana a word, not the full stop
    assert count_words("") == 0


def test_table_fits_80_columns_without_colour_in_a_pipe(
    book: BookFolder, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    damaged(book)
    book.write(
        "book.yaml",
        (book.root / "book.yaml").read_text()
        + '  - id: a-theme-whose-id-is-long-enough-to-need-cutting\n    title: "Long"\n',
    )
    code, out, _ = status_out(capsys, book)
    assert code == 0
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "\x1b" not in out
    assert lines[0] == "Voices of 2020: 8 approved, 4 pending, 1 rejected, 1 withdrawn, 2 invalid"
    header = lines[1].split()
    assert header == ["theme", "appr.", "pend.", "rej.", "wdr.", "invalid", "words", "photos", "lang.", "ctry."]
    rows = {line.split()[0]: line.split()[1:] for line in lines[3:8] if line.strip()}
    assert rows["one"] == ["7", "2", "0", "1", "2", "55", "3", "2", "2"]
    assert rows["two"] == ["1", "1", "1", "0", "0", "15", "1", "2", "2"]
    assert any(line.startswith("a-theme-whose-id") and "…" in line for line in lines)
    assert [line.split()[3:] for line in lines if line.startswith("(no known theme)")] == [
        ["0", "1", "0", "0", "0", "5", "0", "1", "1"]
    ]
    assert [line.split() for line in lines if line.startswith("total")] == [
        ["total", "8", "4", "1", "1", "2", "75", "4", "3", "3"]
    ]
    assert "Not printable yet: 11" in lines
    at = lines.index("role-missing  approved  one  submissions/role-missing.yaml")
    assert lines[at + 1].rstrip() == '  - line 5: F001 the required field "author.role" is missing'
    assert "pending, owing nothing (1): clean-pending" in out
    assert "withdrawn-broken" not in out  # withdrawn: not on its way to the book, whatever it owes
    assert lines[-2:] == ["Photos without a credit: 2 entries", "alt-missing (photos 1, 2, 3); clean-two (photo 1)"]


def test_table_has_colour_on_a_terminal(broken: BookFolder) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM", "COLUMNS")}
    env["TERM"] = "xterm-256color"
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "ebook", "status"], cwd=broken.root, stdout=follower, stderr=subprocess.PIPE, env=env
    )
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closes when the command ends
            break
        if not chunk:
            break
        out += chunk
    assert process.wait(timeout=60) == 0
    os.close(leader)
    text = out.decode()
    assert "\x1b[" in text  # coloured
    assert "Not printable yet" in text


def test_exit_statuses(
    book: BookFolder, capsys: pytest.CaptureFixture[str], run: Callable[..., Run], tmp_path: Path
) -> None:
    damaged(book)
    assert run("status", "--format", "xml", cwd=book.root).code == 2
    assert run("status", "--no-such-option", cwd=book.root).code == 2
    missing = run("status", "--config", str(tmp_path / "nowhere.yaml"))
    assert missing.code == 1
    assert missing.problems == [f"{tmp_path / 'nowhere.yaml'}: B004 there is no such book file"]
    book.write("book.yaml", "title: [unclosed\n")
    broken_config = run("status", cwd=book.root)
    assert broken_config.code == 1
    assert broken_config.problems[0].startswith("book.yaml:2:1: Y004 YAML syntax error")


def test_files_the_strict_reader_refuses_are_still_counted(
    book: BookFolder, capsys: pytest.CaptureFixture[str]
) -> None:
    sub = book.submission
    sub("tagged", entry_yaml(status="pending", theme="two", body=BODY).replace('title: "', 'title: !!python/object "'))
    sub(
        "aliased",
        entry_yaml(body=BODY).replace("name: ", "name: &who ").replace("consent: true", "consent: true\norder: *who"),
    )
    sub("latin1", entry_yaml(status="rejected", body="Caf\xe9 au lait").encode("latin-1"))
    sub("empty", "")
    sub("a-list", "- status: approved\n")
    sub("huge", "status: approved\nbody: |\n" + "  word\n" * 200_000)
    sub("doubled", entry_yaml(body=BODY) + "theme: two\n")
    book.write("submissions/linked.yaml", "")
    (book.root / "submissions/linked.yaml").unlink()
    (book.root / "submissions/linked.yaml").symlink_to(book.root / "submissions/tagged.yaml")
    data = status_json(capsys, book)
    got = {s["id"]: (s["status"], s["theme"], s["words"]) for s in data["submissions"]}
    assert got == {
        "tagged": ("pending", "two", 5),  # the loose reader reads a tag as text and runs nothing
        "aliased": ("approved", "one", 5),
        "latin1": ("rejected", "one", 3),
        "empty": ("invalid", None, 0),
        "a-list": ("invalid", None, 0),
        "huge": ("invalid", None, 0),  # over 1 MiB: not read at all
        "doubled": ("approved", "one", 5),  # the first theme wins, as the build names the second
        "linked": ("invalid", None, 0),
    }
    owing = {s["id"]: s["owing"] for s in data["submissions"]}
    assert owing["tagged"] == ["line 3: Y005 the tag !!python/object is not allowed; write plain values"]
    assert owing["aliased"][0] == "line 5: Y006 anchors (&who) are not allowed; write each value out"
    assert owing["latin1"][0].startswith("line 5: Y002 the file is not UTF-8 text: byte 0xE9")  # the é of Amélie
    assert owing["empty"] == ["line 1: Y010 the file is empty"]
    assert owing["huge"] == ["Y001 the file is larger than 1024 KiB; split it or shorten it"]
    assert owing["linked"] == ["Y014 the file is a symbolic link; submissions must be real files and folders"]
    assert owing["doubled"] == ['line 11: Y008 the field "theme" is given twice (first on line 2)']


def test_an_empty_book_is_reported_not_failed(book: BookFolder, capsys: pytest.CaptureFixture[str]) -> None:
    data = status_json(capsys, book)
    assert data["submissions"] == [] and data["counts"]["approved"] == 0
    assert data["problems"] == ["submissions: S006 no submission files found (*.yaml under submissions/)"]
    code, out, _ = status_out(capsys, book)
    assert code == 0 and "Not printable yet: 0" in out


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
AXE = ROOT / ".tools/axe/node_modules/axe-core/axe.min.js"


@pytest.mark.slow
def test_html_page_renders_in_chromium_and_axe_finds_nothing(
    broken: BookFolder, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    assert AXE.is_file(), "axe-core is not installed: npm install --prefix .tools/axe axe-core@4"
    broken.write(
        "submissions/rtl.yaml", entry_yaml(status="pending", title="شهادة <b>", language="ar", country="EG", body=BODY)
    )
    page_file = tmp_path / "status.html"
    code, out, err = status_out(capsys, broken, "--html", str(page_file))
    assert code == 0
    assert err.splitlines() == [f"make-book: wrote {page_file}"]
    assert out.startswith("Voices of 2020: 8 approved, 5 pending")  # the table is printed as well
    html = page_file.read_text("utf-8")
    assert "<script" not in html and "http" not in html.replace("http://x", "")  # nothing from elsewhere
    assert "شهادة <b>" not in html  # escaped by the template

    errors: list[str] = []
    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 800})
            page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_file.as_uri())
            assert page.title() == "Status of Voices of 2020"
            charts = page.locator("svg[role=img]")
            assert charts.count() == 4
            names = [charts.nth(i).evaluate("s => s.getAttribute('aria-labelledby')") for i in range(4)]
            assert [page.locator(f"#{n.split()[0]}").inner_text() for n in names] == [
                "Entries per theme, by status",
                "Contributors per country",
                "Languages",
                "Lengths",
            ]
            for i in range(4):  # drawn, not empty
                box = charts.nth(i).bounding_box()
                assert box is not None and box["width"] > 500 and box["height"] > 60
            assert page.locator("#themes rect").count() == 2 + 2 + 1 + 1 + 1 + 1  # segments with a count
            total = page.locator("tfoot tr").first.locator("td").all_inner_texts()
            assert total == ["8", "5", "1", "1", "2", "80", "4", "4", "4"]
            theme_rows = page.locator("table").first.locator("tbody tr").all_inner_texts()
            assert [r.split("\t")[1:] for r in theme_rows] == [
                ["7", "3", "0", "1", "2", "60", "3", "3", "3"],
                ["1", "1", "1", "0", "0", "15", "1", "2", "2"],
                ["0", "1", "0", "0", "0", "5", "0", "1", "1"],
            ]
            owing = page.locator("#owing-title").inner_text()
            assert owing == "Not printable yet: 12"
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        finally:
            browser.close()
    violations = [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in result["violations"]]
    assert violations == []
    assert errors == []
    assert requests == [page_file.as_uri()]


def test_html_page_written_whole_or_not_at_all(book: BookFolder, run: Callable[..., Run], tmp_path: Path) -> None:
    damaged(book)
    unwritable = run("status", "--html", str(tmp_path / "no-such-folder" / "status.html"), cwd=book.root)
    assert unwritable.code == 1
    assert unwritable.lines == [
        f"make-book: cannot write {tmp_path / 'no-such-folder' / 'status.html'}: No such file or directory"
    ]
    book.write("layouts/status.html", "<p>{{ page.status.title }}: {{ page.status.total.entries }} {{ nothing }}</p>")
    target = tmp_path / "status.html"
    broken_layout = run("status", "--html", str(target), cwd=book.root)
    assert broken_layout.code == 1
    assert broken_layout.lines == ["make-book: layouts/status.html cannot be used: 'nothing' is undefined"]
    assert not target.exists() and list(tmp_path.glob(".status.html.*")) == []
    book.write("layouts/status.html", '<p>{{ page.status.title }}: {{ page.status.total.entries }} {{ "& more" }}</p>')
    assert run("status", "--html", str(target), cwd=book.root).code == 0
    assert target.read_text() == "<p>Voices of 2020: 16 &amp; more</p>"  # the book's own layout, autoescaped
    assert oct(target.stat().st_mode & 0o777) == "0o644"


def test_a_photo_that_is_not_there_is_owed_with_its_line(book: BookFolder, capsys: pytest.CaptureFixture[str]) -> None:
    book.submission("lost", entry_yaml(status="pending", extra='photos:\n  - file: photos/lost.jpg\n    alt: "x"\n'))
    (data,) = status_json(capsys, book)["submissions"]
    assert data["owing"] == ['line 14: P003 photo "photos/lost.jpg" is missing']
    assert (data["status"], data["photos"], data["words"]) == ("pending", 1, 9)


ODD_FILES = {
    "binary": bytes(range(256)) * 4,
    "nested": "status: pending\nbody: " + "[" * 500 + "]" * 500 + "\n",
    "status-list": "status: [approved, pending]\ntheme: one\n",
    "photos-number": entry_yaml().replace("consent: true", "consent: true\nphotos: 5"),
    "author-text": "status: approved\ntheme: one\nauthor: somebody\nbody: a b c\n",
    "body-map": "status: approved\ntheme: one\nbody: {a: b}\n",
    "photo-odd": entry_yaml() + "photos: [1, {alt: [x]}, {file: photos/p.jpg, alt: {a: b}}]\n",
    "keys-odd": "? [a, b]\n: c\nstatus: approved\n",
    "bom": "\ufeff" + entry_yaml(status="rejected"),
    "crlf": entry_yaml(status="withdrawn").replace("\n", "\r\n"),
    "nul": entry_yaml(status="pending").replace("Radiographer", "Radio\0grapher"),
    "only-comment": "# nothing here\n",
    "null-status": "status: ~\ntheme: one\n",
}


@pytest.mark.parametrize("name", list(ODD_FILES))
def test_odd_files_are_reported_never_failed(book: BookFolder, capsys: pytest.CaptureFixture[str], name: str) -> None:
    book.submission(name, ODD_FILES[name])
    data = status_json(capsys, book)
    (entry,) = data["submissions"]
    assert entry["id"] == name
    assert entry["owing"] or entry["status"] in ("rejected", "withdrawn")
    assert sum(data["counts"].values()) == 1
    for fmt in ("table", "csv"):
        assert status_out(capsys, book, "--format", fmt)[0] == 0


def test_chart_labels_and_scales() -> None:
    from ebook.review.status_page import nice_step, short

    assert short("Reading from afar") == "Reading from afar"
    assert short("Learning and teaching in lockdown") == "Learning and teaching in lock…"
    assert (
        short("看護師たちの長い夜と朝の記録について") == "看護師たちの長い夜と朝の記録…"
    )  # a wide character counts two
    assert [nice_step(n) for n in (0, 5, 7, 19, 47, 1300)] == [1, 1, 2, 5, 10, 500]
