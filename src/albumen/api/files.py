"""Serving stored files: ETags, Range, and direct downloads from object storage.

Local storage is served by Starlette's FileResponse (sendfile, every Range form). Remote
storage is streamed: one ranged GET per request, memory flat whatever the size. When the
storage hands out pre-signed URLs (S3 with ``s3_presign_downloads``) an original can be sent
there with a 307 instead, after the caller has checked every permission.
"""

from __future__ import annotations

import logging
import re

from fastapi import Request, Response
from fastapi.responses import FileResponse, RedirectResponse, StreamingResponse
from sqlalchemy.orm import Session

from albumen.errors import StoredFileMissing
from albumen.library import assets as asset_svc
from albumen.library.requeue import requeue_done_stage
from albumen.runtime import Runtime
from albumen.storage.base import content_disposition

log = logging.getLogger(__name__)
_SINGLE_RANGE = re.compile(r"bytes=(\d*)-(\d*)")
# Files a browser would run code in (a PDF's JavaScript in its viewer): always downloaded,
# never shown inline, and sandboxed should a browser open them anyway.
DOWNLOAD_ONLY = frozenset({"application/pdf"})


def _not_modified(request: Request, etag: str) -> bool:
    header = request.headers.get("if-none-match", "")
    return any(tag.strip() in (etag, "*") for tag in header.split(",")) if header else False


def file_response(rt: Runtime, request: Request, key: str, media_type: str, etag: str,
                  filename: str | None = None, *, redirect: bool = False) -> Response:
    """The object at ``key`` as an HTTP response. ``redirect``: answer 307 to the storage's
    download URL when it has one (use only once the caller may have the file)."""
    headers = {"ETag": etag, "Cache-Control": "private, max-age=31536000, immutable"}
    disposition = "inline"
    if media_type in DOWNLOAD_ONLY:
        disposition = "attachment"
        headers["Content-Security-Policy"] = "sandbox"
        filename = filename or "document.pdf"
    if _not_modified(request, etag):
        return Response(status_code=304, headers=headers)
    if redirect and disposition == "inline":  # presigned URLs are served inline
        url = rt.storage.url_for_download(key, filename, media_type)
        if url is not None:  # the URL expires: neither it nor the redirect may be cached
            return RedirectResponse(url, status_code=307,
                                    headers={"Cache-Control": "private, no-store"})
    try:
        path = rt.storage.filesystem_path(key)
    except FileNotFoundError:
        raise _missing(key) from None
    if path is not None:
        return FileResponse(path, media_type=media_type, headers=headers, filename=filename,
                            content_disposition_type=disposition)
    return _streamed(rt, request, key, media_type, headers, filename, disposition)


def _streamed(rt: Runtime, request: Request, key: str, media_type: str,
              headers: dict[str, str], filename: str | None, disposition: str) -> Response:
    try:
        size = rt.storage.size(key)
    except FileNotFoundError:
        raise _missing(key) from None
    headers = {**headers, "Accept-Ranges": "bytes"}
    if filename is not None:
        headers["Content-Disposition"] = content_disposition(filename, disposition)
    start, end, status = 0, size, 200
    wanted = request.headers.get("range")
    if_range = request.headers.get("if-range")
    if wanted and (if_range is None or if_range.strip() == headers["ETag"]):
        span = _single_range(wanted, size)
        if span == "unsatisfiable":
            return Response(status_code=416, headers={"Content-Range": f"bytes */{size}"})
        if span is not None:
            start, end = span
            status = 206
            headers["Content-Range"] = f"bytes {start}-{end - 1}/{size}"
    headers["Content-Length"] = str(end - start)
    return StreamingResponse(rt.storage.iter_bytes(key, start, end), status_code=status,
                             media_type=media_type, headers=headers)


def _missing(key: str) -> StoredFileMissing:
    log.error("stored file missing: %s", key)
    return StoredFileMissing("the file is missing from storage (`albumen verify` finds every "
                             "such file and queues what can be made again)")


def derivative_response(rt: Runtime, request: Request, session: Session, asset_id: int,
                        kind: str) -> Response:
    """A thumbnail or preview. One missing from storage is made again from the original
    (repair on read): this request is answered 404 ``file_missing``, a later one gets it."""
    row = asset_svc.get_derivative(session, asset_id, kind)
    try:
        return file_response(rt, request, row.storage_key, row.mime_type, f'"{row.etag}"')
    except StoredFileMissing:
        queued = requeue_done_stage(rt, asset_id, "derivatives")
        raise StoredFileMissing(
            f"the {kind} of asset {asset_id} is missing from storage; it is being made again "
            "from the original, try again shortly",
            details={"asset_id": asset_id, "kind": kind, "regenerating": queued}) from None


def _single_range(header: str, size: int) -> tuple[int, int] | str | None:
    """(start, end) of a one-range ``Range`` header, "unsatisfiable", or None to send the
    whole file (a malformed header or several ranges, which RFC 9110 lets us ignore)."""
    match = _SINGLE_RANGE.fullmatch(header.strip())
    if match is None or not (match[1] or match[2]):
        return None
    if match[1]:
        start = int(match[1])
        if match[2] and int(match[2]) < start:
            return None
        end = min(int(match[2]) + 1, size) if match[2] else size
    else:  # the last N bytes
        suffix = int(match[2])
        if suffix == 0:
            return "unsatisfiable"
        start, end = max(size - suffix, 0), size
    if start >= size:
        return "unsatisfiable"
    return start, end
