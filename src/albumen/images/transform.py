"""One transform, pixels in to bytes out: decode at the smallest scale the output needs
(JPEGs DCT-scaled by libjpeg-turbo, everything within the decode budget: media/imaging.py),
rotate, fit or crop around a focal point (a face, all faces, the busiest part), blur, encode.

Resizing is OpenCV's area average (the derivatives' own); JPEG is encoded by libjpeg-turbo
(simplejpeg), WebP, AVIF and PNG by Pillow.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import simplejpeg
from PIL import Image

from albumen.images.options import Options
from albumen.media.imaging import ORIENTATION_TAG, open_for_display

Box = tuple[float, float, float, float]  # x, y, w, h as fractions of the upright image


@dataclass(frozen=True)
class Source:
    path: Path
    width: int  # the upright image's size
    height: int
    faces: tuple[Box, ...] = ()


def upright_size(path: Path) -> tuple[int, int]:
    """Width and height as shown (EXIF orientation applied), from the header alone: for a
    photo asked for before its metadata stage has recorded them."""
    with Image.open(path) as im:
        width, height = im.size
        turned = im.getexif().get(ORIENTATION_TAG, 1) in (5, 6, 7, 8)
    return (height, width) if turned else (width, height)


def output_size(width: int, height: int, opts: Options) -> tuple[int, int, int, int]:
    """(scaled width, scaled height, canvas width, canvas height): the image scaled for the
    fit (never up) and the canvas it lands on (the crop for ``cover``, the padded box for
    ``contain``)."""
    bw, bh = opts.box()
    if bw is None and bh is None:
        return width, height, width, height
    sx = bw / width if bw else math.inf
    sy = bh / height if bh else math.inf
    scale = max(sx, sy) if opts.fit == "cover" else min(sx, sy)
    scale = min(scale, 1.0)
    sw, sh = max(1, round(width * scale)), max(1, round(height * scale))
    if opts.fit == "cover":
        return sw, sh, min(sw, bw or sw), min(sh, bh or sh)
    if opts.fit == "contain":
        return sw, sh, max(sw, min(bw or sw, width)), max(sh, min(bh or sh, height))
    return sw, sh, sw, sh


def render(source: Source, opts: Options, fmt: str, quality: int, max_pixels: int) -> bytes:
    """The rendition's bytes."""
    turned = opts.rotate in (90, 270)
    width, height = (source.height, source.width) if turned else (source.width, source.height)
    sw, sh, cw, ch = output_size(width, height, opts)
    pixels = open_for_display(source.path, min_short_side=min(sw, sh), max_pixels=max_pixels,
                              max_long_side=max(sw, sh))
    if opts.rotate:
        pixels = np.ascontiguousarray(np.rot90(pixels, k=-opts.rotate // 90))
    if (pixels.shape[1], pixels.shape[0]) != (sw, sh):
        pixels = cv2.resize(pixels, (sw, sh), interpolation=cv2.INTER_AREA)
    if opts.fit == "cover" and (cw, ch) != (sw, sh):
        fx, fy = _focal(pixels, opts, _turned(source.faces, opts.rotate))
        x = int(min(max(round(fx * sw - cw / 2), 0), sw - cw))
        y = int(min(max(round(fy * sh - ch / 2), 0), sh - ch))
        pixels = pixels[y:y + ch, x:x + cw]
    elif opts.fit == "contain" and (cw, ch) != (sw, sh):
        pixels = _pad(pixels, cw, ch, opts.background or "ffffff")
    if opts.blur:
        pixels = cv2.GaussianBlur(pixels, (0, 0), sigmaX=opts.blur)
    exif = None if opts.strip else _exif(source.path)
    return encode(np.ascontiguousarray(pixels), fmt, quality, exif)


def _turned(faces: tuple[Box, ...], rotate: int) -> tuple[Box, ...]:
    """Face boxes after a clockwise turn of the image."""
    out = []
    for x, y, w, h in faces:
        for _ in range(rotate // 90):
            x, y, w, h = 1 - y - h, x, h, w
        out.append((x, y, w, h))
    return tuple(out)


def _focal(pixels: np.ndarray, opts: Options, faces: tuple[Box, ...]) -> tuple[float, float]:
    """Where the crop centres, as fractions of the image."""
    if opts.gravity in ("face", "faces") and faces:
        if opts.gravity == "face":
            x, y, w, h = max(faces, key=lambda b: b[2] * b[3])
            return x + w / 2, y + h / 2
        left = min(b[0] for b in faces)
        top = min(b[1] for b in faces)
        right = max(b[0] + b[2] for b in faces)
        bottom = max(b[1] + b[3] for b in faces)
        return (left + right) / 2, (top + bottom) / 2
    if opts.gravity == "smart":
        return _busiest(pixels)
    return 0.5, 0.5


def _busiest(pixels: np.ndarray) -> tuple[float, float]:
    """The centre of detail: edge energy (a Sobel magnitude on a small grey copy), its
    weighted mean position, pulled a little toward the middle."""
    grey = cv2.cvtColor(pixels[..., :3], cv2.COLOR_RGB2GRAY)
    scale = 128 / max(grey.shape)
    if scale < 1:
        grey = cv2.resize(grey, (max(1, round(grey.shape[1] * scale)),
                                 max(1, round(grey.shape[0] * scale))),
                          interpolation=cv2.INTER_AREA)
    gx = cv2.Sobel(grey, cv2.CV_32F, 1, 0)
    gy = cv2.Sobel(grey, cv2.CV_32F, 0, 1)
    energy = np.hypot(gx, gy)
    total = float(energy.sum())
    if total <= 0:
        return 0.5, 0.5
    ys, xs = np.indices(energy.shape)
    fx = float((energy * (xs + 0.5)).sum() / total / energy.shape[1])
    fy = float((energy * (ys + 0.5)).sum() / total / energy.shape[0])
    return 0.5 + 0.8 * (fx - 0.5), 0.5 + 0.8 * (fy - 0.5)


def _pad(pixels: np.ndarray, width: int, height: int, colour: str) -> np.ndarray:
    channels = pixels.shape[2]
    fill = [int(colour[i:i + 2], 16) for i in (0, 2, 4)] + ([255] if channels == 4 else [])
    canvas = np.empty((height, width, channels), dtype=np.uint8)
    canvas[:] = fill
    y, x = (height - pixels.shape[0]) // 2, (width - pixels.shape[1]) // 2
    canvas[y:y + pixels.shape[0], x:x + pixels.shape[1]] = pixels
    return canvas


def _exif(path: Path) -> bytes | None:
    """The original's EXIF with the orientation reset (the pixels are upright)."""
    with Image.open(path) as im:
        exif = im.getexif()
    if not exif:
        return None
    exif[ORIENTATION_TAG] = 1
    return exif.tobytes()


def encode(pixels: np.ndarray, fmt: str, quality: int, exif: bytes | None = None) -> bytes:
    if fmt == "jpeg":
        rgb = pixels[..., :3] if pixels.shape[2] == 4 else pixels
        data = simplejpeg.encode_jpeg(np.ascontiguousarray(rgb), quality=quality,
                                      colorspace="RGB", colorsubsampling="420")
        if exif is None:
            return data
        out = io.BytesIO()
        Image.open(io.BytesIO(data)).save(out, "JPEG", quality="keep", exif=exif)
        return out.getvalue()
    image = Image.fromarray(pixels)
    out = io.BytesIO()
    extra: dict[str, object] = {"exif": exif} if exif else {}
    if fmt == "webp":
        image.save(out, "WEBP", quality=quality, method=4, **extra)
    elif fmt == "avif":
        image.save(out, "AVIF", quality=quality, speed=8, **extra)
    else:
        image.save(out, "PNG", compress_level=6, **extra)
    return out.getvalue()
