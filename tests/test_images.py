"""Pictures are scaled once, at the size planned from their header, and turned upright (images.py)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageOps, ImageStat

from ebook.render.pictures import LONG_EDGE, ImageJobs, _encode_file, encode, plan


def picture(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """Not symmetric in any way: a gradient, and a red block near the top left corner."""
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    ImageDraw.Draw(image).rectangle((size[0] // 10, size[1] // 10, size[0] // 3, size[1] // 4), fill=(220, 30, 30))
    return image.convert(mode)


def saved(image: Image.Image, kind: str = "JPEG", orientation: int = 1) -> bytes:
    out = io.BytesIO()
    exif = Image.Exif()
    if orientation != 1:
        exif[0x0112] = orientation
    image.save(out, kind, quality=90, exif=exif.tobytes()) if kind == "JPEG" else image.save(out, kind)
    return out.getvalue()


@pytest.fixture(scope="module")
def photo_12mp() -> Image.Image:
    return picture((4000, 3000))


def planned(tmp_path: Path, data: bytes, name: str = "photo.jpg") -> tuple[int, int]:
    path = tmp_path / name
    path.write_bytes(data)
    target = plan(path, "digest")
    return target.width, target.height


def test_a_jpeg_is_scaled_to_the_libjpeg_scale_that_covers_the_long_edge(tmp_path: Path) -> None:
    assert LONG_EDGE == 1500
    cases = {
        (4000, 3000): (1500, 1125),  # 3/8, exactly
        (4032, 3024): (1512, 1134),  # 3/8, 1 % more than the long edge: kept as libjpeg gives it
        (4608, 3456): (1500, 1125),  # 3/8 would be 15 % more: scaled to the long edge
        (3000, 4000): (1125, 1500),
        (1200, 900): (1200, 900),  # never enlarged
    }
    for size, expected in cases.items():
        assert planned(tmp_path, saved(Image.new("RGB", size))) == expected, size
    # A PNG and a CMYK JPEG are decoded whole and scaled to the long edge.
    assert planned(tmp_path, saved(Image.new("RGB", (4032, 3024)), "PNG"), "photo.png") == (1500, 1125)
    assert planned(tmp_path, saved(Image.new("CMYK", (4032, 3024)))) == (1500, 1125)
    # Turned upright: width and height swap.
    assert planned(tmp_path, saved(Image.new("RGB", (4032, 3024)), orientation=6)) == (1134, 1512)


@pytest.mark.parametrize("orientation", range(1, 9))
def test_a_12mp_photo_comes_out_upright_and_as_a_full_decode_would(
    tmp_path: Path, photo_12mp: Image.Image, orientation: int
) -> None:
    data = saved(photo_12mp, orientation=orientation)
    path = tmp_path / "photo.jpg"
    path.write_bytes(data)
    target = plan(path, "digest")
    out = Image.open(io.BytesIO(encode(data, target)))
    assert out.format == "JPEG" and out.size == (target.width, target.height)
    assert not out.getexif()
    # What a viewer shows: the whole photo decoded, turned by its EXIF tag, then scaled.
    reference = ImageOps.exif_transpose(Image.open(io.BytesIO(data))).resize(out.size, Image.Resampling.LANCZOS)
    difference = ImageStat.Stat(ImageChops.difference(out.convert("RGB"), reference)).mean
    assert max(difference) < 3, difference


def test_a_12mp_photo_is_decoded_at_its_final_size_and_never_resized(
    photo_12mp: Image.Image, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    data = saved(photo_12mp, orientation=6)
    path = tmp_path / "photo.jpg"
    path.write_bytes(data)
    target = plan(path, "digest")

    def no_resize(*args: object, **kwargs: object) -> None:
        raise AssertionError("resized")

    monkeypatch.setattr(Image.Image, "resize", no_resize)
    assert Image.open(io.BytesIO(encode(data, target))).size == (1125, 1500)


def test_grey_and_cmyk_jpegs_and_pngs_keep_their_look(tmp_path: Path) -> None:
    source = picture((3200, 2400))
    # A grey JPEG is decoded at 1/2 (7 % more than the long edge); the others are decoded whole.
    for mode, kind, long_edge in (
        ("L", "JPEG", 1600),
        ("CMYK", "JPEG", 1500),
        ("RGB", "PNG", 1500),
        ("RGBA", "PNG", 1500),
    ):
        data = saved(source.convert(mode), kind)
        path = tmp_path / f"photo.{kind.lower()}"
        path.write_bytes(data)
        target = plan(path, "digest")
        out = Image.open(io.BytesIO(encode(data, target)))
        assert max(out.size) == long_edge, (mode, out.size)
        reference = Image.open(io.BytesIO(data)).convert("RGB").resize(out.size, Image.Resampling.LANCZOS)
        if mode == "L":
            reference = reference.convert("L").convert("RGB")
        difference = ImageStat.Stat(ImageChops.difference(out.convert("RGB"), reference)).mean
        assert max(difference) < 3, (mode, difference)


def test_a_truncated_jpeg_is_reported_not_half_used(tmp_path: Path, photo_12mp: Image.Image) -> None:
    data = saved(photo_12mp)
    path = tmp_path / "photo.jpg"
    path.write_bytes(data[: len(data) // 2])
    result = _encode_file(path, plan(path, "digest"), None)
    assert isinstance(result, str) and result.startswith("cannot be decoded"), result


def test_prepared_pictures_are_kept_and_served_only_to_the_same_libraries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "photo.jpg"
    source.write_bytes(saved(picture((2000, 1500))))
    cache = tmp_path / "cache"

    def prepared() -> tuple[bytes | str, set[Path]]:
        with ImageJobs([source], cache) as jobs:
            return jobs.result(source), {p for p in cache.rglob("*") if p.is_file()}

    first, kept = prepared()
    assert len(kept) == 1 and next(iter(kept)).read_bytes() == first
    assert prepared() == (first, kept)  # served from the cache
    monkeypatch.setattr("ebook.render.pictures.packages_fingerprint", lambda: "99.0")  # Pillow or simplejpeg upgraded
    again, kept_now = prepared()
    assert again == first and len(kept_now - kept) == 1  # encoded again, and kept apart
