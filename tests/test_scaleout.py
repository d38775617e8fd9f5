"""The scaled-out deployment in real processes: one API process, two worker processes,
PostgreSQL, Redis and S3 (moto's server) — chosen by configuration only. 200 photos arrive
(half uploaded over the API, half imported); one worker is killed with SIGKILL mid-way; the
other finishes everything with nothing lost and nothing duplicated."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, func, select, text

from albumen.db.models import Asset, AssetStage, Derivative
from tests import images
from tests.conftest import s3_client, s3_settings
from tests.processes import (
    env_for,
    free_port,
    run_cli,
    run_json,
    spawn,
    wait_for_server,
    wait_until,
)
from tests.test_workers import _count, _states

pytestmark = pytest.mark.slow
N = 200


@pytest.fixture
def fresh_pg(pg_admin_url: str, worker_id: str) -> Iterator[str]:
    """An empty PostgreSQL database of this test's own (migrated by the processes)."""
    name = f"albumen_scaleout_{worker_id}_{os.getpid()}"
    admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    from sqlalchemy.engine import make_url

    yield make_url(pg_admin_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return spawn(env, log, "worker", "--queues", "media,ml", "--concurrency", "1",
                 "--worker-type", "process")


@contextlib.contextmanager
def _running(*procs: subprocess.Popen[bytes]) -> Iterator[None]:
    try:
        yield
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)


