"""Motion photos: a JPEG that carries its short clip after the picture (Samsung's Motion
Photo, Google's Motion Photo / Micro Video). The clip is an MP4 file appended after the
JPEG's end (Samsung marks it with ``MotionPhoto_Data``; Google names its length in XMP):
found here by its ``ftyp`` box, so either layout is read the same way."""

from __future__ import annotations

import mmap
from collections.abc import Iterator
from pathlib import Path

from albumen.media.sniff import FileType, sniff

_SEARCH_FROM = 1024  # a JPEG's own header never holds an MP4
_MIN_CLIP = 1024


def embedded_clip(path: Path) -> tuple[int, int] | None:
    """(offset, length) of the MP4 clip inside this JPEG, or None. The last ``ftyp`` box
    after the picture whose brand is a video's counts (an EXIF thumbnail is a JPEG, never
    an MP4)."""
    size = path.stat().st_size
    if size < _SEARCH_FROM + _MIN_CLIP:
        return None
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
        if data[:3] != b"\xff\xd8\xff":
            return None
        at = data.rfind(b"ftyp", _SEARCH_FROM)
        while at >= _SEARCH_FROM + 4:
            start = at - 4
            box = int.from_bytes(data[start:at], "big")
            if 16 <= box <= 256:
                kind = sniff(bytes(data[start:start + 64]))
                if isinstance(kind, FileType) and kind.media_type == "video" \
                        and size - start >= _MIN_CLIP:
                    return start, size - start
            at = data.rfind(b"ftyp", _SEARCH_FROM, at)
    return None


def read_clip(path: Path, span: tuple[int, int], chunk: int = 1 << 20) -> Iterator[bytes]:
    """The clip's bytes, in chunks (for ingest)."""
    offset, length = span
    with path.open("rb") as fh:
        fh.seek(offset)
        left = length
        while left > 0:
            block = fh.read(min(chunk, left))
            if not block:
                return
            left -= len(block)
            yield block
