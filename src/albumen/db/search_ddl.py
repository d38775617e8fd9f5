"""What the ORM cannot declare: the full-text index and the triggers that keep the timeline's
month counts. Migration 0008 installs them; a later migration that rebuilds ``assets`` on
SQLite (batch mode drops a table's triggers) must call ``install_timeline_triggers`` again.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

_SQLITE_FTS = [
    "CREATE VIRTUAL TABLE asset_fts USING fts5(body, content='search_docs', "
    "content_rowid='asset_id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN "
    "INSERT INTO asset_fts(rowid, body) VALUES (new.asset_id, new.body); END",
    "CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN "
    "INSERT INTO asset_fts(asset_fts, rowid, body) VALUES ('delete', old.asset_id, old.body); "
    "END",
    "CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN "
    "INSERT INTO asset_fts(asset_fts, rowid, body) VALUES ('delete', old.asset_id, old.body); "
    "INSERT INTO asset_fts(rowid, body) VALUES (new.asset_id, new.body); END",
]
_POSTGRES_FTS = [
    "ALTER TABLE search_docs ADD COLUMN tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED",
    "CREATE INDEX ix_search_docs_tsv ON search_docs USING gin (tsv)",
]

# One row per (owner, event, moderation, month of local time) of assets not in the trash.
_KEY = "coalesce({r}.owner_id, 0), coalesce({r}.event_id, 0), {r}.moderation, {month}"
_SQLITE_MONTH = "CAST(strftime('%Y%m', {r}.local_at) AS INTEGER)"
_CHANGED = ("OLD.owner_id IS NOT NEW.owner_id OR OLD.event_id IS NOT NEW.event_id OR "
            "OLD.moderation IS NOT NEW.moderation OR OLD.local_at IS NOT NEW.local_at OR "
            "OLD.deleted_at IS NOT NEW.deleted_at")


def _sqlite_key(row: str) -> str:
    return _KEY.format(r=row, month=_SQLITE_MONTH.format(r=row))


def _sqlite_add(row: str) -> str:
    return (f"INSERT INTO timeline_counts (owner_key, event_key, moderation, month, n) "
            f"SELECT {_sqlite_key(row)}, 1 WHERE {row}.deleted_at IS NULL "
            "ON CONFLICT (owner_key, event_key, moderation, month) DO UPDATE SET n = n + 1;")


def _sqlite_remove(row: str) -> str:
    return (f"UPDATE timeline_counts SET n = n - 1 WHERE {row}.deleted_at IS NULL AND "
            f"(owner_key, event_key, moderation, month) = ({_sqlite_key(row)});")


_SQLITE_TIMELINE = [
    f"CREATE TRIGGER timeline_ai AFTER INSERT ON assets BEGIN {_sqlite_add('NEW')} END",
    f"CREATE TRIGGER timeline_ad AFTER DELETE ON assets BEGIN {_sqlite_remove('OLD')} END",
    f"CREATE TRIGGER timeline_au AFTER UPDATE ON assets WHEN {_CHANGED} BEGIN "
    f"{_sqlite_remove('OLD')} {_sqlite_add('NEW')} END",
]

_PG_MONTH = "CAST(to_char({r}.local_at AT TIME ZONE 'UTC', 'YYYYMM') AS INTEGER)"
_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION albumen_timeline_count() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.deleted_at IS NULL THEN
    UPDATE timeline_counts SET n = n - 1
    WHERE (owner_key, event_key, moderation, month) =
          ({_KEY.format(r='OLD', month=_PG_MONTH.format(r='OLD'))});
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.deleted_at IS NULL THEN
    INSERT INTO timeline_counts (owner_key, event_key, moderation, month, n)
    VALUES ({_KEY.format(r='NEW', month=_PG_MONTH.format(r='NEW'))}, 1)
    ON CONFLICT (owner_key, event_key, moderation, month) DO UPDATE
    SET n = timeline_counts.n + 1;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""
_POSTGRES_TIMELINE = [
    _PG_FUNCTION,
    "CREATE TRIGGER timeline_ai AFTER INSERT OR DELETE ON assets "
    "FOR EACH ROW EXECUTE FUNCTION albumen_timeline_count()",
    "CREATE TRIGGER timeline_au AFTER UPDATE ON assets FOR EACH ROW "
    f"WHEN ({_CHANGED.replace('IS NOT', 'IS DISTINCT FROM')}) "
    "EXECUTE FUNCTION albumen_timeline_count()",
]

_DROP_TIMELINE = {
    "sqlite": ["DROP TRIGGER IF EXISTS timeline_ai", "DROP TRIGGER IF EXISTS timeline_ad",
               "DROP TRIGGER IF EXISTS timeline_au"],
    "postgresql": ["DROP TRIGGER IF EXISTS timeline_ai ON assets",
                   "DROP TRIGGER IF EXISTS timeline_au ON assets",
                   "DROP FUNCTION IF EXISTS albumen_timeline_count()"],
}


def _run(conn: Connection, statements: list[str]) -> None:
    for statement in statements:
        conn.execute(text(statement))


def install_full_text(conn: Connection) -> None:
    _run(conn, _SQLITE_FTS if conn.dialect.name == "sqlite" else _POSTGRES_FTS)


def drop_full_text(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        _run(conn, [*(f"DROP TRIGGER IF EXISTS search_docs_{t}" for t in ("ai", "ad", "au")),
                    "DROP TABLE IF EXISTS asset_fts"])


def install_timeline_triggers(conn: Connection) -> None:
    """(Re)create the triggers and recount every month from the assets table."""
    drop_timeline_triggers(conn)
    sqlite = conn.dialect.name == "sqlite"
    _run(conn, _SQLITE_TIMELINE if sqlite else _POSTGRES_TIMELINE)
    month = (_SQLITE_MONTH if sqlite else _PG_MONTH).format(r="assets")
    _run(conn, [
        "DELETE FROM timeline_counts",
        "INSERT INTO timeline_counts (owner_key, event_key, moderation, month, n) "
        f"SELECT {_KEY.format(r='assets', month=month)}, count(*) FROM assets "
        "WHERE deleted_at IS NULL GROUP BY 1, 2, 3, 4",
    ])


def drop_timeline_triggers(conn: Connection) -> None:
    _run(conn, _DROP_TIMELINE[conn.dialect.name])
