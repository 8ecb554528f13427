"""make-book import's benchmark: a form export into a fresh book, timed as the editor runs it.

    python benchmarks/import_bench.py [--runs 3] [--heic N]

Scenarios (made fresh in a temporary folder; a new book from `make-book new` each run):
  150 rows     40 bodies as Word files (3 paragraphs, a list, a picture each), 60 rows with a
               phone photo (12 MP JPEG, 1.2 MB; --heic N of them HEIC, converted to JPEG:
               encoding the HEIC file takes a minute of the set-up), the rest text
  1,500 rows   the same export ten times over (other names, so other responses), the same files
  again 150    the 150-row import run a second time: every response is skipped
Each figure is the median wall time of `make-book import` as a separate process (Python's start
included), with its peak resident memory. Goal: 150 rows in at most 3 s on the 2-core machine.
"""

from __future__ import annotations

import argparse
import csv
import io
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

MAP = """\
status: pending
theme: first-days
columns:
  "Timestamp": submitted
  "Full name": author.name
  "Role": author.role
  "Country": author.country
  "Title": title
  "Testimonial": body
  "Language": language
  "Photos": photos.file
  "Photo descriptions": photos.alt
  "Consent": consent
values:
  consent: {"Yes": true, "No": false}
"""
COUNTRIES = ("France", "Deutschland", "UK", "España", "Italia", "Nederland", "日本", "Brasil", "USA", "Norge")
LANGUAGES = ("Français", "Deutsch", "English", "Español", "Italiano", "Nederlands", "日本語", "Português", "en", "nb")


def _docx(path: Path, n: int, picture: bytes) -> None:
    import docx

    d = docx.Document()
    d.add_heading(f"Story {n}", level=2)
    for i in range(3):
        p = d.add_paragraph(f"Paragraph {i} of story {n}, written after a long shift. " * 6)
        p.add_run(" With emphasis.").italic = True
    d.add_paragraph("first point", style="List Bullet")
    d.add_paragraph("second point", style="List Bullet")
    d.add_picture(io.BytesIO(picture))
    d.inline_shapes[0]._inline.docPr.set("descr", f"Picture of story {n}")
    d.save(str(path))


def make_files(folder: Path, heic: int) -> None:
    folder.mkdir(parents=True)
    small = io.BytesIO()
    Image.new("RGB", (800, 600), (90, 120, 150)).save(small, "PNG")
    for n in range(40):
        _docx(folder / f"story-{n}.docx", n, small.getvalue())
    # A 12 MP picture that compresses like a photo (a plain one would be too easy, noise too hard).
    base = Image.linear_gradient("L").resize((4032, 3024)).convert("RGB")
    photo = Image.blend(base, Image.effect_noise((4032, 3024), 12).convert("RGB"), 0.25)
    jpeg = io.BytesIO()
    photo.save(jpeg, "JPEG", quality=85)
    if heic:
        from pillow_heif import register_heif_opener

        register_heif_opener()
        heic_bytes = io.BytesIO()
        photo.save(heic_bytes, "HEIF", quality=80)
    for n in range(60):
        if n < heic:
            (folder / f"IMG_{n:04d}.HEIC").write_bytes(heic_bytes.getvalue())
        else:
            (folder / f"IMG_{n:04d}.jpg").write_bytes(jpeg.getvalue())


def write_export(path: Path, rows: int, heic: int) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Timestamp", "Full name", "Role", "Country", "Title", "Testimonial", "Language", "Photos",
                    "Photo descriptions", "Consent", "Email"])  # fmt: skip
        for r in range(rows):
            n = r % 150
            body = f"story-{n % 40}.docx" if n < 40 else ("A day on the ward. " * 40 + "\n\n") * 3
            photo = (f"IMG_{n - 40:04d}.HEIC" if n - 40 < heic else f"IMG_{n - 40:04d}.jpg") if 40 <= n < 100 else ""
            w.writerow([f"2020/11/{1 + r % 28:02d} 10:12:01 AM GMT+1", f"Person {r}", "Radiographer",
                        COUNTRIES[r % 10], f"Testimonial {r}", body, LANGUAGES[r % 10], photo,
                        "The ward at night" if photo else "", "Yes", f"p{r}@example.org"])  # fmt: skip


def timed(args: list[str], cwd: Path) -> tuple[float, float, int]:
    """Wall seconds, peak resident MiB of the child, exit status."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode not in (0, 1):
        print(done.stderr[-2000:], file=sys.stderr)
    return seconds, max(peak, before) / 1024, done.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--heic", type=int, default=0, help="how many of the 60 photos are HEIC (default 0)")
    args = parser.parse_args()
    make_book = [sys.executable, "-m", "ebook"]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_files(root / "files", args.heic)
        for rows in (150, 1500):
            write_export(root / f"responses-{rows}.csv", rows, args.heic)
        results: dict[str, list[tuple[float, float]]] = {"150 rows": [], "1,500 rows": [], "again 150": []}
        for _ in range(args.runs):
            for label, rows in (("150 rows", 150), ("1,500 rows", 1500)):
                book = root / "book"
                shutil.rmtree(book, ignore_errors=True)
                subprocess.run([*make_book, "new", str(book)], check=True, capture_output=True)
                (book / "import.yaml").write_text(MAP, encoding="utf-8")
                command = [*make_book, "import", str(root / f"responses-{rows}.csv"), "--files", str(root / "files")]
                seconds, peak, code = timed(command, book)
                written = len(list((book / "submissions" / "incoming").glob("*.yaml")))
                assert written == rows, f"{label}: {written} files written (exit {code})"
                results[label].append((seconds, peak))
                if rows == 150:
                    seconds, peak, _ = timed(command, book)
                    results["again 150"].append((seconds, peak))
        for label, figures in results.items():
            median = statistics.median(s for s, _ in figures)
            print(f"{label:12} {median:6.2f} s   peak {max(m for _, m in figures):6.0f} MiB   runs: "
                  + ", ".join(f"{s:.2f}" for s, _ in figures))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
