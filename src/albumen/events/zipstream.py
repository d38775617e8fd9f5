"""Streamed ZIP downloads (zipstream-ng): constant memory, members read only when reached.

Photos are already compressed, so members are STORED; ZIP64 records are written when the
archive needs them. Names are made safe to extract on every OS and unique case-insensitively.
"""

from __future__ import annotations

import os
import re
import struct
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from zipstream import ZIP_STORED, ZipStream

MAX_NAME_BYTES = 200
_MAX_EXT_CHARS = 16
# control characters, bidi overrides (name spoofing), and characters Windows forbids
_INVALID = re.compile(r'[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069<>:"/\\|?*]')
_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{dev}{n}" for dev in ("COM", "LPT") for n in range(1, 10)]
)


@dataclass
class ZipMember:
    """One archive entry: a file on disk or a callable producing the bytes (exactly one)."""

    filename: str  # the user's original filename (may be unsafe or duplicated)
    path: Path | None = None  # streamed from disk in chunks
    data: Callable[[], bytes] | None = None  # called only when the member is reached
    mtime: datetime | None = None  # default: the file's mtime, or now

    def __post_init__(self) -> None:
        if (self.path is None) == (self.data is None):
            raise ValueError("a ZipMember needs exactly one of path or data")


# ---------------------------------------------------------------- names


def _text(name: str) -> str:
    """Valid NFC text: surrogate-escaped bytes (non-UTF-8 names) become U+FFFD."""
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # lone surrogates that are not escaped bytes
        raw = name.encode("utf-8", "replace")
    return unicodedata.normalize("NFC", raw.decode("utf-8", "replace"))


def _split(name: str) -> tuple[str, str]:
    """(stem, ".ext"); no extension when there is no stem or the suffix is implausibly long."""
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or not ext or len(ext) > _MAX_EXT_CHARS:
        return name, ""
    return stem, "." + ext


def _fit(stem: str, ext: str, tag: str = "") -> str:
    """``stem + tag + ext`` cut to MAX_NAME_BYTES of UTF-8 by shortening the stem."""
    budget = MAX_NAME_BYTES - len((tag + ext).encode())
    if len(stem.encode()) > budget:
        stem = stem.encode()[:budget].decode("utf-8", "ignore").rstrip(" .") or "file"
    return stem + tag + ext


def _safe_parts(name: str) -> tuple[str, str]:
    name = re.split(r"[/\\]", _text(name))[-1]
    name = _INVALID.sub("", name).strip(" .")
    if not name:
        return "file", ""
    stem, ext = _split(name)
    if stem.split(".")[0].rstrip(" ").upper() in _RESERVED:
        stem = "_" + stem
    return stem, ext


class UniqueNames:
    """Turns names into safe ones, unique (case-insensitively) among those seen so far."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def __call__(self, name: str) -> str:
        stem, ext = _safe_parts(name)
        candidate, n = _fit(stem, ext), 1
        while candidate.casefold() in self._used:
            n += 1
            candidate = _fit(stem, ext, f" ({n})")
        self._used.add(candidate.casefold())
        return candidate


def safe_unique_names(names: Iterable[str]) -> list[str]:
    """Names safe to extract on any OS, unique case-insensitively (``a.jpg``, ``a (2).jpg``).

    Directory parts, control characters and ``<>:"/\\|?*`` are removed, as are leading and
    trailing dots and spaces; Windows device names get a ``_`` prefix; a name is cut to 200
    bytes of UTF-8 keeping its extension; an empty name becomes ``file``.
    """
    namer = UniqueNames()
    return [namer(name) for name in names]


# ---------------------------------------------------------------- archive


def _read_file(path: Path, chunk_size: int) -> Iterator[bytes]:
    """The file's bytes in chunks; the file is opened when iteration starts."""
    with open(path, "rb") as fh:
        while chunk := fh.read(chunk_size):
            yield chunk


def _slices(data: bytes, chunk_size: int) -> Iterator[bytes]:
    for start in range(0, len(data), chunk_size):
        yield data[start:start + chunk_size]


DateTime = tuple[int, int, int, int, int, int]
_MIN_DATE: DateTime = (1980, 1, 1, 0, 0, 0)
_MAX_DATE: DateTime = (2107, 12, 31, 23, 59, 58)


def _date_time(member: ZipMember, st_mtime: float | None) -> DateTime:
    """The member's modification time as local (y, m, d, H, M, S), clamped to ZIP's range."""
    if member.mtime is not None:
        moment = member.mtime.astimezone() if member.mtime.tzinfo else member.mtime
        parts = moment.timetuple()
    else:
        parts = time.localtime(st_mtime)  # the file's mtime, or now
    year, month, day, hour, minute, second = parts[:6]
    return min(max((year, month, day, hour, minute, second), _MIN_DATE), _MAX_DATE)


def _stamp(header: bytes, date_time: DateTime) -> bytes:
    """A local file header with its DOS time and date (bytes 10-13) set to ``date_time``."""
    year, month, day, hour, minute, second = date_time
    dos_time = hour << 11 | minute << 5 | second // 2
    dos_date = (year - 1980) << 9 | month << 5 | day
    return header[:10] + struct.pack("<HH", dos_time, dos_date) + header[14:]


def zip_stream(members: Iterable[ZipMember], chunk_size: int = 1 << 20) -> Iterator[bytes]:
    """Yield a STORED ZIP archive of ``members`` chunk by chunk (each at most ``chunk_size``
    bytes of file data, or one header).

    ``members`` is consumed lazily, one member at a time: a path is opened and read only while
    its entry is written, a ``data`` callable is called only then, and at most one member's
    bytes are held in memory. Names are made safe and unique with :class:`UniqueNames`.
    """
    stream = ZipStream(compress_type=ZIP_STORED)
    namer = UniqueNames()
    for member in members:
        name = namer(member.filename)
        if member.path is not None:
            st = os.stat(member.path)
            source = _read_file(member.path, chunk_size)
            stream.add(source, name, size=st.st_size)
            date_time = _date_time(member, st.st_mtime)
        else:
            assert member.data is not None
            payload = member.data()
            source = _slices(payload, chunk_size)
            stream.add(source, name, size=len(payload))
            date_time = _date_time(member, None)
        entry = stream.file()
        try:
            yield _stamp(next(entry), date_time)  # the first chunk is the local file header
            yield from entry
        finally:
            source.close()  # closes the file now if the download is abandoned midway
        # zipstream-ng takes no date: set it where the central directory will read it
        stream._filelist[-1].date_time = date_time
    yield from stream.footer()


def zip_size(members: Iterable[ZipMember]) -> int | None:
    """The exact byte length :func:`zip_stream` will produce (for Content-Length), or None
    when a member has ``data`` (its size is unknown until it is produced).

    Stats each path; pass the same members (a list, or a fresh generator) to both calls.
    """
    sized = ZipStream(compress_type=ZIP_STORED, sized=True)
    namer = UniqueNames()
    for member in members:
        if member.path is None:
            return None
        sized.add(iter(()), namer(member.filename), size=os.stat(member.path).st_size)
    return len(sized)
