"""XMP packets: what a library adds to a photo (title, caption, keywords, rating, label, place,
capture time, people as face regions), written as a sidecar or embedded in a copy, and read
back from sidecars other programs wrote.

Writing: the packet is built here as RDF/XML (exiv2, through pyexiv2, cannot create the nested
structures face regions need), then embedded by exiv2 together with the EXIF and IPTC fields
(``embed``). An existing packet in the file is kept: our properties replace the same ones in
it, everything else (a camera's gain map, an editor's settings) stays.

Reading: a sidecar is first parsed by defusedxml (no DTD, no entities: an XML bomb is refused
before anything expands it), then by exiv2, whose flattened keys the EXIF/XMP field parsers of
``media.metadata`` read like a file's own. People come as MWG regions (``mwg-rs:Regions``),
whose areas are normalised to the stored image, centre first; we keep boxes of the upright
image, top-left first, so areas are turned by the EXIF orientation both ways.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

from albumen.errors import RejectedFile
from albumen.media.metadata import EXIV2_LOCK, CaptureTime, Metadata, exiv2, parse_tags

SIDECAR_SUFFIX = ".xmp"  # photo.jpg.xmp: the name digiKam, darktable and Immich use
# A sidecar is a few kilobytes; face regions of a crowd and long captions stay far below this.
MAX_SIDECAR_BYTES = 4 * 1024 * 1024

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "lr": "http://ns.adobe.com/lightroom/1.0/",
    "exif": "http://ns.adobe.com/exif/1.0/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "mwg-rs": "http://www.metadataworkinggroup.com/schemas/regions/",
    "stDim": "http://ns.adobe.com/xap/1.0/sType/Dimensions#",
    "stArea": "http://ns.adobe.com/xmp/sType/Area#",
}
for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# The properties this module writes; on embedding, the same ones already in a file's packet go.
_OURS = {
    ("dc", "title"), ("dc", "description"), ("dc", "subject"), ("lr", "hierarchicalSubject"),
    ("xmp", "Rating"), ("xmp", "Label"), ("exif", "GPSLatitude"), ("exif", "GPSLongitude"),
    ("exif", "GPSAltitude"), ("exif", "GPSAltitudeRef"), ("exif", "DateTimeOriginal"),
    ("photoshop", "DateCreated"), ("mwg-rs", "Regions"),
}
_OURS_QNAMES = {f"{{{NS[p]}}}{name}" for p, name in _OURS}


@dataclass(frozen=True)
class Region:
    """A named face: its box in the upright image, normalised (0..1), top-left first."""

    name: str
    x: float
    y: float
    w: float
    h: float


@dataclass
class XmpRecord:
    """What a library knows of a photo beyond its pixels, as XMP carries it."""

    title: str | None = None
    description: str | None = None
    keywords: list[str] = field(default_factory=list)
    hierarchy: list[str] = field(default_factory=list)  # "People|Anna", "Places|France|Paris"
    rating: int | None = None
    label: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    altitude: float | None = None
    taken: CaptureTime | None = None
    regions: list[Region] = field(default_factory=list)
    # The image the regions are of: stored size (before orientation) and its EXIF orientation.
    width: int | None = None
    height: int | None = None
    orientation: int = 1

    def all_keywords(self) -> list[str]:
        """The keywords with the last part of each hierarchical one (as Lightroom writes
        dc:subject, and as readers take them)."""
        leaves = [path.split("|")[-1].strip() for path in self.hierarchy]
        return sorted({*self.keywords, *(leaf for leaf in leaves if leaf)})

    def fields(self) -> dict[str, Any]:
        """A plain, comparable form (what a round trip must keep)."""
        return {
            "title": self.title, "description": self.description,
            "keywords": self.all_keywords(), "hierarchy": sorted(self.hierarchy),
            "rating": self.rating, "label": self.label,
            "latitude": None if self.latitude is None else round(self.latitude, 6),
            "longitude": None if self.longitude is None else round(self.longitude, 6),
            "altitude": None if self.altitude is None else round(self.altitude, 2),
            "taken": None if self.taken is None else
            (self.taken.local.isoformat(), self.taken.offset_minutes),
            "regions": sorted((r.name, round(r.x, 4), round(r.y, 4), round(r.w, 4),
                               round(r.h, 4)) for r in self.regions),
        }


# ---------------------------------------------------------------- orientation of regions


def _to_upright(o: int, x: float, y: float) -> tuple[float, float]:
    """A point of the stored image (normalised) where it lands once the orientation is applied
    (the same turns as ``imaging.orient``)."""
    return {
        2: (1 - x, y), 3: (1 - x, 1 - y), 4: (x, 1 - y), 5: (y, x),
        6: (1 - y, x), 7: (1 - y, 1 - x), 8: (y, 1 - x),
    }.get(o, (x, y))


_INVERSE = {6: 8, 8: 6}  # every other orientation undoes itself


def _turn_box(o: int, x: float, y: float, w: float, h: float) -> tuple[float, ...]:
    ax, ay = _to_upright(o, x, y)
    bx, by = _to_upright(o, x + w, y + h)
    return min(ax, bx), min(ay, by), abs(bx - ax), abs(by - ay)


def region_to_stored(region: Region, orientation: int) -> tuple[float, float, float, float]:
    """MWG area (centre x, centre y, w, h of the stored image) of an upright box."""
    x, y, w, h = _turn_box(_INVERSE.get(orientation, orientation), region.x, region.y,
                           region.w, region.h)
    return x + w / 2, y + h / 2, w, h


def region_from_stored(name: str, cx: float, cy: float, w: float, h: float,
                       orientation: int) -> Region:
    x, y, w, h = _turn_box(orientation, cx - w / 2, cy - h / 2, w, h)
    return Region(name, _clamp(x), _clamp(y), _clamp(w), _clamp(h))


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


# ---------------------------------------------------------------- writing


def _q(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


def _number(value: float, digits: int) -> str:
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def _gps(value: float, positive: str, negative: str) -> str:
    """XMP's GPS form: degrees, decimal minutes, hemisphere ("48,51.396N")."""
    ref = positive if value >= 0 else negative
    value = abs(value)
    degrees = int(value)
    minutes = (value - degrees) * 60
    return f"{degrees},{minutes:.6f}{ref}"