def test_api_two_workers_postgres_redis_s3_survive_a_killed_worker(
        tmp_path: Path, fresh_pg: str, redis_url: str, queue_prefix: str, s3_server: str,
        s3_bucket: str) -> None:
    s3 = s3_settings(s3_server, s3_bucket, prefix="photos")
    env = env_for(
        tmp_path / "data", fresh_pg, ALBUMEN_QUEUE_URL=redis_url,
        ALBUMEN_QUEUE_PREFIX=queue_prefix, ALBUMEN_IN_PROCESS_WORKERS="false",
        ALBUMEN_JOB_LEASE_SECONDS="3", ALBUMEN_RECONCILE_INTERVAL_SECONDS="1",
        ALBUMEN_WORKER_HEARTBEAT_SECONDS="1",
        **{f"ALBUMEN_{k.upper()}": str(v) for k, v in s3.items()})
    run_cli(env, "db", "upgrade")
    run_cli(env, "users", "create", "admin", "--admin", stdin="admin-password-1\n")
    port = free_port()
    api = spawn(env, tmp_path / "serve.log", "serve", "--port", str(port))
    base = f"http://127.0.0.1:{port}"
    ready = select(func.count()).select_from(Asset).where(Asset.state == "ready")
    with _running(api):
        wait_for_server(api, f"{base}/health/ready", tmp_path / "serve.log")
        token = httpx.post(f"{base}/api/v1/auth/token", data={
            "username": "admin", "password": "admin-password-1"}).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        photos = [images.jpeg(320, 240, seed=1000 + i) for i in range(N)]
        with httpx.Client(base_url=base, headers=auth, timeout=60) as client:
            for i, data in enumerate(photos[: N // 2]):
                response = client.post("/api/v1/assets", files={"file": (f"up{i}.jpg", data)})
                assert response.status_code == 201, response.text
        folder = tmp_path / "import"
        for i, data in enumerate(photos[N // 2:]):
            (folder / f"im{i}.jpg").parent.mkdir(exist_ok=True)
            (folder / f"im{i}.jpg").write_bytes(data)
        assert run_json(env, "import", str(folder), "--json")["counts"]["imported"] == N // 2
        assert _count(fresh_pg, ready) == 0  # all of it waits in Redis for the workers
        first, second = (_worker(env, tmp_path / f"worker-{i}.log") for i in (1, 2))
        with _running(first, second):
            _finish(env, fresh_pg, base, auth, photos, first, second, s3_server, s3_bucket)


def _finish(env: dict[str, str], fresh_pg: str, base: str, auth: dict[str, str],
        photos: list[bytes], first: subprocess.Popen[bytes],
        second: subprocess.Popen[bytes], s3_server: str, s3_bucket: str) -> None:
    ready = select(func.count()).select_from(Asset).where(Asset.state == "ready")
    assert wait_until(lambda: _count(fresh_pg, ready) >= 20, 120), _states(fresh_pg)
    os.killpg(first.pid, signal.SIGKILL)  # the consumer and its worker processes
    first.wait(10)
    assert _count(fresh_pg, ready) < N, "everything finished before the kill"

    assert wait_until(lambda: _count(fresh_pg, ready) == N, 300), _states(fresh_pg)
    # A batch of model stages takes other assets' stages with it; their own messages (and the
    # reconciler's copies of the killed worker's) are left for the worker to drop as done.
    assert wait_until(lambda: httpx.get(f"{base}/api/v1/status", headers=auth).json()[
        "queue"]["depth"] == 0, 60)
    second.send_signal(signal.SIGTERM)
    assert second.wait(60) == 0

    # Nothing lost, nothing twice: rows, stages, queue and objects all add up exactly.
    assert _count(fresh_pg, select(func.count()).select_from(Asset)) == N
    assert _count(fresh_pg, select(func.count(func.distinct(Asset.sha256)))) == N
    assert _count(fresh_pg, select(func.count()).select_from(Derivative)) == 2 * N
    assert _count(fresh_pg, select(func.count()).select_from(AssetStage).where(
        AssetStage.state != "done")) == 0
    status = httpx.get(f"{base}/api/v1/status", headers=auth).json()
    assert status["assets"]["ready"] == N and status["queue"]["depth"] == 0
    listed = s3_client(s3_server).get_paginator("list_objects_v2").paginate(
        Bucket=s3_bucket, Prefix="photos/")
    keys = [item["Key"] for page in listed for item in page.get("Contents", [])]
    assert len([k for k in keys if k.startswith("photos/originals/")]) == N
    assert len([k for k in keys if k.startswith("photos/derivatives/")]) == 2 * N
    assert not [k for k in keys if k.startswith(("photos/tmp/", "photos/purging/"))]
    assert not Path(env["ALBUMEN_DATA_DIR"], "storage").exists()  # nothing on local disk
    # The API serves what the workers made, from S3.
    asset = httpx.get(f"{base}/api/v1/assets?limit=1", headers=auth).json()["items"][0]
    thumb = httpx.get(f"{base}{asset['links']['thumbnail']}", headers=auth)
    assert thumb.status_code == 200 and thumb.content[:4] == b"RIFF"
    original = httpx.get(f"{base}{asset['links']['original']}", headers=auth)
    assert original.content in photos


def _alive(pid: str) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except FileNotFoundError:
        return False


def test_serve_runs_several_api_processes_on_one_port(tmp_path: Path) -> None:
    """`albumen serve --processes 2`: two API processes answer on one port (each builds its
    app from the settings), and SIGTERM stops them all."""
    env = env_for(tmp_path / "data", f"sqlite:///{tmp_path / 'albumen.db'}")
    run_cli(env, "users", "create", "admin", "--admin", stdin="admin-password-1\n")
    port = free_port()
    log = tmp_path / "serve.log"
    server = spawn(env, log, "serve", "--port", str(port), "--processes", "2", "--no-workers")
    base = f"http://127.0.0.1:{port}"
    with _running(server):
        wait_for_server(server, f"{base}/health/ready", log)
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        serving = [pid for pid in children if "resource_tracker" not in Path(
            f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")]
        assert len(serving) == 2
        token = httpx.post(f"{base}/api/v1/auth/token", data={
            "username": "admin", "password": "admin-password-1"}).json()["access_token"]
        for _ in range(10):  # whichever process answers, the same data and the same tokens
            listed = httpx.get(f"{base}/api/v1/assets", headers={
                "Authorization": f"Bearer {token}"})
            assert listed.status_code == 200 and listed.json()["items"] == []
        server.send_signal(signal.SIGTERM)
        assert server.wait(30) == 0
        assert wait_until(lambda: not any(_alive(pid) for pid in children), 15)


def test_api_processes_of_one_serve_share_one_worker_host(tmp_path: Path) -> None:
    """`serve --processes 2` with in-process workers: one of its processes runs them (the
    holder of <data dir>/serve-workers.lock), the other serves requests only — one heartbeat,
    and a photo uploaded through either is processed."""
    from albumen.worker.host import claim_in_process_workers

    env = env_for(tmp_path / "data", f"sqlite:///{tmp_path / 'albumen.db'}")
    run_cli(env, "users", "create", "admin", "--admin", stdin="admin-password-1\n")
    port = free_port()
    log = tmp_path / "serve.log"
    server = spawn(env, log, "serve", "--port", str(port), "--processes", "2")
    base = f"http://127.0.0.1:{port}"
    db = f"sqlite:///{tmp_path / 'albumen.db'}"
    with _running(server):
        wait_for_server(server, f"{base}/health/ready", log)
        token = httpx.post(f"{base}/api/v1/auth/token", data={
            "username": "admin", "password": "admin-password-1"}).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        for seed in range(4):
            r = httpx.post(f"{base}/api/v1/assets", headers=auth, files={
                "file": (f"{seed}.jpg", images.jpeg(320, 240, seed=seed), "image/jpeg")})
            assert r.status_code == 201, r.text
        assert wait_until(lambda: _count(db, select(func.count()).select_from(Asset)
                                         .where(Asset.state == "ready")) == 4, 60)
        assert _count(db, text("SELECT COUNT(*) FROM workers")) == 1
        assert claim_in_process_workers(tmp_path / "data") is None  # held by the server
        server.send_signal(signal.SIGTERM)
        assert server.wait(30) == 0
    claim = claim_in_process_workers(tmp_path / "data")  # let go when it stopped
    assert claim is not None
    claim.close()
