"""Copying albumen's tables from one database to another, whatever the two backends are.

Both databases are at the same Alembic revision; the copier reads and writes the tables the
models declare, in foreign-key order, in batches (server-side cursors on PostgreSQL, so memory
stays flat), with every value going through its column type: datetimes, booleans, dates and
binary columns come out as the same Python values on the other side, and JSON columns are
copied as their stored text (a JSON ``null`` stays a JSON null, an SQL NULL stays NULL).

Three kinds of table are not plain data:

- ``workers`` holds heartbeats of live processes, ``rate_counters`` rate-limit windows of the
  last minutes: never copied.
- ``timeline_counts``, ``upload_counts``, ``event_flag_counts`` and ``moderation_waits`` are
  kept by triggers on ``assets``, ``activity_source_hist`` by the activity writer alongside
  ``activity_sources``; none is copied, and ``finish`` counts them again.
- the full-text index (FTS5 tables on SQLite, the generated ``tsv`` column on PostgreSQL) is
  not in the models at all: the triggers / generated column fill it from ``search_docs`` as the
  rows arrive, and ``finish`` rebuilds the FTS5 index on SQLite to be sure. Neither is
  pgvector's ``asset_vectors``: ``finish`` back-fills it from ``asset_embeddings``.

Foreign keys that make a cycle (an event's cover photo, a person's cover face) are written as
NULL with their row and set once every table is in (``fix_deferred``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    Integer,
    MetaData,
    Table,
    Text,
    TypeDecorator,
    bindparam,
    cast,
    func,
    or_,
    select,
    text,
    tuple_,
    update,
)

from albumen.db import (
    models,  # noqa: F401  (registers every table on the metadata)
    search_ddl,
)
from albumen.db.base import Base

EPHEMERAL = frozenset({"workers", "rate_counters"})
# Kept by database triggers on ``assets`` (db/search_ddl.py) or by the activity writer from
# ``activity_sources`` (insights/activity.py): recounted after a load, never copied.
DERIVED = frozenset({"timeline_counts", "upload_counts", "event_flag_counts",
                     "moderation_waits", "activity_source_hist"})
BATCH = 2000

Row = dict[str, Any]


class _JSONText(TypeDecorator[str]):
    """A JSON column read and written as its text (SQLite: a TEXT value)."""

    impl = Text
    cache_ok = True

    def column_expression(self, column: Any) -> Any:
        return cast(column, Text)  # numbers stored with NUMERIC affinity come back as text

    def process_result_value(self, value: Any, dialect: Any) -> str | None:
        return value if value is None or isinstance(value, str) else json.dumps(value)


class _PgJSONText(_JSONText):
    """On PostgreSQL the text is cast back to ``json`` (which keeps the text as it is)."""

    cache_ok = True

    def bind_expression(self, bindvalue: Any) -> Any:
        return cast(bindvalue, JSON)


@dataclass(frozen=True)
class Plan:
    """The tables to copy in order, each as a plain table (no defaults, no onupdate: a copy
    writes the values it read), and the cyclic foreign-key columns set after the load."""

    tables: tuple[Table, ...]
    deferred: dict[str, tuple[str, ...]]
    json_columns: dict[str, frozenset[str]]

    def table(self, name: str) -> Table:
        return next(t for t in self.tables if t.name == name)


def plan(dialect: str, include_derived: bool = False) -> Plan:
    """The copy plan for a database of this dialect ("sqlite" or "postgresql")."""
    json_type: type[_JSONText] = _PgJSONText if dialect == "postgresql" else _JSONText
    metadata = MetaData()
    order = {t.name: i for i, t in enumerate(Base.metadata.sorted_tables)}
    tables, deferred, json_columns = [], {}, {}
    for source in Base.metadata.sorted_tables:
        if source.name in EPHEMERAL or (source.name in DERIVED and not include_derived):
            continue
        columns = []
        for col in source.columns:
            is_json = isinstance(col.type, JSON)
            columns.append(Column(col.name, json_type() if is_json else col.type,
                                  primary_key=col.primary_key, autoincrement=False))
        tables.append(Table(source.name, metadata, *columns))
        later = tuple(fk.parent.name for fk in source.foreign_keys
                      if order[fk.column.table.name] >= order[source.name])
        if later:
            deferred[source.name] = later
        json_columns[source.name] = frozenset(
            c.name for c in source.columns if isinstance(c.type, JSON))
    return Plan(tuple(tables), deferred, json_columns)


def primary_key(table: Table) -> list[Column[Any]]:
    return list(table.primary_key.columns)


def read_batches(conn: Connection, table: Table, after: Sequence[Any] | None = None,
                 batch: int = BATCH, ordered: bool = True) -> Iterator[list[Row]]:
    """The table's rows in primary-key order (after ``after``, a primary key), in batches."""
    pk = primary_key(table)
    query = select(*table.columns)
    if ordered:
        query = query.order_by(*pk)
    if after is not None:
        query = query.where(tuple_(*pk) > tuple_(*after) if len(pk) > 1 else pk[0] > after[0])
    result = conn.execution_options(stream_results=True, yield_per=batch).execute(query)
    for part in result.mappings().partitions():
        yield [dict(row) for row in part]


