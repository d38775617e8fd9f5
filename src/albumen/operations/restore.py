"""Restoring a backup (operations/backup.py) into an empty installation (`albumen restore`).

Everything that can be checked before the installation is touched is checked first: the
manifest, the checksums of the database and storage files, the SQLite file's integrity, the
schema revision (an older one is upgraded on a temporary copy; a newer one is refused). Then
the objects are copied in (each checked against its size and SHA-256 before it becomes
visible), the tables are loaded in one transaction, the derived search data is rebuilt, and
the result is compared with the manifest. When anything fails, what was restored is removed
again: the installation is left as empty as it was. `restore_installation` (what `albumen
restore` runs) also creates the installation when there is none yet, and when the restore
fails removes what it created (the database file, the storage and data folders): a failed
restore into a new data directory leaves no empty installation behind.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import shutil
import sqlite3
import tempfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url

from albumen.db.migrate import alembic_config, upgrade
from albumen.db.session import engine_for, forget_engine
from albumen.errors import AlbumenError, Conflict, InvalidInput
from albumen.operations import dbcopy
from albumen.operations.backup import (
    DATABASE,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    OBJECTS,
    STORAGE,
    file_sha256,
    head_revision,
    object_path,
    snapshot_revision,
    snapshot_stats,
    sqlite_engine,
)
from albumen.operations.objectcopy import CHUNK, DamagedObject, copy_stream, first_key, hash_object
from albumen.runtime import Runtime

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int | None], None]


class DamagedBackup(InvalidInput):
    code = "damaged_backup"


def read_manifest(src: Path) -> dict[str, Any]:
    if not src.is_dir():
        raise InvalidInput(f"{src} is not a directory (a backup is the directory that "
                           "`albumen backup` wrote)")
    path = src / MANIFEST
    if not path.is_file():
        raise DamagedBackup(f"{src} is not a complete albumen backup: {MANIFEST} is missing "
                            "(an unfinished backup has none)")
    try:
        manifest = json.loads(path.read_text())
    except (ValueError, UnicodeDecodeError) as exc:
        raise DamagedBackup(f"{MANIFEST} is damaged: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise DamagedBackup(f"{MANIFEST} is not an albumen backup manifest")
    if manifest.get("format_version", 0) > FORMAT_VERSION:
        raise InvalidInput(f"this backup has format version {manifest['format_version']}; "
                           f"this albumen reads up to {FORMAT_VERSION}: upgrade albumen")
    required = {"": ("schema_revision", "tables", "database", "storage"),
                "database": ("sha256",), "storage": ("sha256", "full", "objects")}
    for section, keys in required.items():
        part = manifest.get(section) if section else manifest
        missing = [k for k in keys if not isinstance(part, dict) or k not in part]
        if missing:
            where = f"{section}." if section else ""
            raise DamagedBackup(f"{MANIFEST} is incomplete: {where}{missing[0]} is missing")
    return manifest


def _check_file(src: Path, name: str, expected: str) -> Path:
    path = src / name
    if not path.is_file():
        raise DamagedBackup(f"the backup is damaged: {name} is missing")
    if file_sha256(path) != expected:
        raise DamagedBackup(f"the backup is damaged: {name} does not match the checksum in "
                            f"{MANIFEST} (truncated or modified)", details={"file": name})
    return path


def _unpack_database(src: Path, manifest: dict[str, Any], workdir: Path) -> Path:
    packed = _check_file(src, DATABASE, manifest["database"]["sha256"])
    target = workdir / "database.sqlite3"
    try:
        with gzip.open(packed, "rb") as fh, open(target, "wb") as out:
            shutil.copyfileobj(fh, out, CHUNK)
    except (OSError, EOFError, zlib.error) as exc:
        raise DamagedBackup(f"the backup is damaged: {DATABASE} cannot be decompressed "
                            f"({exc})") from exc
    expected = manifest["database"].get("sqlite_sha256")
    if expected and file_sha256(target) != expected:
        raise DamagedBackup(f"the backup is damaged: the database in {DATABASE} does not "
                            "match its checksum")
    conn = sqlite3.connect(target)
    try:
        result = conn.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise DamagedBackup(f"the backup is damaged: {DATABASE} is not a database ({exc})"
                            ) from exc
    finally:
        conn.close()
    if result != "ok":
        raise DamagedBackup(f"the backup is damaged: the database fails its integrity check "
                            f"({result})")
    return target


def _prepare_schema(snapshot: Path, manifest: dict[str, Any]) -> str | None:
    """Bring the snapshot to this albumen's schema; returns the revision it was upgraded from
    (None when it already was at head)."""
    engine = sqlite_engine(snapshot)
    try:
        revision = snapshot_revision(engine)
    finally:
        engine.dispose()
    if revision != manifest.get("schema_revision"):
        raise DamagedBackup(f"the backup is damaged: its database is at schema revision "
                            f"{revision}, its manifest says {manifest.get('schema_revision')}")
    head = head_revision()
    if revision == head:
        return None
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    known = {rev.revision for rev in script.walk_revisions()}
    if revision not in known:
        raise InvalidInput(
            f"the backup is at schema revision {revision}, which this albumen does not know "
            f"(its newest is {head}): it was made by a newer albumen "
            f"({manifest.get('albumen_version')}); restore it with that version or later",
            details={"backup_revision": revision, "head": head})
    upgrade(f"sqlite:///{snapshot}")  # a temporary copy: the backup stays as it is
    return revision


def _entries(src: Path) -> Iterator[dict[str, Any]]:
    try:
        with gzip.open(src / STORAGE, "rt", encoding="utf-8") as fh:
            for line in fh:
                yield json.loads(line)
    except (OSError, EOFError, zlib.error, ValueError) as exc:
        raise DamagedBackup(f"the backup is damaged: {STORAGE} cannot be read ({exc})"
                            ) from exc


def _require_empty(rt: Runtime, full: bool) -> None:
    with engine_for(rt.database_url).connect() as conn:
        filled = dbcopy.non_empty_tables(conn)
    if filled:
        shown = ", ".join(f"{n} {name}" for name, n in sorted(filled.items()))
        raise Conflict(f"this installation is not empty ({shown}); restore needs an empty "
                       "one (a new ALBUMEN_DATA_DIR, or a new database and storage)",
                       details={"tables": filled})
    key = first_key(rt.storage) if full else None
    if key is not None:
        raise Conflict(f"this installation's storage is not empty (it holds {key!r}); "
                       "restoring a full backup needs an empty storage", details={"key": key})


def _restore_objects(rt: Runtime, src: Path, manifest: dict[str, Any],
                     progress: Progress) -> dict[str, int]:
    count = nbytes = 0
    total = manifest["storage"]["objects"]
    for entry in _entries(src):
        key = entry["key"]
        path = object_path(src / OBJECTS, key)
        if not path.is_file():
            raise DamagedBackup(f"the backup is damaged: the object {key} is missing from "
                                f"{OBJECTS}/", details={"key": key})
        try:
            with open(path, "rb") as fh:
                copy_stream(fh, rt.storage, key, size=entry["size"],
                            sha256=entry.get("sha256"))
        except DamagedObject as exc:
            raise DamagedBackup(f"the backup is damaged: {exc.message}", details=exc.details
                                ) from exc
        count += 1
        nbytes += entry["size"]
        progress("objects", count, total)
    return {"restored": count, "bytes": nbytes}


def _remove_objects(rt: Runtime, src: Path, manifest: dict[str, Any]) -> None:
    """Undo `_restore_objects` (the storage was empty before it)."""
    try:
        for entry in _entries(src):
            rt.storage.delete(entry["key"])
    except DamagedBackup:
        for key in list(rt.storage.keys("")):
            rt.storage.delete(key)


def _load_tables(rt: Runtime, snapshot: Path, progress: Progress) -> None:
    src_engine = sqlite_engine(snapshot)
    try:
        with src_engine.connect() as src, engine_for(rt.database_url).begin() as dst:
            src_plan, dst_plan = dbcopy.plan("sqlite"), dbcopy.plan(dst.dialect.name)
            for n, table in enumerate(src_plan.tables):
                dbcopy.copy_table(src, dst, src_plan, dst_plan, table.name)
                progress("database", n + 1, len(src_plan.tables))
            dbcopy.fix_deferred(src, dst, dst_plan)
            dbcopy.finish(dst, dst_plan)
    finally:
        src_engine.dispose()


def _verify(rt: Runtime, src: Path, manifest: dict[str, Any], expected: dict[str, Any],
            progress: Progress) -> list[str]:
    problems = []
    with engine_for(rt.database_url).connect() as conn:
        actual = dbcopy.database_stats(conn, dbcopy.plan(conn.dialect.name))
    for name, want in expected.items():
        got = actual.get(name, {"rows": 0, "digest": None})
        if got["rows"] != want["rows"]:
            problems.append(f"table {name}: {got['rows']} rows restored, {want['rows']} in "
                            "the backup")
        elif got["digest"] != want["digest"]:
            problems.append(f"table {name}: the restored rows differ from the backup's")
    if manifest["storage"]["full"]:
        for n, entry in enumerate(_entries(src)):
            sha, size = hash_object(rt.storage, entry["key"])
            if size != entry["size"] or sha != entry.get("sha256", sha):
                problems.append(f"object {entry['key']} differs from the backup's")
            progress("verifying", n + 1, manifest["storage"]["objects"])
    return problems


def _missing_objects(rt: Runtime, src: Path, manifest: dict[str, Any]) -> list[str]:
    """For a backup without objects: those of its list the storage does not hold."""
    missing = []
    for entry in _entries(src):
        key = entry["key"]
        if not rt.storage.exists(key) or rt.storage.size(key) != entry["size"]:
            missing.append(key)
    return missing


def restore(rt: Runtime, src: Path, *, progress: Progress | None = None) -> dict[str, Any]:
    """Restore the backup in ``src`` into this (empty) installation. Returns a report; raises
    (leaving the installation empty) when the backup is damaged or does not fit."""
    report: Progress = progress or (lambda *_: None)
    src = src.expanduser().absolute()
    manifest = read_manifest(src)
    full = bool(manifest["storage"]["full"])
    _require_empty(rt, full)
    _check_file(src, STORAGE, manifest["storage"]["sha256"])
    rt.settings.data_dir.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix=".restore-", dir=rt.settings.data_dir))
    objects = {"restored": 0, "bytes": 0}
    try:
        snapshot = _unpack_database(src, manifest, workdir)
        upgraded_from = _prepare_schema(snapshot, manifest)
        expected = snapshot_stats(snapshot) if upgraded_from else manifest["tables"]
        try:
            if full:
                objects = _restore_objects(rt, src, manifest, report)
            _load_tables(rt, snapshot, report)
            problems = _verify(rt, src, manifest, expected, report)
            if problems:
                raise AlbumenError("the restored data does not match the backup: "
                                   + "; ".join(problems[:5]), details={"problems": problems})
        except BaseException:
            log.warning("restore failed: removing what was restored")
            with engine_for(rt.database_url).begin() as conn:
                dbcopy.delete_all(conn, dbcopy.plan(conn.dialect.name))
            if full:
                _remove_objects(rt, src, manifest)
                rt.storage.remove_empty_folders()
            raise
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    missing = [] if full else _missing_objects(rt, src, manifest)
    return {
        "restored": True, "full": full, "backup": str(src),
        "created_at": manifest.get("created_at"),
        "albumen_version": manifest.get("albumen_version"),
        "schema_revision": head_revision(), "upgraded_from": upgraded_from,
        "tables": {name: stats["rows"] for name, stats in expected.items()},
        "objects": objects,
        "missing_objects": missing[:100],
        "problems": [f"{len(missing)} object(s) listed in the backup are not in this "
                     "installation's storage (restore a --full backup, or point "
                     "ALBUMEN_STORAGE_URL at the storage the backup was taken from)"]
        if missing else [],
    }


def restore_installation(rt: Runtime, src: Path, *,
                         progress: Progress | None = None) -> dict[str, Any]:
    """Create this installation if it does not exist yet (migrate), then restore ``src`` into
    it. When the restore fails, or is interrupted, the database file, storage folder and
    data directory it created are removed as well; an installation that existed is left as it
    was (``restore`` removes what it restored)."""
    made = [path for path in _created_by_installing(rt) if not os.path.lexists(path)]
    try:
        rt.migrate()
        return restore(rt, src, progress=progress)
    except BaseException:
        forget_engine(rt.database_url)  # SQLite: its journal files go with the connections
        if made:
            log.warning("restore failed: removing the installation it created (%s)",
                        ", ".join(map(str, made)))
            for path in reversed(made):  # the files, then the folders holding them
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path, ignore_errors=True)
                elif os.path.lexists(path):
                    path.unlink()
        raise


def _created_by_installing(rt: Runtime) -> list[Path]:
    """What making this installation may create on this machine, outermost first: the data
    directory, the local storage folder, a SQLite database file and its journal files."""
    settings = rt.settings
    paths = [settings.data_dir.absolute()]
    storage = urlparse(settings.effective_storage_url)
    if storage.scheme == "file":
        paths.append(Path(unquote(storage.netloc + storage.path)).absolute())
    database = make_url(rt.database_url)
    if database.get_backend_name() == "sqlite" and database.database not in (None, "",
                                                                             ":memory:"):
        file = Path(database.database).absolute()
        paths += [file, *(file.with_name(file.name + end) for end in ("-wal", "-shm",
                                                                        "-journal"))]
    return paths
