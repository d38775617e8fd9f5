"""Shared by the backup, restore, migrate and verify tests: an installation with a bit of
everything in it, fresh databases, and complete dumps of a database and a storage to compare."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import JSON, Text, cast, create_engine, select, text
from sqlalchemy.engine import make_url

from albumen.db.base import Base
from albumen.db.models import (
    Album,
    AlbumAsset,
    ApiKey,
    Asset,
    AssetEmbedding,
    AssetTag,
    AuditEntry,
    Event,
    Face,
    Person,
    SavedSearch,
    Stack,
    Tag,
    User,
)
from albumen.db.session import _ENGINES, engine_for
from albumen.library.importer import import_paths
from albumen.runtime import Runtime, set_runtime
from albumen.search import text_index
from albumen.storage import Storage
from albumen.storage.base import face_crop_key
from tests import images
from tests.conftest import make_settings


def installation(data_dir: Path, db_url: str, **overrides: object) -> Runtime:
    runtime = Runtime(make_settings(data_dir, db_url, **overrides))
    runtime.migrate()
    return runtime


@contextmanager
def current(rt: Runtime) -> Iterator[Runtime]:
    """Make ``rt`` the process's runtime for a while (queued jobs run inline against it)."""
    from albumen import runtime as module

    previous = module._runtime
    set_runtime(rt)
    try:
        yield rt
    finally:
        set_runtime(previous)


@contextmanager
def fresh_pg_database(admin_url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database (dropped afterwards)."""
    name = f"albumen_safety_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        engine = _ENGINES.pop(url, None)
        if engine is not None:
            engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def populate(rt: Runtime, photos: Path, seed: int = 0) -> list[int]:
    """Real photos imported and processed, plus rows of every awkward kind: cyclic foreign keys
    (an event's cover photo, a person's cover face), JSON (nested, JSON null, SQL NULL),
    binary, dates, microseconds, non-ASCII text. Returns the asset ids."""
    images.write(photos / "beach_lisbon.jpg", images.jpeg(
        seed=seed + 1, exif=images.exif_bytes(gps=(38.72, -9.14))))
    images.write(photos / "sub" / "garden.png", images.encode("PNG", seed=seed + 2))
    images.write(photos / "sub" / "night.webp", images.encode("WEBP", seed=seed + 3))
    with current(rt):
        ids = import_paths(rt, [photos]).asset_ids
    assert len(ids) == 3
    with rt.transaction() as s:
        user = User(username=f"anna{seed}", display_name="Anna Ünïcødé ✓", is_admin=True,
                    quota_bytes=2**40, password_hash="$argon2id$x")
        s.add(user)
        s.flush()
        event = Event(owner_id=user.id, title="Wedding", timezone="Europe/Lisbon",
                      cover_asset_id=ids[0],
                      starts_at=datetime(2023, 6, 1, 12, 0, 0, 123456, tzinfo=UTC))
        s.add(event)
        s.flush()
        stack = Stack(owner_id=user.id, cover_asset_id=ids[1])
        person = Person(owner_id=user.id, name="Zoë", birth_date=date(1990, 2, 3))
        s.add_all([stack, person])
        s.flush()
        face = Face(asset_id=ids[0], owner_id=user.id, person_id=person.id, box_x=0.1,
                    box_y=0.2, box_w=0.3, box_h=0.4, confidence=0.987654321012345,
                    embedding=np.linspace(-1, 1, 128, dtype=np.float32).tobytes())
        s.add(face)
        s.flush()
        face.crop_key = face_crop_key(ids[0], face.id)
        rt.storage.put_bytes(face.crop_key, b"RIFF-not-really-a-webp-crop")
        person.cover_face_id = face.id
        s.add(AuditEntry(action="test", actor_user_id=user.id,
                         details={"nested": {"z": 1, "a": [1.5, None, "é"]}, "n": None}))
        s.add(AuditEntry(action="test-null", details=None))
        s.add(ApiKey(user_id=user.id, name="key", prefix="abc", secret_hash="x" * 64,
                     scopes=["read", "write"]))
        s.add(AssetEmbedding(asset_id=ids[0], model="test", dim=4,
                             vector=bytes(range(256)) * 2))
        album = Album(owner_id=user.id, title="Best of")
        tag = Tag(name=f"sunset{seed}")
        s.add_all([album, tag])
        s.flush()
        s.add(AlbumAsset(album_id=album.id, asset_id=ids[1]))
        s.add(AssetTag(asset_id=ids[0], tag_id=tag.id, source="user", confidence=0.5))
        s.add(SavedSearch(owner_id=user.id, title="Beaches", query="beach after:2023"))
        asset = s.get(Asset, ids[2])
        assert asset is not None
        asset.event_id, asset.stack_id = event.id, stack.id
        asset.keywords = ["kw1", "Ünïcode"]
        s.flush()
        text_index.refresh(s, ids)
    return ids


def dump_db(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (JSON columns as their stored text), in primary-key order.
    Worker heartbeats are left out; so are trigger-kept counts that dropped to zero."""
    out = {}
    with engine_for(url).connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name == "workers":
                continue
            cols = [cast(c, Text) if isinstance(c.type, JSON) else c for c in table.columns]
            rows = [tuple(r) for r in conn.execute(select(*cols))]
            if table.name in ("timeline_counts", "upload_counts"):
                rows = [r for r in rows if r[-1]]
            pk = [i for i, c in enumerate(table.columns) if c.primary_key]
            out[table.name] = sorted(rows, key=lambda r: [str(r[i]) for i in pk])
    return out


def dump_storage(storage: Storage) -> dict[str, bytes]:
    out = {}
    for key in storage.keys(""):
        with storage.open(key) as fh:
            out[key] = fh.read()
    return out


def local_file(rt: Runtime, key: str) -> Path:
    path = rt.settings.data_dir / "storage" / key
    assert path.is_file(), key
    return path
