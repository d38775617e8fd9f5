"""Thumbnails, previews, thumbhash placeholders and perceptual hashes."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

import imagehash
import thumbhash
from PIL import Image

# thumbhash keeps at most 7 DCT terms per axis; 24 px in resolves them, and the (pure-Python)
# encoder's cost grows with the pixel count: 24 px costs about half of 32 px.
THUMBHASH_INPUT = 24


@dataclass
class Rendition:
    kind: str
    data: bytes
    mime_type: str
    ext: str
    width: int
    height: int


def fit_short_side(im: Image.Image, short_side: int) -> Image.Image:
    """Scale down so the short side is ``short_side`` (never up)."""
    width, height = im.size
    current = min(width, height)
    if current <= short_side:
        return im
    scale = short_side / current
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    factor = int(current / short_side)
    if factor >= 2:
        # Integer box reduction first (cheap, exact area average), then a small final step.
        im = im.reduce(factor)
        if min(im.size) == short_side:
            return im
    # Each output pixel now overlaps at most two source pixels per axis: area averaging gives
    # the same result as a wider filter at a fraction of the cost (see docs/decisions.md).
    return im.resize(size, Image.Resampling.BOX)


def _flatten(im: Image.Image) -> Image.Image:
    if im.mode == "RGBA":
        background = Image.new("RGB", im.size, (255, 255, 255))
        background.paste(im, mask=im.getchannel("A"))
        return background
    return im.convert("RGB") if im.mode != "RGB" else im


def preview(im: Image.Image, short_side: int, quality: int) -> tuple[Rendition, Image.Image]:
    scaled = fit_short_side(im, short_side)
    buf = io.BytesIO()
    _flatten(scaled).save(buf, "JPEG", quality=quality)
    width, height = scaled.size
    return Rendition("preview", buf.getvalue(), "image/jpeg", "jpg", width, height), scaled


def thumbnail(im: Image.Image, short_side: int, quality: int) -> tuple[Rendition, Image.Image]:
    scaled = fit_short_side(im, short_side)
    buf = io.BytesIO()
    scaled.save(buf, "WEBP", quality=quality, method=2)
    width, height = scaled.size
    return Rendition("thumbnail", buf.getvalue(), "image/webp", "webp", width, height), scaled


def thumbhash_of(im: Image.Image) -> str:
    small = im.convert("RGBA")
    small.thumbnail((THUMBHASH_INPUT, THUMBHASH_INPUT), Image.Resampling.BILINEAR)
    rgba = list(small.tobytes())
    hashed = thumbhash.rgba_to_thumb_hash(small.width, small.height, rgba)
    return base64.b64encode(bytes(hashed)).decode("ascii")


def perceptual_hash(im: Image.Image) -> int:
    """64-bit DCT hash as a signed integer (fits BIGINT); Hamming distance compares images."""
    unsigned = int(str(imagehash.phash(im, hash_size=8)), 16)
    return unsigned - (1 << 64) if unsigned >= 1 << 63 else unsigned


def hamming(a: int, b: int) -> int:
    return ((a ^ b) & ((1 << 64) - 1)).bit_count()
