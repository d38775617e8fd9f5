"""Local filesystem storage: temp file in the same filesystem, fsync, atomic rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from albumen.storage.base import StagedFile, Storage, temporary_prefix


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class LocalStagedFile(StagedFile):
    def __init__(self, tmp_dir: Path) -> None:
        super().__init__()
        fd, name = tempfile.mkstemp(dir=tmp_dir, prefix=temporary_prefix("upload"),
                                    suffix=".part")
        self._path = Path(name)
        self._file: BinaryIO | None = os.fdopen(fd, "wb")

    @property
    def path(self) -> Path:
        if self._file is not None:
            self._file.flush()
        return self._path

    def _write(self, chunk: bytes) -> None:
        assert self._file is not None, "staged file already closed"
        self._file.write(chunk)

    def finish(self) -> Path:
        """Flush and fsync (once); the file is then ready to be linked into place."""
        if self._file is not None:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            self._file = None
        return self._path

    def discard(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        with contextlib.suppress(FileNotFoundError):
            self._path.unlink()


class LocalStorage(Storage):
    def __init__(self, root: Path) -> None:
        self.root = root
        self.tmp = root / "tmp"
        self.tmp.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root.resolve()) or key.startswith("tmp/"):
            raise ValueError(f"invalid storage key: {key!r}")
        return path

    def stage(self) -> LocalStagedFile:
        return LocalStagedFile(self.tmp)

    def commit(self, staged: StagedFile, key: str) -> bool:
        """Hard-link the staged file into place: atomic, never replaces an existing object,
        and the staged copy stays until the staging context ends (so a caller can commit it
        again if the object was removed meanwhile)."""
        assert isinstance(staged, LocalStagedFile)
        target = self._path(key)
        if target.exists():
            return False
        src = staged.finish()
        target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(src, 0o444)  # originals are never modified
        try:
            os.link(src, target)
        except FileExistsError:
            return False
        _fsync_dir(target.parent)
        return True

    def move(self, key: str, new_key: str) -> bool:
        source, target = self._path(key), self._path(new_key)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.rename(source, target)
        except FileNotFoundError:
            return False
        return True

    def put_bytes(self, key: str, data: bytes) -> None:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        # Written under tmp/ (same file system: the rename is atomic), where a write cut
        # off midway is found and removed by maintenance (Storage.leftovers).
        tmp = self.tmp / f"{temporary_prefix('put')}{uuid.uuid4().hex}.part"
        try:
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def open(self, key: str) -> BinaryIO:
        return open(self._path(key), "rb")

    @contextlib.contextmanager
    def local_path(self, key: str) -> Iterator[Path]:
        path = self._path(key)
        if not path.exists():
            raise FileNotFoundError(key)
        yield path

    def filesystem_path(self, key: str) -> Path:
        path = self._path(key)
        if not path.is_file():
            raise FileNotFoundError(key)
        return path

    def exists(self, key: str) -> bool:
        return self._path(key).exists()

    def size(self, key: str) -> int:
        return self._path(key).stat().st_size

    def modified(self, key: str) -> datetime:
        return datetime.fromtimestamp(self._path(key).stat().st_mtime, UTC)

    def delete(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._path(key).unlink()

    def keys(self, prefix: str = "") -> Iterator[str]:
        base = self.root
        for dirpath, _dirs, files in os.walk(base):
            rel_dir = Path(dirpath).relative_to(base)
            if rel_dir.parts[:1] == ("tmp",):
                continue
            for name in files:
                key = (rel_dir / name).as_posix()
                if key.startswith(prefix):
                    yield key

    def remove_empty_folders(self) -> None:
        """Bottom up, every folder under the root that holds no file (tmp/ stays)."""
        for dirpath, _dirs, _files in os.walk(self.root, topdown=False):
            folder = Path(dirpath)
            if folder in (self.root, self.tmp):
                continue
            with contextlib.suppress(OSError):  # not empty (or gone): left as it is
                folder.rmdir()

    def check(self) -> None:
        probe = self.tmp / f"ready-{uuid.uuid4().hex}"
        probe.write_bytes(b"ok")
        probe.unlink()
