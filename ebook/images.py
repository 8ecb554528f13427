"""Re-encode every picture the book uses: orientation applied, all metadata (EXIF, GPS, XMP) dropped,
scaled for an e-reader screen and a 300 dpi A5 page, named by the hash of the source and recipe.

Decoding is the slow part, so it runs in worker processes from the start of the build: each
picture's name, type and final size are planned from its header alone, the templates use those at
once, and the bytes are waited for only when WeasyPrint or the EPUB needs them. JPEGs are decoded at a
reduced scale (libjpeg's DCT scaling), and results are kept in a content-addressed cache folder.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import io
import os
import warnings
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageFile, ImageOps

from ebook.publish import keep_file

LONG_EDGE = 1600
# Bumped whenever the encoding below changes, so cached results of an older recipe are not served.
RECIPE = "images-5"
_ROTATED = (5, 6, 7, 8)  # EXIF orientations that swap width and height


@dataclass(frozen=True)
class PreparedImage:
    name: str  # images/<hash>.<ext>, the same in the EPUB and for the PDF
    media_type: str
    width: int
    height: int
    load: Callable[[], bytes]  # the bytes; may wait for the background work

    @property
    def data(self) -> bytes:
        return self.load()

    def loaded(self) -> PreparedImage:
        """The same picture with its bytes in hand (waits for them): it can go to another process."""
        return dataclasses.replace(self, load=functools.partial(_given, self.data))


def _given(data: bytes) -> bytes:
    return data


@dataclass(frozen=True)
class Plan:
    """What a picture will become, known from its header before it is decoded."""

    key: str
    width: int
    height: int
    jpeg: bool

    @property
    def name(self) -> str:
        return f"images/{hashlib.sha256(self.key.encode()).hexdigest()[:20]}.{'jpg' if self.jpeg else 'png'}"


def file_digest(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def plan(source: Path, digest: str) -> Plan:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with Image.open(source) as image:
            width, height = image.size
            orientation = _orientation(image)
            jpeg = image.format == "JPEG" or image.mode not in ("RGBA", "LA", "P", "PA")
    if orientation in _ROTATED:
        width, height = height, width
    scale = min(1.0, LONG_EDGE / max(width, height))
    return Plan(f"{digest}-{RECIPE}", max(1, round(width * scale)), max(1, round(height * scale)), jpeg)


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation, 1 when upright. Only JPEG headers carry it; a PNG's EXIF would need
    the whole file decoded."""
    return int(image.getexif().get(0x0112, 1)) if image.format == "JPEG" else 1


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


def encode(source_bytes: bytes, target: Plan) -> bytes:
    with warnings.catch_warnings(), _strict_decoding():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        image = Image.open(io.BytesIO(source_bytes))
        orientation = _orientation(image)
        if image.format == "JPEG":
            # libjpeg decodes at 1/2, 1/4 or 1/8 scale for a fraction of the cost: ask for the
            # smallest scale that still covers the final size.
            rotated = orientation in _ROTATED
            image.draft("RGB", (target.height, target.width) if rotated else (target.width, target.height))
        image.load()
    # Turned upright when the camera says so; otherwise not copied (10 ms for a 12 MP photo).
    upright = ImageOps.exif_transpose(image) if orientation != 1 else image
    if upright.size != (target.width, target.height):
        # After the reduced-scale decode the step left is small (at most 2:1), where bilinear, which
        # Pillow filters over the whole reduction, looks like bicubic: 70 ms instead of 86 for 12 MP.
        upright = upright.resize((target.width, target.height), Image.Resampling.BILINEAR)
    out = io.BytesIO()
    if target.jpeg:
        upright.convert("RGB").save(out, "JPEG", quality=82)
    else:
        upright.save(out, "PNG", optimize=True)
    return out.getvalue()


def _encode_file(source: Path, target: Plan, cache: Path | None) -> bytes | str:
    """Runs in a worker process: the re-encoded bytes, or why the picture cannot be used."""
    try:
        data = encode(source.read_bytes(), target)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as e:
        if isinstance(e, OSError) and e.errno:
            return f"cannot be read: {e.strerror or e}"
        return f"cannot be decoded ({e}); it may be truncated or damaged"
    if cache is not None:
        keep_file(cache / target.key, data)
    return data


class ImageJobs:
    """Pictures being prepared in worker processes; use as a context manager."""

    def __init__(self, sources: Iterable[Path], cache: Path | None, digests: dict[Path, str] | None = None) -> None:
        self.plans: dict[Path, Plan] = {}
        self._results: dict[Path, Future[bytes | str] | bytes | str] = {}
        todo = []
        for source in dict.fromkeys(sources):  # in the book's order, the order they are needed in
            digest = (digests or {}).get(source) or file_digest(source)
            try:
                target = plan(source, digest)
            except (OSError, ValueError, SyntaxError) as e:
                self.plans[source] = Plan(digest, 1, 1, True)
                self._results[source] = f"cannot be decoded ({e}); it may be truncated or damaged"
                continue
            self.plans[source] = target
            if cache is not None and (cache / target.key).is_file():
                self._results[source] = (cache / target.key).read_bytes()
            else:
                todo.append(source)
        # Every core, at a lower priority than the layout, which needs the pictures only at the end
        # (stand_ins.py): they are prepared whenever a core is not laying out.
        workers = min(len(todo), os.cpu_count() or 1)
        self._pool = ProcessPoolExecutor(max_workers=workers, initializer=os.nice, initargs=(10,)) if todo else None
        for source in todo:
            assert self._pool is not None
            self._results[source] = self._pool.submit(_encode_file, source, self.plans[source], cache)

    def __enter__(self) -> ImageJobs:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def result(self, source: Path) -> bytes | str:
        """The prepared bytes, or the reason the picture cannot be used; waits if need be."""
        value = self._results[source]
        if isinstance(value, Future):
            value = value.result()
            self._results[source] = value
        return value

    def image(self, source: Path) -> PreparedImage:
        target = self.plans[source]

        def load() -> bytes:
            data = self.result(source)
            return data if isinstance(data, bytes) else _PLACEHOLDER  # its problem is reported separately

        return PreparedImage(
            target.name, "image/jpeg" if target.jpeg else "image/png", target.width, target.height, load
        )

    def failures(self) -> dict[Path, str]:
        return {s: r for s in self.plans if isinstance(r := self.result(s), str)}


def _placeholder() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1, 1), (200, 200, 200)).save(out, "JPEG")
    return out.getvalue()


_PLACEHOLDER = _placeholder()
