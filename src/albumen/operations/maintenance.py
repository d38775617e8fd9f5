"""Scheduled maintenance: the clean-up that keeps an installation tidy over years.

Each task finds what is due and, unless ``dry_run``, changes it; either way it returns the
items it found, so ``albumen maintenance TASK --dry-run`` lists exactly what a real run would
change. Workers run every enabled task periodically (``ALBUMEN_MAINTENANCE_TASKS``); every
change is claimed with a conditional UPDATE or DELETE, so two workers never do it twice, and a
file is only removed after the database stopped referring to it (a crash in between leaves an
orphan file, which the ``orphans`` task removes, never a record pointing at nothing).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update

from albumen.accounts import audit
from albumen.db.base import utcnow
from albumen.db.models import (
    ASSET_PROCESSING,
    FAILED,
    PENDING,
    REJECTED,
    Asset,
    AssetStage,
    AuthSession,
    Derivative,
    Face,
    Rendition,
    ShareLink,
)
from albumen.library import resumable
from albumen.operations import verify
from albumen.operations.objectcopy import original_sha
from albumen.runtime import Runtime
from albumen.storage.base import original_key

log = logging.getLogger(__name__)


@dataclass
class TaskResult:
    task: str
    dry_run: bool
    items: list[dict[str, Any]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.items)

    def as_dict(self) -> dict[str, Any]:
        return {"task": self.task, "dry_run": self.dry_run, "count": self.count,
                "items": self.items}


# --- originals ------------------------------------------------------------------------------

def live_copies(rt: Runtime, sha: str) -> int:
    with rt.session() as session:
        return session.scalar(select(func.count()).select_from(Asset).where(
            Asset.sha256 == sha, Asset.purged_at.is_(None))) or 0


def remove_original(rt: Runtime, sha: str, key: str) -> bool:
    """Delete a content-addressed original no asset needs any more. It is moved aside first
    and the references checked again, so an upload of the same bytes arriving meanwhile keeps
    its file (ingest re-commits it if it finds it gone). False: it was gone, or needed."""
    aside = f"purging/{sha}"
    if not rt.storage.move(key, aside):
        return False
    if not live_copies(rt, sha):
        rt.storage.delete(aside)
        return True
    if rt.storage.exists(key):  # ingest put it back already
        rt.storage.delete(aside)
    else:
        rt.storage.move(aside, key)
    return False


def _delete_files(rt: Runtime, keys: list[str]) -> None:
    for key in keys:
        rt.storage.delete(key)  # a missing file is no error


# --- tasks ----------------------------------------------------------------------------------

def purge_trash(rt: Runtime, dry_run: bool = False, now: datetime | None = None) -> TaskResult:
    """Delete for good what has been in the trash longer than ALBUMEN_TRASH_DAYS: the asset,
    everything derived from it, and its original unless another asset has the same bytes."""
    result = TaskResult("trash", dry_run)
    days = rt.settings.trash_days
    if not days:
        return result
    cutoff = (now or utcnow()) - timedelta(days=days)
    with rt.session() as session:
        due = session.execute(
            select(Asset.id, Asset.original_filename, Asset.deleted_at, Asset.size)
            .where(Asset.deleted_at.is_not(None), Asset.deleted_at <= cutoff)
            .order_by(Asset.id)).all()
    for asset_id, filename, trashed_at, size in due:
        item = {"asset_id": asset_id, "filename": filename,
                "trashed_at": trashed_at.isoformat(), "bytes": size}
        if dry_run or _purge_trashed(rt, asset_id, cutoff):
            result.items.append(item)
    return result


def _purge_trashed(rt: Runtime, asset_id: int, cutoff: datetime) -> bool:
    with rt.transaction() as session:
        asset = session.get(Asset, asset_id)
        if asset is None:
            return False
        files = [d.storage_key for d in asset.derivatives]
        files += [key for key in session.scalars(
            select(Face.crop_key).where(Face.asset_id == asset_id)) if key]
        sha, key = asset.sha256, asset.storage_key
        # Conditional: a restore that came in meanwhile wins.
        gone = session.execute(delete(Asset).where(
            Asset.id == asset_id, Asset.deleted_at.is_not(None),
            Asset.deleted_at <= cutoff)).rowcount
        if not gone:
            return False
        audit.record(session, audit.SYSTEM, "asset.purge", "asset", asset_id)
    _delete_files(rt, files)
    if not live_copies(rt, sha):
        remove_original(rt, sha, key)
    return True


def purge_rejected(rt: Runtime, dry_run: bool = False, now: datetime | None = None,
                   older_than: timedelta | None = None) -> TaskResult:
    """Remove the originals and derivatives of guest uploads rejected longer ago than
    ALBUMEN_REJECTED_RETENTION_DAYS; the asset record (who, when, why) is kept."""
    result = TaskResult("rejected", dry_run)
    now = now or utcnow()
    cutoff = now - (older_than or timedelta(days=rt.settings.rejected_retention_days))
    with rt.session() as session:
        due = session.scalars(select(Asset).where(
            Asset.moderation == REJECTED, Asset.moderated_at <= cutoff,
            Asset.purged_at.is_(None)).order_by(Asset.id)).all()
        work = [(a.id, a.original_filename, a.sha256, a.storage_key,
                 [d.storage_key for d in a.derivatives]) for a in due]
    for asset_id, filename, sha, key, derivative_keys in work:
        item = {"asset_id": asset_id, "filename": filename}
        if dry_run:
            result.items.append(item)
            continue
        with rt.transaction() as session:
            claimed = session.execute(
                update(Asset).where(Asset.id == asset_id, Asset.purged_at.is_(None),
                                    Asset.moderation == REJECTED)
                .values(purged_at=now)).rowcount
            if not claimed:
                continue
            session.execute(delete(Derivative).where(Derivative.asset_id == asset_id))
            audit.record(session, audit.SYSTEM, "moderation.purge", "asset", asset_id)
        _delete_files(rt, derivative_keys)
        if not live_copies(rt, sha):
            remove_original(rt, sha, key)
        result.items.append(item)
    return result


def expire_links(rt: Runtime, dry_run: bool = False, now: datetime | None = None) -> TaskResult:
    """Share links past their expiry become revoked (their guests' sessions end with them),
    and logins past their expiry are deleted."""
    result = TaskResult("links", dry_run)
    now = now or utcnow()
    with rt.transaction() as session:
        links = session.execute(
            select(ShareLink.id, ShareLink.label, ShareLink.event_id, ShareLink.album_id,
                   ShareLink.expires_at)
            .where(ShareLink.revoked_at.is_(None), ShareLink.expires_at.is_not(None),
                   ShareLink.expires_at <= now).order_by(ShareLink.id)).all()
        result.items += [{"link_id": i, "label": label, "event_id": event, "album_id": album,
                          "expired_at": at.isoformat()} for i, label, event, album, at in links]
        logins = session.execute(select(AuthSession.id, AuthSession.user_id, AuthSession.kind)
                                 .where(AuthSession.expires_at <= now)
                                 .order_by(AuthSession.id)).all()
        result.items += [{"session_id": i, "user_id": user, "kind": kind}
                         for i, user, kind in logins]
        if dry_run:
            session.rollback()
            return result
        for link_id, *_ in links:
            session.execute(update(ShareLink).where(
                ShareLink.id == link_id, ShareLink.revoked_at.is_(None))
                .values(revoked_at=ShareLink.expires_at))
            audit.record(session, audit.SYSTEM, "link.expire", "share_link", link_id)
        if logins:
            session.execute(delete(AuthSession).where(
                AuthSession.id.in_([i for i, *_ in logins])))
    return result


def retry_failed(rt: Runtime, dry_run: bool = False, now: datetime | None = None) -> TaskResult:
    """Stages that failed for a reason that may pass (a worker that died, a database or
    storage that was away) run again after ALBUMEN_RETRY_FAILED_MINUTES, then 4x, 16x...
    that long, at most ALBUMEN_RETRY_FAILED_LIMIT times. A verdict on the file (corrupt,
    unsupported) is never retried by itself: `albumen reprocess --failed` does that."""
    result = TaskResult("retries", dry_run)
    settings = rt.settings
    if not settings.retry_failed_limit:
        return result
    now = now or utcnow()
    base = timedelta(minutes=settings.retry_failed_minutes)
    with rt.session() as session:
        rows = session.execute(
            select(AssetStage.asset_id, AssetStage.stage, AssetStage.auto_retries,
                   AssetStage.finished_at, AssetStage.error)
            .join(Asset, Asset.id == AssetStage.asset_id)
            .where(AssetStage.state == FAILED, AssetStage.transient.is_(True),
                   AssetStage.auto_retries < settings.retry_failed_limit,
                   Asset.deleted_at.is_(None))
            .order_by(AssetStage.finished_at)).all()
    for asset_id, stage, rounds, finished, error in rows:
        if finished is not None and finished > now - base * 4 ** rounds:
            continue  # not yet: the delay grows with each round
        item = {"asset_id": asset_id, "stage": stage, "round": rounds + 1, "error": error}
        if dry_run:
            result.items.append(item)
            continue
        with rt.transaction() as session:
            claimed = session.execute(
                update(AssetStage).where(
                    AssetStage.asset_id == asset_id, AssetStage.stage == stage,
                    AssetStage.state == FAILED, AssetStage.auto_retries == rounds)
                .values(state=PENDING, attempts=0, lease_until=None, queued_at=None,
                        auto_retries=rounds + 1)).rowcount
            if not claimed:
                continue
            session.execute(update(Asset).where(Asset.id == asset_id)
                            .values(state=ASSET_PROCESSING, failure_reason=None))
        rt.queue.enqueue_asset(asset_id)
        result.items.append(item)
    return result


def purge_activity(rt: Runtime, dry_run: bool = False,
                   now: datetime | None = None) -> TaskResult:
    """Activity (views, downloads...) older than ALBUMEN_ACTIVITY_RETENTION_DAYS is deleted;
    the analytics rollups keep their counts."""
    from albumen.insights import activity

    result = TaskResult("activity", dry_run)
    cutoff = activity.retention_cutoff(rt, now)
    if cutoff is None:
        return result
    if dry_run:
        count, oldest = activity.due(rt, cutoff)
        if count:
            result.items.append({"rows": count, "older_than": cutoff.isoformat(),
                                 "oldest": oldest.isoformat() if oldest else None})
        return result
    rows = activity.purge(rt, now)
    if rows:
        result.items.append({"rows": rows, "older_than": cutoff.isoformat()})
    return result


def scheduled_backups(rt: Runtime, dry_run: bool = False,
                      now: datetime | None = None) -> TaskResult:
    """A backup of the database (and the list of stored objects) under <data dir>/backups
    every ALBUMEN_BACKUP_INTERVAL_HOURS, keeping the newest ALBUMEN_BACKUP_KEEP."""
    from albumen.operations import backup

    result = TaskResult("backup", dry_run)
    settings = rt.settings
    if not settings.backup_interval_hours:
        return result
    root = settings.data_dir / "backups"
    now = now or datetime.now(UTC)
    if not dry_run:
        made = backup.scheduled_backup(rt, settings.backup_keep,
                                       settings.backup_interval_hours, root=root, now=now)
        if made is not None:
            result.items.append({"backup": str(made)})
        return result
    done = backup.complete_backups(root) if root.exists() else []
    last = (datetime.strptime(done[-1].name, backup.NAME_FORMAT).replace(tzinfo=UTC)
            if done else None)
    if last is None or now - last >= timedelta(hours=settings.backup_interval_hours):
        result.items.append({"backup": str(root / now.strftime(backup.NAME_FORMAT)),
                             "last": last.isoformat() if last else None})
        done.append(root / "new")
    result.items += [{"remove": str(old)} for old in done[:max(0, len(done)
                                                                - settings.backup_keep)]]
    return result


def remove_orphans(rt: Runtime, dry_run: bool = False,
                   now: datetime | None = None) -> TaskResult:
    """Delete stored files nothing in the database refers to (what a crash between a
    database change and a file removal leaves) once they are older than
    ALBUMEN_ORPHAN_GRACE_HOURS. Younger ones may be an upload or a thumbnail whose row is
    not committed yet; files being written (tmp/) or removed (purging/) are never touched.

    The storage is listed as `albumen verify` lists it; each file is looked up once more
    just before it goes, and an original is moved aside and checked again (an upload of
    the same bytes may arrive at any moment)."""
    result = TaskResult("orphans", dry_run)
    cutoff = (now or utcnow()) - timedelta(hours=rt.settings.orphan_grace_hours)
    storage = rt.storage
    due: list[dict[str, Any]] = []
    for key in verify.orphans(rt):
        if key.startswith("tmp/"):  # neither storage lists it; never ours to remove anyway
            continue
        try:
            modified = storage.modified(key)
            size = storage.size(key)
        except FileNotFoundError:
            continue  # removed meanwhile
        if modified <= cutoff:
            due.append({"key": key, "bytes": size, "modified": modified.isoformat()})
    if dry_run:
        result.items = due
        return result
    for start in range(0, len(due), verify.BATCH):
        chunk = due[start:start + verify.BATCH]
        orphaned = set(verify.still_orphaned(rt, [item["key"] for item in chunk]))
        for item in chunk:
            if item["key"] in orphaned and _remove_orphan(rt, item["key"], cutoff):
                result.items.append(item)
    return result


def _remove_orphan(rt: Runtime, key: str, cutoff: datetime) -> bool:
    sha = original_sha(key)
    if sha is not None:
        return not live_copies(rt, sha) and remove_original(rt, sha, key)
    try:
        if rt.storage.modified(key) > cutoff:
            return False  # written again since the scan (a stage re-rendering a thumbnail)
    except FileNotFoundError:
        return False
    rt.storage.delete(key)
    return True


def clean_leftovers(rt: Runtime, dry_run: bool = False,
                    now: datetime | None = None) -> TaskResult:
    """What interrupted work left behind. Temporary and staged files and unfinished multipart
    uploads older than ALBUMEN_ORPHAN_GRACE_HOURS are removed, and resumable uploads left
    unfinished past ALBUMEN_RESUMABLE_UPLOAD_HOURS. An original a crash left set
    aside for removal (``purging/``, see ``remove_original``) is put back where a photo still
    needs it and its place is empty, otherwise removed — the same checks ``remove_original``
    makes, so running alongside one is harmless."""
    result = TaskResult("leftovers", dry_run)
    cutoff = (now or utcnow()) - timedelta(hours=rt.settings.orphan_grace_hours)
    storage = rt.storage
    for leftover in storage.leftovers(cutoff):
        result.items.append({**leftover.as_dict(), "action": "remove"})
        if not dry_run:
            storage.remove_leftover(leftover)
    for aside in list(storage.keys("purging/")):
        sha = aside.removeprefix("purging/")
        key = original_key(sha)
        restore = bool(live_copies(rt, sha)) and not storage.exists(key)
        result.items.append({"kind": "set aside", "name": aside,
                             "action": "restore" if restore else "remove"})
        if dry_run:
            continue
        if not restore:
            storage.delete(aside)
        elif not storage.move(aside, key):
            result.items.pop()  # put back or removed meanwhile
    for upload in resumable.expired(rt, dry_run):  # unfinished past ALBUMEN_RESUMABLE_UPLOAD_HOURS
        result.items.append({"kind": "resumable upload", "name": upload.id,
                             "bytes": upload.offset, "started": upload.created_at.isoformat(),
                             "action": "remove"})
    return result


def trim_renditions(rt: Runtime, dry_run: bool = False,
                    now: datetime | None = None) -> TaskResult:
    """Keep the image service's renditions under ALBUMEN_IMAGE_CACHE_MB: the least recently
    used go first (a row is removed before its file, so nothing refers to a missing file;
    the next request makes it again)."""
    result = TaskResult("renditions", dry_run)
    cap = rt.settings.image_cache_mb * 1024 * 1024
    with rt.session() as session:
        total = int(session.scalar(select(func.coalesce(func.sum(Rendition.size), 0))) or 0)
        if total <= cap:
            return result
        for key, size, used in session.execute(select(Rendition.key, Rendition.size,
                                                      Rendition.used_at)
                                               .order_by(Rendition.used_at, Rendition.key)):
            if total <= cap:
                break
            result.items.append({"key": key, "bytes": size, "used": used.isoformat()})
            total -= size
    if dry_run:
        return result
    for item in result.items:
        with rt.transaction() as session:
            gone = session.execute(delete(Rendition).where(Rendition.key == item["key"]))
        if gone.rowcount:
            rt.storage.delete(item["key"])
    return result


Task = Callable[..., TaskResult]
TASKS: dict[str, Task] = {
    "trash": purge_trash,
    "rejected": purge_rejected,
    "links": expire_links,
    "retries": retry_failed,
    "activity": purge_activity,
    "backup": scheduled_backups,
    "orphans": remove_orphans,
    "leftovers": clean_leftovers,
    "renditions": trim_renditions,
}


def enabled_tasks(rt: Runtime) -> list[str]:
    wanted = [t.strip() for t in rt.settings.maintenance_tasks.split(",") if t.strip()]
    unknown = sorted(set(wanted) - set(TASKS))
    if unknown:
        raise ValueError(f"unknown maintenance task(s) {unknown}; known: {', '.join(TASKS)}")
    return [name for name in TASKS if name in wanted]


def run(rt: Runtime, names: list[str] | None = None, dry_run: bool = False) -> list[TaskResult]:
    """Run the named tasks (default: the enabled ones); one failing does not stop the rest."""
    results = []
    for name in names if names is not None else enabled_tasks(rt):
        try:
            result = TASKS[name](rt, dry_run=dry_run)
        except Exception:
            log.exception("maintenance task %s failed; the others go on", name)
            continue
        if result.count:
            log.info("maintenance %s: %d %s", name, result.count,
                     "due (dry run)" if dry_run else "done")
        results.append(result)
    return results
