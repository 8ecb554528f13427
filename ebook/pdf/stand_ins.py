"""Stand-ins, so that WeasyPrint lays the book out while the photos are still being prepared.

WeasyPrint asks for every picture when it builds its boxes, before any layout, and needs only its
size and type until it writes the PDF. It gets a plain JPEG of the same size, marked with the
picture's name in a comment segment; once the layout is done (when the parts of a big book are
joined, or after a whole layout), each stand-in's bytes are replaced by the picture's, waiting
for it only then. WeasyPrint embeds a JPEG's bytes as they are (an
image XObject with DCTDecode), so the swap changes nothing else in the PDF.
"""

from __future__ import annotations

import dataclasses
import functools
import io

from PIL import Image

from ebook.render.pictures import PreparedImage

_MARK = b"make-book stand-in "


class StandIns:
    def __init__(self) -> None:
        self._plain: dict[tuple[int, int], bytes] = {}
        self._images: dict[bytes, PreparedImage] = {}

    def data(self, image: PreparedImage) -> bytes:
        """The stand-in for a JPEG picture."""
        size = (image.width, image.height)
        if size not in self._plain:
            out = io.BytesIO()
            Image.new("RGB", size, (128, 128, 128)).save(out, "JPEG", quality=10)
            self._plain[size] = out.getvalue()
        mark = _MARK + image.name.encode()
        self._images[mark] = image
        # SOI, then a COM segment (its length counts itself), then the plain image's own segments.
        comment = b"\xff\xfe" + (len(mark) + 2).to_bytes(2, "big") + mark
        return self._plain[size][:2] + comment + self._plain[size][2:]

    def standing_in(self, image: PreparedImage) -> PreparedImage:
        """What WeasyPrint is given for a picture: a stand-in for a JPEG; any other picture itself,
        with its bytes in hand (so that it can go to another process)."""
        if image.media_type != "image/jpeg":
            return image.loaded()
        return dataclasses.replace(image, load=functools.partial(bytes, self.data(image)))

    def original(self, data: bytes) -> bytes | None:
        """The picture's bytes if data is a stand-in (waiting for them if need be), else None."""
        if data[6 : 6 + len(_MARK)] != _MARK:
            return None
        length = int.from_bytes(data[4:6], "big")
        return self._images[data[6 : 4 + length]].data
