"""Fixtures: every test that touches the database runs on SQLite and again on PostgreSQL.

PostgreSQL: the server at 127.0.0.1:5432 (user postgres, trust auth) or one started from the
`pgserver` package when installed. Where neither exists the PostgreSQL variants are skipped with
the reason printed — except in CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from albumen.config import Settings
from albumen.runtime import Runtime, set_runtime

PG_HOST_URL = os.environ.get(
    "ALBUMEN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
IN_CI = os.environ.get("CI", "").lower() == "true"


def _postgres_admin_url() -> str | None:
    import psycopg

    plain = PG_HOST_URL.replace("postgresql+psycopg://", "postgresql://")
    try:
        psycopg.connect(plain, connect_timeout=3).close()
        return PG_HOST_URL
    except psycopg.OperationalError:
        pass
    try:
        import pgserver  # type: ignore[import-not-found]
    except ImportError:
        return None
    server = pgserver.get_server(Path.home() / ".cache" / "albumen-test-pg", cleanup_mode=None)
    return server.get_uri().replace("postgresql://", "postgresql+psycopg://")


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    url = _postgres_admin_url()
    if url is None:
        reason = ("PostgreSQL not reachable at 127.0.0.1:5432 and pgserver not installed; "
                  "PostgreSQL variants skipped")
        if IN_CI:
            pytest.fail(reason + " (not allowed in CI)")
        print(f"\nSKIP: {reason}")
        pytest.skip(reason)
    return url


@pytest.fixture(scope="session")
def pg_url(pg_admin_url: str, worker_id: str) -> Iterator[str]:
    """A migrated database for this xdist worker, dropped at the end."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    from albumen.db.migrate import upgrade

    name = f"albumen_test_{worker_id}_{os.getpid()}"
    admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(pg_admin_url).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    yield url
    from albumen.db.session import _ENGINES

    engine = _ENGINES.pop(url, None)
    if engine is not None:
        engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from albumen.db.migrate import upgrade

    path = tmp_path_factory.mktemp("template") / "albumen.db"
    upgrade(f"sqlite:///{path}")
    return path


def _truncate_all(url: str) -> None:
    from albumen.db.base import Base
    from albumen.db.session import engine_for

    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine_for(url).begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "albumen.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("pg_url")
    _truncate_all(url)
    return url


