"""Re-encode every picture the book uses: orientation applied, all metadata (EXIF, GPS, XMP) dropped,
scaled for an e-reader screen and a 300 dpi A5 page, named by the hash of the source and recipe.

Decoding is the slow part, so it runs in worker processes from the start of the build: each
picture's name, type and final size are planned from its header alone, the templates use those at
once, and the bytes are waited for only when WeasyPrint or the EPUB needs them. Results are kept in
a content-addressed cache folder, one for each set of Python packages installed (installed.py).

A JPEG is decoded at a reduced scale by libjpeg-turbo itself (simplejpeg), which can decode at any
scale of M/8: the smallest scale that covers LONG_EDGE is taken, and kept as it comes when it is at
most 10 % larger. So a 12 MP photo of 4000 × 3000 pixels is decoded straight to 1500 × 1125 and
never resized: 47 ms in all with its encoding, against 83 ms for a decode at 1/2 (the only scales
Pillow asks libjpeg for are 1/2, 1/4 and 1/8) followed by a resize.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import io
import multiprocessing
import os
import signal
import warnings
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageFile

from ebook.bookkeeping.fingerprints import packages_fingerprint
from ebook.bookkeeping.kept import file_digest, keep_file

# 1500 pixels: 320 dpi across the 118 mm of an A5 page's text, and an e-reader's full screen.
LONG_EDGE = 1500
_SLACK = 1.1  # a JPEG decoded at a reduced scale is kept at that size when at most this much larger
# Bumped whenever the encoding below changes, so cached results of an older recipe are not served.
RECIPE = "images-6"
# What turns a picture upright, by its EXIF orientation.
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_ROTATED = (5, 6, 7, 8)  # those that swap width and height


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


def plan(source: Path, digest: str) -> Plan:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with Image.open(source) as image:
            width, height = final_size(image)
            orientation = _orientation(image)
            jpeg = image.format == "JPEG" or image.mode not in ("RGBA", "LA", "P", "PA")
    if orientation in _ROTATED:
        width, height = height, width
    return Plan(f"{digest}-{RECIPE}", width, height, jpeg)


def final_size(image: Image.Image) -> tuple[int, int]:
    """The size a picture is scaled to, before it is turned upright, from its header."""
    width, height = image.size
    long_edge = max(width, height)
    if long_edge <= LONG_EDGE:
        return width, height
    if _scalable(image):
        eighths = next(m for m in range(1, 9) if -(-long_edge * m // 8) >= LONG_EDGE)
        if -(-long_edge * eighths // 8) <= LONG_EDGE * _SLACK:
            return -(-width * eighths // 8), -(-height * eighths // 8)  # libjpeg rounds up
    scale = LONG_EDGE / long_edge
    return max(1, round(width * scale)), max(1, round(height * scale))


def _scalable(image: Image.Image) -> bool:
    """Whether libjpeg-turbo decodes it to RGB or grey at a reduced scale: a JPEG, but not a CMYK one."""
    return image.format == "JPEG" and image.mode in ("RGB", "L")


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
        header = Image.open(io.BytesIO(source_bytes))  # reads the header only
        orientation = _orientation(header)
        size = (target.height, target.width) if orientation in _ROTATED else (target.width, target.height)
        picture: Image.Image = header
        if _scalable(header):
            import simplejpeg  # only in the worker processes: it imports NumPy

            grey = header.mode == "L"
            pixels = simplejpeg.decode_jpeg(
                source_bytes, "GRAY" if grey else "RGB", min_width=size[0], min_height=size[1], strict=True
            )
            picture = Image.fromarray(pixels[:, :, 0] if grey else pixels)
        else:
            if header.format == "JPEG":  # a CMYK one: Pillow's libjpeg decodes it at 1/2, 1/4 or 1/8
                header.draft(None, size)
            picture.load()
    if picture.size != size:  # Pillow's bilinear filter spans the whole reduction: no aliasing
        picture = picture.resize(size, Image.Resampling.BILINEAR)
    if orientation in _UPRIGHT:
        picture = picture.transpose(_UPRIGHT[orientation])
    out = io.BytesIO()
    if target.jpeg:
        picture.convert("RGB").save(out, "JPEG", quality=82)
    else:
        picture.save(out, "PNG", optimize=True)
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


def _prepare_worker() -> None:
    """A picture process gives way to the layout, and leaves Ctrl-C to the build, which ends it
    (SIGINT was blocked when it was forked, so that none reached it before this)."""
    os.nice(10)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


class ImageJobs:
    """Pictures being prepared in worker processes; use as a context manager."""

    def __init__(self, sources: Iterable[Path], cache: Path | None, digests: dict[Path, str] | None = None) -> None:
        self.plans: dict[Path, Plan] = {}
        self._results: dict[Path, Future[bytes | str] | bytes | str] = {}
        if cache is not None:  # kept apart for each set of packages installed: Pillow, simplejpeg…
            cache = cache / f"packages-{packages_fingerprint()[:20]}"
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
        # Every core the build may use, at a lower priority than the layout, which needs the pictures
        # only at the end (stand_ins.py): they are prepared whenever a core is not laying out. Forked,
        # as Python 3.14 would not by default (forkserver: a start-up cost); the build's one thread
        # besides the main one (workers.py) takes no lock they need.
        workers = min(len(todo), len(os.sched_getaffinity(0)) or 1)
        self._pool = (
            ProcessPoolExecutor(workers, multiprocessing.get_context("fork"), initializer=_prepare_worker)
            if todo
            else None
        )
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})  # the first submit forks them
        try:
            for source in todo:
                assert self._pool is not None
                self._results[source] = self._pool.submit(_encode_file, source, self.plans[source], cache)
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)  # a Ctrl-C meanwhile is raised here
        except BaseException:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
            self.__exit__()
            raise

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
