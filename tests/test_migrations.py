"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from albumen.db import models  # noqa: F401  (registers every table on Base.metadata)
from albumen.db.base import Base
from albumen.db.session import engine_for

# Created by raw DDL (db/search_ddl.py), not by the models: the full-text machinery.
DDL_ONLY = ("asset_fts", "search_fts", "asset_vectors", "alembic_version", "'tsv'")


def _relevant(diff: object) -> bool:
    text = repr(diff)
    return not any(name in text for name in DDL_ONLY)


def test_models_match_migrations(db_url: str) -> None:
    with engine_for(db_url).connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        diffs = [d for d in compare_metadata(context, Base.metadata) if _relevant(d)]
    assert diffs == [], diffs


def test_the_list_of_sqlite_triggers_is_complete(tmp_path: object) -> None:
    """Bulk loads drop the triggers by this list and reinstall them: it must name them all."""
    import sqlite3
    from pathlib import Path

    from albumen.db import search_ddl
    from albumen.db.migrate import upgrade

    path = Path(str(tmp_path)) / "t.db"
    upgrade(f"sqlite:///{path}")
    names = {r[0] for r in sqlite3.connect(path).execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert names == set(search_ddl.SQLITE_TRIGGERS)
