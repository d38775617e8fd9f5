"""Scheduled maintenance: each task changes exactly what its dry run lists, and nothing else."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, update

from albumen.accounts.audit import SYSTEM
from albumen.accounts.users import create_user
from albumen.db.base import utcnow
from albumen.db.engagement import Activity
from albumen.db.models import Asset, AssetStage, AuthSession, Derivative, Face, ShareLink
from albumen.events.sharing import create_link
from albumen.library.importer import import_paths
from albumen.operations import maintenance
from albumen.runtime import Runtime, set_runtime
from albumen.storage.base import derivative_key, face_crop_key, original_key
from albumen.storage.local import LocalStorage
from albumen.storage.s3 import S3Storage
from tests import images
from tests.conftest import make_settings, s3_settings
from tests.processes import env_for, run_cli, run_json
from tests.test_workers import _count


def _import(rt: Runtime, folder: Path, seeds: list[int], owner: int | None = None) -> list[int]:
    for seed in seeds:
        images.write(folder / f"{seed}.jpg", images.jpeg(seed=seed))
    return import_paths(rt, [folder], owner).asset_ids


def _trash(rt: Runtime, asset_id: int, days_ago: float) -> None:
    with rt.transaction() as session:
        session.execute(update(Asset).where(Asset.id == asset_id)
                        .values(deleted_at=utcnow() - timedelta(days=days_ago)))


def _files(rt: Runtime, asset_id: int) -> list[str]:
    with rt.session() as session:
        asset = session.get(Asset, asset_id)
        return [asset.storage_key, *(d.storage_key for d in asset.derivatives)]


def test_trash_purge_deletes_only_what_is_due_and_dry_run_changes_nothing(
        rt: Runtime, tmp_path: Path) -> None:
    old, recent, live = _import(rt, tmp_path / "in", [1, 2, 3])
    _trash(rt, old, days_ago=31)
    _trash(rt, recent, days_ago=2)
    files = _files(rt, old)
    assert len(files) == 3 and all(rt.storage.exists(k) for k in files)

    dry = maintenance.purge_trash(rt, dry_run=True)
    assert [i["asset_id"] for i in dry.items] == [old]
    assert dry.items[0]["filename"] == "1.jpg" and dry.items[0]["bytes"] > 0
    with rt.session() as session:
        assert session.get(Asset, old) is not None
    assert all(rt.storage.exists(k) for k in files)

    done = maintenance.purge_trash(rt)
    assert done.items == dry.items
    with rt.session() as session:
        assert session.get(Asset, old) is None
        assert session.scalar(select(func.count()).select_from(Derivative)
                              .where(Derivative.asset_id == old)) == 0
        assert session.get(Asset, recent) is not None and session.get(Asset, live) is not None
    assert not any(rt.storage.exists(k) for k in files)
    assert all(rt.storage.exists(k) for k in _files(rt, recent) + _files(rt, live))
    assert maintenance.purge_trash(rt).count == 0  # nothing twice


def test_trash_purge_keeps_an_original_another_asset_shares(rt: Runtime, tmp_path: Path) -> None:
    first = create_user(rt, "first", "password-one-1").id
    second = create_user(rt, "second", "password-two-2").id
    (mine,) = _import(rt, tmp_path / "a", [7], first)
    (theirs,) = _import(rt, tmp_path / "b", [7], second)  # the same bytes, another library
    assert mine != theirs
    original = _files(rt, mine)[0]
    _trash(rt, mine, days_ago=40)
    assert maintenance.purge_trash(rt).count == 1
    assert rt.storage.exists(original)
    _trash(rt, theirs, days_ago=40)
    assert maintenance.purge_trash(rt).count == 1
    assert not rt.storage.exists(original)


def test_trash_days_zero_keeps_the_trash(rt: Runtime, tmp_path: Path) -> None:
    (asset,) = _import(rt, tmp_path / "in", [4])
    _trash(rt, asset, days_ago=400)
    rt.settings.trash_days = 0
    assert maintenance.purge_trash(rt).count == 0
    assert maintenance.purge_trash(rt, dry_run=True).count == 0


def test_expired_links_are_revoked_and_expired_logins_deleted(rt: Runtime) -> None:
    from albumen.events.service import create_event

    owner = create_user(rt, "host", "password-host-1").id
    event = create_event(rt, owner, {"title": "Party"}, SYSTEM)
    soon = utcnow() + timedelta(days=1)
    expired, _ = create_link(rt, owner, {"label": "old", "expires_at": soon}, SYSTEM,
                             event_id=event)
    valid, _ = create_link(rt, owner, {"label": "new", "expires_at": soon}, SYSTEM,
                           event_id=event)
    forever, _ = create_link(rt, owner, {"label": "forever"}, SYSTEM, event_id=event)
    past = utcnow() - timedelta(hours=1)
    with rt.transaction() as session:
        session.execute(update(ShareLink).where(ShareLink.id == expired.id)
                        .values(expires_at=past))
        session.add(AuthSession(user_id=owner, kind="api", access_hash="a" * 64,
                                access_expires_at=past, expires_at=past))
        session.add(AuthSession(user_id=owner, kind="api", access_hash="b" * 64,
                                access_expires_at=soon, expires_at=soon))

    dry = maintenance.expire_links(rt, dry_run=True)
    assert [i.get("link_id") for i in dry.items if "link_id" in i] == [expired.id]
    assert len([i for i in dry.items if "session_id" in i]) == 1
    with rt.session() as session:
        assert session.get(ShareLink, expired.id).revoked_at is None
        assert session.scalar(select(func.count()).select_from(AuthSession)) == 2

    assert maintenance.expire_links(rt).count == 2
    with rt.session() as session:
        assert session.get(ShareLink, expired.id).revoked_at is not None
        assert session.get(ShareLink, valid.id).revoked_at is None
        assert session.get(ShareLink, forever.id).revoked_at is None
        assert session.scalars(select(AuthSession.access_hash)).all() == ["b" * 64]
    assert maintenance.expire_links(rt).count == 0


def _fail_stage(rt: Runtime, asset_id: int, stage: str, transient: bool, minutes_ago: float,
                rounds: int = 0) -> None:
    with rt.transaction() as session:
        session.execute(update(AssetStage).where(
            AssetStage.asset_id == asset_id, AssetStage.stage == stage).values(
            state="failed", transient=transient, auto_retries=rounds, error="OSError: away",
            finished_at=utcnow() - timedelta(minutes=minutes_ago)))
        session.execute(update(Asset).where(Asset.id == asset_id).values(state="failed"))


def test_transient_failures_are_retried_with_growing_delays(rt: Runtime, tmp_path: Path) -> None:
    due, too_soon, verdict, second_round, exhausted = _import(rt, tmp_path / "in", [1, 2, 3, 4, 5])
    _fail_stage(rt, due, "phash", transient=True, minutes_ago=61)
    _fail_stage(rt, too_soon, "phash", transient=True, minutes_ago=30)
    _fail_stage(rt, verdict, "phash", transient=False, minutes_ago=600)
    _fail_stage(rt, second_round, "phash", transient=True, minutes_ago=120, rounds=1)  # 4 h
    _fail_stage(rt, exhausted, "phash", transient=True, minutes_ago=10**6, rounds=4)

    dry = maintenance.retry_failed(rt, dry_run=True)
    assert [(i["asset_id"], i["round"]) for i in dry.items] == [(due, 1)]
    done = maintenance.retry_failed(rt)  # the queue runs inline in tests
    assert done.items == dry.items
    with rt.session() as session:
        assert session.get(Asset, due).state == "ready"
        row = session.get(AssetStage, (due, "phash"))
        assert (row.state, row.auto_retries) == ("done", 1)
        for other in (too_soon, verdict, second_round, exhausted):
            assert session.get(AssetStage, (other, "phash")).state == "failed"
    later = utcnow() + timedelta(hours=5)
    assert {i["asset_id"] for i in maintenance.retry_failed(rt, dry_run=True, now=later).items
            } == {too_soon, second_round}


def test_activity_past_retention_is_deleted(rt: Runtime) -> None:
    now = utcnow()
    with rt.transaction() as session:
        for days in (500, 401, 10):
            session.add(Activity(at=now - timedelta(days=days), kind="search"))
    dry = maintenance.purge_activity(rt, dry_run=True)
    assert dry.items[0]["rows"] == 2
    with rt.session() as session:
        assert session.scalar(select(func.count()).select_from(Activity)) == 3
    assert maintenance.purge_activity(rt).items[0]["rows"] == 2
    with rt.session() as session:
        assert session.scalar(select(func.count()).select_from(Activity)) == 1


def test_unknown_task_is_named(rt: Runtime) -> None:
    rt.settings.maintenance_tasks = "trash,vacuum"
    try:
        maintenance.enabled_tasks(rt)
    except ValueError as exc:
        assert "vacuum" in str(exc)
    else:
        raise AssertionError("an unknown task was accepted")


def test_cli_dry_run_lists_then_run_changes(tmp_path: Path, db_url: str) -> None:
    env = env_for(tmp_path / "data", db_url, ALBUMEN_TRASH_DAYS="1")
    folder = tmp_path / "in"
    images.write(folder / "a.jpg", images.jpeg(seed=9))
    doc = run_json(env, "import", str(folder), "--json", "--wait")
    asset_id = doc["results"][0]["asset_id"]
    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        conn.execute(update(Asset).where(Asset.id == asset_id)
                     .values(deleted_at=utcnow() - timedelta(days=2)))
    engine.dispose()
    listed = run_json(env, "maintenance", "trash", "--dry-run", "--json")
    assert listed[0]["task"] == "trash" and listed[0]["dry_run"] is True
    assert [i["asset_id"] for i in listed[0]["items"]] == [asset_id]
    assert _count(db_url, select(func.count()).select_from(Asset)) == 1
    text = run_cli(env, "maintenance", "run", "--dry-run").stdout
    assert "trash: would change 1" in text and "a.jpg" in text
    done = run_json(env, "maintenance", "run", "--json")
    assert {r["task"]: r["count"] for r in done}["trash"] == 1
    assert _count(db_url, select(func.count()).select_from(Asset)) == 0
    assert json.loads(run_cli(env, "maintenance", "trash", "--json").stdout)[0]["count"] == 0


def test_scheduled_backups_are_made_when_due_and_pruned(rt: Runtime, tmp_path: Path) -> None:
    from albumen.operations.backup import complete_backups

    _import(rt, tmp_path / "in", [1])
    rt.settings.backup_interval_hours, rt.settings.backup_keep = 24, 2
    root = rt.settings.data_dir / "backups"
    start = datetime(2026, 1, 1, 3, tzinfo=UTC)
    dry = maintenance.scheduled_backups(rt, dry_run=True, now=start)
    assert dry.items[0]["last"] is None and not root.exists()
    made = maintenance.scheduled_backups(rt, now=start)
    assert made.items == [{"backup": str(root / "20260101T030000Z")}]
    assert maintenance.scheduled_backups(rt, dry_run=True, now=start + timedelta(hours=23)
                                         ).count == 0  # not due yet
    for day in (1, 2):
        maintenance.scheduled_backups(rt, now=start + timedelta(days=day))
    assert [p.name for p in complete_backups(root)] == ["20260102T030000Z", "20260103T030000Z"]
    later = maintenance.scheduled_backups(rt, dry_run=True, now=start + timedelta(days=3))
    assert later.items[1:] == [{"remove": str(root / "20260102T030000Z")}]
    manifest = json.loads((root / "20260103T030000Z" / "manifest.json").read_text())
    assert manifest["tables"]["assets"]["rows"] == 1


# --- orphans --------------------------------------------------------------------------------

def _age(rt: Runtime, key: str, hours: float) -> None:
    """Backdate a file of the local storage (its mtime is what `modified` reads)."""
    when = time.time() - hours * 3600
    os.utime(rt.storage.filesystem_path(key), (when, when))


def _stored(rt: Runtime, key: str, data: bytes, hours_ago: float | None = None) -> str:
    rt.storage.put_bytes(key, data)
    if hours_ago is not None:
        _age(rt, key, hours_ago)
    return key


def test_orphans_past_the_grace_are_listed_then_removed_and_nothing_else(
        rt: Runtime, tmp_path: Path) -> None:
    (asset,) = _import(rt, tmp_path / "in", [1])
    with rt.transaction() as session:
        face = Face(asset_id=asset, box_x=0.1, box_y=0.1, box_w=0.2, box_h=0.2)
        session.add(face)
        session.flush()
        face.crop_key = face_crop_key(asset, face.id)
        crop = face.crop_key
    referenced = [*_files(rt, asset), _stored(rt, crop, b"a face")]
    for key in referenced:
        _age(rt, key, 24 * 400)  # old, but referred to
    stale = {
        original_key(hashlib.sha256(b"left behind").hexdigest()): b"left behind",
        derivative_key(999_999, "preview", "jpg"): b"no such asset",
        face_crop_key(asset, 424_242): b"no such face",
    }
    for key, data in stale.items():
        _stored(rt, key, data, hours_ago=25)
    fresh = _stored(rt, derivative_key(asset, "preview", "webp"), b"being written")
    _stored(rt, "purging/" + "0" * 64, b"being removed", hours_ago=25)
    scratch = rt.storage.tmp / "upload-x.part"  # type: ignore[attr-defined]
    scratch.write_bytes(b"staged")
    os.utime(scratch, (time.time() - 90_000, time.time() - 90_000))
    kept = [*referenced, fresh, "purging/" + "0" * 64]

    dry = maintenance.remove_orphans(rt, dry_run=True)
    assert {i["key"]: i["bytes"] for i in dry.items} == {k: len(d) for k, d in stale.items()}
    for item in dry.items:
        modified = datetime.fromisoformat(item["modified"])
        assert timedelta(hours=24) < utcnow() - modified < timedelta(hours=26)
    assert all(rt.storage.exists(k) for k in [*stale, *kept])

    done = maintenance.remove_orphans(rt)
    assert sorted(done.items, key=str) == sorted(dry.items, key=str)
    assert not any(rt.storage.exists(k) for k in stale)
    assert all(rt.storage.exists(k) for k in kept) and scratch.exists()
    assert maintenance.remove_orphans(rt).count == 0
    # a day later the one that was being written is due too (it never got its row)
    later = maintenance.remove_orphans(rt, dry_run=True, now=utcnow() + timedelta(hours=25))
    assert [i["key"] for i in later.items] == [fresh]
    # not on by default: after restoring an older database, newer photos look orphaned
    assert "orphans" not in maintenance.enabled_tasks(rt)


def test_an_orphan_original_uploaded_again_before_the_removal_stays(
        rt: Runtime, tmp_path: Path) -> None:
    data = images.jpeg(seed=5)
    key = _stored(rt, original_key(hashlib.sha256(data).hexdigest()), data, hours_ago=30)
    assert [i["key"] for i in maintenance.remove_orphans(rt, dry_run=True).items] == [key]
    (asset,) = _import(rt, tmp_path / "in", [5])  # the same bytes: the row now refers to it
    assert maintenance.remove_orphans(rt).count == 0
    assert rt.storage.exists(key) and _files(rt, asset)[0] == key


class _UploadDuringRemoval(LocalStorage):
    """Local storage where the same bytes are uploaded the moment the task, having listed
    the orphans, looks at the original's age (between the scan and the removal)."""

    def __init__(self, root: Path, on_look: Callable[[], None]) -> None:
        super().__init__(root)
        self.on_look = on_look

    def modified(self, key: str) -> datetime:
        if key.startswith("originals/") and self.on_look:
            on_look, self.on_look = self.on_look, None  # type: ignore[assignment]
            on_look()
        return super().modified(key)