def make_settings(data_dir: Path, db_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "data_dir": data_dir,
        "database_url": db_url,
        "queue_immediate": True,
        "backup_interval_hours": 0,  # scheduled backups are tested where they are meant
        "in_process_workers": False,
        # AI stages run in the tests that are about them (tests/test_faces.py, ...)
        "enrichments": "",
        # Hundreds of accounts are made and signed in: RFC 9106's cost is 0.2-0.4 s each.
        "password_hash": "cheapest",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def rt(tmp_path: Path, db_url: str) -> Iterator[Runtime]:
    runtime = Runtime(make_settings(tmp_path / "data", db_url))
    runtime.migrate()
    set_runtime(runtime)
    yield runtime
    set_runtime(None)


@pytest.fixture
def app_client(tmp_path: Path, db_url: str) -> Iterator[Callable[..., TestClient]]:
    """Make a logged-in admin client on a runtime with settings overridden (the runtime is
    also the process's, so queued jobs run against it)."""
    from albumen.api.app import create_app

    stack = contextlib.ExitStack()

    def make(**overrides: object) -> TestClient:
        runtime = Runtime(make_settings(tmp_path / "data", db_url, **overrides))
        set_runtime(runtime)
        c = stack.enter_context(TestClient(create_app(runtime, start_workers=False)))
        c.post("/api/v1/setup", json={"username": "admin", "password": ADMIN_PASSWORD})
        c.headers["Authorization"] = bearer(c, "admin", ADMIN_PASSWORD)
        return c

    with stack:
        yield make
    set_runtime(None)


@pytest.fixture
def client(rt: Runtime) -> Iterator[TestClient]:
    """An API client logged in as the administrator ("admin", password ADMIN_PASSWORD)."""
    from albumen.api.app import create_app

    with TestClient(create_app(rt, start_workers=False)) as test_client:
        created = test_client.post("/api/v1/setup",
                                   json={"username": "admin", "password": ADMIN_PASSWORD})
        assert created.status_code == 201, created.text
        test_client.headers["Authorization"] = bearer(test_client, "admin", ADMIN_PASSWORD)
        yield test_client


ADMIN_PASSWORD = "admin-password-1"


def bearer(client: TestClient, username: str, password: str) -> str:
    """Log in with the OAuth2 password flow; returns the Authorization header value."""
    response = client.post("/api/v1/auth/token",
                           data={"username": username, "password": password},
                           headers={"Authorization": ""})
    assert response.status_code == 200, response.text
    return f"Bearer {response.json()['access_token']}"


# ---------------------------------------------------------------- S3 (moto's real server)

S3_CREDENTIALS = {"aws_access_key_id": "albumen-test", "aws_secret_access_key": "albumen-test",
                  "region_name": "us-east-1"}


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    """An S3-compatible HTTP server (moto's, in a thread of this process) on a free port;
    returns its endpoint URL. Clients reach it over real HTTP like any S3 service."""
    import logging
    import socket

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def s3_client(endpoint: str) -> Any:
    import boto3

    return boto3.client("s3", endpoint_url=endpoint, **S3_CREDENTIALS)


@pytest.fixture
def s3_bucket(s3_server: str) -> Iterator[str]:
    """A fresh, empty bucket for this test (emptied and removed afterwards)."""
    import uuid

    client = s3_client(s3_server)
    name = f"test-{uuid.uuid4().hex[:20]}"
    client.create_bucket(Bucket=name)
    yield name
    for upload in client.list_multipart_uploads(Bucket=name).get("Uploads", []):
        client.abort_multipart_upload(Bucket=name, Key=upload["Key"], UploadId=upload["UploadId"])
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=name):
        for item in page.get("Contents", []):
            client.delete_object(Bucket=name, Key=item["Key"])
    client.delete_bucket(Bucket=name)


def s3_settings(endpoint: str, bucket: str, prefix: str = "albumen") -> dict[str, object]:
    """Settings overrides that put a runtime's storage in ``bucket`` on the test server."""
    return {"storage_url": f"s3://{bucket}/{prefix}", "s3_endpoint_url": endpoint,
            "s3_access_key_id": S3_CREDENTIALS["aws_access_key_id"],
            "s3_secret_access_key": S3_CREDENTIALS["aws_secret_access_key"],
            "s3_region": S3_CREDENTIALS["region_name"]}


# ---------------------------------------------------------------- Redis

REDIS_URL = os.environ.get("ALBUMEN_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture(scope="session")
def redis_url() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        reason = f"Redis not reachable at {REDIS_URL} ({exc}); Redis queue tests skipped"
        if IN_CI:
            pytest.fail(reason + " (not allowed in CI)")
        print(f"\nSKIP: {reason}")
        pytest.skip(reason)
    return REDIS_URL


@pytest.fixture
def queue_prefix(redis_url: str) -> Iterator[str]:
    """A prefix of this test's own, so parallel tests never see each other's jobs; its keys
    are removed afterwards."""
    import redis

    prefix = f"albumen-test-{uuid.uuid4().hex[:10]}"
    yield prefix
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)


# ---------------------------------------------------------------- real face photos

# The sample images inside insightface's source package (`make test-data`).
FACES = Path(__file__).resolve().parent.parent / ".venv" / "test-data" / "faces"


@pytest.fixture(scope="session")
def group_photo() -> Any:
    """t1.jpg: six different people (skipped with the reason when missing; never in CI)."""
    from PIL import Image

    path = FACES / "t1.jpg"
    if not path.exists():
        reason = f"face photos missing ({path}); run `make test-data`"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return Image.open(path).convert("RGB")
