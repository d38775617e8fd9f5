"""Backups (`albumen backup`, and the scheduled ones): a consistent database snapshot, a
manifest, and with ``full`` every stored object.

A backup is a directory::

    manifest.json         written last (a directory without it is an unfinished backup):
                          format, albumen version, schema revision, per-table row counts and
                          content digests, checksums of the files below
    database.sqlite3.gz   the database as one SQLite file, whatever the source backend
    storage.jsonl.gz      one line per stored object: key, size, SHA-256 (for originals the
                          name; with ``full`` computed from the bytes copied)
    objects/<key>         (full) the stored objects, streamed one by one

The snapshot is consistent while the application runs: on SQLite the online-backup API copies
the database in one step (a read transaction; WAL lets writers go on); on PostgreSQL every
table is read inside one REPEATABLE READ transaction and written to the SQLite file with the
table copier. Objects are listed after the snapshot: content-addressed originals never
change, so the snapshot's rows find their files (objects added meanwhile are listed too).
"""

from __future__ import annotations

import contextlib
import fcntl
import gzip
import hashlib
import json
import logging
import os
import re
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from albumen import __version__
from albumen.db.migrate import alembic_config, current_revision, upgrade
from albumen.db.session import engine_for
from albumen.errors import InvalidInput
from albumen.operations import dbcopy
from albumen.operations.objectcopy import CHUNK, original_sha
from albumen.runtime import Runtime
from albumen.storage import Storage

log = logging.getLogger(__name__)

FORMAT, FORMAT_VERSION = "albumen-backup", 1
MANIFEST, DATABASE, STORAGE, OBJECTS = ("manifest.json", "database.sqlite3.gz",
                                        "storage.jsonl.gz", "objects")
Progress = Callable[[str, int, int | None], None]  # phase, done, total (None: unknown)
_STAMP = re.compile(r"\d{8}T\d{6}Z")


NAME_FORMAT = "%Y%m%dT%H%M%SZ"  # a scheduled backup's folder: its UTC time


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


def sqlite_engine(path: Path) -> Engine:
    """A plain engine on a snapshot file (no WAL: the file stays one self-contained file)."""
    return create_engine(f"sqlite:///{path}")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


# --- the database ---------------------------------------------------------------------------


def _sqlite_snapshot(database: str, snapshot: Path) -> None:
    source = sqlite3.connect(database, timeout=30)
    target = sqlite3.connect(snapshot)
    try:
        source.backup(target)  # pages=-1: one step, one read transaction: consistent
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
        source.close()


def _logical_snapshot(url: str, snapshot: Path, progress: Progress,
                      on_table: Callable[[str], None] | None) -> None:
    """Copy every table, read in one REPEATABLE READ transaction, into a new SQLite file."""
    upgrade(f"sqlite:///{snapshot}")
    engine = sqlite_engine(snapshot)
    src_plan, dst_plan = dbcopy.plan(make_url(url).get_backend_name()), dbcopy.plan("sqlite")
    try:
        with (engine_for(url).connect().execution_options(isolation_level="REPEATABLE READ")
              as src, engine.begin() as dst):
            for n, table in enumerate(src_plan.tables):
                dbcopy.copy_table(src, dst, src_plan, dst_plan, table.name)
                progress("database", n + 1, len(src_plan.tables))
                if on_table:
                    on_table(table.name)
            dbcopy.fix_deferred(src, dst, dst_plan)
            dbcopy.finish(dst, dst_plan)
            src.rollback()
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA journal_mode=DELETE")
    finally:
        engine.dispose()


def snapshot_stats(snapshot: Path) -> dict[str, dict[str, Any]]:
    engine = sqlite_engine(snapshot)
    try:
        with engine.connect() as conn:
            return dbcopy.database_stats(conn, dbcopy.plan("sqlite"))
    finally:
        engine.dispose()


def _gzip(source: Path, target: Path) -> None:
    with open(source, "rb") as fh, gzip.open(target, "wb", compresslevel=5) as out:
        shutil.copyfileobj(fh, out, CHUNK)
    _fsync(target)


# --- the storage ----------------------------------------------------------------------------


def object_path(root: Path, key: str) -> Path:
    parts = Path(key).parts
    if Path(key).is_absolute() or ".." in parts or not parts:
        raise InvalidInput(f"refusing the storage key {key!r}")
    return root.joinpath(*parts)


def _copy_out(storage: Storage, key: str, path: Path) -> tuple[str, int]:
    path.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with storage.open(key) as fh, open(path, "wb") as out:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    return digest.hexdigest(), size


def _storage_manifest(storage: Storage, dest: Path, full: bool,
                      progress: Progress) -> dict[str, Any]:
    count = originals = nbytes = 0
    damaged: list[str] = []
    with gzip.open(dest / STORAGE, "wt", encoding="utf-8", compresslevel=5) as out:
        for key in storage.keys(""):
            name_sha = original_sha(key)
            try:
                if full:
                    sha, size = _copy_out(storage, key, object_path(dest / OBJECTS, key))
                    if name_sha is not None and sha != name_sha:
                        damaged.append(key)
                else:
                    sha, size = name_sha, storage.size(key)
            except FileNotFoundError:
                continue  # removed since it was listed (a purge, a replaced derivative)
            entry: dict[str, Any] = {"key": key, "size": size}
            if sha is not None:
                entry["sha256"] = sha
            out.write(json.dumps(entry) + "\n")
            count += 1
            originals += name_sha is not None
            nbytes += size
            progress("storage", count, None)
    _fsync(dest / STORAGE)
    return {"file": STORAGE, "sha256": file_sha256(dest / STORAGE), "objects": count,
            "originals": originals, "bytes": nbytes, "full": full,
            "objects_dir": OBJECTS if full else None, "damaged_originals": damaged}


