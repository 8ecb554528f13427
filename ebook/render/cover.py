"""The cover picture: the editor's own (book.yaml `cover`), or a typographic one drawn here."""

from __future__ import annotations

import functools
import hashlib
import io
import shutil
import subprocess
import textwrap

from PIL import Image, ImageDraw, ImageFont

from ebook import __version__
from ebook.model import BookConfig
from ebook.render.pictures import PreparedImage

WIDTH, HEIGHT = 1600, 2263  # the A5 proportion, 1:√2


def _font(family: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A system font through fontconfig, so the cover uses the same faces as the PDF."""
    if shutil.which("fc-match"):
        found = subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True, text=True, check=False)
        if found.returncode == 0 and found.stdout:
            try:
                return ImageFont.truetype(found.stdout, size)
            except OSError:
                pass
    return ImageFont.load_default(size)


def _wrap(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: int
) -> list[str]:
    for columns in range(max(len(text), 1), 0, -1):
        lines = textwrap.wrap(text, columns) or [""]
        if all(draw.textlength(line, font=font) <= width for line in lines):
            return lines
    return [text]


def draw_cover(config: BookConfig) -> bytes:
    seed = int(hashlib.sha256(config.title.encode()).hexdigest()[:6], 16)
    hue = seed % 360
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    top = Image.new("HSV", (1, 1), (hue * 255 // 360, 120, 70)).convert("RGB").getpixel((0, 0))
    bottom = Image.new("HSV", (1, 1), (hue * 255 // 360, 160, 30)).convert("RGB").getpixel((0, 0))
    for y in range(HEIGHT):
        t = y / HEIGHT
        draw.line([(0, y), (WIDTH, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))  # type: ignore[arg-type]
    # Concentric rings: a quiet motif that reads as a lens, a gantry or a ripple.
    cx, cy = WIDTH // 2, int(HEIGHT * 0.62)
    for i in range(14):
        r = 180 + i * 70
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=(255, 255, 255), width=2 if i % 3 else 5)
    image = Image.blend(image, Image.new("RGB", image.size, top), 0.55)
    draw = ImageDraw.Draw(image)
    margin = 140
    title_font = _font("Noto Sans:bold", 130)
    y = 260
    for line in _wrap(draw, config.title, title_font, WIDTH - 2 * margin):
        draw.text((margin, y), line, font=title_font, fill=(255, 255, 255))
        y += 160
    if config.subtitle:
        sub_font = _font("Noto Sans", 64)
        y += 40
        for line in _wrap(draw, config.subtitle, sub_font, WIDTH - 2 * margin):
            draw.text((margin, y), line, font=sub_font, fill=(230, 235, 240))
            y += 84
    draw.line([(margin, y + 50), (margin + 300, y + 50)], fill=(255, 255, 255), width=6)
    small = _font("Noto Sans", 52)
    if config.editors:
        draw.text((margin, y + 100), ", ".join(config.editors), font=small, fill=(230, 235, 240))
    for i, line in enumerate(reversed(_wrap(draw, config.publisher, small, WIDTH - 2 * margin))):
        draw.text((margin, HEIGHT - 200 - i * 70), line, font=small, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88, optimize=True)
    return out.getvalue()


def cover_image(config: BookConfig, prepared: PreparedImage | None) -> PreparedImage:
    """The editor's cover, or one drawn when it is first needed (80 ms: the PDF's body is laid out
    first), named after what it shows."""
    if prepared is not None:
        return prepared
    shown = "\0".join((__version__, config.title, config.subtitle or "", *config.editors, config.publisher))
    name = f"images/cover-{hashlib.sha256(shown.encode()).hexdigest()[:20]}.jpg"
    return PreparedImage(name, "image/jpeg", WIDTH, HEIGHT, functools.cache(functools.partial(draw_cover, config)))
