"""Decide a file's type from its content (magic bytes), never from its name."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileType:
    format: str  # jpeg, png, webp, gif, tiff, heic, avif, pdf
    mime_type: str
    media_type: str = "image"  # or "document"


SUPPORTED = {
    "jpeg": FileType("jpeg", "image/jpeg"),
    "png": FileType("png", "image/png"),
    "webp": FileType("webp", "image/webp"),
    "gif": FileType("gif", "image/gif"),
    "tiff": FileType("tiff", "image/tiff"),
    "heic": FileType("heic", "image/heic"),
    "avif": FileType("avif", "image/avif"),
    "pdf": FileType("pdf", "application/pdf", "document"),
}
# A TIFF of several pages is a document (its header tells: media/paged.py).
TIFF_DOCUMENT = FileType("tiff", "image/tiff", "document")
# PDF readers find the header anywhere in the first kilobyte (some writers put junk first).
PDF_HEADER_WITHIN = 1024

_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
_AVIF_BRANDS = {b"avif", b"avis"}

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
        major = head[8:12].decode("latin-1").strip()
        return f"ISO media ({major})"
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