def _iso(taken: CaptureTime) -> str:
    text = taken.local.strftime("%Y-%m-%dT%H:%M:%S")
    offset = taken.offset_minutes
    if offset is None:
        return text
    sign = "-" if offset < 0 else "+"
    return f"{text}{sign}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"


def _container(parent: ET.Element, prop: tuple[str, str], kind: str,
               items: list[str], lang: bool = False) -> None:
    holder = ET.SubElement(ET.SubElement(parent, _q(*prop)), _q("rdf", kind))
    for item in items:
        li = ET.SubElement(holder, _q("rdf", "li"))
        if lang:
            li.set(_XML_LANG, "x-default")
        li.text = item


def description_element(record: XmpRecord) -> ET.Element:
    """One rdf:Description with our properties (sorted lists: the same record, the same bytes)."""
    desc = ET.Element(_q("rdf", "Description"), {_q("rdf", "about"): ""})
    if record.rating is not None:
        desc.set(_q("xmp", "Rating"), str(record.rating))
    if record.label:
        desc.set(_q("xmp", "Label"), record.label)
    if record.taken is not None:
        desc.set(_q("exif", "DateTimeOriginal"), _iso(record.taken))
        desc.set(_q("photoshop", "DateCreated"), _iso(record.taken))
    if record.latitude is not None and record.longitude is not None:
        desc.set(_q("exif", "GPSLatitude"), _gps(record.latitude, "N", "S"))
        desc.set(_q("exif", "GPSLongitude"), _gps(record.longitude, "E", "W"))
        if record.altitude is not None:
            desc.set(_q("exif", "GPSAltitude"), _rational(abs(record.altitude)))
            desc.set(_q("exif", "GPSAltitudeRef"), "1" if record.altitude < 0 else "0")
    if record.title:
        _container(desc, ("dc", "title"), "Alt", [record.title], lang=True)
    if record.description:
        _container(desc, ("dc", "description"), "Alt", [record.description], lang=True)
    if record.all_keywords():
        _container(desc, ("dc", "subject"), "Bag", record.all_keywords())
    if record.hierarchy:
        _container(desc, ("lr", "hierarchicalSubject"), "Bag", sorted(set(record.hierarchy)))
    if record.regions and record.width and record.height:
        _regions(desc, record)
    return desc


