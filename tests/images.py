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


# PNG colour type and channels for each Pillow mode flat_png writes (bit depth 8; "I;16" 16).
_PNG_TYPES = {"L": (0, 1), "I;16": (0, 1), "RGB": (2, 3), "P": (3, 1), "LA": (4, 2),
              "RGBA": (6, 4)}


def flat_png(path: Path, width: int, height: int, mode: str = "RGB") -> Path:
    """A single-colour PNG of any size, written row by row (never the whole image in memory):
    a 15000 x 15000 one is a few hundred KB on disk and hundreds of MB once decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    colour_type, channels = _PNG_TYPES[mode]
    depth = 16 if mode == "I;16" else 8
    row = b"\x00" + bytes([90, 140, 200, 255][:channels] * (depth // 8)) * width
    deflate = zlib.compressobj(9)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n")
        out.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour_type,
                                             0, 0, 0)))
        if mode == "P":
            out.write(chunk(b"PLTE", bytes(i for i in range(256) for _ in range(3))))  # greys
        rows_per_block = max(1, (8 << 20) // len(row))
        for top in range(0, height, rows_per_block):
            data = deflate.compress(row * min(rows_per_block, height - top))
            if data:
                out.write(chunk(b"IDAT", data))
        out.write(chunk(b"IDAT", deflate.flush()))
        out.write(chunk(b"IEND", b""))
    return path


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def icc_swapped_red_green() -> bytes:
    """A small RGB matrix/TRC ICC profile (v2) whose red and green primaries are sRGB's green
    and red: a pixel stored as pure red in it is pure green once converted to sRGB."""

    def s15(v: float) -> bytes:
        return struct.pack(">i", round(v * 65536))

    def xyz(x: float, y: float, z: float) -> bytes:
        return b"XYZ \0\0\0\0" + s15(x) + s15(y) + s15(z)

    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, 0x0233) + b"\0\0"  # gamma 2.2
    text = b"swapped red and green\0"
    desc = (b"desc\0\0\0\0" + struct.pack(">I", len(text)) + text + struct.pack(">II", 0, 0)
            + struct.pack(">HB", 0, 0) + b"\0" * 67)
    desc += b"\0" * (-len(desc) % 4)
    d50 = (0.9642, 1.0, 0.8249)
    tags = [(b"desc", desc), (b"wtpt", xyz(*d50)),
            (b"rXYZ", xyz(0.3851, 0.7169, 0.0971)), (b"gXYZ", xyz(0.4361, 0.2225, 0.0139)),
            (b"bXYZ", xyz(0.1431, 0.0606, 0.7141)),
            (b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve)]
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for sig, body in tags:
        table += sig + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = offset + len(data)
    header = (struct.pack(">I", size) + b"lcms" + struct.pack(">I", 0x02100000) + b"mntr"
              + b"RGB XYZ " + b"\0" * 12 + b"acsp" + b"\0" * 24 + struct.pack(">I", 0)
              + s15(d50[0]) + s15(d50[1]) + s15(d50[2]) + b"\0" * 48)
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + data
