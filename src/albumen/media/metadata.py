"""EXIF / IPTC / XMP extraction with exiv2 (pyexiv2), one field at a time.

Camera files are messy: a broken maker note or bad XMP packet must not lose the rest. Each field
is parsed on its own; what fails is recorded in ``errors`` and the other fields are kept. When
exiv2 cannot read the file at all, Pillow's EXIF reader is tried for the core tags.
"""

from __future__ import annotations

import logging
import re
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from fractions import Fraction
from numbers import Real
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
# exiv2's XMP toolkit and pyexiv2's error log are process-global: one lock for every use
EXIV2_LOCK = threading.Lock()
_exiv2_ready = False

_MAX_RAW_VALUE = 512  # longer values (maker notes, embedded thumbnails) are not kept raw
_RAW_GROUPS = ("Exif.Image.", "Exif.Photo.", "Exif.GPSInfo.", "Iptc.", "Xmp.")


@dataclass
class CaptureTime:
    local: datetime  # wall-clock time as written by the camera (naive)
    offset_minutes: int | None

    @property
    def utc(self) -> datetime:
        offset = timedelta(minutes=self.offset_minutes or 0)
        return self.local.replace(tzinfo=timezone(offset)).astimezone(UTC)


@dataclass
class Metadata:
    taken: CaptureTime | None = None
    camera_make: str | None = None
    camera_model: str | None = None
    lens: str | None = None
    exposure_time: float | None = None
    f_number: float | None = None
    iso: int | None = None
    focal_length: float | None = None
    latitude: float | None = None
    longitude: float | None = None
    altitude: float | None = None
    orientation: int | None = None
    rating: int | None = None
    title: str | None = None
    description: str | None = None
    keywords: list[str] = field(default_factory=list)
    keyword_paths: list[str] = field(default_factory=list)  # lr:hierarchicalSubject
    label: str | None = None  # xmp:Label, a colour label
    content_identifier: str | None = None  # Apple's Live Photo key (the clip has the same)
    raw: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- value parsers


def _number(value: Any) -> float:
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return float(value[0]) / float(value[1])
    text = str(value).strip().split()[0]
    return float(Fraction(text)) if "/" in text else float(text)


def _dms(value: Any) -> float:
    parts = value if isinstance(value, (list, tuple)) else str(value).split()
    nums = [_number(p) for p in parts]
    weights = (1, 60, 3600)
    return sum(n / w for n, w in zip(nums[:3], weights, strict=False))


def _xmp_gps(value: str) -> float:
    # XMP form: "38,42.5N" or "38,42,30N"
    match = re.fullmatch(r"\s*(\d+),(\d+(?:\.\d+)?)(?:,(\d+(?:\.\d+)?))?([NSEW])\s*", str(value))
    if not match:
        raise ValueError(f"unreadable XMP GPS coordinate {value!r}")
    deg, minutes, seconds, ref = match.groups()
    out = float(deg) + float(minutes) / 60 + (float(seconds) / 3600 if seconds else 0)
    return -out if ref in "SW" else out


def _text(value: Any) -> str | None:
    if isinstance(value, dict):  # XMP language alternatives
        value = value.get('lang="x-default"') or next(iter(value.values()), None)
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    if value is None:
        return None
    text = str(value).replace("\x00", "").strip()
    return text or None


def _offset_minutes(text: str) -> int | None:
    match = re.fullmatch(r"\s*([+-])(\d{2}):?(\d{2})\s*", text)
    if not match:
        if text.strip().upper() == "Z":
            return 0
        return None
    sign, hh, mm = match.groups()
    minutes = int(hh) * 60 + int(mm)
    if minutes > 14 * 60:
        return None
    return -minutes if sign == "-" else minutes


def _exif_datetime(text: str) -> datetime:
    text = str(text).strip().replace("\x00", "")
    # "2023:06:01 18:30:00", sometimes with "-" separators or "T"
    match = re.match(r"(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?", text)
    if not match:
        raise ValueError(f"unreadable date {text!r}")
    y, mo, d, h, mi, s = (int(g) if g else 0 for g in match.groups())
    if y < 1800:
        raise ValueError(f"implausible date {text!r}")
    return datetime(y, mo, d, h, mi, s)


def iso_datetime(text: str) -> CaptureTime:
    """XMP dates: 2023-06-01T18:30:00+02:00, with optional seconds / zone."""
    text = str(text).strip()
    match = re.fullmatch(
        r"(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?",
        text,
    )
    if not match:
        raise ValueError(f"unreadable date {text!r}")
    y, mo, d, h, mi, s, zone = match.groups()
    local = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0))
    return CaptureTime(local, _offset_minutes(zone) if zone else None)


