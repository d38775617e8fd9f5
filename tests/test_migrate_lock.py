"""Processes that start together on an empty PostgreSQL database all migrate it: they take
turns under an advisory lock, so every one succeeds and the schema is built once."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from albumen.db.migrate import alembic_config, current_revision
from tests.datasafety import fresh_pg_database

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

PROCESSES = 3


def _migrate(how: str, url: str, data_dir: str, start: Any, outcomes: Any) -> None:
    """One starting process (spawned: a fresh interpreter, like an API or worker start)."""
    from albumen.db.migrate import upgrade
    from albumen.runtime import Runtime
    from tests.conftest import make_settings

    start.wait(timeout=120)  # all of them at once
    try:
        if how == "upgrade":
            upgrade(url)
        else:
            Runtime(make_settings(Path(data_dir), url)).migrate()
    except Exception as exc:
        outcomes.put(f"{type(exc).__name__}: {exc}"[:2000])
    else:
        outcomes.put("ok")


@pytest.mark.parametrize("how", ["upgrade", "runtime"])
def test_processes_migrating_at_once_take_turns(how: str, pg_admin_url: str,
                                                tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    with fresh_pg_database(pg_admin_url) as url:
        start, outcomes = ctx.Barrier(PROCESSES), ctx.Queue()
        processes = [ctx.Process(target=_migrate,
                                 args=(how, url, str(tmp_path / str(n)), start, outcomes))
                     for n in range(PROCESSES)]
        for process in processes:
            process.start()
        try:
            results = [outcomes.get(timeout=300) for _ in processes]
        finally:
            for process in processes:
                process.join(timeout=60)
                if process.is_alive():
                    process.kill()
        assert results == ["ok"] * PROCESSES, results

        head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
        assert current_revision(url) == head
        engine = create_engine(url)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).all() == [
                (head,)]
        engine.dispose()
