"""Remove location metadata (GPS, place names) from image bytes, in memory, with exiv2.

Only metadata blocks are rewritten; pixel data is copied as is (never re-encoded). The stored
original is never touched: callers pass bytes and get a new copy back. exiv2 reports write
failures only through a log level that may be muted process-wide, so every result is re-read
and checked before it is returned.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from albumen.errors import MediaDecodeError
from albumen.media.metadata import EXIV2_LOCK as _lock

_ready = False

_GROUPS = ("exif", "iptc", "xmp")
_IPTC_KEYS = frozenset(
    f"Iptc.Application2.{name}"
    for name in ("City", "SubLocation", "ProvinceState", "CountryCode", "CountryName",
                 "LocationCode", "LocationName")
)
_XMP_PREFIXES = (
    "Xmp.photoshop.City", "Xmp.photoshop.State", "Xmp.photoshop.Country",
    "Xmp.iptc.Location", "Xmp.iptc.CountryCode", "Xmp.iptcExt.Location",  # + struct children
)
# Xmp.exif.GPSLatitude, Xmp.exifEX.GPS…, vendor tags such as Xmp.drone-dji.GpsLongitude
_XMP_GPS_PROPERTY = re.compile(r"^Xmp\.[^.]+\.(gps|latitude|longitude|longtitude)", re.IGNORECASE)

Keys = dict[str, list[str]]


class StripUnsupported(MediaDecodeError):
    """The image has location metadata that exiv2 cannot remove (it cannot write HEIC/AVIF)."""

    code = "strip_unsupported"


@contextmanager
def _image(data: bytes) -> Iterator[Any]:
    """An open pyexiv2.ImageData; MediaDecodeError if exiv2 cannot parse ``data``."""
    global _ready
    import pyexiv2

    if not _ready:
        pyexiv2.set_log_level(4)  # mute exiv2's stderr; failures are caught by re-reading
        _ready = True
    try:
        img = pyexiv2.ImageData(data)
    except Exception as exc:  # RuntimeError from exiv2, ValueError for >= 2 GiB
        raise MediaDecodeError(f"cannot read image metadata: {exc}".strip()) from exc
    try:
        yield img
    finally:
        img.close()


def _location_keys(img: Any) -> Keys:
    """The location keys present per group; values are read as Latin-1 so reading never fails."""
    try:
        tags = {group: list(getattr(img, f"read_{group}")(encoding="latin-1"))
                for group in _GROUPS}
    except Exception as exc:
        raise MediaDecodeError(f"cannot read image metadata: {exc}") from exc
    return {
        "exif": [k for k in tags["exif"] if k.startswith("Exif.GPSInfo.")],
        "iptc": [k for k in tags["iptc"] if k in _IPTC_KEYS],
        "xmp": [k for k in tags["xmp"]
                if k.startswith(_XMP_PREFIXES) or _XMP_GPS_PROPERTY.match(k)],
    }


def _delete(data: bytes, keys: Keys, *, whole_xmp: bool = False) -> tuple[bytes, Keys]:
    """Rewrite ``data`` without ``keys`` (or without any XMP); the result and what is left."""
    with _image(data) as img:
        for group in _GROUPS:
            try:
                if group == "xmp" and whole_xmp:
                    img.clear_xmp()
                elif keys[group]:
                    getattr(img, f"modify_{group}")(dict.fromkeys(keys[group]),
                                                    encoding="latin-1")
            except Exception:
                pass  # raised at some log levels only; the result is re-read below either way
        out: bytes = img.get_bytes()
    with _image(out) as img:
        return out, _location_keys(img)


def has_location(data: bytes) -> bool:
    """True if the image carries GPS coordinates or place names (EXIF, IPTC or XMP)."""
    with _lock, _image(data) as img:
        return any(_location_keys(img).values())


def strip_location(data: bytes) -> bytes:
    """A copy of ``data`` without location metadata; ``data`` itself if it has none.

    Removes ``Exif.GPSInfo.*``, XMP GPS and place tags and IPTC place names; everything else
    (camera, dates, orientation, colour profile) and the pixel data are kept byte for byte.
    Raises MediaDecodeError when exiv2 cannot parse the image, StripUnsupported when the
    location cannot be removed (formats exiv2 cannot write, such as HEIC and AVIF).
    """
    with _lock:
        with _image(data) as img:
            keys = _location_keys(img)
            mime = str(img.get_mime_type())
        if not any(keys.values()):
            return data
        out, left = _delete(data, keys)
        if left["xmp"]:  # XMP that exiv2 cannot re-encode key by key: drop the packet
            out, left = _delete(out, left, whole_xmp=True)
        if any(left.values()):
            raise StripUnsupported(f"cannot remove location metadata from this {mime} image")
        return out
