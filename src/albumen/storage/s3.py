"""S3-compatible object storage (AWS S3, MinIO, Ceph, R2...) on boto3.

Bytes are staged in a local temporary file while they are hashed (header checks need a path;
memory stays flat). ``commit`` uploads that file with boto3's managed transfer: one PUT below
the part size, a multipart upload above it, streamed from the file part by part. S3 makes an
object visible only when its PUT or CompleteMultipartUpload succeeds, so nothing partial is
ever seen under a key, and a failed multipart upload is aborted (no orphaned parts).

Reads stream: ``open`` is a seekable reader over ranged GETs, ``iter_bytes`` one ranged GET,
``local_path`` a temporary download for code that needs a file.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import tempfile
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, BinaryIO
from urllib.parse import unquote, urlparse, urlsplit

from albumen.storage.base import Leftover, StagedFile, Storage, content_disposition
from albumen.storage.local import LocalStagedFile

if TYPE_CHECKING:
    from albumen.config import Settings

log = logging.getLogger(__name__)

UPLOAD_THREADS = 4  # parts in flight per upload: memory is bounded by this x the part size
READ_BUFFER = 256 * 1024


def _missing(exc: Exception) -> bool:
    from botocore.exceptions import ClientError

    if not isinstance(exc, ClientError):
        return False
    error = exc.response.get("Error", {})
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return (error.get("Code") in ("404", "NoSuchKey", "NotFound", "NoSuchUpload")
            or status == 404)


class S3StagedFile(LocalStagedFile):
    """A local temporary file; it becomes durable when uploaded, so it is not fsynced."""

    def finish(self) -> Path:
        if self._file is not None:
            self._file.close()
            self._file = None
        return self._path


class _ObjectReader(io.RawIOBase):
    """A seekable view of one object: one GET from the current position, read as the caller
    reads; a seek drops it and the next read starts a ranged GET there. ``IfMatch`` pins the
    version seen when it was opened."""

    def __init__(self, client: Any, bucket: str, key: str, size: int, etag: str) -> None:
        super().__init__()
        self._client, self._bucket, self._key = client, bucket, key
        self._size, self._etag = size, etag
        self._pos = 0
        self._body: Any = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}.get(whence)
        if base is None:
            raise ValueError(f"invalid whence {whence}")
        position = base + offset
        if position < 0:
            raise ValueError("negative seek position")
        if position != self._pos:
            self._drop()
            self._pos = position
        return position

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._pos >= self._size or not len(view):
            return 0
        if self._body is None:
            self._body = self._client.get_object(
                Bucket=self._bucket, Key=self._key, Range=f"bytes={self._pos}-",
                IfMatch=self._etag)["Body"]
        data = self._body.read(len(view))
        if not data:
            raise OSError(f"{self._key}: the connection ended at byte {self._pos} "
                          f"of {self._size}")
        view[: len(data)] = data
        self._pos += len(data)
        return len(data)

    def _drop(self) -> None:
        if self._body is not None:
            self._body.close()
            self._body = None

    def close(self) -> None:
        self._drop()
        super().close()


class S3Storage(Storage):
    def __init__(self, client: Any, bucket: str, prefix: str = "", *, tmp_dir: Path,
                 part_size: int = 16 * 1024 * 1024, presign_seconds: int | None = None
                 ) -> None:
        """``presign_seconds``: hand out pre-signed download URLs valid that long (None:
        downloads go through albumen)."""
        from boto3.s3.transfer import TransferConfig

        self.client = client
        self.bucket = bucket
        self.prefix = f"{prefix.strip('/')}/" if prefix.strip("/") else ""
        self.tmp = tmp_dir
        self.tmp.mkdir(parents=True, exist_ok=True)
        self.presign_seconds = presign_seconds
        self._origin: str | None = None
        self.transfer = TransferConfig(
            multipart_threshold=part_size, multipart_chunksize=part_size,
            max_concurrency=UPLOAD_THREADS, preferred_transfer_client="classic")

    def __repr__(self) -> str:
        return f"S3Storage(s3://{self.bucket}/{self.prefix})"

    def _key(self, key: str) -> str:
        parts = key.split("/")
        if not key or any(p in ("", ".", "..") for p in parts) or parts[0] == "tmp":
            raise ValueError(f"invalid storage key: {key!r}")
        return self.prefix + key

    def _head(self, key: str) -> dict[str, Any] | None:
        try:
            return self.client.head_object(Bucket=self.bucket, Key=self._key(key))  # type: ignore[no-any-return]
        except Exception as exc:
            if _missing(exc):
                return None
            raise

    def stage(self) -> S3StagedFile:
        return S3StagedFile(self.tmp)

    def commit(self, staged: StagedFile, key: str) -> bool:
        """Upload the staged file to ``key`` unless an object is already there (False).

        Two writers racing for the same new key both upload; keys are content addresses,
        so either way the object holds the same bytes. The staged file stays until the
        staging context ends (a caller may commit it again)."""
        assert isinstance(staged, S3StagedFile)
        if self._head(key) is not None:
            return False
        path = staged.finish()
        # Managed transfer: a multipart upload it starts is aborted by its failure clean-up
        # (an error in any part, an interrupted file read, Ctrl-C), so no parts are left.
        self.client.upload_file(str(path), self.bucket, self._key(key),
                                ExtraArgs={"Metadata": {"sha256": staged.sha256}},
                                Config=self.transfer)
        return True

    def move(self, key: str, new_key: str) -> bool:
        """Copy (server side, multipart for big objects) then delete the source. Not atomic:
        a crash in between leaves both copies, never neither."""
        source, target = self._key(key), self._key(new_key)
        try:
            self.client.copy({"Bucket": self.bucket, "Key": source}, self.bucket, target,
                             Config=self.transfer)
        except Exception as exc:
            if _missing(exc):
                return False
            raise
        self.client.delete_object(Bucket=self.bucket, Key=source)
        return True

    def put_bytes(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data)

    def open(self, key: str) -> BinaryIO:
        head = self._head(key)
        if head is None:
            raise FileNotFoundError(key)
        raw = _ObjectReader(self.client, self.bucket, self._key(key), head["ContentLength"],
                            head["ETag"])
        return io.BufferedReader(raw, buffer_size=READ_BUFFER)  # type: ignore[return-value]

    def iter_bytes(self, key: str, start: int = 0, end: int | None = None,
                   chunk_size: int = 1 << 20) -> Iterator[bytes]:
        """One GET (ranged unless the whole object is asked for), streamed."""
        if end is not None and end <= start:
            return
        args: dict[str, str] = {}
        if start or end is not None:
            args["Range"] = f"bytes={start}-{'' if end is None else end - 1}"
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=self._key(key), **args)["Body"]
        except Exception as exc:
            if _missing(exc):
                raise FileNotFoundError(key) from exc
            raise
        try:
            yield from body.iter_chunks(chunk_size)
        finally:
            body.close()

    @contextlib.contextmanager
    def local_path(self, key: str) -> Iterator[Path]:
        """Download to a temporary file (parallel ranged GETs for big objects), removed when
        the ``with`` block ends."""
        fd, name = tempfile.mkstemp(dir=self.tmp, prefix="download-",
                                    suffix=PurePosixPath(key).suffix)
        os.close(fd)
        path = Path(name)
        try:
            try:
                self.client.download_file(self.bucket, self._key(key), name,
                                          Config=self.transfer)
            except Exception as exc:
                if _missing(exc):
                    raise FileNotFoundError(key) from exc
                raise
            yield path
        finally:
            path.unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._head(key) is not None

    def size(self, key: str) -> int:
        head = self._head(key)
        if head is None:
            raise FileNotFoundError(key)
        return int(head["ContentLength"])

    def modified(self, key: str) -> datetime:
        head = self._head(key)
        if head is None:
            raise FileNotFoundError(key)
        return head["LastModified"].astimezone(UTC)  # type: ignore[no-any-return]

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def keys(self, prefix: str = "") -> Iterator[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix + prefix)
        for page in pages:
            for item in page.get("Contents", ()):
                key = item["Key"][len(self.prefix):]
                if not key.startswith("tmp/"):
                    yield key

    def leftovers(self, before: datetime) -> list[Leftover]:
        """Also multipart uploads started before ``before`` and never completed or aborted
        (a process killed mid-upload: S3 keeps, and bills, their parts until aborted) and
        objects under ``tmp/`` (a readiness probe cut off)."""
        found = super().leftovers(before)
        pages = self.client.get_paginator("list_multipart_uploads").paginate(
            Bucket=self.bucket, Prefix=self.prefix)
        for page in pages:
            for upload in page.get("Uploads", ()):
                if upload["Initiated"] < before:
                    found.append(Leftover("multipart", upload["Key"], 0, upload["Initiated"],
                                          upload_id=upload["UploadId"]))
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=f"{self.prefix}tmp/")
        for page in pages:
            for item in page.get("Contents", ()):
                if item["LastModified"] < before:
                    found.append(Leftover("object", item["Key"], int(item["Size"]),
                                          item["LastModified"]))
        return found

    def remove_leftover(self, leftover: Leftover) -> None:
        if leftover.kind == "multipart":
            try:
                self.client.abort_multipart_upload(Bucket=self.bucket, Key=leftover.name,
                                                   UploadId=leftover.upload_id)
            except Exception as exc:
                if not _missing(exc):  # else: finished or aborted meanwhile
                    raise
        elif leftover.kind == "object":
            self.client.delete_object(Bucket=self.bucket, Key=leftover.name)
        else:
            super().remove_leftover(leftover)

    def check(self) -> None:
        """Write and delete a small object (the bucket exists and we may write to it)."""
        probe = f"{self.prefix}tmp/ready-{uuid.uuid4().hex}"
        self.client.put_object(Bucket=self.bucket, Key=probe, Body=b"ok")
        self.client.delete_object(Bucket=self.bucket, Key=probe)

    def url_for_download(self, key: str, filename: str | None, content_type: str
                         ) -> str | None:
        if self.presign_seconds is None:
            return None
        params = {"Bucket": self.bucket, "Key": self._key(key),
                  "ResponseContentType": content_type}
        if filename:
            params["ResponseContentDisposition"] = content_disposition(filename)
        return self.client.generate_presigned_url(  # type: ignore[no-any-return]
            "get_object", Params=params, ExpiresIn=self.presign_seconds)

    def download_origin(self) -> str | None:
        if self._origin is None:
            url = self.url_for_download("origin", None, "application/octet-stream")
            if url is None:
                return None
            parts = urlsplit(url)  # signing is local: no request is made
            self._origin = f"{parts.scheme}://{parts.netloc}"
        return self._origin


def parse_s3_url(url: str) -> tuple[str, str]:
    """``s3://bucket/some/prefix`` -> ("bucket", "some/prefix")."""
    parsed = urlparse(url)
    if parsed.scheme != "s3" or not parsed.netloc:
        raise ValueError(f"not an S3 storage URL (s3://bucket/prefix): {url!r}")
    return parsed.netloc, unquote(parsed.path).strip("/")


def s3_storage(url: str, settings: Settings) -> S3Storage:
    """The S3 storage an ``s3://bucket/prefix`` URL and the ``s3_*`` settings describe."""
    import boto3
    from botocore.config import Config

    bucket, prefix = parse_s3_url(url)
    style = settings.s3_addressing_style
    if style == "auto":  # MinIO & co. rarely have wildcard DNS; AWS wants virtual hosts
        style = "path" if settings.s3_endpoint_url else "virtual"
    secret = settings.s3_secret_access_key
    client = boto3.session.Session().client(
        "s3",
        endpoint_url=settings.s3_endpoint_url,
        region_name=settings.s3_region,
        aws_access_key_id=settings.s3_access_key_id,
        aws_secret_access_key=secret.get_secret_value() if secret else None,
        config=Config(signature_version="s3v4", s3={"addressing_style": style},
                      retries={"mode": "standard", "max_attempts": 5},
                      max_pool_connections=32),
    )
    return S3Storage(client, bucket, prefix, tmp_dir=settings.data_dir / "tmp",
                     part_size=settings.s3_part_size,
                     presign_seconds=settings.s3_presign_seconds
                     if settings.s3_presign_downloads else None)
