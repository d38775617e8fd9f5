"""Backups and restores on real databases and files: everything comes back, byte for byte."""

from __future__ import annotations

import gzip
import json
import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select, text

from albumen.db.migrate import alembic_config
from albumen.db.models import Album, Asset, AssetEmbedding, AuditEntry, User
from albumen.db.session import engine_for
from albumen.errors import Conflict, InvalidInput
from albumen.library.importer import import_paths
from albumen.operations.backup import (
    DATABASE,
    MANIFEST,
    backup,
    file_sha256,
    head_revision,
    scheduled_backup,
)
from albumen.operations.restore import DamagedBackup, restore
from albumen.runtime import Runtime
from albumen.search import text_index
from albumen.vectors import pgvector
from tests import images
from tests.datasafety import (
    current,
    dump_db,
    dump_storage,
    fresh_pg_database,
    installation,
    populate,
)
from tests.processes import env_for, run_cli
from tests.test_pgvector import pgvector_admin_url  # noqa: F401  (a fixture, used below)


def _other_backend(rt: Runtime, tmp_path: Path, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """A database URL on the other backend than the runtime's (a fresh one)."""
    if rt.database_url.startswith("sqlite"):
        admin = request.getfixturevalue("pg_admin_url")
        return fresh_pg_database(admin)
    from contextlib import nullcontext

    return nullcontext(f"sqlite:///{tmp_path / 'restored.db'}")


def _search(rt: Runtime, word: str) -> list[int]:
    with rt.session() as session:
        dialect = session.get_bind().dialect.name
        return sorted(session.scalars(text_index.matching_ids(
            dialect, [text_index.query_term(word)])))


@pytest.mark.slow
def test_full_backup_restores_everything_on_the_other_backend(
        rt: Runtime, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    ids = populate(rt, tmp_path / "photos")
    before_db, before_files = dump_db(rt.database_url), dump_storage(rt.storage)
    manifest = backup(rt, tmp_path / "bk", full=True)
    assert manifest["schema_revision"] == head_revision()
    assert manifest["tables"]["assets"]["rows"] == 3
    assert manifest["storage"]["objects"] == len(before_files)
    assert dump_db(rt.database_url) == before_db  # the source is only read

    with _other_backend(rt, tmp_path, request) as url:
        target = installation(tmp_path / "restored", url)
        report = restore(target, tmp_path / "bk")
        assert report["problems"] == [] and report["objects"]["restored"] == len(before_files)
        assert dump_db(url) == before_db
        assert dump_storage(target.storage) == before_files
        # derived data works: full-text search, and new rows get fresh ids (sequences)
        assert _search(target, "lisbon") == [ids[0]]
        assert _search(target, "sunset0") == [ids[0]]
        with current(target):
            new = import_paths(target, [images.write(tmp_path / "n.jpg", images.jpeg(seed=9))])
        assert new.asset_ids[0] > max(ids)
        with target.session() as s:
            assert s.get(Asset, new.asset_ids[0]).state == "ready"
        with target.transaction() as s:
            user = User(username="after-restore")
            s.add(user)
            s.flush()
            assert user.id > 1


@pytest.mark.slow
def test_a_backup_taken_while_writes_happen_is_consistent(rt: Runtime, tmp_path: Path) -> None:
    populate(rt, tmp_path / "photos")
    stop = threading.Event()
    written = [0]

    def writer() -> None:  # each transaction adds an album and its audit entry, together
        while not stop.is_set():
            with rt.transaction() as s:
                album = Album(title=f"w{written[0]}")
                s.add(album)
                s.flush()
                s.add(AuditEntry(action="writer", target_type="album", target_id=album.id))
            written[0] += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while written[0] < 5:
            time.sleep(0.01)
        manifest = backup(rt, tmp_path / "bk", on_table=lambda _name: time.sleep(0.02))
        time.sleep(0.1)
    finally:
        stop.set()
        thread.join()
    assert written[0] > 10
    # the database was lost, the files were not: a new database next to the same storage
    target = installation(tmp_path / "restored", f"sqlite:///{tmp_path / 'restored.db'}",
                          storage_url=rt.settings.effective_storage_url)
    report = restore(target, tmp_path / "bk")
    assert report["problems"] == [] and report["missing_objects"] == []
    with target.session() as s:
        albums = s.scalar(select(func.count()).select_from(Album)
                          .where(Album.title.like("w%")))
        entries = s.scalar(select(func.count()).select_from(AuditEntry)
                           .where(AuditEntry.action == "writer"))
    assert albums == entries and 0 < albums < written[0]
    assert report["tables"]["albums"] == manifest["tables"]["albums"]["rows"] == albums + 1

    # restored somewhere without those files, the report names what is missing
    elsewhere = installation(tmp_path / "elsewhere", f"sqlite:///{tmp_path / 'e.db'}")
    missing = restore(elsewhere, tmp_path / "bk")
    assert len(missing["missing_objects"]) == manifest["storage"]["objects"]
    assert missing["problems"]


def test_restore_refuses_a_non_empty_installation(rt: Runtime, tmp_path: Path) -> None:
    populate(rt, tmp_path / "photos")
    backup(rt, tmp_path / "bk", full=True)
    before = dump_db(rt.database_url)
    with pytest.raises(Conflict, match="not empty"):
        restore(rt, tmp_path / "bk")
    assert dump_db(rt.database_url) == before

    empty_db = installation(tmp_path / "other", f"sqlite:///{tmp_path / 'other.db'}")
    empty_db.storage.put_bytes("derivatives/001/1/thumbnail.webp", b"x")
    with pytest.raises(Conflict, match="storage is not empty"):
        restore(empty_db, tmp_path / "bk")


def test_backup_destination_must_be_new_or_empty(rt: Runtime, tmp_path: Path) -> None:
    dest = tmp_path / "taken"
    dest.mkdir()
    (dest / "keep.txt").write_text("mine")
    with pytest.raises(InvalidInput, match="exists and is not an empty directory"):
        backup(rt, dest)
    assert [p.name for p in dest.iterdir()] == ["keep.txt"]
    (tmp_path / "empty").mkdir()
    assert backup(rt, tmp_path / "empty")["tables"]["assets"]["rows"] == 0


def _assert_still_empty(target: Runtime) -> None:
    dump = dump_db(target.database_url)
    assert {name: rows for name, rows in dump.items() if rows} == {}
    assert list(target.storage.keys("")) == []


def test_damaged_backups_are_refused_and_leave_nothing(rt: Runtime, tmp_path: Path) -> None:
    populate(rt, tmp_path / "photos")
    backup(rt, tmp_path / "bk", full=True)
    target = installation(tmp_path / "t", f"sqlite:///{tmp_path / 't.db'}")

    # a corrupt object: found while copying; the objects restored so far are removed again
    manifest = json.loads((tmp_path / "bk" / MANIFEST).read_text())
    with gzip.open(tmp_path / "bk" / "storage.jsonl.gz", "rt") as fh:
        entries = [json.loads(line) for line in fh]
    last_original = [e for e in entries if e["key"].startswith("originals/")][-1]
    path = tmp_path / "bk" / "objects" / last_original["key"]
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(DamagedBackup, match=last_original["key"]):
        restore(target, tmp_path / "bk")
    _assert_still_empty(target)
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))

    # a truncated database file
    packed = tmp_path / "bk" / DATABASE
    whole = packed.read_bytes()
    packed.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(DamagedBackup, match=r"database\.sqlite3\.gz .*checksum"):
        restore(target, tmp_path / "bk")
    _assert_still_empty(target)
    # ... even with its checksum "fixed" in the manifest, decompressing finds it
    manifest["database"]["sha256"] = file_sha256(packed)
    (tmp_path / "bk" / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(DamagedBackup, match="cannot be decompressed"):
        restore(target, tmp_path / "bk")
    _assert_still_empty(target)

    (tmp_path / "bk" / MANIFEST).unlink()
    with pytest.raises(DamagedBackup, match=r"manifest\.json is missing"):
        restore(target, tmp_path / "bk")
    with pytest.raises(InvalidInput, match="not a directory"):
        restore(target, tmp_path / "nowhere")


def _unpacked(bk: Path) -> Path:
    raw = bk.parent / "unpacked.sqlite3"
    raw.write_bytes(gzip.decompress((bk / DATABASE).read_bytes()))
    return raw


def _repack(bk: Path, raw: Path, revision: str) -> None:
    """Put a changed database into the backup, with checksums that match it."""
    (bk / DATABASE).write_bytes(gzip.compress(raw.read_bytes()))
    manifest = json.loads((bk / MANIFEST).read_text())
    manifest["database"].update(sha256=file_sha256(bk / DATABASE),
                                sqlite_sha256=file_sha256(raw))
    manifest["schema_revision"] = revision
    (bk / MANIFEST).write_text(json.dumps(manifest))


def test_a_backup_from_a_newer_schema_is_refused(rt: Runtime, tmp_path: Path) -> None:
    populate(rt, tmp_path / "photos")
    backup(rt, tmp_path / "bk", full=True)
    raw = _unpacked(tmp_path / "bk")
    with sqlite3.connect(raw) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    _repack(tmp_path / "bk", raw, "9999_future")
    target = installation(tmp_path / "t", f"sqlite:///{tmp_path / 't.db'}")
    with pytest.raises(InvalidInput, match=r"9999_future.*newer albumen"):
        restore(target, tmp_path / "bk")
    _assert_still_empty(target)


def test_a_backup_from_an_older_schema_is_upgraded(tmp_path: Path) -> None:
    from alembic import command
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    previous = script.get_revision(head_revision()).down_revision
    assert isinstance(previous, str)
    source = installation(tmp_path / "s", f"sqlite:///{tmp_path / 's.db'}")
    populate(source, tmp_path / "photos")
    before = dump_db(source.database_url)
    backup(source, tmp_path / "bk", full=True)
    raw = _unpacked(tmp_path / "bk")  # made a backup of the previous schema
    command.downgrade(alembic_config(f"sqlite:///{raw}"), previous)
    with sqlite3.connect(raw) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
    _repack(tmp_path / "bk", raw, previous)

    target = installation(tmp_path / "t", f"sqlite:///{tmp_path / 't.db'}")
    report = restore(target, tmp_path / "bk")
    assert report["upgraded_from"] == previous
    assert report["problems"] == []
    assert dump_db(target.database_url)["users"] == before["users"]
    assert len(dump_db(target.database_url)["assets"]) == 3


def test_scheduled_backups_keep_the_newest(rt: Runtime) -> None:
    t0 = datetime(2024, 1, 1, 3, 0, tzinfo=UTC)
    made = [scheduled_backup(rt, keep=2, interval_hours=24, now=t0 + timedelta(hours=h))
            for h in (0, 1, 25, 50, 51, 75)]
    assert [p.name if p else None for p in made] == [
        "20240101T030000Z", None, "20240102T040000Z", "20240103T050000Z", None,
        "20240104T060000Z"]
    root = rt.settings.data_dir / "backups"
    assert sorted(p.name for p in root.iterdir() if not p.name.startswith(".")) == [
        "20240103T050000Z", "20240104T060000Z"]
    assert (root / "20240104T060000Z" / MANIFEST).is_file()


@pytest.mark.slow
def test_backup_and_restore_commands(tmp_path: Path) -> None:
    env = env_for(tmp_path / "data", f"sqlite:///{tmp_path / 'a.db'}")
    images.write(tmp_path / "in" / "a.jpg", images.jpeg(seed=4))
    run_cli(env, "import", str(tmp_path / "in"), "--wait", "--json")
    doc = json.loads(run_cli(env, "backup", str(tmp_path / "bk"), "--full", "--json").stdout)
    assert doc["tables"]["assets"]["rows"] == 1 and doc["storage"]["full"]
    again = run_cli(env, "backup", str(tmp_path / "bk"), "--json", check=False)
    assert again.returncode == 1
    assert json.loads(again.stdout)["error"]["code"] == "invalid_input"

    refused = run_cli(env, "restore", str(tmp_path / "bk"), "--json", check=False)
    assert refused.returncode == 1 and "not empty" in refused.stdout
    other = env_for(tmp_path / "data2", f"sqlite:///{tmp_path / 'b.db'}")
    done = json.loads(run_cli(other, "restore", str(tmp_path / "bk"), "--json").stdout)
    assert done["tables"]["assets"] == 1 and done["problems"] == []
    listing = json.loads(run_cli(other, "assets", "list", "--json").stdout)
    assert [a["original_filename"] for a in listing["items"]] == ["a.jpg"]
    assert "counts and checksums match" in run_cli(
        env_for(tmp_path / "data3", f"sqlite:///{tmp_path / 'c.db'}"),
        "restore", str(tmp_path / "bk")).stdout


def test_a_restore_into_postgres_with_pgvector_fills_its_vectors(
        tmp_path: Path, request: pytest.FixtureRequest) -> None:
    admin = request.getfixturevalue("pgvector_admin_url")
    source = installation(tmp_path / "s", f"sqlite:///{tmp_path / 's.db'}")
    ids = populate(source, tmp_path / "photos")
    with source.transaction() as s:
        s.add(AssetEmbedding(asset_id=ids[1], model="clip", dim=pgvector.DIM,
                             vector=np.linspace(0, 1, pgvector.DIM, dtype="<f4").tobytes()))
    backup(source, tmp_path / "bk", full=True)
    with fresh_pg_database(admin) as url:
        target = installation(tmp_path / "t", url)  # makes asset_vectors (empty)
        try:
            assert restore(target, tmp_path / "bk")["problems"] == []
            with engine_for(url).connect() as conn:
                assert conn.scalar(text("SELECT asset_id FROM asset_vectors")) == ids[1]
        finally:
            pgvector._ready.clear()


def _tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")) if root.exists() else []


@pytest.mark.slow
def test_a_tampered_backup_restored_with_the_command_leaves_nothing_behind(
        tmp_path: Path) -> None:
    """`albumen restore` of a damaged backup into a new data directory left an empty, migrated
    albumen.db and a storage folder there (issue 21, defect 8): it now fails with the reason
    and leaves the directory as it found it: absent, or an installation as it was."""
    source = installation(tmp_path / "s", f"sqlite:///{tmp_path / 's.db'}")
    populate(source, tmp_path / "photos")
    bk = tmp_path / "bk"
    backup(source, bk, full=True)
    with gzip.open(bk / "storage.jsonl.gz", "rt") as fh:
        entries = [json.loads(line) for line in fh]
    last = [e for e in entries if e["key"].startswith("originals/")][-1]["key"]
    tampered = bk / "objects" / last
    data = bytearray(tampered.read_bytes())
    data[len(data) // 2] ^= 0xFF
    tampered.write_bytes(bytes(data))

    fresh = tmp_path / "fresh"
    env = env_for(fresh, f"sqlite:///{fresh / 'albumen.db'}")
    refused = run_cli(env, "restore", str(bk), check=False)
    assert refused.returncode == 1
    assert "damaged" in refused.stderr and last in refused.stderr
    assert not fresh.exists(), _tree(fresh)
    json_refused = run_cli(env, "restore", str(bk), "--json", check=False)
    assert json.loads(json_refused.stdout)["error"]["code"] == "damaged_backup"
    assert not fresh.exists(), _tree(fresh)

    # a database that does not match its checksum: refused before anything is made
    data[len(data) // 2] ^= 0xFF
    tampered.write_bytes(bytes(data))
    packed = bk / DATABASE
    whole = bytearray(packed.read_bytes())
    whole[len(whole) // 2] ^= 0xFF
    packed.write_bytes(bytes(whole))
    assert run_cli(env, "restore", str(bk), check=False).returncode == 1
    assert not fresh.exists(), _tree(fresh)

    # an installation that exists (empty, as restore needs): left exactly as it was, though
    # objects were copied in before the damaged one was found
    existing = tmp_path / "existing"
    installation(existing, f"sqlite:///{existing / 'albumen.db'}").storage.check()
    before = _tree(existing)
    tables = dump_db(f"sqlite:///{existing / 'albumen.db'}")
    whole[len(whole) // 2] ^= 0xFF
    packed.write_bytes(bytes(whole))
    data[len(data) // 2] ^= 0xFF
    tampered.write_bytes(bytes(data))
    failed = run_cli(env_for(existing, f"sqlite:///{existing / 'albumen.db'}"),
                     "restore", str(bk), check=False)
    assert failed.returncode == 1 and last in failed.stderr
    # (SQLite's -wal and -shm files come and go with this process's own connections)
    assert [p for p in _tree(existing) if not p.endswith(("-wal", "-shm"))] == before
    assert dump_db(f"sqlite:///{existing / 'albumen.db'}") == tables