def test_an_original_whose_row_appears_after_the_scan_stays(rt: Runtime, tmp_path: Path) -> None:
    data = images.jpeg(seed=6)
    key = _stored(rt, original_key(hashlib.sha256(data).hexdigest()), data, hours_ago=30)
    uploaded: list[int] = []
    rt.storage = _UploadDuringRemoval(  # type: ignore[misc]
        rt.storage.root,  # type: ignore[attr-defined]
        lambda: uploaded.extend(_import(rt, tmp_path / "in", [6])))
    assert maintenance.remove_orphans(rt).count == 0
    assert uploaded and rt.storage.exists(key)
    with rt.session() as session:
        assert session.get(Asset, uploaded[0]).storage_key == key


def test_orphans_on_s3(tmp_path: Path, db_url: str, s3_server: str, s3_bucket: str) -> None:
    runtime = Runtime(make_settings(tmp_path / "data", db_url,
                                    **s3_settings(s3_server, s3_bucket)))
    runtime.migrate()
    set_runtime(runtime)
    try:
        (asset,) = _import(runtime, tmp_path / "in", [3])
        referenced = _files(runtime, asset)
        storage = runtime.storage
        assert isinstance(storage, S3Storage)
        stale = [_stored(runtime, original_key(hashlib.sha256(b"gone").hexdigest()), b"gone"),
                 _stored(runtime, "stray/file.bin", b"?")]
        modified = storage.modified(stale[1])
        assert modified.tzinfo is not None and modified.utcoffset() == timedelta(0)
        assert abs(utcnow() - modified) < timedelta(minutes=5)
        with pytest.raises(FileNotFoundError):
            storage.modified("stray/nothing.bin")

        assert maintenance.remove_orphans(runtime, dry_run=True).count == 0  # all fresh
        # S3 cannot backdate an object: run as if a day had passed
        later = utcnow() + timedelta(hours=25)
        dry = maintenance.remove_orphans(runtime, dry_run=True, now=later)
        assert sorted(i["key"] for i in dry.items) == sorted(stale)
        done = maintenance.remove_orphans(runtime, now=later)
        assert sorted(i["key"] for i in done.items) == sorted(stale)
        assert not any(storage.exists(k) for k in stale)
        assert all(storage.exists(k) for k in referenced)
        assert not list(storage.keys("purging/"))
    finally:
        set_runtime(None)