# ---------------------------------------------------------------- readers


def exiv2() -> Any:
    """pyexiv2, its warnings muted (we record our own); call with EXIV2_LOCK held."""
    global _exiv2_ready
    import pyexiv2

    if not _exiv2_ready:
        pyexiv2.set_log_level(4)
        _exiv2_ready = True
    return pyexiv2


def _read_exiv2(path: Path) -> tuple[dict[str, Any], list[str]]:
    errors: list[str] = []
    tags: dict[str, Any] = {}
    with EXIV2_LOCK:
        pyexiv2 = exiv2()
        with pyexiv2.Image(str(path), encoding="utf-8") as img:
            for name, reader in (("exif", img.read_exif), ("iptc", img.read_iptc),
                                 ("xmp", img.read_xmp)):
                try:
                    tags.update(reader())
                except UnicodeDecodeError:
                    try:
                        tags.update(reader(encoding="latin-1"))
                        errors.append(f"{name}: text not UTF-8, read as Latin-1")
                    except Exception as exc:
                        errors.append(f"{name}: {exc}")
                except Exception as exc:
                    errors.append(f"{name}: {exc}")
    return tags, errors


_PIL_TAGS = {
    271: "Exif.Image.Make", 272: "Exif.Image.Model", 274: "Exif.Image.Orientation",
    306: "Exif.Image.DateTime", 270: "Exif.Image.ImageDescription",
}
_PIL_EXIF_TAGS = {
    0x9003: "Exif.Photo.DateTimeOriginal", 0x9011: "Exif.Photo.OffsetTimeOriginal",
    0x829A: "Exif.Photo.ExposureTime", 0x829D: "Exif.Photo.FNumber",
    0x8827: "Exif.Photo.ISOSpeedRatings", 0x920A: "Exif.Photo.FocalLength",
    0xA434: "Exif.Photo.LensModel", 0x927C: "Exif.Photo.MakerNote",
}
_PIL_GPS_TAGS = {
    1: "Exif.GPSInfo.GPSLatitudeRef", 2: "Exif.GPSInfo.GPSLatitude",
    3: "Exif.GPSInfo.GPSLongitudeRef", 4: "Exif.GPSInfo.GPSLongitude",
    5: "Exif.GPSInfo.GPSAltitudeRef", 6: "Exif.GPSInfo.GPSAltitude",
}


def _pillow_value(value: Any) -> Any:
    """A Pillow EXIF value as exiv2 writes it: text, a whole number, or rationals as "n/d"
    (Pillow's IFDRational is neither JSON nor what the field parsers read)."""
    if isinstance(value, bytes):
        return value.decode("latin-1")
    if isinstance(value, tuple):
        return " ".join(_rational(v) for v in value)
    if isinstance(value, int | str):
        return value
    if isinstance(value, Real):
        return _rational(value)
    return str(value)


def _rational(value: Any) -> str:
    return str(Fraction(float(value)).limit_denominator(100000))


def _read_pillow(path: Path) -> dict[str, Any]:
    from PIL import Image

    from albumen.media.imaging import register_codecs

    register_codecs()
    tags: dict[str, Any] = {}
    with Image.open(path) as im:
        exif = im.getexif()
        groups = ((exif, _PIL_TAGS), (exif.get_ifd(0x8769), _PIL_EXIF_TAGS),
                  (exif.get_ifd(0x8825), _PIL_GPS_TAGS))
        for ifd, names in groups:
            for tag, key in names.items():
                if tag in ifd:
                    tags[key] = _pillow_value(ifd[tag])
    return tags


# ---------------------------------------------------------------- field extraction


