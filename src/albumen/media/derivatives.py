"""Thumbnails, previews, thumbhash placeholders and perceptual hashes."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

import imagehash
import thumbhash
from PIL import Image

THUMBHASH_INPUT = 32  # thumbhash keeps ~5x5 DCT terms; 32 px in is plenty and cheap


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
    if current / short_side < 1.25:
        # Each output pixel overlaps at most two source pixels per axis: area averaging gives
        # the same result as a wider filter at a fraction of the cost (see docs/decisions.md).
        return im.resize(size, Image.Resampling.BOX)
    return im.resize(size, Image.Resampling.BICUBIC, reducing_gap=2.0)


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
