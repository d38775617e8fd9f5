"""Decoding for display and rendering derivatives: scaling, orientation, colour, alpha."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
import thumbhash
from PIL import Image, ImageOps

from albumen.errors import MediaDecodeError
from albumen.media import derivatives as render
from albumen.media.imaging import open_for_display
from tests import images

LIMIT = 100_000_000


def _save(path: Path, im: Image.Image, fmt: str = "JPEG", **params: object) -> Path:
    buf = io.BytesIO()
    im.save(buf, fmt, **params)
    return images.write(path, buf.getvalue())


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_matches_pillow(tmp_path: Path, orientation: int) -> None:
    path = _save(tmp_path / "o.jpg", images.photo(64, 48, seed=3), quality=95,
                 exif=images.exif_bytes(orientation=orientation))
    ours = open_for_display(path, 1440, LIMIT)
    with Image.open(path) as im:
        expected = np.asarray(ImageOps.exif_transpose(im).convert("RGB"))
    assert ours.shape == expected.shape
    assert np.array_equal(ours, expected)


@pytest.mark.parametrize(("size", "short", "decoded"), [
    ((1600, 1200), 500, (800, 600)),    # 4/8
    ((1600, 1200), 400, (600, 450)),    # 3/8: a scale Pillow's draft cannot give
    ((1200, 1600), 400, (450, 600)),    # portrait: the short side is the width
    ((1600, 1200), 1440, (1600, 1200)),  # smaller than asked: full size
])
def test_jpeg_is_decoded_at_the_smallest_dct_scale_that_covers(
        tmp_path: Path, size: tuple[int, int], short: int, decoded: tuple[int, int]) -> None:
    path = _save(tmp_path / "big.jpg", images.photo(*size, seed=1), quality=90)
    pixels = open_for_display(path, short, LIMIT)
    assert (pixels.shape[1], pixels.shape[0]) == decoded
    assert pixels.dtype == np.uint8 and pixels.shape[2] == 3


def test_icc_profile_is_converted_to_srgb(tmp_path: Path) -> None:
    red = Image.new("RGB", (40, 30), (255, 0, 0))
    icc = images.icc_swapped_red_green()
    for name, fmt in (("tagged.jpg", "JPEG"), ("tagged.png", "PNG")):
        path = _save(tmp_path / name, red, fmt, icc_profile=icc)
        r, g, b = open_for_display(path, 1440, LIMIT)[15, 20]
        assert g > 200 and r < 60 and b < 60, (name, r, g, b)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "TIFF"])
@pytest.mark.parametrize("orientation", [3, 6, 8])
def test_exif_orientation_of_other_formats_matches_pillow(
        tmp_path: Path, fmt: str, orientation: int) -> None:
    path = _save(tmp_path / f"o.{fmt.lower()}", images.photo(64, 48, seed=3), fmt,
                 exif=images.exif_bytes(orientation=orientation), **(
                     {"lossless": True} if fmt == "WEBP" else {}))
    ours = open_for_display(path, 1440, LIMIT)
    with Image.open(path) as im:
        expected = np.asarray(ImageOps.exif_transpose(im).convert("RGB"))
    assert np.array_equal(ours, expected)


@pytest.mark.parametrize(("name", "fmt"), [("big.png", "PNG"), ("big.heic", "HEIF")])
def test_other_formats_are_halved_before_orientation_and_colour(
        tmp_path: Path, name: str, fmt: str) -> None:
    from albumen.media.imaging import register_codecs

    register_codecs()
    red = Image.new("RGB", (400, 300), (255, 0, 0))
    path = _save(tmp_path / name, red, fmt, icc_profile=images.icc_swapped_red_green(),
                 exif=images.exif_bytes(orientation=6), **(
                     {"quality": 95} if fmt == "HEIF" else {}))
    pixels = open_for_display(path, 70, LIMIT)
    # 400x300 halved twice (75 still covers 70), then turned upright and converted to sRGB.
    assert pixels.shape == (100, 75, 3)
    r, g, b = (int(v) for v in pixels[50, 37])
    assert g > 200 and r < 60 and b < 60, (r, g, b)


def test_srgb_and_unusable_profiles_leave_pixels_alone(tmp_path: Path) -> None:
    from PIL import ImageCms

    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    colour = Image.new("RGB", (40, 30), (200, 30, 60))
    for name, icc in (("srgb.png", srgb), ("junk.png", b"not an icc profile at all")):
        path = _save(tmp_path / name, colour, "PNG", icc_profile=icc)
        assert tuple(open_for_display(path, 1440, LIMIT)[0, 0]) == (200, 30, 60)


def test_grey_and_cmyk_jpegs_come_out_rgb(tmp_path: Path) -> None:
    grey = _save(tmp_path / "grey.jpg", images.photo(80, 60, seed=2).convert("L"), quality=95)
    pixels = open_for_display(grey, 1440, LIMIT)
    assert pixels.shape == (60, 80, 3)
    assert np.array_equal(pixels[..., 0], pixels[..., 1])
    cmyk = _save(tmp_path / "cmyk.jpg", Image.new("CMYK", (80, 60), (0, 255, 255, 0)),
                 quality=95)
    r, g, b = open_for_display(cmyk, 1440, LIMIT)[30, 40]
    assert r > 200 and g < 60 and b < 60


def test_truncated_jpeg_is_a_decode_error(tmp_path: Path) -> None:
    data = images.jpeg(400, 300, seed=4)
    path = images.write(tmp_path / "cut.jpg", data[: len(data) // 2])
    with pytest.raises(MediaDecodeError, match="cannot decode image"):
        open_for_display(path, 1440, LIMIT)


def test_pixel_limit_is_checked_before_decoding(tmp_path: Path) -> None:
    path = _save(tmp_path / "big.jpg", images.photo(400, 300, seed=4))
    with pytest.raises(MediaDecodeError, match="over the limit"):
        open_for_display(path, 1440, 100_000)


@pytest.mark.parametrize(("size", "short", "expected"), [
    ((2000, 1500), 1440, (1920, 1440)),  # a small final step
    ((1920, 1440), 250, (333, 250)),     # integer area reduction, then a small step
    ((3000, 2000), 1000, (1500, 1000)),  # exactly 2x
    ((3001, 2003), 1000, (1498, 1000)),  # sides not divisible by the factor
    ((1000, 1400), 400, (400, 560)),     # portrait, ratio under the bilinear limit
    ((300, 200), 1440, (300, 200)),      # never upscaled
    # A long side over 4x the short one is the limit instead (a 65000 x 3800 header made a
    # 24632 x 1440 preview: issue 21, defect 9), small pictures included.
    ((6500, 380), 1440, (5760, 337)),
    ((4000, 200), 250, (1000, 50)),
    ((200, 4000), 250, (50, 1000)),
])
def test_fit_short_side(size: tuple[int, int], short: int, expected: tuple[int, int]) -> None:
    width, height = size
    pixels = np.asarray(images.photo(width, height, seed=5))
    scaled = render.fit_short_side(pixels, short)
    assert (scaled.shape[1], scaled.shape[0]) == expected
    # Area averaging keeps the mean colour of the whole picture.
    assert np.allclose(scaled.mean(axis=(0, 1)), pixels.mean(axis=(0, 1)), atol=2.0)


def test_downscaling_does_not_alias_fine_stripes() -> None:
    stripes = np.zeros((1400, 1000, 3), np.uint8)
    stripes[:, ::2] = 255  # one-pixel stripes: any decent downscale turns them grey
    scaled = render.fit_short_side(stripes, 400)
    assert 100 < scaled.mean() < 155 and scaled.std() < 20


def test_transparent_image_preview_over_white_thumbnail_keeps_alpha() -> None:
    pixels = np.zeros((300, 400, 4), np.uint8)
    pixels[:, :200] = (0, 0, 255, 255)  # left half opaque blue, right half transparent
    preview, _ = render.preview(pixels, 200, 90)
    with Image.open(io.BytesIO(preview.data)) as im:
        assert im.format == "JPEG" and im.mode == "RGB" and im.size == (267, 200)
        left, right = im.getpixel((20, 100)), im.getpixel((250, 100))
    assert left[2] > 200 and left[0] < 60
    assert min(right) > 240  # transparent over white
    thumb, _ = render.thumbnail(pixels, 100, 80)
    with Image.open(io.BytesIO(thumb.data)) as im:
        assert im.format == "WEBP" and im.mode == "RGBA" and im.getpixel((120, 50))[3] == 0


def test_thumbhash_keeps_the_average_colour() -> None:
    pixels = np.zeros((250, 333, 3), np.uint8)
    pixels[:] = (30, 120, 210)
    encoded = render.thumbhash_of(pixels)
    import base64

    r, g, b, _ = thumbhash.thumb_hash_to_average_rgba(base64.b64decode(encoded))
    assert abs(r * 255 - 30) < 8 and abs(g * 255 - 120) < 8 and abs(b * 255 - 210) < 8
