"""Pictures for an entry: JPEG and PNG are copied as they are, HEIC/HEIF from phones become JPEG.

Any other kind is refused, as the build refuses it. The size is read from the header before
anything is decoded, with the build's cap (picture_files.MAX_PIXELS).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image

from ebook.read.picture_files import MAX_PIXELS


@dataclass(frozen=True)
class Ready:
    data: bytes
    extension: str  # .jpg or .png


class PhotoError(Exception):
    pass


def _heif_opener() -> None:
    # pillow-heif teaches Pillow to open HEIC/HEIF; registering twice is harmless.
    from pillow_heif import register_heif_opener

    register_heif_opener()


def prepare(data: bytes, name: str) -> Ready:
    if data.startswith(b"\xff\xd8\xff"):
        kind = "JPEG"
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "PNG"
    elif data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftypmsf1", b"ftypheim", b"ftyphevc", b"ftypheis"):
        kind = "HEIF"
    else:
        kind = ""
    if kind == "HEIF":
        _heif_opener()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                found = image.format or kind
                if image.width * image.height > MAX_PIXELS:
                    raise PhotoError(
                        f'"{name}" is {image.width} × {image.height} pixels, more than '
                        f"{MAX_PIXELS // 1_000_000} megapixels"
                    )
                if found in ("JPEG", "PNG"):
                    image.verify()
                    return Ready(data, ".jpg" if found == "JPEG" else ".png")
                if found in ("HEIF", "HEIC", "AVIF") or kind == "HEIF":
                    # pillow-heif has already turned the picture as the phone meant (libheif applies
                    # its rotation and mirroring); its metadata (place, device) is left behind.
                    out = io.BytesIO()
                    image.convert("RGB").save(out, "JPEG", quality=90)
                    return Ready(out.getvalue(), ".jpg")
    except PhotoError:
        raise
    except Image.DecompressionBombError:
        raise PhotoError(f'"{name}" declares more than {MAX_PIXELS // 1_000_000} megapixels') from None
    except Exception:  # Pillow and libheif raise many kinds for damaged files; none may be a traceback
        raise PhotoError(f'"{name}" is damaged or is not a picture') from None
    raise PhotoError(f'"{name}" is a {found} picture; make-book takes JPEG, PNG and HEIC: convert it to JPEG')