def _regions(desc: ET.Element, record: XmpRecord) -> None:
    regions = ET.SubElement(desc, _q("mwg-rs", "Regions"), {_q("rdf", "parseType"): "Resource"})
    ET.SubElement(regions, _q("mwg-rs", "AppliedToDimensions"), {
        _q("stDim", "w"): str(record.width), _q("stDim", "h"): str(record.height),
        _q("stDim", "unit"): "pixel"})
    bag = ET.SubElement(ET.SubElement(regions, _q("mwg-rs", "RegionList")), _q("rdf", "Bag"))
    ordered = sorted(record.regions, key=lambda r: (r.name, r.x, r.y))
    for region in ordered:
        cx, cy, w, h = region_to_stored(region, record.orientation)
        item = ET.SubElement(ET.SubElement(bag, _q("rdf", "li")), _q("rdf", "Description"), {
            _q("mwg-rs", "Name"): region.name, _q("mwg-rs", "Type"): "Face"})
        ET.SubElement(item, _q("mwg-rs", "Area"), {
            _q("stArea", "x"): _number(cx, 6), _q("stArea", "y"): _number(cy, 6),
            _q("stArea", "w"): _number(w, 6), _q("stArea", "h"): _number(h, 6),
            _q("stArea", "unit"): "normalized"})


def _rational(value: float) -> str:
    return f"{round(value * 100)}/100"


_PACKET_HEAD = '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
_PACKET_TAIL = '\n<?xpacket end="w"?>'


def packet(record: XmpRecord, existing: str | None = None) -> str:
    """The XMP packet of ``record``; with ``existing`` (a file's own packet), that packet with
    our properties replaced and everything else kept."""
    meta = ET.Element(_q("x", "xmpmeta"))
    rdf = ET.SubElement(meta, _q("rdf", "RDF"))
    if existing:
        kept = _foreign_descriptions(existing)
        rdf.extend(kept)
    rdf.append(description_element(record))
    ET.indent(meta, space=" ")
    return _PACKET_HEAD + ET.tostring(meta, encoding="unicode") + _PACKET_TAIL


def _foreign_descriptions(existing: str) -> list[ET.Element]:
    """A packet's rdf:Descriptions without our properties (attribute or element form)."""
    data = existing.encode("utf-8")
    try:
        root = safe_xml(data)
    except RejectedFile:
        return []  # an unreadable packet in the file is replaced, not kept
    _keep_prefixes(data)
    rdf = root if root.tag == _q("rdf", "RDF") else root.find(_q("rdf", "RDF"))
    out = []
    for desc in (rdf if rdf is not None else []):
        if desc.tag != _q("rdf", "Description"):
            continue
        for name in [n for n in desc.attrib if n in _OURS_QNAMES]:
            del desc.attrib[name]
        for child in [c for c in desc if c.tag in _OURS_QNAMES]:
            desc.remove(child)
        if len(desc) or set(desc.attrib) - {_q("rdf", "about")}:
            out.append(desc)
    return out


def _keep_prefixes(data: bytes) -> None:
    """Serialise the file's namespaces with its own prefixes (hdrgm:, not ns0:): some readers
    of gain maps and editors' settings look for the prefix, not only the URI."""
    import io

    from defusedxml.ElementTree import iterparse

    ours = set(NS) | set(NS.values())
    for _, (prefix, uri) in iterparse(io.BytesIO(data), events=("start-ns",), forbid_dtd=True):
        if prefix and prefix not in ours and uri not in ours and not re.fullmatch(r"ns\d+",
                                                                                  prefix):
            try:
                ET.register_namespace(prefix, uri)
            except ValueError:
                continue


# ---------------------------------------------------------------- reading


