"""Apply Alembic migrations programmatically (on start and from `albumen db upgrade`).

API and worker processes all migrate when they start, possibly at the same moment. On
PostgreSQL they take turns under an advisory lock: the first one upgrades, the others wait
and then find the schema at head. On SQLite the database's write lock already serialises
them (Alembic runs the whole upgrade in one transaction).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
# The pg_advisory_lock key schema changes are made under: "albumen" in ASCII, read as a
# number (any bigint works, as long as every albumen process uses the same one).
MIGRATION_LOCK_KEY = int.from_bytes(b"albumen", "big")

_held = threading.local()  # URLs this thread holds the lock for (it is re-entrant)


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.attributes["url"] = url
    return cfg


@contextmanager
def migration_lock(url: str) -> Iterator[None]:
    """Hold the schema lock of the database at ``url`` for the ``with`` block (waiting for
    it as long as another process holds it). PostgreSQL: a session advisory lock on a
    connection of its own, in autocommit so no transaction stays open while it waits; it is
    released when the block ends, or by the server if this process dies. SQLite: nothing."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    parsed = make_url(url)
    held: set[str] = _held.__dict__.setdefault("urls", set())
    if parsed.get_backend_name() != "postgresql" or url in held:
        yield
        return
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    engine = create_engine(parsed, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            held.add(url)
            try:
                yield
            finally:
                held.discard(url)
                conn.execute(text("SELECT pg_advisory_unlock(:key)"),
                             {"key": MIGRATION_LOCK_KEY})
    finally:
        engine.dispose()


def upgrade(url: str, revision: str = "head") -> None:
    with migration_lock(url):
        command.upgrade(alembic_config(url), revision)


def current_revision(url: str) -> str | None:
    from alembic.runtime.migration import MigrationContext

    from albumen.db.session import engine_for

    with engine_for(url).connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