# --- leftovers of interrupted work ------------------------------------------------------------

def _backdate(path: Path, hours: float) -> None:
    when = time.time() - hours * 3600
    os.utime(path, (when, when))


def test_leftovers_stale_temporary_files_go_and_set_aside_originals_come_back(
        rt: Runtime, tmp_path: Path) -> None:
    """A worker killed mid-upload leaves a staged file; one killed between setting an
    original aside and putting it back (an upload of the same bytes arrived while it was
    being removed) would leave a photo without its original."""
    needed, unneeded = _import(rt, tmp_path / "in", [1, 2])
    with rt.session() as session:
        needed_key = session.get(Asset, needed).storage_key
        needed_sha = session.get(Asset, needed).sha256
    assert rt.storage.move(needed_key, f"purging/{needed_sha}")  # the crash
    gone = "purging/" + hashlib.sha256(b"nobody").hexdigest()
    rt.storage.put_bytes(gone, b"nobody")
    tmp = rt.storage.tmp
    stale, fresh = tmp / "upload-stale.part", tmp / "upload-fresh.part"
    stale.write_bytes(b"half an upload")
    fresh.write_bytes(b"an upload underway")
    _backdate(stale, 25)

    dry = maintenance.clean_leftovers(rt, dry_run=True)
    assert {(i["name"], i["action"]) for i in dry.items} == {
        (str(stale), "remove"), (f"purging/{needed_sha}", "restore"), (gone, "remove")}
    assert next(i for i in dry.items if i["name"] == str(stale))["bytes"] == 14
    assert stale.exists() and not rt.storage.exists(needed_key)  # a dry run changes nothing

    done = maintenance.clean_leftovers(rt)
    assert sorted(done.items, key=str) == sorted(dry.items, key=str)
    assert not stale.exists() and fresh.exists()
    assert rt.storage.exists(needed_key) and not list(rt.storage.keys("purging/"))
    assert hashlib.sha256(rt.storage.open(needed_key).read()).hexdigest() == needed_sha
    assert maintenance.clean_leftovers(rt).count == 0
    assert all(rt.storage.exists(k) for k in _files(rt, unneeded))
    assert "leftovers" in maintenance.enabled_tasks(rt)


