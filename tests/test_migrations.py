"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

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


def test_rebuilding_assets_on_sqlite_keeps_what_refers_to_them(tmp_path: Path) -> None:
    """Migration 0021 rebuilds ``assets`` (SQLite's batch mode: copy, drop, rename). With
    foreign keys enforced, the drop deleted every asset's stages, derivatives and faces by
    cascade; migrations now run with them off and check the references before committing."""
    from alembic import command
    from sqlalchemy import text

    from albumen.db.migrate import alembic_config
    from albumen.db.session import make_engine

    url = f"sqlite:///{tmp_path / 'old.db'}"
    cfg = alembic_config(url)
    command.upgrade(cfg, "0020")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO assets (id, sha256, size, media_type, mime_type, format, storage_key, "
            "original_filename, created_at, updated_at, state, sort_at, favorite, local_at, "
            "scope, moderation) VALUES (1, 'a', 1, 'image', 'image/jpeg', 'jpeg', 'k', 'f.jpg', "
            "'2024-01-01', '2024-01-01', 'ready', '2024-01-01', 0, '2024-01-01', 'u0', "
            "'approved')"))
        conn.execute(text("INSERT INTO asset_stages (asset_id, stage, state, attempts, "
                          "transient, auto_retries) VALUES (1, 'metadata', 'done', 1, 0, 0)"))
        conn.execute(text("INSERT INTO derivatives (asset_id, kind, storage_key, mime_type, "
                          "width, height, size, etag, created_at) VALUES (1, 'thumbnail', 't', "
                          "'image/webp', 1, 1, 1, 'e', '2024-01-01')"))
    engine.dispose()

    def rows() -> tuple[int, int, int, int]:
        engine = make_engine(url)
        with engine.connect() as conn:
            counts = tuple(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                           for t in ("assets", "asset_stages", "derivatives", "timeline_counts"))
            assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        engine.dispose()
        return counts  # type: ignore[return-value]

    command.upgrade(cfg, "head")
    assert rows() == (1, 1, 1, 1)
    command.downgrade(cfg, "0020")
    assert rows() == (1, 1, 1, 1)
