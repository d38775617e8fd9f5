"""Thumbnails, previews, thumbhash placeholders and perceptual hashes.

Pixels arrive as H x W x 3 (RGB) or H x W x 4 (RGBA) byte arrays from ``imaging.open_for_display``;
scaling is OpenCV's (SIMD), JPEG encoding libjpeg-turbo's through simplejpeg, WebP Pillow's.
See docs/decisions.md ("Ingest speed, third pass") for the measurements behind each choice.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

import cv2
import imagehash
import numpy as np
import simplejpeg
import thumbhash
from PIL import Image

from albumen.media.imaging import MAX_ASPECT, halve_to

# OpenCV would otherwise split each resize over every core; workers are our unit of parallelism.
cv2.setNumThreads(1)

# thumbhash keeps at most 7 DCT terms per axis; 24 px in resolves them.
THUMBHASH_INPUT = 24
# Below this ratio a bilinear step would skip source pixels (aliasing): average areas instead.
BILINEAR_MIN_RATIO = 0.75
THUMBNAIL_EXT = "webp"


@dataclass
class Rendition:
    kind: str
    data: bytes
    mime_type: str
    ext: str
    width: int
    height: int


def fit_short_side(pixels: np.ndarray, short_side: int) -> np.ndarray:
    """Scale down so the short side is ``short_side`` and the long side at most MAX_ASPECT
    times that (a very long panorama, or a header's claim, cannot make a huge derivative);
    never up."""
    height, width = pixels.shape[:2]
    current = min(width, height)
    scale = min(short_side / current, MAX_ASPECT * short_side / max(width, height))
    if scale >= 1:
        return pixels
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    target = min(size)
    pixels = halve_to(pixels, target)
    if (pixels.shape[1], pixels.shape[0]) == size:
        return pixels
    ratio = target / min(pixels.shape[:2])
    method = cv2.INTER_LINEAR if ratio >= BILINEAR_MIN_RATIO else cv2.INTER_AREA
    return cv2.resize(pixels, size, interpolation=method)


def _flatten(pixels: np.ndarray) -> np.ndarray:
    """RGBA over white, as RGB."""
    if pixels.shape[2] != 4:
        return pixels
    alpha = pixels[:, :, 3:4].astype(np.uint16)
    over_white = (pixels[:, :, :3] * alpha + 255 * (255 - alpha) + 127) // 255
    return over_white.astype(np.uint8)


def preview(pixels: np.ndarray, short_side: int, quality: int) -> tuple[Rendition, np.ndarray]:
    scaled = fit_short_side(pixels, short_side)
    data = simplejpeg.encode_jpeg(np.ascontiguousarray(_flatten(scaled)), quality=quality,
                                  colorspace="RGB", colorsubsampling="420")
    height, width = scaled.shape[:2]
    return Rendition("preview", data, "image/jpeg", "jpg", width, height), scaled


def thumbnail(pixels: np.ndarray, short_side: int, quality: int) -> tuple[Rendition, np.ndarray]:
    scaled = fit_short_side(pixels, short_side)
    buf = io.BytesIO()
    Image.fromarray(scaled).save(buf, "WEBP", quality=quality, method=2)
    height, width = scaled.shape[:2]
    return (Rendition("thumbnail", buf.getvalue(), "image/webp", THUMBNAIL_EXT, width, height),
            scaled)


def thumbhash_of(pixels: np.ndarray) -> str:
    height, width = pixels.shape[:2]
    scale = THUMBHASH_INPUT / max(width, height)
    if scale < 1:
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        pixels = cv2.resize(pixels, size, interpolation=cv2.INTER_AREA)
    if pixels.shape[2] == 3:
        pixels = cv2.cvtColor(pixels, cv2.COLOR_RGB2RGBA)
    height, width = pixels.shape[:2]
    hashed = thumbhash.rgba_to_thumb_hash(width, height, pixels.tobytes())
    return base64.b64encode(bytes(hashed)).decode("ascii")


def perceptual_hash(im: Image.Image) -> int:
    """64-bit DCT hash as a signed integer (fits BIGINT); Hamming distance compares images."""
    unsigned = int(str(imagehash.phash(im, hash_size=8)), 16)
    return unsigned - (1 << 64) if unsigned >= 1 << 63 else unsigned


def hamming(a: int, b: int) -> int:
    return ((a ^ b) & ((1 << 64) - 1)).bit_count()


def hammings(hashes: np.ndarray, target: int) -> np.ndarray:
    """``hamming`` of ``target`` against each of ``hashes`` (int64 phashes as stored), at
    once: one popcount per row."""
    unsigned = np.asarray(hashes, dtype=np.int64).view(np.uint64)
    return np.bitwise_count(unsigned ^ np.array([target], dtype=np.int64).view(np.uint64))
