"""Re-encode every picture the book uses: orientation applied, all metadata (EXIF, GPS, XMP) dropped,
scaled for an e-reader screen and a 300 dpi A5 page, named by the hash of the result.

Decoding is the slow part, so JPEGs are decoded at a reduced scale (libjpeg's DCT scaling via
Image.draft), the work is spread over the cores, and results are kept in a content-addressed cache
folder: a picture already prepared is read back, not decoded again.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import warnings
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageFile, ImageOps

LONG_EDGE = 1600
# Bumped whenever the encoding below changes, so cached results of an older recipe are not served.
RECIPE = "images-1"


@dataclass(frozen=True)
class PreparedImage:
    name: str  # images/<hash>.<ext>, the same in the EPUB and for the PDF
    media_type: str
    data: bytes
    width: int
    height: int


@contextlib.contextmanager
def _strict_decoding() -> Iterator[None]:
    """Importing WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process, which would
    let a damaged picture through silently; while make-book decodes, damage is an error."""
    saved = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = saved


def _encode(source_bytes: bytes) -> tuple[bytes, str, int, int]:
    with warnings.catch_warnings(), _strict_decoding():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        image = Image.open(io.BytesIO(source_bytes))
        is_jpeg = image.format == "JPEG"
        if is_jpeg:
            # libjpeg can decode at 1/2, 1/4 or 1/8 scale for a fraction of the cost: ask for the
            # smallest scale that still covers the final size (both sides, so keep the proportion).
            scale = min(1.0, LONG_EDGE / max(image.size))
            image.draft("RGB", (max(1, int(image.width * scale)), max(1, int(image.height * scale))))
        image.load()
    upright = ImageOps.exif_transpose(image)
    if max(upright.size) > LONG_EDGE:
        upright.thumbnail((LONG_EDGE, LONG_EDGE), Image.Resampling.BICUBIC)  # half the time of LANCZOS
    out = io.BytesIO()
    if is_jpeg or upright.mode not in ("RGBA", "LA", "P"):
        upright.convert("RGB").save(out, "JPEG", quality=82, optimize=True, progressive=False)
        media_type = "image/jpeg"
    else:
        upright.save(out, "PNG", optimize=True)
        media_type = "image/png"
    return out.getvalue(), media_type, upright.width, upright.height


def file_digest(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _prepared(data: bytes) -> PreparedImage:
    media_type = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
    digest = hashlib.sha256(data).hexdigest()[:20]
    return PreparedImage(
        f"images/{digest}.{'png' if media_type == 'image/png' else 'jpg'}", media_type, data, width, height
    )


def _encode_file(source: Path) -> bytes | str:
    """Runs in a worker process: the re-encoded bytes, or why the picture cannot be used."""
    try:
        return _encode(source.read_bytes())[0]
    except OSError as e:
        if isinstance(e, FileNotFoundError) or e.errno:
            return f"cannot be read: {e.strerror or e}"
        return f"cannot be decoded ({e}); it may be truncated or damaged"
    except (ValueError, SyntaxError, Image.DecompressionBombError) as e:
        return f"cannot be decoded ({e}); it may be truncated or damaged"


def prepare_images(
    sources: Iterable[Path], cache: Path | None, digests: dict[Path, str] | None = None, workers: int | None = None
) -> dict[Path, PreparedImage | str]:
    """Each source's prepared image, or the reason it cannot be used. With a cache folder, results
    are kept under the hash of the source and the recipe; digests may bring hashes already made."""
    results: dict[Path, PreparedImage | str] = {}
    keys: dict[Path, str] = {}
    todo = []
    for source in sorted(set(sources)):
        if cache is not None:
            keys[source] = f"{(digests or {}).get(source) or file_digest(source)}-{RECIPE}"
            if (cache / keys[source]).is_file():
                results[source] = _prepared((cache / keys[source]).read_bytes())
                continue
        todo.append(source)
    workers = workers or min(len(todo), os.cpu_count() or 1)
    if workers > 1 and len(todo) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            encoded = list(pool.map(_encode_file, todo))
    else:
        encoded = [_encode_file(s) for s in todo]
    for source, data in zip(todo, encoded, strict=True):
        if isinstance(data, str):
            results[source] = data
            continue
        if cache is not None:
            cache.mkdir(parents=True, exist_ok=True)
            tmp = cache / f"{keys[source]}.tmp{os.getpid()}"
            tmp.write_bytes(data)
            tmp.replace(cache / keys[source])
        results[source] = _prepared(data)
    return dict(sorted(results.items()))
