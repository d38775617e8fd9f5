"""Resumable uploads: a big file (a clip from a phone on a weak connection) sent in parts,
each appended where the last one stopped, and ingested like any upload once whole.

The protocol is tus's core (https://tus.io): the client creates an upload with the file's
length, sends parts with ``PATCH`` and ``Upload-Offset`` (the bytes it believes are here), and
after a dropped connection asks ``HEAD`` how far it got. Here the bytes so far are a file under
``<data dir>/uploads`` and the offset a database row; a part cut off midway keeps what
arrived. Where the file goes (whose library or which event, moderated or not) is decided when
the upload is created, with the same checks as a one-request upload; a finished upload goes
through ``ingest`` (type, limits, duplicates, quota: nothing half-stored), then its bytes so
far are removed. Unfinished uploads expire (``ALBUMEN_RESUMABLE_UPLOAD_HOURS``).

The part file is on the machine that received the first part: behind several API machines,
route an upload's requests to one (sticky sessions) or give them a shared data directory.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from albumen.db.base import utcnow
from albumen.db.models import ResumableUpload
from albumen.errors import Conflict, InvalidInput, NotFound, RejectedFile, TooLarge
from albumen.library.filenames import clean_filename
from albumen.library.ingest import SNIFF_BYTES, IngestResult, Origin, ingest, limit_for
from albumen.runtime import Runtime

log = logging.getLogger(__name__)
_READ = 1 << 20


@dataclass(frozen=True)
class Owner:
    """Whose upload it is: a user, or a guest through a link."""

    user_id: int | None = None
    guest_id: int | None = None
    link_id: int | None = None


def _folder(rt: Runtime) -> Path:
    folder = rt.settings.data_dir / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _part(rt: Runtime, upload_id: str) -> Path:
    return _folder(rt) / f"{upload_id}.part"


def create(rt: Runtime, owner: Owner, destination: dict[str, Any], filename: str,
           length: int) -> ResumableUpload:
    """Start an upload of ``length`` bytes going to ``destination`` (ingest.Origin's fields)."""
    most = max(rt.settings.max_upload_bytes, rt.settings.max_video_bytes)
    if length <= 0:
        raise InvalidInput("an upload needs its length in bytes (Upload-Length), above 0")
    if length > most:
        raise TooLarge(f"a file of {length:,} bytes is over the limit of {most:,} bytes",
                       details={"max_bytes": most})
    row = ResumableUpload(
        id=secrets.token_urlsafe(24), user_id=owner.user_id, guest_id=owner.guest_id,
        link_id=owner.link_id, destination=destination, filename=clean_filename(filename),
        length=length, offset=0,
        expires_at=utcnow() + timedelta(hours=rt.settings.resumable_upload_hours))
    _part(rt, row.id).touch()
    with rt.transaction() as session:
        session.add(row)
        session.flush()
        session.expunge(row)
    return row


def get(session: Session, upload_id: str, owner: Owner) -> ResumableUpload:
    """The upload, if it is this owner's (anyone else: NotFound, as if there were none)."""
    row = session.get(ResumableUpload, upload_id)
    if row is None or (row.user_id, row.guest_id) != (owner.user_id, owner.guest_id) or (
            row.outcome is None and row.expires_at < utcnow()):
        raise NotFound("no such upload (unknown, someone else's, or expired)",
                       details={"upload_id": upload_id})
    return row


@contextlib.contextmanager
def _exclusive(path: Path) -> Iterator[Any]:
    """The part file, locked: two requests for one upload never append at once."""
    with path.open("r+b") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Conflict("another part of this upload is being received") from None
        yield fh


def append(rt: Runtime, upload_id: str, owner: Owner, offset: int,
           chunks: Iterable[bytes]) -> tuple[ResumableUpload, IngestResult | None]:
    """Append a part sent from ``offset``; when it completes the file, ingest it. Returns the
    upload and, once whole, the ingest's result. A part cut off keeps what arrived."""
    with rt.session() as session:
        row = get(session, upload_id, owner)
        session.expunge(row)
    if row.outcome is not None:
        raise Conflict("this upload is complete", details={"upload_id": upload_id,
                                                           "asset_id": row.asset_id})
    path = _part(rt, upload_id)
    if not path.exists():
        raise NotFound("the bytes of this upload are not on this machine (it was received "
                       "by another, or removed)", details={"upload_id": upload_id})
    with _exclusive(path) as fh:
        with rt.session() as session:  # the offset as of the lock
            row.offset = session.scalar(select(ResumableUpload.offset).where(
                ResumableUpload.id == upload_id)) or 0
        if offset != row.offset:
            raise Conflict(f"this upload is at byte {row.offset:,}, not {offset:,}: send "
                           "from there (HEAD tells)",
                           details={"upload_id": upload_id, "offset": row.offset})
        fh.truncate(row.offset)  # bytes past the recorded offset never counted
        fh.seek(row.offset)
        written = row.offset
        refused: TooLarge | None = None
        try:
            for chunk in chunks:
                if written + len(chunk) > row.length:
                    raise InvalidInput(f"more bytes than the upload's length ({row.length:,})",
                                       details={"upload_id": upload_id})
                fh.write(chunk)
                written += len(chunk)
                if row.offset < SNIFF_BYTES <= written:  # the type is known: its limit
                    fh.flush()
                    limit = _typed_limit(rt, path)
                    if row.length > limit:
                        refused = TooLarge(f"a file of this type may be {limit:,} bytes at "
                                           "most", details={"max_bytes": limit})
                        raise refused
        finally:
            fh.flush()
            os.fsync(fh.fileno())
            with rt.transaction() as session:
                session.execute(update(ResumableUpload).where(ResumableUpload.id == upload_id)
                                .values(offset=written))
            row.offset = written
            if refused is not None:  # nothing of it is kept
                _settle(rt, upload_id, None, "rejected", refused.message)
                path.unlink(missing_ok=True)
    if row.offset < row.length:
        return row, None
    return row, _finish(rt, row, path)


def _typed_limit(rt: Runtime, path: Path) -> int:
    with path.open("rb") as fh:
        return limit_for(fh.read(4096), rt.settings)


def _finish(rt: Runtime, row: ResumableUpload, path: Path) -> IngestResult:
    def chunks() -> Iterator[bytes]:
        with path.open("rb") as fh:
            while block := fh.read(_READ):
                yield block

    try:
        result = ingest(rt, chunks(), Origin("upload", row.filename, **row.destination))
    except RejectedFile as exc:
        _settle(rt, row.id, None, "rejected", exc.message)
        path.unlink(missing_ok=True)
        raise
    _settle(rt, row.id, result.asset_id, result.outcome, None)
    path.unlink(missing_ok=True)
    return result


def _settle(rt: Runtime, upload_id: str, asset_id: int | None, outcome: str,
            error: str | None) -> None:
    with rt.transaction() as session:
        session.execute(update(ResumableUpload).where(ResumableUpload.id == upload_id)
                        .values(asset_id=asset_id, outcome=outcome, error=error))


def abort(rt: Runtime, upload_id: str, owner: Owner) -> ResumableUpload:
    """Give an unfinished upload up: its bytes removed, its row gone."""
    with rt.transaction() as session:
        row = get(session, upload_id, owner)
        session.delete(row)
        session.flush()
        session.expunge(row)
    _part(rt, upload_id).unlink(missing_ok=True)
    return row


def expired(rt: Runtime, dry_run: bool = False) -> list[ResumableUpload]:
    """Unfinished uploads past their time (removed unless ``dry_run``), and finished ones'
    rows a week after."""
    now = utcnow()
    with rt.transaction() as session:
        rows = list(session.scalars(select(ResumableUpload).where(
            ResumableUpload.outcome.is_(None), ResumableUpload.expires_at < now)))
        if not dry_run:
            session.execute(delete(ResumableUpload).where(
                ResumableUpload.id.in_([r.id for r in rows])))
            session.execute(delete(ResumableUpload).where(
                ResumableUpload.outcome.is_not(None),
                ResumableUpload.expires_at < now - timedelta(days=7)))
        for r in rows:
            session.expunge(r)
    if not dry_run:
        from albumen.events.sharing import release_upload

        for r in rows:
            _part(rt, r.id).unlink(missing_ok=True)
            if r.guest_id is not None and r.link_id is not None:
                release_upload(rt, r.link_id, r.guest_id)  # the guest's allowance back
    return rows
