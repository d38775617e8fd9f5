"""`albumen migrate`: an installation moved to another backend and storage, interrupted and
resumed, checked row for row and byte for byte; the source is never touched."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import pytest
from sqlalchemy import inspect

from albumen.db.models import Asset, User
from albumen.db.session import engine_for
from albumen.errors import Conflict, InvalidInput
from albumen.library.importer import import_paths
from albumen.operations.backup import backup
from albumen.operations.restore import restore
from albumen.operations.transfer import MARKER, migrate_installation
from albumen.operations.verify import verify
from albumen.runtime import Runtime
from albumen.search import text_index
from tests import images
from tests.conftest import s3_settings
from tests.datasafety import (
    current,
    dump_db,
    dump_storage,
    fresh_pg_database,
    installation,
    populate,
)
from tests.processes import env_for, run_cli


class Interrupted(Exception):
    pass


def _after(n: int) -> object:
    """A hook that raises on its n-th call (a crash at that point of the migration)."""
    calls = [0]

    def hook(_name: str) -> None:
        calls[0] += 1
        if calls[0] == n:
            raise Interrupted

    return hook


@contextmanager
def _other_database(rt: Runtime, tmp_path: Path, request: pytest.FixtureRequest
                    ) -> Iterator[str]:
    if rt.database_url.startswith("sqlite"):
        with fresh_pg_database(request.getfixturevalue("pg_admin_url")) as url:
            yield url
    else:
        with nullcontext(f"sqlite:///{tmp_path / 'target.db'}") as url:
            yield url


@pytest.mark.slow
def test_migrate_to_the_other_backend_resumes_after_interruptions(
        rt: Runtime, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    ids = populate(rt, tmp_path / "photos")
    source_db, source_files = dump_db(rt.database_url), dump_storage(rt.storage)
    storage_url = f"file://{tmp_path / 'target-storage'}"
    with _other_database(rt, tmp_path, request) as url:
        # killed in the middle of the tables (batches of 2 rows), then in the middle of objects
        with pytest.raises(Interrupted):
            migrate_installation(rt, url, storage_url, batch=2, on_batch=_after(7))
        with engine_for(url).connect() as conn:
            assert inspect(conn).has_table(MARKER)
        with pytest.raises(Interrupted):
            migrate_installation(rt, url, storage_url, batch=2, on_object=_after(3))
        report = migrate_installation(rt, url, storage_url, batch=2)

        assert report["ok"] and report["resumed"], report["problems"]
        assert report["objects"]["already_present"] == 3  # copied before the interruption
        assert report["objects"]["copied"] + 3 == len(source_files)
        assert report["objects"]["originals_hashed"] == 3
        assert all(t["content_matches"] for t in report["tables"].values())
        assert report["switch"] == {"ALBUMEN_DATABASE_URL": url,
                                    "ALBUMEN_STORAGE_URL": storage_url}
        assert dump_db(url) == source_db
        target = installation(tmp_path / "t", url, storage_url=storage_url)
        assert dump_storage(target.storage) == source_files
        with engine_for(url).connect() as conn:
            assert not inspect(conn).has_table(MARKER)
        with target.session() as s:
            dialect = s.get_bind().dialect.name
            assert list(s.scalars(text_index.matching_ids(
                dialect, [text_index.query_term("beach")]))) == [ids[0]]
        with current(target):
            new = import_paths(target, [images.write(tmp_path / "n.jpg", images.jpeg(seed=8))])
        assert new.asset_ids[0] == max(ids) + 1
        with target.session() as s:
            assert s.get(Asset, new.asset_ids[0]).state == "ready"

        # the source was only read
        assert dump_db(rt.database_url) == source_db
        assert dump_storage(rt.storage) == source_files

        # done: the target is now an installation of its own, and a second run refuses it
        with pytest.raises(Conflict, match="not empty"):
            migrate_installation(rt, url, storage_url)


def test_migrate_refuses_targets_that_are_not_its_own(rt: Runtime, tmp_path: Path) -> None:
    populate(rt, tmp_path / "photos")
    other = installation(tmp_path / "other", f"sqlite:///{tmp_path / 'other.db'}")
    with other.transaction() as s:
        s.add(User(username="somebody"))
    storage_url = f"file://{tmp_path / 'target-storage'}"
    with pytest.raises(Conflict, match=r"target database is not empty \(1 users\)"):
        migrate_installation(rt, other.database_url, storage_url)

    (tmp_path / "target-storage" / "originals").mkdir(parents=True)
    (tmp_path / "target-storage" / "originals" / "x").write_bytes(b"x")
    with pytest.raises(Conflict, match="target storage is not empty"):
        migrate_installation(rt, f"sqlite:///{tmp_path / 'new.db'}", storage_url)

    # a partial migration of another installation is not this one's to continue
    third = installation(tmp_path / "third", f"sqlite:///{tmp_path / 'third.db'}")
    populate(third, tmp_path / "photos3", seed=5)
    with pytest.raises(Interrupted):
        migrate_installation(third, f"sqlite:///{tmp_path / 'shared.db'}",
                             f"file://{tmp_path / 's2'}", on_batch=_after(1))
    with pytest.raises(Conflict, match="unfinished migration from another installation"):
        migrate_installation(rt, f"sqlite:///{tmp_path / 'shared.db'}",
                             f"file://{tmp_path / 's2'}")

    with pytest.raises(InvalidInput, match="own database"):
        migrate_installation(rt, rt.database_url, f"file://{tmp_path / 's3'}")
    with pytest.raises(InvalidInput, match="own storage"):
        migrate_installation(rt, f"sqlite:///{tmp_path / 'n2.db'}",
                             rt.settings.effective_storage_url)


def test_migrate_into_s3_then_verify_and_back_up_there(tmp_path: Path, s3_server: str,
                                                       s3_bucket: str) -> None:
    """Storage-neutral: the same commands on S3 (moto's server, over HTTP)."""
    s3 = s3_settings(s3_server, s3_bucket)
    local = {k: v for k, v in s3.items() if k != "storage_url"}
    source = installation(tmp_path / "src", f"sqlite:///{tmp_path / 'src.db'}", **local)
    populate(source, tmp_path / "photos")
    files = dump_storage(source.storage)
    target_db = f"sqlite:///{tmp_path / 'dst.db'}"
    with pytest.raises(Interrupted):
        migrate_installation(source, target_db, str(s3["storage_url"]), on_object=_after(2))
    report = migrate_installation(source, target_db, str(s3["storage_url"]))
    assert report["ok"] and report["objects"]["already_present"] == 2, report["problems"]

    on_s3 = installation(tmp_path / "dst", target_db, **s3)
    assert dump_storage(on_s3.storage) == files
    assert verify(on_s3, full=True)["ok"]
    backup(on_s3, tmp_path / "bk", full=True)
    back = installation(tmp_path / "back", f"sqlite:///{tmp_path / 'back.db'}")
    assert restore(back, tmp_path / "bk")["problems"] == []
    assert dump_storage(back.storage) == files
    assert dump_db(back.database_url) == dump_db(source.database_url)


@pytest.mark.slow
def test_migrate_command_prints_the_settings_to_switch(tmp_path: Path) -> None:
    env = env_for(tmp_path / "data", f"sqlite:///{tmp_path / 'a.db'}")
    images.write(tmp_path / "in" / "a.jpg", images.jpeg(seed=6))
    run_cli(env, "import", str(tmp_path / "in"), "--wait", "--json")
    target_db, target_storage = f"sqlite:///{tmp_path / 'b.db'}", f"file://{tmp_path / 'b'}"
    human = run_cli(env, "migrate", "--database", target_db, "--storage", target_storage)
    assert f"ALBUMEN_DATABASE_URL={target_db}" in human.stdout
    assert f"ALBUMEN_STORAGE_URL={target_storage}" in human.stdout
    again = run_cli(env, "migrate", "--database", target_db, "--storage", target_storage,
                    "--json", check=False)
    assert again.returncode == 1 and json.loads(again.stdout)["error"]["code"] == "conflict"
    switched = env_for(tmp_path / "data", target_db, ALBUMEN_STORAGE_URL=target_storage)
    listing = json.loads(run_cli(switched, "assets", "list", "--json").stdout)
    assert [a["original_filename"] for a in listing["items"]] == ["a.jpg"]
