"""What the ORM cannot declare: the full-text index, and the triggers that keep counts of
assets (the timeline's months, an event's uploads per 15 minutes, its screening flags and its
moderators' decision times).
Migrations 0008, 0011 and 0012 install them; a later migration that rebuilds ``assets`` on
SQLite (batch mode drops a table's triggers) must call ``install_asset_triggers`` again.
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

# One row per (owner, event, moderation, month of local time) of assets not in the trash and
# not a Live Photo's clip (which shows with its still: motion_of_id, from migration 0021).
_KEY = "coalesce({r}.owner_id, 0), coalesce({r}.event_id, 0), {r}.moderation, {month}"
_SQLITE_MONTH = "CAST(strftime('%Y%m', {r}.local_at) AS INTEGER)"
_CHANGED = ("OLD.owner_id IS NOT NEW.owner_id OR OLD.event_id IS NOT NEW.event_id OR "
            "OLD.moderation IS NOT NEW.moderation OR OLD.local_at IS NOT NEW.local_at OR "
            "OLD.deleted_at IS NOT NEW.deleted_at")
_MOTION_CHANGED = " OR OLD.motion_of_id IS NOT NEW.motion_of_id"


def _counted(row: str, motion: bool) -> str:
    return f"{row}.deleted_at IS NULL" + (f" AND {row}.motion_of_id IS NULL" if motion else "")


def _sqlite_key(row: str) -> str:
    return _KEY.format(r=row, month=_SQLITE_MONTH.format(r=row))


def _sqlite_add(row: str, motion: bool) -> str:
    return (f"INSERT INTO timeline_counts (owner_key, event_key, moderation, month, n) "
            f"SELECT {_sqlite_key(row)}, 1 WHERE {_counted(row, motion)} "
            "ON CONFLICT (owner_key, event_key, moderation, month) DO UPDATE SET n = n + 1;")


def _sqlite_remove(row: str, motion: bool) -> str:
    return (f"UPDATE timeline_counts SET n = n - 1 WHERE {_counted(row, motion)} AND "
            f"(owner_key, event_key, moderation, month) = ({_sqlite_key(row)});")


def _sqlite_timeline(motion: bool) -> list[str]:
    changed = _CHANGED + (_MOTION_CHANGED if motion else "")
    return [
        f"CREATE TRIGGER timeline_ai AFTER INSERT ON assets BEGIN "
        f"{_sqlite_add('NEW', motion)} END",
        f"CREATE TRIGGER timeline_ad AFTER DELETE ON assets BEGIN "
        f"{_sqlite_remove('OLD', motion)} END",
        f"CREATE TRIGGER timeline_au AFTER UPDATE ON assets WHEN {changed} BEGIN "
        f"{_sqlite_remove('OLD', motion)} {_sqlite_add('NEW', motion)} END",
    ]


_PG_MONTH = "CAST(to_char({r}.local_at AT TIME ZONE 'UTC', 'YYYYMM') AS INTEGER)"


def _postgres_timeline(motion: bool) -> list[str]:
    changed = (_CHANGED + (_MOTION_CHANGED if motion else "")).replace("IS NOT",
                                                                        "IS DISTINCT FROM")
    function = f"""
CREATE OR REPLACE FUNCTION albumen_timeline_count() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND {_counted('OLD', motion)} THEN
    UPDATE timeline_counts SET n = n - 1
    WHERE (owner_key, event_key, moderation, month) =
          ({_KEY.format(r='OLD', month=_PG_MONTH.format(r='OLD'))});
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND {_counted('NEW', motion)} THEN
    INSERT INTO timeline_counts (owner_key, event_key, moderation, month, n)
    VALUES ({_KEY.format(r='NEW', month=_PG_MONTH.format(r='NEW'))}, 1)
    ON CONFLICT (owner_key, event_key, moderation, month) DO UPDATE
    SET n = timeline_counts.n + 1;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""
    return [
        function,
        "CREATE TRIGGER timeline_ai AFTER INSERT OR DELETE ON assets "
        "FOR EACH ROW EXECUTE FUNCTION albumen_timeline_count()",
        f"CREATE TRIGGER timeline_au AFTER UPDATE ON assets FOR EACH ROW WHEN ({changed}) "
        "EXECUTE FUNCTION albumen_timeline_count()",
    ]


_DROP_TIMELINE = {
    "sqlite": ["DROP TRIGGER IF EXISTS timeline_ai", "DROP TRIGGER IF EXISTS timeline_ad",
               "DROP TRIGGER IF EXISTS timeline_au"],
    "postgresql": ["DROP TRIGGER IF EXISTS timeline_ai ON assets",
                   "DROP TRIGGER IF EXISTS timeline_au ON assets",
                   "DROP FUNCTION IF EXISTS albumen_timeline_count()"],
}


