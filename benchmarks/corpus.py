"""Make synthetic book folders for the benchmarks, from the text of the shipped sample.

    python benchmarks/corpus.py OUT --entries 1400 [--photos 60 --megapixels 12] [--pending 0.05]
                                    [--language en]

Entries cycle through the sample's approved submissions (all their languages and scripts) under
new ids, spread over nested folders, with some pending ones mixed in (with --language, only the
entries in that language). Photos are noisy JPEGs of
the requested size, so that decoding them costs what a phone picture costs. The same arguments
always give the same files. With --markdown, the same text is also written as one Markdown file
for pandoc.
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
from pathlib import Path

import yaml
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent


def sample_entries(language: str | None = None) -> list[dict[str, object]]:
    """The sample's approved entries (an entry without a language is in the book's, English)."""
    entries = []
    for path in sorted((ROOT / "submissions").rglob("*.yaml")):
        data = yaml.load(path.read_text("utf-8"), Loader=yaml.BaseLoader)  # every value stays text
        if data.get("status") == "approved" and language in (None, data.get("language", "en")):
            data.pop("photos", None)
            entries.append(data)
    return entries


def phone_photo(megapixels: float, seed: int) -> bytes:
    """A JPEG that decodes like a camera picture: smooth shapes plus sensor-like noise."""
    rng = random.Random(seed)
    width = int((megapixels * 1_000_000 * 4 / 3) ** 0.5)
    height = int(width * 3 / 4)
    base = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    noise = Image.effect_noise((width, height), 40).convert("RGB")
    tint = Image.new("RGB", (width, height), (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    picture = Image.blend(Image.blend(base, tint, 0.5), noise, 0.25)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=88)
    return out.getvalue()


def write_corpus(
    out: Path, entries: int, photos: int, megapixels: float, pending: float, language: str | None = None
) -> None:
    source = sample_entries(language)
    if not source:
        raise SystemExit(f"the sample has no approved entry in {language}")
    if out.exists():
        shutil.rmtree(out)
    (out / "submissions").mkdir(parents=True)
    book = (ROOT / "book.yaml").read_text("utf-8").replace('title: "Behind the Images"', 'title: "Benchmark Book"')
    (out / "book.yaml").write_text(book, "utf-8")
    rng = random.Random(entries)
    photo_cache: dict[int, bytes] = {}
    for i in range(entries):
        data = dict(source[i % len(source)])
        data["title"] = f"{data['title']} ({i + 1})" if i >= len(source) else data["title"]
        folder = out / "submissions" / str(data["theme"]) / f"batch-{i % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        if rng.random() < pending:
            data["status"] = "pending"
        if i < photos:
            photo_name = f"photos/e{i:05d}.jpg"
            (folder / "photos").mkdir(exist_ok=True)
            key = i  # every photo distinct, as a camera would make them
            if key not in photo_cache:
                photo_cache[key] = phone_photo(megapixels, key)
            (folder / photo_name).write_bytes(photo_cache[key])
            data["photos"] = [{"file": photo_name, "alt": "A benchmark photograph", "caption": f"Photo {i + 1}"}]
        (folder / f"e{i:05d}.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), "utf-8"
        )


def write_markdown(book: Path, target: Path) -> None:
    """The same approved text as one Markdown document, the way a pandoc user would prepare it."""
    config = yaml.load((book / "book.yaml").read_text("utf-8"), Loader=yaml.BaseLoader)
    files = sorted((book / "submissions").rglob("*.yaml"))
    by_theme: dict[str, list[tuple[Path, dict[str, object]]]] = {}
    for path in files:
        data = yaml.load(path.read_text("utf-8"), Loader=yaml.BaseLoader)
        if data.get("status") == "approved":
            by_theme.setdefault(str(data["theme"]), []).append((path, data))
    lines = ["---", f"title: {yaml.safe_dump(config['title']).strip()}", f"lang: {config['language']}", "---", ""]
    lines += [str(config.get("foreword", "")), ""]
    for theme in config["themes"]:
        lines += [f"# {theme['title']}", "", str(theme.get("intro", "")), ""]
        for path, data in by_theme.get(theme["id"], []):
            author = data["author"]
            assert isinstance(author, dict)
            lines += [f"## {data['title']}", "", f"*{author['name']}, {author['role']}, {author['country']}*", ""]
            lines += [str(data["body"]), ""]
            for photo in data.get("photos", []):  # type: ignore[union-attr]
                lines += [f"![{photo['caption']}]({(path.parent / photo['file']).resolve()})", ""]
    target.write_text("\n".join(lines), "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--entries", type=int, default=140)
    parser.add_argument("--photos", type=int, default=0)
    parser.add_argument("--megapixels", type=float, default=12)
    parser.add_argument("--pending", type=float, default=0.05)
    parser.add_argument("--markdown", action="store_true", help="also write book.md for pandoc")
    parser.add_argument("--language", help="only the sample's entries in this language (en: English)")
    args = parser.parse_args()
    write_corpus(args.out, args.entries, args.photos, args.megapixels, args.pending, args.language)
    if args.markdown:
        write_markdown(args.out, args.out / "book.md")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
