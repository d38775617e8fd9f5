"""Test images generated with Pillow, metadata written by piexif / pyexiv2."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import piexif
from PIL import Image


def photo(width: int = 800, height: int = 600, seed: int = 0) -> Image.Image:
    """A photo-like image: smooth gradients, texture and shapes (distinct per seed)."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    fx, fy = rng.uniform(20, 200, 2)
    base = np.stack(
        [
            128 + 100 * np.sin(xx / fx + seed) * np.cos(yy / fy),
            128 + 90 * np.cos(xx / (fy + 13) - yy / (fx + 7)),
            128 + 80 * np.sin((xx + yy) / (fx + fy)),
        ],
        axis=-1,
    )
    noise = rng.normal(0, 8, (height, width, 3)).astype(np.float32)
    return Image.fromarray(np.clip(base + noise, 0, 255).astype(np.uint8))


def exif_bytes(
    *,
    make: str = "Canon",
    model: str = "EOS R5",
    taken: str | None = "2023:06:01 18:30:00",
    offset: str | None = "+02:00",
    gps: tuple[float, float] | None = None,
    altitude: float | None = None,
    orientation: int | None = None,
    lens: str | None = None,
) -> bytes:
    zeroth: dict[int, object] = {piexif.ImageIFD.Make: make.encode(),
                                 piexif.ImageIFD.Model: model.encode()}
    if orientation:
        zeroth[piexif.ImageIFD.Orientation] = orientation
    exif: dict[int, object] = {
        piexif.ExifIFD.FNumber: (28, 10),
        piexif.ExifIFD.ExposureTime: (1, 250),
        piexif.ExifIFD.ISOSpeedRatings: 400,
        piexif.ExifIFD.FocalLength: (50, 1),
    }
    if taken:
        exif[piexif.ExifIFD.DateTimeOriginal] = taken.encode()
    if offset:
        exif[piexif.ExifIFD.OffsetTimeOriginal] = offset.encode()
    if lens:
        exif[piexif.ExifIFD.LensModel] = lens.encode()
    gps_ifd: dict[int, object] = {}
    if gps:
        lat, lon = gps
        gps_ifd = {
            piexif.GPSIFD.GPSLatitudeRef: b"N" if lat >= 0 else b"S",
            piexif.GPSIFD.GPSLatitude: _dms(abs(lat)),
            piexif.GPSIFD.GPSLongitudeRef: b"E" if lon >= 0 else b"W",
            piexif.GPSIFD.GPSLongitude: _dms(abs(lon)),
        }
        if altitude is not None:
            gps_ifd[piexif.GPSIFD.GPSAltitudeRef] = 1 if altitude < 0 else 0
            gps_ifd[piexif.GPSIFD.GPSAltitude] = (round(abs(altitude) * 100), 100)
    return piexif.dump({"0th": zeroth, "Exif": exif, "GPS": gps_ifd})


def _dms(value: float) -> tuple[tuple[int, int], ...]:
    deg = int(value)
    minutes = int((value - deg) * 60)
    seconds = round(((value - deg) * 60 - minutes) * 60 * 10000)
    return ((deg, 1), (minutes, 1), (seconds, 10000))


def jpeg(width: int = 800, height: int = 600, seed: int = 0, exif: bytes | None = None,
         quality: int = 90) -> bytes:
    buf = io.BytesIO()
    kwargs = {"exif": exif} if exif else {}
    photo(width, height, seed).save(buf, "JPEG", quality=quality, **kwargs)
    return buf.getvalue()


def encode(fmt: str, width: int = 320, height: int = 240, seed: int = 0) -> bytes:
    from albumen.media.imaging import register_codecs

    register_codecs()
    buf = io.BytesIO()
    im = photo(width, height, seed)
    if fmt == "GIF":
        im = im.convert("P")
    im.save(buf, fmt)
    return buf.getvalue()


def png_bomb(width: int = 60000, height: int = 60000) -> bytes:
    """A tiny PNG whose header claims a huge pixel count."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
