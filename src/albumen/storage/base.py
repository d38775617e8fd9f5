"""The storage interface. Originals are content-addressed and written once, atomically."""

from __future__ import annotations

import functools
import hashlib
import os
import re
import socket
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

# Models learned from the library (the recommender's factors), rebuilt from it: kept in the
# storage so every API process reads the same, never an orphan for `albumen verify`.
LEARNED = "learned/"


class StagedFile(ABC):
    """A file being written: bytes go to a temporary place while their SHA-256 is computed.

    Nothing is visible under a key until ``Storage.commit`` moves it there; ``discard`` (or
    leaving the ``with`` block on an error) removes every trace of it.
    """

    def __init__(self) -> None:
        self._hash = hashlib.sha256()
        self.size = 0
        self.head = b""  # the first bytes, for sniffing the type

    def write(self, chunk: bytes) -> None:
        if len(self.head) < 4096:
            self.head += chunk[: 4096 - len(self.head)]
        self._hash.update(chunk)
        self.size += len(chunk)
        self._write(chunk)

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    @property
    @abstractmethod
    def path(self) -> Path:
        """A local path to the bytes written so far (for header checks before commit)."""

    @abstractmethod
    def _write(self, chunk: bytes) -> None: ...

    @abstractmethod
    def discard(self) -> None: ...

    def __enter__(self) -> StagedFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()


@dataclass(frozen=True)
class Leftover:
    """What an interrupted write left behind: a staged or temporary file on this machine
    (``kind`` "file", ``name`` its path), a partial write inside the store, or an unfinished
    multipart upload (``kind`` "multipart", ``upload_id`` set)."""

    kind: str
    name: str
    bytes: int
    started: datetime
    upload_id: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "name": self.name, "bytes": self.bytes,
                "started": self.started.isoformat()}


@functools.cache
def _host() -> str:
    return re.sub(r"[^A-Za-z0-9.-]", "_", socket.gethostname())[:64] or "host"


def temporary_prefix(kind: str) -> str:
    """The start of the name of a temporary file this process writes (``upload``: a staged
    file, ``put``: a small object on its way): it names the process and the machine, so one
    left by a process that was killed is known as such (``abandoned``)."""
    return f"{kind}-{os.getpid()}-{_host()}."


_TEMPORARY = re.compile(r"(?:upload|put)-(\d+)-(.+)\.[^.]+\.part")


def abandoned(name: str) -> bool:
    """Whether a temporary file was written by a process of this machine that no longer runs
    (killed mid-write: SIGKILL, the OOM killer, a power cut), so nothing will finish it."""
    match = _TEMPORARY.fullmatch(name)
    if match is None or match[2] != _host():
        return False
    pid = int(match[1])
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False


def old_files(folder: Path, before: datetime) -> Iterator[Leftover]:
    """The files in ``folder`` last written before ``before``."""
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return
    for entry in entries:
        try:
            stat = entry.stat()
        except FileNotFoundError:
            continue  # finished meanwhile
        started = datetime.fromtimestamp(stat.st_mtime, UTC)
        if entry.is_file() and started < before:
            yield Leftover("file", entry.path, stat.st_size, started)


_FOREVER = datetime.max.replace(tzinfo=UTC)


class Storage(ABC):
    tmp: Path  # staging and temporary files, on this machine

    @abstractmethod
    def stage(self) -> StagedFile:
        """Start writing a new file."""

    @abstractmethod
    def commit(self, staged: StagedFile, key: str) -> bool:
        """Make the staged bytes durable under ``key``; False if the key already existed."""

    @abstractmethod
    def move(self, key: str, new_key: str) -> bool:
        """Rename an object (False if it does not exist)."""

    @abstractmethod
    def put_bytes(self, key: str, data: bytes) -> None:
        """Atomically write (or replace) a small object, e.g. a derivative."""

    @abstractmethod
    def open(self, key: str) -> BinaryIO: ...

    @abstractmethod
    def local_path(self, key: str) -> AbstractContextManager[Path]:
        """A local file holding the object for the duration of the ``with`` block."""

    @abstractmethod
    def exists(self, key: str) -> bool: ...

    @abstractmethod
    def size(self, key: str) -> int: ...

    @abstractmethod
    def modified(self, key: str) -> datetime:
        """When the object was last written (UTC, aware); FileNotFoundError if missing."""

    @abstractmethod
    def delete(self, key: str) -> None: ...

    @abstractmethod
    def keys(self, prefix: str = "") -> Iterator[str]: ...

    def leftovers(self, before: datetime) -> list[Leftover]:
        """What interrupted writes (a killed upload, a crash mid-thumbnail) left behind: last
        touched before ``before``, or written by a process of this machine that no longer
        runs (whatever their age); never a stored object."""
        found = {leftover.name: leftover for leftover in self.abandoned()}
        found.update((leftover.name, leftover) for leftover in old_files(self.tmp, before))
        return sorted(found.values(), key=lambda leftover: leftover.name)

    def abandoned(self) -> list[Leftover]:
        """The temporary files of processes of this machine that no longer run."""
        return [leftover for leftover in old_files(self.tmp, _FOREVER)
                if abandoned(Path(leftover.name).name)]

    def remove_empty_folders(self) -> None:
        """Remove the folders that hold no object (where a store has folders at all)."""
        return None  # an object store has none

    def remove_leftover(self, leftover: Leftover) -> None:
        Path(leftover.name).unlink(missing_ok=True)

    @abstractmethod
    def check(self) -> None:
        """Raise if the storage cannot be written (readiness probe)."""

    def iter_bytes(self, key: str, start: int = 0, end: int | None = None,
                   chunk_size: int = 1 << 20) -> Iterator[bytes]:
        """The bytes ``start`` to ``end`` (exclusive; None: to the end) in chunks, read as
        the caller iterates (memory stays flat)."""
        with self.open(key) as fh:
            fh.seek(start)
            left = None if end is None else end - start
            while left is None or left > 0:
                chunk = fh.read(chunk_size if left is None else min(chunk_size, left))
                if not chunk:
                    return
                if left is not None:
                    left -= len(chunk)
                yield chunk

    def filesystem_path(self, key: str) -> Path | None:
        """The object's own file when this storage is a local filesystem (it stays valid
        after the call, so it can be served with sendfile); None for remote storage."""
        return None

    def url_for_download(self, key: str, filename: str | None, content_type: str
                         ) -> str | None:
        """A short-lived URL the client can fetch the object from directly (pre-signed, with
        the original filename), or None when downloads go through albumen."""
        return None

    def download_origin(self) -> str | None:
        """scheme://host the ``url_for_download`` URLs point to (for the pages'
        Content-Security-Policy), or None."""
        return None


def content_disposition(filename: str, kind: str = "inline") -> str:
    """A Content-Disposition value for ``filename`` (RFC 6266; non-ASCII as ``filename*``),
    written the way Starlette's FileResponse writes it."""
    quoted = quote(filename)
    if quoted != filename:
        return f"{kind}; filename*=utf-8''{quoted}"
    return f'{kind}; filename="{filename}"'


def original_key(sha256: str) -> str:
    return f"originals/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def derivative_key(asset_id: int, kind: str, ext: str) -> str:
    return f"derivatives/{asset_id % 1000:03d}/{asset_id}/{kind}.{ext}"


def face_crop_key(asset_id: int, face_id: int) -> str:
    return f"faces/{asset_id % 1000:03d}/{asset_id}/{face_id}.webp"
