"""Image exports in the background (``POST /api/v1/images/batch``): the request is checked and
recorded at once, a worker makes every rendition into one ZIP (its progress in the
database), the owner downloads it when done. A worker that dies mid-export leaves it
"running" with an expired lease; the reconciler queues it again and it starts over (the
renditions already made come from the cache)."""

from __future__ import annotations

import logging
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from albumen.db.base import utcnow
from albumen.db.renditions import (
    EXPORT_DONE,
    EXPORT_FAILED,
    EXPORT_QUEUED,
    EXPORT_RUNNING,
    ImageExport,
)
from albumen.errors import InvalidInput, NotFound
from albumen.images import export, service
from albumen.images.options import Options, check, parse
from albumen.search import language
from albumen.search.query import SearchQuery

if TYPE_CHECKING:
    from albumen.runtime import Runtime

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 3
CHUNK = 1024 * 1024


MAX_SELECTION = 10_000


def request_export(rt: Runtime, user_id: int, query: str, opts: Options, fmt: str,
                   asset_ids: list[int] | None = None) -> int:
    """Check the transform and the query (or the selection), record the export and queue
    it; its id."""
    if asset_ids is not None and not 1 <= len(asset_ids) <= MAX_SELECTION:
        raise InvalidInput(f"a selection is 1 to {MAX_SELECTION:,} photos")
    check(opts, fmt, service.limits(rt))
    language.parse(query, SearchQuery(viewer=user_id))  # a bad query fails here, not later
    with rt.transaction() as session:
        row = ImageExport(owner_id=user_id, query=query, asset_ids=asset_ids,
                          options=opts.canonical(), format=fmt,
                          state=EXPORT_QUEUED, done=0, written=0, failed=[], attempts=0)
        session.add(row)
        session.flush()
        export_id = row.id
    rt.queue.enqueue_image_export(export_id)
    return export_id


def get_export(session: Session, user_id: int, export_id: int) -> ImageExport:
    found = session.get(ImageExport, export_id)
    if found is None or found.owner_id != user_id:
        raise NotFound(f"image export {export_id} not found")
    return found


def _claim(rt: Runtime, export_id: int) -> bool:
    now = utcnow()
    with rt.transaction() as session:
        return bool(session.execute(update(ImageExport).where(
            ImageExport.id == export_id, ImageExport.attempts < MAX_ATTEMPTS, or_(
                ImageExport.state == EXPORT_QUEUED,
                (ImageExport.state == EXPORT_RUNNING) & (ImageExport.lease_until < now)))
            .values(state=EXPORT_RUNNING, lease_until=now + LEASE, done=0,
                    attempts=ImageExport.attempts + 1)).rowcount)


def run(rt: Runtime, export_id: int) -> str:
    """The job: every rendition into a ZIP on the storage, progress as it goes."""
    if not _claim(rt, export_id):
        return "skipped"
    with rt.session() as session:
        row = session.get(ImageExport, export_id)
        assert row is not None
        owner, query, opts, fmt = row.owner_id, row.query, parse(row.options), row.format
        selection = row.asset_ids
    last = [0.0]

    def progress(done: int, total: int) -> None:
        if time.monotonic() - last[0] >= 1 or done == total:
            last[0] = time.monotonic()
            with rt.transaction() as session:
                session.execute(update(ImageExport).where(ImageExport.id == export_id)
                                .values(done=done, total=total,
                                        lease_until=utcnow() + LEASE))

    key = f"exports/{export_id}.zip"
    try:
        with tempfile.TemporaryDirectory(prefix="albumen-export-") as tmp:
            archive = Path(tmp) / "export.zip"
            result = export.export(rt, owner, query, opts, fmt, archive=archive,
                                   progress=progress, asset_ids=selection)
            if rt.storage.exists(key):  # an earlier attempt's, complete or not
                rt.storage.delete(key)
            with rt.storage.stage() as staged, archive.open("rb") as fh:
                while chunk := fh.read(CHUNK):
                    staged.write(chunk)
                rt.storage.commit(staged, key)
    except Exception as exc:
        log.exception("image export %s failed", export_id)
        with rt.transaction() as session:
            row = session.get(ImageExport, export_id)
            final = row is None or row.attempts >= MAX_ATTEMPTS or not isinstance(exc, OSError)
            session.execute(update(ImageExport).where(ImageExport.id == export_id).values(
                state=EXPORT_FAILED if final else EXPORT_QUEUED, error=str(exc)[:2000],
                lease_until=None))
        if not final:
            rt.queue.enqueue_image_export(export_id)
        return "failed"
    with rt.transaction() as session:
        session.execute(update(ImageExport).where(ImageExport.id == export_id).values(
            state=EXPORT_DONE, storage_key=key, size=rt.storage.size(key),
            written=result.written, failed=result.failed[:1000], finished_at=utcnow(),
            lease_until=None, error=None))
    return "done"


def stalled(session: Session) -> list[int]:
    """Exports to queue again: running with an expired lease (their worker died), or queued
    for longer than a lease (their queue message was lost)."""
    now = utcnow()
    return list(session.scalars(select(ImageExport.id).where(
        ImageExport.attempts < MAX_ATTEMPTS, or_(
            (ImageExport.state == EXPORT_RUNNING) & (ImageExport.lease_until < now),
            (ImageExport.state == EXPORT_QUEUED) & (ImageExport.created_at < now - LEASE)))))