def _drops(prefix: str, function: str, sqlite: tuple[str, ...] = ("ai", "ad", "au")
           ) -> dict[str, list[str]]:
    """Dropping a summary's triggers: SQLite's PREFIX_ai/_ad/_au (or those named), PostgreSQL's
    PREFIX_aid and PREFIX_au with their function."""
    return {"sqlite": [f"DROP TRIGGER IF EXISTS {prefix}_{t}" for t in sqlite],
            "postgresql": [f"DROP TRIGGER IF EXISTS {prefix}_aid ON assets",
                           f"DROP TRIGGER IF EXISTS {prefix}_au ON assets",
                           f"DROP FUNCTION IF EXISTS {function}()"]}


def _run(conn: Connection, statements: list[str]) -> None:
    for statement in statements:
        conn.execute(text(statement))


def install_full_text(conn: Connection) -> None:
    _run(conn, _SQLITE_FTS if conn.dialect.name == "sqlite" else _POSTGRES_FTS)


def drop_full_text(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        _run(conn, [*(f"DROP TRIGGER IF EXISTS search_docs_{t}" for t in ("ai", "ad", "au")),
                    "DROP TABLE IF EXISTS asset_fts"])


def install_timeline_triggers(conn: Connection, motion: bool = True) -> None:
    """(Re)create the triggers and recount every month from the assets table. ``motion``:
    leave Live Photo clips out (False for a schema before migration 0021)."""
    drop_timeline_triggers(conn)
    sqlite = conn.dialect.name == "sqlite"
    _run(conn, _sqlite_timeline(motion) if sqlite else _postgres_timeline(motion))
    month = (_SQLITE_MONTH if sqlite else _PG_MONTH).format(r="assets")
    _run(conn, [
        "DELETE FROM timeline_counts",
        "INSERT INTO timeline_counts (owner_key, event_key, moderation, month, n) "
        f"SELECT {_KEY.format(r='assets', month=month)}, count(*) FROM assets "
        f"WHERE {_counted('assets', motion)} GROUP BY 1, 2, 3, 4",
    ])


def drop_timeline_triggers(conn: Connection) -> None:
    _run(conn, _DROP_TIMELINE[conn.dialect.name])


# Uploads of an event per 15 minutes (UTC epoch // 900), for the analytics dashboards: every
# upload counts, whatever became of it, until the asset is deleted for good.
_SQLITE_QUANTUM = "CAST(strftime('%s', {r}.created_at) AS INTEGER) / 900"
_PG_QUANTUM = "CAST(floor(extract(epoch FROM {r}.created_at)) AS BIGINT) / 900"


def _sqlite_upload(sign: str, r: str) -> str:
    if sign == "+":
        return (f"INSERT INTO upload_counts (event_id, quantum, n) VALUES ({r}.event_id, "
                f"{_SQLITE_QUANTUM.format(r=r)}, 1) ON CONFLICT (event_id, quantum) "
                "DO UPDATE SET n = n + 1;")
    return (f"UPDATE upload_counts SET n = n - 1 WHERE event_id = {r}.event_id "
            f"AND quantum = {_SQLITE_QUANTUM.format(r=r)};")


_SQLITE_UPLOADS = [
    "CREATE TRIGGER upload_counts_ai AFTER INSERT ON assets WHEN NEW.event_id IS NOT NULL "
    f"BEGIN {_sqlite_upload('+', 'NEW')} END",
    "CREATE TRIGGER upload_counts_ad AFTER DELETE ON assets WHEN OLD.event_id IS NOT NULL "
    f"BEGIN {_sqlite_upload('-', 'OLD')} END",
    "CREATE TRIGGER upload_counts_au_old AFTER UPDATE OF event_id, created_at ON assets "
    "WHEN OLD.event_id IS NOT NULL AND (OLD.event_id IS NOT NEW.event_id OR "
    f"OLD.created_at IS NOT NEW.created_at) BEGIN {_sqlite_upload('-', 'OLD')} END",
    "CREATE TRIGGER upload_counts_au_new AFTER UPDATE OF event_id, created_at ON assets "
    "WHEN NEW.event_id IS NOT NULL AND (OLD.event_id IS NOT NEW.event_id OR "
    f"OLD.created_at IS NOT NEW.created_at) BEGIN {_sqlite_upload('+', 'NEW')} END",
]
_POSTGRES_UPLOADS = [
    f"""
CREATE OR REPLACE FUNCTION albumen_upload_count() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.event_id IS NOT NULL THEN
    UPDATE upload_counts SET n = n - 1
    WHERE event_id = OLD.event_id AND quantum = {_PG_QUANTUM.format(r='OLD')};
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.event_id IS NOT NULL THEN
    INSERT INTO upload_counts (event_id, quantum, n)
    VALUES (NEW.event_id, {_PG_QUANTUM.format(r='NEW')}, 1)
    ON CONFLICT (event_id, quantum) DO UPDATE SET n = upload_counts.n + 1;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql
""",
    "CREATE TRIGGER upload_counts_aid AFTER INSERT OR DELETE ON assets "
    "FOR EACH ROW EXECUTE FUNCTION albumen_upload_count()",
    "CREATE TRIGGER upload_counts_au AFTER UPDATE OF event_id, created_at ON assets "
    "FOR EACH ROW WHEN (OLD.event_id IS DISTINCT FROM NEW.event_id OR "
    "OLD.created_at IS DISTINCT FROM NEW.created_at) "
    "EXECUTE FUNCTION albumen_upload_count()",
]
_DROP_UPLOADS = _drops("upload_counts", "albumen_upload_count",
                       ("ai", "ad", "au_old", "au_new"))


def install_upload_triggers(conn: Connection) -> None:
    """(Re)create the triggers and recount every event's uploads from the assets table."""
    drop_upload_triggers(conn)
    sqlite = conn.dialect.name == "sqlite"
    _run(conn, _SQLITE_UPLOADS if sqlite else _POSTGRES_UPLOADS)
    quantum = (_SQLITE_QUANTUM if sqlite else _PG_QUANTUM).format(r="assets")
    _run(conn, [
        "DELETE FROM upload_counts",
        f"INSERT INTO upload_counts (event_id, quantum, n) SELECT event_id, {quantum}, "
        "count(*) FROM assets WHERE event_id IS NOT NULL GROUP BY 1, 2",
    ])


def drop_upload_triggers(conn: Connection) -> None:
    _run(conn, _DROP_UPLOADS[conn.dialect.name])


# Screening flags of an event's photos not in the trash, counted per flag (the moderation
# panel): each element of screening["flags"] counts once under its "flag" ("None" where it has
# none, as the panel always showed it). Rows that drop to 0 are deleted.
# SQLite: json_each over '$.flags' (an object's values count too, as they always did); text
# that is not JSON counts nothing rather than failing the write.
_SQLITE_FLAG = ("coalesce(CASE f.type WHEN 'object' THEN json_extract(f.value, '$.flag') END, "
                "'None')")
_SQLITE_FLAGS = ("json_each(CASE WHEN json_valid({r}.screening) THEN {r}.screening END, "
                 "'$.flags') AS f")
_KEPT = "{r}.event_id IS NOT NULL AND {r}.deleted_at IS NULL"


def _sqlite_flags(sign: str, r: str) -> str:
    flags = _SQLITE_FLAGS.format(r=r)
    if sign == "+":
        return (f"INSERT INTO event_flag_counts (event_id, flag, n) SELECT {r}.event_id, "
                f"{_SQLITE_FLAG}, count(*) FROM {flags} WHERE {_KEPT.format(r=r)} GROUP BY 2 "
                "ON CONFLICT (event_id, flag) DO UPDATE SET n = n + excluded.n;")
    return (f"UPDATE event_flag_counts SET n = n - (SELECT count(*) FROM {flags} WHERE "
            f"{_SQLITE_FLAG} = event_flag_counts.flag) WHERE {_KEPT.format(r=r)} AND "
            f"event_id = {r}.event_id AND flag IN (SELECT {_SQLITE_FLAG} FROM {flags}); "
            f"DELETE FROM event_flag_counts WHERE event_id = {r}.event_id AND n <= 0;")


_FLAGS_CHANGED = ("OLD.event_id IS NOT NEW.event_id OR OLD.deleted_at IS NOT NEW.deleted_at OR "
                  "OLD.screening IS NOT NEW.screening")
_SQLITE_FLAG_TRIGGERS = [
    "CREATE TRIGGER flag_counts_ai AFTER INSERT ON assets WHEN NEW.event_id IS NOT NULL AND "
    f"NEW.screening IS NOT NULL BEGIN {_sqlite_flags('+', 'NEW')} END",
    "CREATE TRIGGER flag_counts_ad AFTER DELETE ON assets WHEN OLD.event_id IS NOT NULL AND "
    f"OLD.screening IS NOT NULL BEGIN {_sqlite_flags('-', 'OLD')} END",
    "CREATE TRIGGER flag_counts_au AFTER UPDATE OF event_id, deleted_at, screening ON assets "
    f"WHEN {_FLAGS_CHANGED} BEGIN {_sqlite_flags('-', 'OLD')} {_sqlite_flags('+', 'NEW')} END",
]
# PostgreSQL (json, not jsonb): the elements of screening -> 'flags' when it is an array.
_PG_FLAGS = ("json_array_elements(CASE WHEN json_typeof({r}.screening -> 'flags') = 'array' "
             "THEN {r}.screening -> 'flags' END) AS f")
_PG_FLAG = "coalesce(f ->> 'flag', 'None')"
_POSTGRES_FLAG_TRIGGERS = [
    f"""
CREATE OR REPLACE FUNCTION albumen_flag_count() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND {_KEPT.format(r='OLD')} THEN
    UPDATE event_flag_counts c SET n = c.n - d.n
    FROM (SELECT {_PG_FLAG} AS flag, count(*) AS n FROM {_PG_FLAGS.format(r='OLD')}
          GROUP BY 1) d
    WHERE c.event_id = OLD.event_id AND c.flag = d.flag;
    DELETE FROM event_flag_counts WHERE event_id = OLD.event_id AND n <= 0;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND {_KEPT.format(r='NEW')} THEN
    INSERT INTO event_flag_counts (event_id, flag, n)
    SELECT NEW.event_id, {_PG_FLAG}, count(*) FROM {_PG_FLAGS.format(r='NEW')}
    GROUP BY 2 ORDER BY 2  -- rows locked in one order: concurrent screenings wait, not deadlock
    ON CONFLICT (event_id, flag) DO UPDATE SET n = event_flag_counts.n + excluded.n;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql
""",
    "CREATE TRIGGER flag_counts_aid AFTER INSERT OR DELETE ON assets "
    "FOR EACH ROW EXECUTE FUNCTION albumen_flag_count()",
    "CREATE TRIGGER flag_counts_au AFTER UPDATE OF event_id, deleted_at, screening ON assets "
    "FOR EACH ROW WHEN (OLD.event_id IS DISTINCT FROM NEW.event_id OR "
    "OLD.deleted_at IS DISTINCT FROM NEW.deleted_at OR "
    "OLD.screening::text IS DISTINCT FROM NEW.screening::text) "
    "EXECUTE FUNCTION albumen_flag_count()",
]
_DROP_FLAGS = _drops("flag_counts", "albumen_flag_count")


def install_flag_triggers(conn: Connection) -> None:
    """(Re)create the triggers and recount every event's screening flags from the assets."""
    drop_flag_triggers(conn)
    sqlite = conn.dialect.name == "sqlite"
    _run(conn, _SQLITE_FLAG_TRIGGERS if sqlite else _POSTGRES_FLAG_TRIGGERS)
    flag, flags = (_SQLITE_FLAG, _SQLITE_FLAGS) if sqlite else (_PG_FLAG, _PG_FLAGS)
    _run(conn, [
        "DELETE FROM event_flag_counts",
        f"INSERT INTO event_flag_counts (event_id, flag, n) SELECT assets.event_id, {flag}, "
        f"count(*) FROM assets, {flags.format(r='assets')} WHERE {_KEPT.format(r='assets')} "
        "GROUP BY 1, 2",
    ])


def drop_flag_triggers(conn: Connection) -> None:
    _run(conn, _DROP_FLAGS[conn.dialect.name])


# How long each decided guest upload of an event waited for its moderator (the moderation
# panel's median): one row per asset with an event, a guest and a decision, trash or not,
# computed with the arithmetic the panel used (SQLite: julianday; PostgreSQL: an interval's
# epoch, stored as a double: the median of the doubles is the double of the median).
_DECIDED = "{r}.event_id IS NOT NULL AND {r}.moderated_at IS NOT NULL AND {r}.guest_id IS NOT NULL"
_SQLITE_WAIT = "(julianday({r}.moderated_at) - julianday({r}.created_at)) * 86400"
_PG_WAIT = "EXTRACT(epoch FROM {r}.moderated_at - {r}.created_at)"
_WAIT_UPSERT = ("ON CONFLICT (asset_id) DO UPDATE SET event_id = excluded.event_id, "
                "seconds = excluded.seconds;")


def _sqlite_wait_add(r: str) -> str:
    return (f"INSERT INTO moderation_waits (asset_id, event_id, seconds) SELECT {r}.id, "
            f"{r}.event_id, {_SQLITE_WAIT.format(r=r)} WHERE {_DECIDED.format(r=r)} "
            f"{_WAIT_UPSERT}")


_WAIT_CHANGED = ("OLD.id IS NOT NEW.id OR OLD.event_id IS NOT NEW.event_id OR "
                 "OLD.guest_id IS NOT NEW.guest_id OR OLD.moderated_at IS NOT NEW.moderated_at "
                 "OR OLD.created_at IS NOT NEW.created_at")
_SQLITE_WAIT_TRIGGERS = [
    f"CREATE TRIGGER moderation_waits_ai AFTER INSERT ON assets WHEN {_DECIDED.format(r='NEW')} "
    f"BEGIN {_sqlite_wait_add('NEW')} END",
    "CREATE TRIGGER moderation_waits_ad AFTER DELETE ON assets WHEN OLD.moderated_at IS NOT NULL "
    "BEGIN DELETE FROM moderation_waits WHERE asset_id = OLD.id; END",
    "CREATE TRIGGER moderation_waits_au AFTER UPDATE OF id, event_id, guest_id, moderated_at, "
    f"created_at ON assets WHEN {_WAIT_CHANGED} BEGIN DELETE FROM moderation_waits WHERE "
    f"asset_id = OLD.id; {_sqlite_wait_add('NEW')} END",
]
_POSTGRES_WAIT_TRIGGERS = [
    f"""
CREATE OR REPLACE FUNCTION albumen_moderation_wait() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    DELETE FROM moderation_waits WHERE asset_id = OLD.id;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND {_DECIDED.format(r='NEW')} THEN
    INSERT INTO moderation_waits (asset_id, event_id, seconds)
    VALUES (NEW.id, NEW.event_id, {_PG_WAIT.format(r='NEW')}) {_WAIT_UPSERT}
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql
""",
    "CREATE TRIGGER moderation_waits_aid AFTER INSERT OR DELETE ON assets "
    "FOR EACH ROW EXECUTE FUNCTION albumen_moderation_wait()",
    "CREATE TRIGGER moderation_waits_au AFTER UPDATE OF id, event_id, guest_id, moderated_at, "
    f"created_at ON assets FOR EACH ROW WHEN ({_WAIT_CHANGED.replace('IS NOT', 'IS DISTINCT FROM')}"
    ") EXECUTE FUNCTION albumen_moderation_wait()",
]
_DROP_WAITS = _drops("moderation_waits", "albumen_moderation_wait")


def install_wait_triggers(conn: Connection) -> None:
    """(Re)create the triggers and compute every decided guest upload's wait again."""
    drop_wait_triggers(conn)
    sqlite = conn.dialect.name == "sqlite"
    _run(conn, _SQLITE_WAIT_TRIGGERS if sqlite else _POSTGRES_WAIT_TRIGGERS)
    wait = (_SQLITE_WAIT if sqlite else _PG_WAIT).format(r="assets")
    _run(conn, [
        "DELETE FROM moderation_waits",
        f"INSERT INTO moderation_waits (asset_id, event_id, seconds) SELECT id, event_id, {wait} "
        f"FROM assets WHERE {_DECIDED.format(r='assets')}",
    ])


def drop_wait_triggers(conn: Connection) -> None:
    _run(conn, _DROP_WAITS[conn.dialect.name])


def install_asset_triggers(conn: Connection, motion: bool = True) -> None:
    """Every trigger on ``assets`` (after SQLite's batch mode rebuilt the table)."""
    install_timeline_triggers(conn, motion)
    install_upload_triggers(conn)
    install_flag_triggers(conn)
    install_wait_triggers(conn)


# Every trigger on SQLite, by name: bulk loads (bench/) drop them, load, then reinstall with
# install_full_text's triggers and install_asset_triggers (which also recount).
SQLITE_TRIGGERS = ("timeline_ai", "timeline_ad", "timeline_au", "search_docs_ai",
                   "search_docs_ad", "search_docs_au", "upload_counts_ai", "upload_counts_ad",
                   "upload_counts_au_old", "upload_counts_au_new", "flag_counts_ai",
                   "flag_counts_ad", "flag_counts_au", "moderation_waits_ai",
                   "moderation_waits_ad", "moderation_waits_au")


# --- counts kept by the activity writer, not by triggers -----------------------------------

def recount_source_histogram(conn: Connection) -> None:
    """``activity_source_hist`` from ``activity_sources`` (insights/activity.py keeps it as it
    writes; after a bulk load or a copy it is counted again here)."""
    _run(conn, [
        "DELETE FROM activity_source_hist",
        "INSERT INTO activity_source_hist (event_id, kind, prefix, n, hours) "
        "SELECT event_id, kind, substr(source, 1, 2), n, count(*) FROM activity_sources "
        "GROUP BY event_id, kind, substr(source, 1, 2), n",
    ])
