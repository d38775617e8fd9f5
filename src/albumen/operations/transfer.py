"""Moving an installation to another database and storage (`albumen migrate`).

The source is only read. The target database is migrated to the same schema, every table is
copied in primary-key batches, each batch committed together with a progress marker (a row in
the target's ``albumen_migration`` table), so an interrupted run continues where it stopped;
then every stored object is copied (objects already there with the right size are skipped:
they were only made visible once complete and checked). At the end the row counts and content
digests of every table and every object are compared — originals by SHA-256 — and, when all
match, the marker is dropped. A target that is not empty and holds no marker of an unfinished
migration from this same source is refused.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine, func, inspect, select, text
from sqlalchemy.engine import make_url

from albumen.db.migrate import upgrade
from albumen.db.session import engine_for, make_engine
from albumen.errors import Conflict, InvalidInput
from albumen.operations import dbcopy
from albumen.operations.objectcopy import (
    DamagedObject,
    copy_object,
    copy_stream,
    first_key,
    hash_object,
    original_sha,
)
from albumen.runtime import Runtime
from albumen.storage import Storage

log = logging.getLogger(__name__)

MARKER = "albumen_migration"
Progress = Callable[[str, int, int | None], None]  # phase, done, total (None: unknown)


def _shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _same_database(a: str, b: str) -> bool:
    ua, ub = make_url(a), make_url(b)
    return (ua.get_backend_name(), ua.host, ua.port, ua.database) == (
        ub.get_backend_name(), ub.host, ub.port, ub.database)


def _load_state(conn: Connection) -> dict[str, Any] | None:
    if not inspect(conn).has_table(MARKER):
        return None
    return json.loads(conn.execute(text(f"SELECT state FROM {MARKER} WHERE id = 1")).scalar_one())


def _save_state(conn: Connection, state: dict[str, Any]) -> None:
    conn.execute(text(f"UPDATE {MARKER} SET state = :s WHERE id = 1"), {"s": json.dumps(state)})


def _claim(engine: Engine, storage: Storage, source: dict[str, str]) -> dict[str, Any]:
    """The migration state: a new one on an empty target, or the unfinished one of this
    source; anything else is refused."""
    with engine.begin() as conn:
        state = _load_state(conn)
        if state is not None:
            if state["source"] != source:
                raise Conflict(
                    "the target holds an unfinished migration from another installation "
                    f"({state['source']['database']}, {state['source']['storage']})",
                    details={"marker_source": state["source"]})
            return state
        filled = dbcopy.non_empty_tables(conn)
        if filled:
            shown = ", ".join(f"{n} {name}" for name, n in sorted(filled.items()))
            raise Conflict(f"the target database is not empty ({shown}) and is not an "
                           "unfinished migration from this installation",
                           details={"tables": filled})
        key = first_key(storage)
        if key is not None:
            raise Conflict(f"the target storage is not empty (it holds {key!r}) and is not an "
                           "unfinished migration from this installation", details={"key": key})
        conn.execute(text(f"CREATE TABLE {MARKER} (id INTEGER PRIMARY KEY, state TEXT NOT NULL)"))
        state = {"source": source, "tables": {}, "tables_done": False}
        conn.execute(text(f"INSERT INTO {MARKER} (id, state) VALUES (1, :s)"),
                     {"s": json.dumps(state)})
        return state


def _copy_tables(src_engine: Engine, dst_engine: Engine, state: dict[str, Any], batch: int,
                 progress: Progress, on_batch: Callable[[str], None] | None) -> None:
    with src_engine.connect() as src, dst_engine.connect() as dst:
        src_plan = dbcopy.plan(src.dialect.name)
        dst_plan = dbcopy.plan(dst.dialect.name)
        for table in src_plan.tables:
            done = state["tables"].setdefault(table.name, {"rows": 0, "after": None,
                                                            "done": False})
            if done["done"]:
                continue
            total = src.scalar(select(func.count()).select_from(table)) or 0
            deferred = dst_plan.deferred.get(table.name, ())
            progress(f"table {table.name}", done["rows"], total)
            for rows in dbcopy.read_batches(src, table, done["after"], batch):
                with dst.begin():
                    dbcopy.write_batch(dst, dst_plan.table(table.name), rows, deferred)
                    done["after"] = dbcopy.key_of(table, rows[-1])
                    done["rows"] += len(rows)
                    _save_state(dst, state)
                progress(f"table {table.name}", done["rows"], total)
                if on_batch:
                    on_batch(table.name)
            src.rollback()  # end the read transaction the stream opened
            done["done"] = True
            with dst.begin():
                _save_state(dst, state)
        with dst.begin():
            dbcopy.fix_deferred(src, dst, dst_plan, batch)
            dbcopy.finish(dst, dst_plan)
            state["tables_done"] = True
            _save_state(dst, state)
        src.rollback()


def _copy_objects(source: Storage, target: Storage, progress: Progress,
                  on_object: Callable[[str], None] | None) -> dict[str, Any]:
    copied = present = nbytes = 0
    damaged: list[str] = []
    for key in source.keys(""):
        try:
            size = source.size(key)
        except FileNotFoundError:
            continue  # removed since it was listed
        if target.exists(key):
            if target.size(key) == size:
                present += 1
                continue
            target.delete(key)  # cannot happen with atomic commits, but never trust it
        try:
            copy_object(source, target, key, size)
        except DamagedObject as exc:
            if original_sha(key) is None or "SHA-256" not in exc.message:
                raise
            damaged.append(key)
            with source.open(key) as fh:
                copy_stream(fh, target, key, size=size)
        copied += 1
        nbytes += size
        progress("objects", copied + present, None)
        if on_object:
            on_object(key)
    return {"copied": copied, "already_present": present, "bytes_copied": nbytes,
            "damaged_in_source": damaged}


def _verify(src_engine: Engine, dst_engine: Engine, source: Storage, target: Storage,
            progress: Progress) -> tuple[dict[str, Any], dict[str, Any], list[str], list[str]]:
    problems: list[str] = []
    warnings: list[str] = []
    tables: dict[str, Any] = {}
    with src_engine.connect() as src, dst_engine.connect() as dst:
        src_plan, dst_plan = dbcopy.plan(src.dialect.name), dbcopy.plan(dst.dialect.name)
        for table in src_plan.tables:
            a = dbcopy.table_stats(src, src_plan, table)
            b = dbcopy.table_stats(dst, dst_plan, dst_plan.table(table.name))
            tables[table.name] = {"source_rows": a["rows"], "target_rows": b["rows"],
                                  "content_matches": a["digest"] == b["digest"]}
            if a["rows"] != b["rows"]:
                problems.append(f"table {table.name}: {a['rows']} rows in the source, "
                                f"{b['rows']} in the target")
            elif a["digest"] != b["digest"]:
                problems.append(f"table {table.name}: same row count but different content "
                                "(was the source changed during the migration?)")
            progress("verifying tables", len(tables), len(src_plan.tables))
    if problems:
        problems.append("stop albumen while it is migrated; to start over, empty the target "
                        "database and storage and run `albumen migrate` again")
    objects = {"checked": 0, "originals_hashed": 0}
    for key in source.keys(""):
        try:
            size = source.size(key)
        except FileNotFoundError:
            continue
        objects["checked"] += 1
        if not target.exists(key):
            problems.append(f"object {key} is missing in the target")
        elif target.size(key) != size:
            problems.append(f"object {key}: {target.size(key)} bytes in the target, "
                            f"{size} in the source")
        elif (sha := original_sha(key)) is not None:
            objects["originals_hashed"] += 1
            actual = hash_object(target, key)[0]
            if actual != sha and hash_object(source, key)[0] == actual:
                warnings.append(f"original {key} does not match its SHA-256 in the source "
                                "either (copied as it is; see `albumen verify`)")
            elif actual != sha:
                problems.append(f"original {key} in the target does not match its SHA-256")
        progress("verifying objects", objects["checked"], None)
    return tables, objects, problems, warnings


def migrate_installation(rt: Runtime, database_url: str, storage_url: str, *,
                         batch: int = dbcopy.BATCH, progress: Progress | None = None,
                         on_batch: Callable[[str], None] | None = None,
                         on_object: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Copy this installation's database and storage to new ones; resumable; the source is
    only read. Returns a report; ``report["ok"]`` is False when verification found problems
    (the marker then stays, so a re-run retries). ``on_batch`` (table name) and ``on_object``
    (key) are called after each committed batch of rows and each copied object."""
    report_progress: Progress = progress or (lambda *_: None)
    if _same_database(rt.database_url, database_url):
        raise InvalidInput("the target database is this installation's own database")
    source_storage_url = rt.settings.effective_storage_url
    if source_storage_url.rstrip("/") == storage_url.rstrip("/"):
        raise InvalidInput("the target storage is this installation's own storage")
    try:  # built the way the runtime builds its own (s3:// takes its other settings from it)
        target = Runtime(rt.settings.model_copy(update={"storage_url": storage_url})).storage
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc
    source_id = {"database": _shown(rt.database_url), "storage": source_storage_url}
    try:
        upgrade(database_url)
    except Exception as exc:
        raise InvalidInput(f"cannot prepare the target database {_shown(database_url)}: "
                           f"{exc}") from exc
    dst_engine = make_engine(database_url)
    try:
        state = _claim(dst_engine, target, source_id)
        resumed = bool(state["tables"])
        src_engine = engine_for(rt.database_url)
        if not state["tables_done"]:
            _copy_tables(src_engine, dst_engine, state, batch, report_progress, on_batch)
        objects = _copy_objects(rt.storage, target, report_progress, on_object)
        tables, checked, problems, warnings = _verify(src_engine, dst_engine, rt.storage,
                                                      target, report_progress)
        ok = not problems
        if ok:
            with dst_engine.begin() as conn:
                conn.execute(text(f"DROP TABLE {MARKER}"))
    finally:
        dst_engine.dispose()
    return {
        "ok": ok, "resumed": resumed,
        "source": source_id,
        "target": {"database": _shown(database_url), "storage": storage_url},
        "tables": tables, "objects": {**objects, **checked}, "problems": problems,
        "warnings": warnings,
        "switch": {"ALBUMEN_DATABASE_URL": database_url, "ALBUMEN_STORAGE_URL": storage_url},
    }