def _first(tags: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        value = tags.get(key)
        if value not in (None, "", [], {}):
            return value
    return None


def _capture_time(tags: dict[str, Any]) -> CaptureTime | None:
    for key, offset_key in (
        ("Exif.Photo.DateTimeOriginal", "Exif.Photo.OffsetTimeOriginal"),
        ("Exif.Photo.DateTimeDigitized", "Exif.Photo.OffsetTimeDigitized"),
    ):
        if tags.get(key):
            local = _exif_datetime(tags[key])
            offset = _offset_minutes(str(tags.get(offset_key, "")))
            if offset is None:
                offset = _xmp_offset(tags)
            return CaptureTime(local, offset)
    xmp = _first(tags, "Xmp.exif.DateTimeOriginal", "Xmp.photoshop.DateCreated",
                 "Xmp.xmp.CreateDate")
    if xmp:
        return iso_datetime(xmp)
    if tags.get("Iptc.Application2.DateCreated"):
        date = str(tags["Iptc.Application2.DateCreated"])
        time = str(tags.get("Iptc.Application2.TimeCreated", "00:00:00"))
        return iso_datetime(f"{date}T{time}")
    if tags.get("Exif.Image.DateTime"):
        offset = _offset_minutes(str(tags.get("Exif.Photo.OffsetTime", "")))
        return CaptureTime(_exif_datetime(tags["Exif.Image.DateTime"]), offset)
    return None


def _xmp_offset(tags: dict[str, Any]) -> int | None:
    xmp = _first(tags, "Xmp.exif.DateTimeOriginal", "Xmp.photoshop.DateCreated")
    if not xmp:
        return None
    try:
        return iso_datetime(xmp).offset_minutes
    except ValueError:
        return None


def _gps(tags: dict[str, Any], axis: str) -> float | None:
    key, ref_key = f"Exif.GPSInfo.GPS{axis}", f"Exif.GPSInfo.GPS{axis}Ref"
    if tags.get(key):
        value = _dms(tags[key])
        ref = str(tags.get(ref_key, "")).strip().upper()[:1]
        if ref in ("S", "W"):
            value = -value
    elif tags.get(f"Xmp.exif.GPS{axis}"):
        value = _xmp_gps(tags[f"Xmp.exif.GPS{axis}"])
    else:
        return None
    limit = 90 if axis == "Latitude" else 180
    if not -limit <= value <= limit:
        raise ValueError(f"{axis.lower()} {value} out of range")
    return value


def _altitude(tags: dict[str, Any]) -> float | None:
    if not tags.get("Exif.GPSInfo.GPSAltitude"):
        return None
    value = _number(tags["Exif.GPSInfo.GPSAltitude"])
    return -value if str(tags.get("Exif.GPSInfo.GPSAltitudeRef", "0")).strip() == "1" else value


def _keywords(tags: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for key in ("Iptc.Application2.Keywords", "Xmp.dc.subject", "Xmp.lr.hierarchicalSubject",
                "Xmp.digiKam.TagsList"):
        value = tags.get(key)
        if not value:
            continue
        items = value if isinstance(value, list) else re.split(r"[,;]", str(value))
        for item in items:
            parts = str(item).split("/" if key == "Xmp.digiKam.TagsList" else "|")
            word = parts[-1].strip()
            if word and word not in out:
                out.append(word[:200])
    return out


def _keyword_paths(tags: dict[str, Any]) -> list[str]:
    """Hierarchical keywords, as Lightroom writes them ("Places|Portugal|Lisbon"); digiKam's
    and Immich's TagsList ("Places/Portugal/Lisbon") are read into the same form."""
    out = [str(v)[:500] for v in _list(tags.get("Xmp.lr.hierarchicalSubject")) if str(v).strip()]
    for value in _list(tags.get("Xmp.digiKam.TagsList")):
        path = "|".join(part.strip() for part in str(value).split("/") if part.strip())
        if "|" in path and path not in out:
            out.append(path[:500])
    return out


def _list(value: Any) -> list[Any]:
    if value in (None, ""):
        return []
    return value if isinstance(value, list) else [value]


def _int(value: Any) -> int:
    return int(float(str(value).split()[0]))


# Sensors reach ISO 3,280,000 (Nikon D5 extended); a value far past that is a broken tag, and
# one past 2**31 is more than the database's INTEGER column holds.
_MAX_ISO = 10_000_000


def _iso(value: Any) -> int | None:
    number = float(str(value).split()[0])
    if number == 0:  # what cameras write when they do not know
        return None
    if not 1 <= number <= _MAX_ISO:  # also false for nan
        raise ValueError(f"{value} is not an ISO a camera can set")
    return int(number)


def _rating(value: Any) -> int:
    rating = _int(value)
    return max(-1, min(5, rating))


_FIELDS: list[tuple[str, Callable[[dict[str, Any]], Any]]] = [
    ("taken", _capture_time),
    ("camera_make", lambda t: _text(_first(t, "Exif.Image.Make", "Xmp.tiff.Make"))),
    ("camera_model", lambda t: _text(_first(t, "Exif.Image.Model", "Xmp.tiff.Model"))),
    ("lens", lambda t: _text(_first(t, "Exif.Photo.LensModel", "Xmp.aux.Lens",
                                    "Xmp.exifEX.LensModel"))),
    ("exposure_time", lambda t: _opt(_number, _first(t, "Exif.Photo.ExposureTime",
                                                     "Xmp.exif.ExposureTime"))),
    ("f_number", lambda t: _opt(_number, _first(t, "Exif.Photo.FNumber", "Xmp.exif.FNumber"))),
    ("iso", lambda t: _opt(_iso, _first(t, "Exif.Photo.ISOSpeedRatings",
                                        "Exif.Photo.PhotographicSensitivity"))),
    ("focal_length", lambda t: _opt(_number, _first(t, "Exif.Photo.FocalLength",
                                                    "Xmp.exif.FocalLength"))),
    ("latitude", lambda t: _gps(t, "Latitude")),
    ("longitude", lambda t: _gps(t, "Longitude")),
    ("altitude", _altitude),
    ("orientation", lambda t: _opt(_orientation, _first(t, "Exif.Image.Orientation",
                                                        "Xmp.tiff.Orientation"))),
    ("rating", lambda t: _opt(_rating, _first(t, "Xmp.xmp.Rating", "Exif.Image.Rating"))),
    ("title", lambda t: _text(_first(t, "Xmp.dc.title", "Iptc.Application2.ObjectName",
                                     "Iptc.Application2.Headline"))),
    ("description", lambda t: _text(_first(t, "Xmp.dc.description",
                                           "Iptc.Application2.Caption",
                                           "Exif.Image.ImageDescription"))),
    ("keywords", _keywords),
    ("keyword_paths", _keyword_paths),
    ("label", lambda t: (_text(t.get("Xmp.xmp.Label")) or "")[:32] or None),
    ("content_identifier", lambda t: _opt(apple_content_identifier,
                                          t.get("Exif.Photo.MakerNote"))),
]

_APPLE_MAKERNOTE = b"Apple iOS\x00"
_APPLE_CONTENT_ID = 0x0011


def apple_content_identifier(value: Any) -> str | None:
    """The ContentIdentifier of an Apple maker note (tag 0x0011), which pairs a Live Photo's
    still with its clip. The note (as exiv2 gives it: bytes as decimal numbers) is "Apple
    iOS", a version, a byte order, then one IFD whose offsets count from the note's start."""
    if isinstance(value, str):
        try:  # exiv2: "65 112 112 …"; Pillow's reader: the bytes as Latin-1 text
            data = bytes(int(b) for b in value.split())
        except ValueError:
            data = value.encode("latin-1", "replace")
    else:
        data = bytes(value)
    if not data.startswith(_APPLE_MAKERNOTE) or len(data) < 16:
        return None
    order = {b"MM": ">", b"II": "<"}.get(data[12:14])
    if order is None:
        return None
    (count,) = struct.unpack_from(order + "H", data, 14)
    for i in range(min(count, 200)):
        at = 16 + 12 * i
        if at + 12 > len(data):
            break
        tag, kind, length, offset = struct.unpack_from(order + "HHII", data, at)
        if tag != _APPLE_CONTENT_ID or kind != 2:  # 2: ASCII
            continue
        raw = data[at + 8: at + 8 + length] if length <= 4 else data[offset: offset + length]
        text = raw.split(b"\x00", 1)[0].decode("ascii", "replace").strip()
        return text[:64] or None
    return None


def _opt(fn: Callable[[Any], Any], value: Any) -> Any:
    return None if value is None else fn(value)


def _orientation(value: Any) -> int:
    number = _int(value)
    if not 1 <= number <= 8:
        raise ValueError(f"orientation {number} is not 1..8")
    return number


def parse_tags(tags: dict[str, Any], errors: list[str] | None = None) -> Metadata:
    meta = Metadata(errors=list(errors or []))
    for name, extract in _FIELDS:
        try:
            value = extract(tags)
        except Exception as exc:  # one bad tag must not lose the rest
            meta.errors.append(f"{name}: {exc}")
            continue
        if value is not None:
            setattr(meta, name, value)
    if meta.latitude is None or meta.longitude is None:
        meta.latitude = meta.longitude = None
    meta.raw = {
        key: value
        for key, value in tags.items()
        if key.startswith(_RAW_GROUPS) and len(str(value)) <= _MAX_RAW_VALUE
    }
    return meta


def read_metadata(path: Path) -> Metadata:
    try:
        tags, errors = _read_exiv2(path)
    except Exception as exc:
        errors = [f"exiv2 could not read the file: {exc}"]
        try:
            tags = _read_pillow(path)
        except Exception as pil_exc:
            errors.append(f"pillow could not read EXIF either: {pil_exc}")
            tags = {}
    return parse_tags(tags, errors)
