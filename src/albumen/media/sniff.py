"""Decide a file's type from its content (magic bytes), never from its name."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileType:
    format: str  # jpeg, png, webp, gif, tiff, heic, avif, pdf, mp4, mov, webm, mkv, avi, mts
    mime_type: str
    media_type: str = "image"  # or "document", "video"


SUPPORTED = {
    "jpeg": FileType("jpeg", "image/jpeg"),
    "png": FileType("png", "image/png"),
    "webp": FileType("webp", "image/webp"),
    "gif": FileType("gif", "image/gif"),
    "tiff": FileType("tiff", "image/tiff"),
    "heic": FileType("heic", "image/heic"),
    "avif": FileType("avif", "image/avif"),
    "pdf": FileType("pdf", "application/pdf", "document"),
    "mp4": FileType("mp4", "video/mp4", "video"),
    "mov": FileType("mov", "video/quicktime", "video"),
    "webm": FileType("webm", "video/webm", "video"),
    "mkv": FileType("mkv", "video/x-matroska", "video"),
    "avi": FileType("avi", "video/x-msvideo", "video"),
    "mts": FileType("mts", "video/mp2t", "video"),
}
VIDEO_FORMATS = frozenset(f for f, t in SUPPORTED.items() if t.media_type == "video")
# A TIFF of several pages is a document (its header tells: media/paged.py).
TIFF_DOCUMENT = FileType("tiff", "image/tiff", "document")
# PDF readers find the header anywhere in the first kilobyte (some writers put junk first).
PDF_HEADER_WITHIN = 1024

_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
_AVIF_BRANDS = {b"avif", b"avis"}
# ISO media brands of video files: MP4 (isom, mp41…), QuickTime, 3GPP, camera variants.
_MOV_BRANDS = {b"qt  "}
_MP4_BRANDS = {b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42",
               b"avc1", b"M4V ", b"M4VH", b"M4VP", b"3gp4", b"3gp5", b"3gp6", b"3g2a",
               b"3ge6", b"MSNV", b"mmp4", b"XAVC", b"dash", b"NDAS", b"f4v ", b"kddi", b"CAEP"}
# A QuickTime file from before ftyp existed starts with one of these atoms.
_QUICKTIME_ATOMS = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}
_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P "}
_STILL_BRANDS = {b"crx "}  # Canon's CR3 raw photos (ISO media, not a video)
_TS_PACKET = 188

# Recognised but unsupported, so the error can name what the file is.
_KNOWN_OTHER = [
    (b"BM", "bmp"),
    (b"PK\x03\x04", "zip"),
    (b"\x1f\x8b", "gzip"),
    (b"8BPS", "psd"),
    (b"\x00\x00\x01\x00", "ico"),
    (b"ID3", "mp3"),
    (b"OggS", "ogg"),
    (b"\x7fELF", "elf"),
]


def _isobmff_brands(head: bytes) -> set[bytes]:
    if len(head) < 16 or head[4:8] != b"ftyp":
        return set()
    box_size = int.from_bytes(head[0:4], "big")
    end = min(max(box_size, 16), len(head))
    brands = {head[8:12]}
    brands.update(head[i : i + 4] for i in range(16, end - 3, 4))
    return brands


def _transport_stream(head: bytes) -> bool:
    """MPEG transport stream (TS: 188-byte packets; a camera's MTS/M2TS: 192 bytes, the sync
    byte after a 4-byte timestamp): the sync byte 0x47 at each packet of the head."""
    for size, first in ((_TS_PACKET, 0), (_TS_PACKET + 4, 4)):
        spots = range(first, len(head), size)
        if len(spots) >= 3 and all(head[i] == 0x47 for i in spots):
            return True
    return False


def sniff(head: bytes) -> FileType | str:
    """Return the supported type, or a short name/description of what the content is."""
    if not head:
        return "empty"
    if head.startswith(b"\xff\xd8\xff"):
        return SUPPORTED["jpeg"]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return SUPPORTED["png"]
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return SUPPORTED["webp"]
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return SUPPORTED["gif"]
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return SUPPORTED["tiff"]
    brands = _isobmff_brands(head)
    if brands:
        # AVIF files often also carry mif1, so AVIF brands win.
        if brands & _AVIF_BRANDS:
            return SUPPORTED["avif"]
        if brands & _HEIC_BRANDS:
            return SUPPORTED["heic"]
        major = head[8:12]
        if major in _AUDIO_BRANDS:
            return f"ISO media ({major.decode('latin-1').strip()}, sound only)"
        if major in _STILL_BRANDS:
            return f"ISO media ({major.decode('latin-1').strip()})"
        if major in _MOV_BRANDS:
            return SUPPORTED["mov"]
        if major in _MP4_BRANDS or brands & _MP4_BRANDS:
            return SUPPORTED["mp4"]
        return f"ISO media ({major.decode('latin-1').strip()})"
    if len(head) >= 8 and head[4:8] in _QUICKTIME_ATOMS:
        return SUPPORTED["mov"]
    if head[:4] == b"\x1a\x45\xdf\xa3":  # EBML: WebM or Matroska, named in its DocType
        return SUPPORTED["webm"] if b"webm" in head[:64] else SUPPORTED["mkv"]
    if head[:4] == b"RIFF" and head[8:12] in (b"AVI ", b"AVIX"):
        return SUPPORTED["avi"]
    if _transport_stream(head):
        return SUPPORTED["mts"]
    for magic, name in _KNOWN_OTHER:
        if head.startswith(magic):
            return name
    if b"%PDF-" in head[:PDF_HEADER_WITHIN]:
        return SUPPORTED["pdf"]
    sample = head[:1024]
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError:
        return "unknown binary data"
    start = text.lstrip("\ufeff \t\r\n").lower()
    if start.startswith(("<!doctype html", "<html", "<head", "<body")):
        return "an HTML page"
    return "text"
