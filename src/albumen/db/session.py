"""Engine and session factories (built on demand, never at import time)."""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


_INDEX_HINT = re.compile(r"/\* index (\w+) \*/ ?")


def _sqlite_index_hint(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
    """``/* index NAME */`` in a query (Select.prefix_with) becomes SQLite's ``INDEXED BY``
    on its main ``FROM assets`` (``/* index none */``: ``NOT INDEXED``, rowid lookups only).
    SQLite's planner cannot know that a LIMIT with a broad filter is met after a few rows of
    the timeline index; PostgreSQL's statistics can, and it ignores the comment."""
    match = _INDEX_HINT.search(statement)
    if match:
        hint = "NOT INDEXED" if match[1] == "none" else f"INDEXED BY {match[1]}"
        statement = statement[:match.start()] + statement[match.end():]
        statement = statement.replace("FROM assets", f"FROM assets {hint}", 1)
    return statement, parameters


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "before_cursor_execute", _sqlite_index_hint, retval=True)
        return engine
    if parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


_ENGINES: dict[str, Engine] = {}


def engine_for(url: str) -> Engine:
    engine = _ENGINES.get(url)
    if engine is None:
        engine = _ENGINES.setdefault(url, make_engine(url))
    return engine


def forget_engine(url: str) -> None:
    """Close the pooled connections to ``url`` and forget its engine (before its database
    file is removed; a later use builds a new one)."""
    engine = _ENGINES.pop(url, None)
    if engine is not None:
        engine.dispose()
    session_factory.cache_clear()


@lru_cache(maxsize=8)
def session_factory(url: str) -> sessionmaker[Session]:
    return sessionmaker(engine_for(url), expire_on_commit=False)


def _forget_engines_after_fork() -> None:
    # A forked worker must not reuse its parent's pooled connections.
    for engine in list(_ENGINES.values()):
        engine.dispose(close=False)
    _ENGINES.clear()
    session_factory.cache_clear()


os.register_at_fork(after_in_child=_forget_engines_after_fork)