def test_staged_files_of_processes_that_no_longer_run_go_at_once(rt: Runtime) -> None:
    """A file staged by a process of this machine that was killed (SIGKILL, the OOM killer)
    is removed at the next run, however fresh; one a live process is writing stays, and so does
    one of another machine sharing the storage (its processes cannot be seen from here)."""
    import subprocess

    from albumen.storage.base import temporary_prefix

    dead = subprocess.Popen(["true"])
    dead.wait()
    alive = subprocess.Popen(["sleep", "600"])
    try:
        ours = temporary_prefix("upload")
        tmp = rt.storage.tmp
        killed = tmp / (ours.replace(f"-{os.getpid()}-", f"-{dead.pid}-") + "k1ll3d.part")
        writing = tmp / (ours.replace(f"-{os.getpid()}-", f"-{alive.pid}-") + "l1v3.part")
        elsewhere = tmp / f"upload-{dead.pid}-another-machine.0th3r.part"
        put = tmp / (temporary_prefix("put").replace(f"-{os.getpid()}-", f"-{dead.pid}-")
                     + "0123abcd.part")
        for path in (killed, writing, elsewhere, put):
            path.write_bytes(b"half a file")
        dry = maintenance.clean_leftovers(rt, dry_run=True)
        assert sorted(i["name"] for i in dry.items) == sorted([str(killed), str(put)])
        maintenance.clean_leftovers(rt)
        assert sorted(p.name for p in tmp.iterdir()) == sorted([writing.name, elsewhere.name])
    finally:
        alive.kill()
        alive.wait()