def safe_xml(data: bytes) -> ET.Element:
    """Parse XML with no DTD and no entities; RejectedFile naming what is wrong."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    if len(data) > MAX_SIDECAR_BYTES:
        raise RejectedFile(f"sidecar of {len(data):,} bytes is larger than the "
                           f"{MAX_SIDECAR_BYTES:,} allowed")
    try:
        return fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise RejectedFile(f"sidecar refused: it declares a DTD or entities ({type(exc).__name__}"
                           "), which XMP never needs (an XML bomb?)") from exc
    except ParseError as exc:
        raise RejectedFile(f"sidecar is not XML: {exc}") from exc


def read_packet(data: bytes, orientation: int = 1) -> tuple[XmpRecord, Metadata]:
    """A sidecar's record and the Metadata its fields give; RejectedFile when it is not XMP at
    all. Regions are turned upright by ``orientation``: the image's, which a sidecar does not
    carry (the file it describes does)."""
    root = safe_xml(data)
    if root.tag != _q("x", "xmpmeta") and root.find(f".//{_q('rdf', 'RDF')}") is None \
            and root.tag != _q("rdf", "RDF"):
        raise RejectedFile(f"sidecar is XML but not XMP (its root is {root.tag!r})")
    tags = _exiv2_tags(data)
    meta = parse_tags(tags)
    record = XmpRecord(
        title=meta.title, description=meta.description, keywords=list(meta.keywords),
        hierarchy=list(meta.keyword_paths), rating=meta.rating, label=meta.label,
        latitude=meta.latitude, longitude=meta.longitude, altitude=_altitude(tags),
        taken=meta.taken,
    )
    record.width, record.height = _applied_dimensions(tags)
    record.orientation = orientation
    record.regions = _read_regions(tags, record.orientation, meta.errors)
    return record, meta


def _exiv2_tags(data: bytes) -> dict[str, Any]:
    with EXIV2_LOCK:
        try:
            img = exiv2().ImageData(data)
        except Exception as exc:
            raise RejectedFile(f"sidecar is not an XMP packet exiv2 can read: {exc}") from exc
        try:
            return img.read_xmp()
        except Exception as exc:
            raise RejectedFile(f"sidecar's XMP cannot be read: {exc}") from exc
        finally:
            img.close()


def _altitude(tags: dict[str, Any]) -> float | None:
    raw = tags.get("Xmp.exif.GPSAltitude")
    if not raw:
        return None
    try:
        num, _, den = str(raw).partition("/")
        value = float(num) / float(den or 1)
    except (ValueError, ZeroDivisionError):
        return None
    if not math.isfinite(value):
        return None
    return -value if str(tags.get("Xmp.exif.GPSAltitudeRef", "0")).strip() == "1" else value


def _applied_dimensions(tags: dict[str, Any]) -> tuple[int | None, int | None]:
    base = "Xmp.mwg-rs.Regions/mwg-rs:AppliedToDimensions/stDim:"
    try:
        return int(float(tags[base + "w"])), int(float(tags[base + "h"]))
    except (KeyError, ValueError):
        return None, None


_REGION_KEY = re.compile(r"Xmp\.mwg-rs\.Regions/mwg-rs:RegionList\[(\d+)\]/(.+)")


def _read_regions(tags: dict[str, Any], orientation: int, errors: list[str]) -> list[Region]:
    """Named face regions; a region with a broken area is skipped and said so."""
    items: dict[int, dict[str, str]] = {}
    for key, value in tags.items():
        match = _REGION_KEY.fullmatch(key)
        if match:
            items.setdefault(int(match.group(1)), {})[match.group(2)] = str(value)
    regions = []
    for index in sorted(items):
        item = items[index]
        name = (item.get("mwg-rs:Name") or "").strip()
        kind = (item.get("mwg-rs:Type") or "Face").strip()
        if not name or kind.lower() != "face":
            continue
        try:
            cx, cy, w, h = (float(item[f"mwg-rs:Area/stArea:{k}"]) for k in "xywh")
            if not all(0 <= v <= 1 for v in (cx, cy, w, h)) or w <= 0 or h <= 0:
                raise ValueError("outside 0..1")
        except (KeyError, ValueError) as exc:
            errors.append(f"face region {index} ({name}): no usable area ({exc})")
            continue
        regions.append(region_from_stored(name[:200], cx, cy, w, h, orientation))
    return regions


# ---------------------------------------------------------------- embedding in a copy

# Formats exiv2 writes metadata into; others (video, RAW, HEIF) get a sidecar only.
EMBEDDABLE = frozenset({"jpeg", "png", "tiff", "webp"})
_IPTC_UTF8 = "\x1b%G"


def _exif_rational(value: float, scale: int = 1000000) -> str:
    return f"{round(value * scale)}/{scale}"


def _exif_dms(value: float) -> str:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = (value - degrees - minutes / 60) * 3600
    return f"{degrees}/1 {minutes}/1 {round(seconds * 10000)}/10000"


def exif_fields(record: XmpRecord) -> dict[str, Any]:
    """EXIF tags of the record (None: remove the file's own, so no stale value is read back)."""
    taken, lat, lon, alt = record.taken, record.latitude, record.longitude, record.altitude
    has_gps = lat is not None and lon is not None
    offset = None if taken is None else _iso(taken)[19:] or None
    return {
        "Exif.Photo.DateTimeOriginal": None if taken is None else
        taken.local.strftime("%Y:%m:%d %H:%M:%S"),
        "Exif.Photo.OffsetTimeOriginal": offset,
        "Exif.Image.ImageDescription": record.description,
        "Exif.Image.Rating": None if record.rating is None else str(max(0, record.rating)),
        "Exif.GPSInfo.GPSVersionID": "2 3 0 0" if has_gps else None,
        "Exif.GPSInfo.GPSLatitudeRef": ("N" if lat >= 0 else "S") if has_gps else None,
        "Exif.GPSInfo.GPSLatitude": _exif_dms(lat) if has_gps else None,
        "Exif.GPSInfo.GPSLongitudeRef": ("E" if lon >= 0 else "W") if has_gps else None,
        "Exif.GPSInfo.GPSLongitude": _exif_dms(lon) if has_gps else None,
        "Exif.GPSInfo.GPSAltitudeRef": ("1" if alt < 0 else "0") if has_gps and alt is not None
        else None,
        "Exif.GPSInfo.GPSAltitude": _exif_rational(abs(alt), 100) if has_gps and alt is not None
        else None,
    }


def iptc_fields(record: XmpRecord) -> dict[str, Any]:
    """IPTC IIM datasets (UTF-8, with IIM's length limits: title 64 bytes, keywords 64 each)."""
    taken = record.taken
    keywords = [k for k in record.all_keywords() if len(k.encode()) <= 64]
    return {
        "Iptc.Envelope.CharacterSet": _IPTC_UTF8,
        "Iptc.Application2.ObjectName": _cut(record.title, 64),
        "Iptc.Application2.Caption": _cut(record.description, 2000),
        "Iptc.Application2.Keywords": keywords or None,
        "Iptc.Application2.DateCreated": None if taken is None else
        taken.local.strftime("%Y-%m-%d"),
        "Iptc.Application2.TimeCreated": None if taken is None else
        taken.local.strftime("%H:%M:%S") + (_iso(taken)[19:] or "+00:00"),
    }


def _cut(text: str | None, limit: int) -> str | None:
    if not text:
        return None
    data = text.encode("utf-8")[:limit]
    return data.decode("utf-8", "ignore")


def embed(data: bytes, record: XmpRecord, plain_packet: str | None = None) -> bytes:
    """A copy of a photo's bytes with the record in its EXIF, IPTC and XMP (the pixels and
    every other tag untouched); RejectedFile when exiv2 cannot write into it.
    ``plain_packet`` is ``packet(record)`` when the caller has it (the sidecar's): used as is
    for a file without XMP of its own."""
    with EXIV2_LOCK:
        try:
            img = exiv2().ImageData(data)
        except Exception as exc:
            raise RejectedFile(f"cannot write metadata into this file: {exc}") from exc
        try:
            existing = _existing_packet(img)
            img.modify_exif(exif_fields(record))
            img.modify_iptc(iptc_fields(record))
            img.modify_raw_xmp(packet(record, existing) if existing or plain_packet is None
                               else plain_packet)
            return img.get_bytes()
        except RejectedFile:
            raise
        except Exception as exc:
            raise RejectedFile(f"cannot write metadata into this file: {exc}") from exc
        finally:
            img.close()


def _existing_packet(img: Any) -> str | None:
    try:
        raw = img.read_raw_xmp()
    except Exception:
        return None
    return raw or None
