"""Alembic environment: the URL comes from the caller (albumen.db.migrate) or settings."""

from __future__ import annotations

from alembic import context

from albumen.db import models  # noqa: F401  (registers tables on the metadata)
from albumen.db.base import Base
from albumen.db.session import make_engine

config = context.config


def _url() -> str:
    url = config.attributes.get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        from albumen.config import get_settings

        url = get_settings().effective_database_url
    return url


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(_url())
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _ours(obj, name, type_, reflected, compare_to) -> bool:  # type: ignore[no-untyped-def]
    """Leave out what migration 0008 builds by hand: the FTS5 tables and the tsvector."""
    if type_ == "table" and name and name.startswith("asset_fts"):
        return False
    return not (type_ == "column" and name == "tsv")


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Batch mode rebuilds a table (copy, drop, rename): with foreign keys enforced, the
        # drop would first delete its rows and cascade to every table referring to it (an
        # asset's stages, derivatives, faces…). The pragma only takes effect outside a
        # transaction, so it is set before the migrations' transaction begins, and the
        # references are checked before it commits.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()  # (SQLAlchemy began a transaction for it; none is open in SQLite)
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=_ours,
    )
    try:
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"the migrated database breaks {len(broken)} "
                                       f"references, first {broken[0]}: rolled back")
    finally:
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
