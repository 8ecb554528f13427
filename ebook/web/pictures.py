"""The web edition's pictures: the prepared ones (render/pictures.py, at most 1500 px), and for a
phone a copy at half their size where that is worth having, offered together by srcset.

A half-size copy is made of a JPEG at least SMALL_FROM pixels wide: libjpeg decodes it at half
scale directly (Pillow's draft), about 4 ms a photo, side by side in threads (decoding and
encoding let other threads run). Its size is known from the prepared picture's before any decoding,
so that the pages can be written first.
"""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from PIL import Image

from ebook.render.pictures import PreparedImage

SMALL_FROM = 1000  # narrower pictures are light enough for a phone as they are
QUALITY = 80


@dataclass(frozen=True)
class ScreenPicture:
    path: str  # under read/
    width: int
    height: int


def picture_path(image: PreparedImage) -> str:
    """pictures/<hash>.jpg: the prepared picture's own name, in the web edition's folder."""
    return "pictures/" + image.name.rsplit("/", 1)[-1]


def half_size(image: PreparedImage) -> ScreenPicture | None:
    """The phone's copy of a picture, or None where the picture is small enough as it is."""
    if image.media_type != "image/jpeg" or image.width < SMALL_FROM:
        return None
    stem = picture_path(image).removesuffix(".jpg")
    return ScreenPicture(f"{stem}-half.jpg", -(-image.width // 2), -(-image.height // 2))  # libjpeg rounds up


def _encode_half(data: bytes, target: ScreenPicture) -> bytes:
    source = Image.open(io.BytesIO(data))
    source.draft("RGB", (source.width // 2, source.height // 2))  # decoded at half scale by libjpeg
    picture = source.convert("RGB")
    if picture.size != (target.width, target.height):  # a decoder that did not scale: never seen
        picture = picture.resize((target.width, target.height), Image.Resampling.BILINEAR)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=QUALITY)
    return out.getvalue()


def picture_files(images: tuple[PreparedImage, ...], small_copies: bool) -> dict[str, bytes]:
    """Every picture's bytes by its path under read/, with the half-size copies if asked for."""
    files = {picture_path(image): image.data for image in images}
    wanted = [(image, small) for image in images if small_copies and (small := half_size(image))]
    if wanted:
        with ThreadPoolExecutor(max_workers=2) as pool:
            done = {small.path: pool.submit(_encode_half, image.data, small) for image, small in wanted}
            files.update({path: future.result() for path, future in done.items()})
    return files