# --- the backup -----------------------------------------------------------------------------


def backup(rt: Runtime, dest: Path, *, full: bool = False, progress: Progress | None = None,
           on_table: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Write a backup into ``dest`` (a new or empty directory). Returns the manifest.
    On any failure what was written is removed again."""
    report: Progress = progress or (lambda *_: None)
    dest = dest.expanduser().absolute()
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise InvalidInput(f"the backup destination {dest} exists and is not an empty "
                           "directory", details={"path": str(dest)})
    revision, head = current_revision(rt.database_url), head_revision()
    if revision != head:
        raise InvalidInput(f"the database is at schema revision {revision}, this albumen at "
                           f"{head}: run `albumen db upgrade` first")
    created = not dest.exists()
    dest.mkdir(parents=True, exist_ok=True)
    try:
        manifest = _write(rt, dest, full, revision, report, on_table)
    except BaseException:
        if created:
            shutil.rmtree(dest, ignore_errors=True)
        else:
            for child in dest.iterdir():
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        raise
    return manifest


def _write(rt: Runtime, dest: Path, full: bool, revision: str, progress: Progress,
           on_table: Callable[[str], None] | None) -> dict[str, Any]:
    started = datetime.now(UTC)
    snapshot = dest / "database.sqlite3.partial"
    url = make_url(rt.database_url)
    backend = url.get_backend_name()
    if backend == "sqlite":
        assert url.database
        _sqlite_snapshot(url.database, snapshot)
        if on_table:
            on_table("*")
    else:
        _logical_snapshot(rt.database_url, snapshot, progress, on_table)
    tables = snapshot_stats(snapshot)
    database = {"file": DATABASE, "size": snapshot.stat().st_size,
                "sqlite_sha256": file_sha256(snapshot), "source_backend": backend}
    _gzip(snapshot, dest / DATABASE)
    snapshot.unlink()
    database["sha256"] = file_sha256(dest / DATABASE)
    storage = _storage_manifest(rt.storage, dest, full, progress)
    manifest = {
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "albumen_version": __version__, "schema_revision": revision,
        "created_at": started.isoformat(), "finished_at": datetime.now(UTC).isoformat(),
        "full": full, "database": database, "tables": tables, "storage": storage,
    }
    partial = dest / f".{MANIFEST}.partial"
    partial.write_text(json.dumps(manifest, indent=2) + "\n")
    _fsync(partial)
    partial.rename(dest / MANIFEST)
    return manifest


# --- scheduled backups ----------------------------------------------------------------------


def complete_backups(root: Path) -> list[Path]:
    """Finished backups under ``root`` (named by their UTC time), oldest first."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir()
                  if _STAMP.fullmatch(p.name) and (p / MANIFEST).is_file())


@contextlib.contextmanager
def _lock(root: Path) -> Iterator[bool]:
    with open(root / ".lock", "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False  # another process is making one
            return
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def prune(root: Path, keep: int) -> list[Path]:
    """Remove all but the newest ``keep`` finished backups; returns the removed ones."""
    removed = complete_backups(root)[:-keep] if keep > 0 else []
    for path in removed:
        shutil.rmtree(path)
    return removed


def scheduled_backup(rt: Runtime, keep: int = 7, interval_hours: float = 24.0, *,
                     full: bool = False, root: Path | None = None,
                     now: datetime | None = None) -> Path | None:
    """Make a backup under ``<root>/<UTC time>`` (default root: ``<data_dir>/backups``) unless
    the newest one there is younger than ``interval_hours``, then keep the newest ``keep``.
    Safe to call often and from several processes on one machine (one makes it, the others
    return). Returns the new backup's path, or None when none was due."""
    if keep < 1:
        raise ValueError("keep must be at least 1")
    root = root or rt.settings.data_dir / "backups"
    root.mkdir(parents=True, exist_ok=True)
    now = now or datetime.now(UTC)
    with _lock(root) as mine:
        if not mine:
            return None
        for stale in root.glob(".*.partial"):
            shutil.rmtree(stale, ignore_errors=True)  # a run that died half-way
        done = complete_backups(root)
        if done:
            last = datetime.strptime(done[-1].name, NAME_FORMAT).replace(tzinfo=UTC)
            if now - last < timedelta(hours=interval_hours):
                prune(root, keep)
                return None
        name = now.strftime(NAME_FORMAT)
        partial = root / f".{name}.partial"
        backup(rt, partial, full=full)
        final = root / name
        partial.rename(final)
        removed = prune(root, keep)
        log.info("backup written to %s (%d old one(s) removed)", final, len(removed))
        return final


def snapshot_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except Exception:
            return None