def test_a_set_aside_original_whose_place_was_filled_again_is_removed(
        rt: Runtime, tmp_path: Path) -> None:
    (asset,) = _import(rt, tmp_path / "in", [3])
    with rt.session() as session:
        key, sha = session.get(Asset, asset).storage_key, session.get(Asset, asset).sha256
    rt.storage.put_bytes(f"purging/{sha}", rt.storage.open(key).read())  # ingest re-committed
    assert [i["action"] for i in maintenance.clean_leftovers(rt).items] == ["remove"]
    assert rt.storage.exists(key) and not rt.storage.exists(f"purging/{sha}")


def test_a_write_cut_off_midway_leaves_nothing_under_its_key(
        rt: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    def disk_full(fd: int) -> None:  # the operating system's answer, simulated
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        rt.storage.put_bytes("derivatives/1/1/thumb.webp", b"x" * 1000)
    assert not rt.storage.exists("derivatives/1/1/thumb.webp")
    assert not list(rt.storage.tmp.iterdir())


def test_unfinished_multipart_uploads_on_s3_are_aborted(
        tmp_path: Path, db_url: str, s3_server: str, s3_bucket: str) -> None:
    runtime = Runtime(make_settings(tmp_path / "data", db_url,
                                    **s3_settings(s3_server, s3_bucket)))
    storage = runtime.storage
    assert isinstance(storage, S3Storage)
    client = storage.client
    # a process killed in the middle of a multipart upload: one part sent, never completed
    upload = client.create_multipart_upload(Bucket=s3_bucket, Key="albumen/originals/x")
    client.upload_part(Bucket=s3_bucket, Key="albumen/originals/x", PartNumber=1,
                       UploadId=upload["UploadId"], Body=b"p" * (5 << 20))
    client.put_object(Bucket=s3_bucket, Key="albumen/tmp/ready-cut-off", Body=b"ok")
    # younger than the grace: kept (moto dates every multipart upload 2010-11-10, so
    # "younger" is checked from a point in time before that)
    earlier = datetime(2010, 11, 1, tzinfo=UTC)
    assert maintenance.clean_leftovers(runtime, now=earlier).count == 0

    later = utcnow() + timedelta(hours=25)
    dry = maintenance.clean_leftovers(runtime, dry_run=True, now=later)
    assert sorted((i["kind"], i["name"]) for i in dry.items) == [
        ("multipart", "albumen/originals/x"), ("object", "albumen/tmp/ready-cut-off")]
    assert len(client.list_multipart_uploads(Bucket=s3_bucket).get("Uploads", [])) == 1
    assert maintenance.clean_leftovers(runtime, now=later).count == 2
    assert not client.list_multipart_uploads(Bucket=s3_bucket).get("Uploads")
    assert "Contents" not in client.list_objects_v2(Bucket=s3_bucket, Prefix="albumen/")