def write_batch(conn: Connection, table: Table, rows: list[Row],
                deferred: Sequence[str] = ()) -> None:
    if not rows:
        return
    if deferred:
        rows = [{**row, **dict.fromkeys(deferred)} for row in rows]
    conn.execute(table.insert(), rows)


def key_of(table: Table, row: Row) -> list[Any]:
    return [row[c.name] for c in primary_key(table)]


def copy_table(src: Connection, dst: Connection, src_plan: Plan, dst_plan: Plan, name: str,
               after: Sequence[Any] | None = None, batch: int = BATCH) -> int:
    """Copy a table's rows (those after a primary key, to resume). Returns the rows copied."""
    done = 0
    source, target = src_plan.table(name), dst_plan.table(name)
    deferred = dst_plan.deferred.get(name, ())
    for rows in read_batches(src, source, after, batch):
        write_batch(dst, target, rows, deferred)
        done += len(rows)
    return done


def fix_deferred(src: Connection, dst: Connection, plan_: Plan, batch: int = BATCH) -> None:
    """Set the cyclic foreign keys written as NULL by ``copy_table`` (idempotent)."""
    for name, columns in plan_.deferred.items():
        table = plan_.table(name)
        pk = primary_key(table)
        cols = [table.c[c] for c in columns]
        where = [c == bindparam(f"k_{c.name}") for c in pk]
        stmt = update(table).where(*where).values(
            {c.name: bindparam(f"v_{c.name}") for c in cols})
        query = select(*pk, *cols).where(or_(*(c.is_not(None) for c in cols)))
        result = src.execution_options(stream_results=True, yield_per=batch).execute(query)
        for part in result.mappings().partitions():
            dst.execute(stmt, [{**{f"k_{c.name}": row[c.name] for c in pk},
                                **{f"v_{c.name}": row[c.name] for c in cols}} for row in part])


def finish(dst: Connection, plan_: Plan) -> None:
    """After a load: sequences past the highest ids (PostgreSQL), the counts kept by triggers
    recounted, the full-text index rebuilt (SQLite), pgvector's table filled (PostgreSQL)."""
    if dst.dialect.name == "postgresql":
        for table in plan_.tables:
            pk = primary_key(table)
            if len(pk) == 1 and isinstance(pk[0].type, Integer):
                dst.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', '{pk[0].name}'), "
                    f"COALESCE(MAX(\"{pk[0].name}\"), 0) + 1, false) FROM \"{table.name}\""))
    search_ddl.install_asset_triggers(dst)  # the triggers on assets again, their counts redone
    search_ddl.recount_source_histogram(dst)
    if dst.dialect.name == "postgresql" and dst.scalar(
            text("SELECT to_regclass('asset_vectors') IS NOT NULL")):
        from albumen.vectors import pgvector

        pgvector.backfill(dst)  # pgvector's copy of the embeddings
    if dst.dialect.name == "sqlite":
        dst.execute(text("INSERT INTO asset_fts(asset_fts) VALUES ('rebuild')"))


# --- comparing ----------------------------------------------------------------------------


def _canonical(value: Any, is_json: bool) -> Any:
    if value is None:
        return None
    if is_json:
        return json.dumps(json.loads(value), sort_keys=True, separators=(",", ":"))
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, float):
        return repr(value)
    return value


def table_stats(conn: Connection, plan_: Plan, table: Table,
                batch: int = BATCH) -> dict[str, Any]:
    """Row count and a digest of the table's content that does not depend on row order or on
    the backend: the sum (mod 2**256) of each row's SHA-256 over its values in canonical form."""
    json_cols = plan_.json_columns[table.name]
    names = [c.name for c in table.columns]
    rows, total = 0, 0
    for part in read_batches(conn, table, batch=batch, ordered=False):
        for row in part:
            canon = [_canonical(row[n], n in json_cols) for n in names]
            digest = hashlib.sha256(json.dumps(canon, ensure_ascii=False).encode()).digest()
            total = (total + int.from_bytes(digest, "big")) % (1 << 256)
            rows += 1
    return {"rows": rows, "digest": f"{total:064x}"}


def database_stats(conn: Connection, plan_: Plan) -> dict[str, dict[str, Any]]:
    return {t.name: table_stats(conn, plan_, t) for t in plan_.tables}


def row_counts(conn: Connection, plan_: Plan) -> dict[str, int]:
    return {t.name: conn.scalar(select(func.count()).select_from(t)) or 0
            for t in plan_.tables}


def non_empty_tables(conn: Connection) -> dict[str, int]:
    """Tables holding rows (derived ones included; heartbeats of live workers are not)."""
    counts = row_counts(conn, plan(conn.dialect.name, include_derived=True))
    return {name: n for name, n in counts.items() if n}


def delete_all(conn: Connection, plan_: Plan) -> None:
    """Empty every table (dependants first): undoing a load that failed half-way."""
    for table in reversed(plan_.tables):
        conn.execute(table.delete())
    for name in sorted(DERIVED):
        if name in Base.metadata.tables:
            conn.execute(Base.metadata.tables[name].delete())
