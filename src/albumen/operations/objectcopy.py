"""Copying and checking stored objects through the Storage interface (any backend).

Bytes are streamed in chunks into a staged file, which hashes them as they pass; the object
becomes visible under its key only when the copy is complete and checked, so an interrupted
copy leaves nothing behind and a later run can trust whatever it finds there.
"""

from __future__ import annotations

import hashlib
import re
from typing import BinaryIO

from albumen.errors import AlbumenError
from albumen.storage import Storage

CHUNK = 1024 * 1024
_ORIGINAL = re.compile(r"originals/([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})")


class DamagedObject(AlbumenError):
    code = "damaged_object"
    status_code = 422


def original_sha(key: str) -> str | None:
    """The SHA-256 an original is named by (None for any other key)."""
    match = _ORIGINAL.fullmatch(key)
    if match is None or not match[3].startswith(match[1] + match[2]):
        return None
    return match[3]


def first_key(storage: Storage) -> str | None:
    """Any one stored object (None: the storage is empty)."""
    return next(iter(storage.keys("")), None)


def hash_stream(fh: BinaryIO) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := fh.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def hash_object(storage: Storage, key: str) -> tuple[str, int]:
    """SHA-256 (hex) and size of a stored object, read as a stream."""
    with storage.open(key) as fh:
        return hash_stream(fh)


def copy_stream(fh: BinaryIO, target: Storage, key: str, *, size: int | None = None,
                sha256: str | None = None) -> tuple[str, int]:
    """Write a stream to ``target`` under ``key`` if it has the expected size and hash
    (either may be None: not checked). Returns (sha256, size) of what was written."""
    with target.stage() as staged:
        while chunk := fh.read(CHUNK):
            staged.write(chunk)
        if size is not None and staged.size != size:
            raise DamagedObject(f"{key}: {staged.size} bytes where {size} were expected",
                                details={"key": key})
        if sha256 is not None and staged.sha256 != sha256:
            raise DamagedObject(f"{key}: content does not match its SHA-256",
                                details={"key": key, "expected": sha256,
                                         "actual": staged.sha256})
        if not target.commit(staged, key):
            raise DamagedObject(f"{key}: already exists in the target storage",
                                details={"key": key})
        return staged.sha256, staged.size


def copy_object(source: Storage, target: Storage, key: str,
                size: int | None = None) -> tuple[str, int]:
    """Copy one object; an original must hash to its name."""
    with source.open(key) as fh:
        return copy_stream(fh, target, key, size=size, sha256=original_sha(key))
