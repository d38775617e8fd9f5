"""Workers in real processes: SIGKILL mid-batch loses nothing; interrupted uploads leave
nothing behind."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, func, select, update

from albumen.db.models import Asset, AssetStage, Derivative, Worker
from albumen.runtime import Runtime
from tests import images
from tests.processes import (
    env_for,
    free_port,
    log_tail,
    run_cli,
    run_json,
    spawn,
    wait_for_server,
    wait_until,
)

pytestmark = pytest.mark.slow


def _count(url: str, query) -> int:  # type: ignore[no-untyped-def]
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            return int(conn.execute(query).scalar() or 0)
    finally:
        engine.dispose()


def _states(url: str) -> str:
    """What is left, for the failure message: assets and stages by state."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            assets = conn.execute(select(Asset.state, func.count()).group_by(Asset.state)).all()
            stages = conn.execute(select(AssetStage.stage, AssetStage.state, func.count())
                                  .group_by(AssetStage.stage, AssetStage.state)).all()
            return f"not everything finished: assets {assets}, stages {stages}"
    finally:
        engine.dispose()


def _start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return spawn(env, log, "worker", "--workers", "2", "--worker-type", "process")


def test_sigkill_mid_batch_loses_nothing(tmp_path: Path, db_url: str) -> None:
    n = 24
    env = env_for(tmp_path / "data", db_url, ALBUMEN_JOB_LEASE_SECONDS="3",
                  ALBUMEN_RECONCILE_INTERVAL_SECONDS="1", ALBUMEN_WORKER_HEARTBEAT_SECONDS="1")
    src = tmp_path / "batch"
    for i in range(n):
        images.write(src / f"{i:02d}.jpg", images.jpeg(2400, 1800, seed=100 + i))
    doc = run_json(env, "import", str(src), "--json")  # queued; no worker yet
    assert doc["counts"]["imported"] == n

    ready = select(func.count()).select_from(Asset).where(Asset.state == "ready")
    log = tmp_path / "worker.log"
    first = _start_worker(env, log)
    try:
        assert wait_until(lambda: _count(db_url, ready) >= 3, 120), log_tail(log)
        os.killpg(first.pid, signal.SIGKILL)  # the consumer and its worker processes
        first.wait(10)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    done_at_kill = _count(db_url, ready)
    assert done_at_kill < n, "the batch finished before the kill; make it bigger"

    second = _start_worker(env, log)
    try:
        assert wait_until(lambda: _count(db_url, ready) == n, 180), (
            _states(db_url) + "\n" + log_tail(log))
        second.send_signal(signal.SIGTERM)  # graceful: finishes current work, then exits
        assert second.wait(30) == 0
    finally:
        if second.poll() is None:
            os.killpg(second.pid, signal.SIGKILL)
    assert _count(db_url, select(func.count()).select_from(Derivative)) == 2 * n
    not_done = select(func.count()).select_from(AssetStage).where(AssetStage.state != "done")
    assert _count(db_url, not_done) == 0
    assert _count(db_url, select(func.count()).select_from(Asset)) == n
    # The gracefully stopped worker removed its own row (liveness is judged by heartbeat age,
    # so the killed one's stale row is harmless and pruned by the next worker).
    mine = select(func.count()).select_from(Worker).where(Worker.pid == second.pid)
    assert _count(db_url, mine) == 0


@contextlib.contextmanager
def _server(tmp_path: Path, db_url: str) -> Iterator[tuple[str, int, dict[str, str]]]:
    """`albumen serve --no-workers` with an administrator; yields (base URL, port, auth)."""
    port = free_port()
    env = env_for(tmp_path / "data", db_url)
    run_cli(env, "users", "create", "admin", "--admin", stdin="admin-password-1\n")
    log = tmp_path / "serve.log"
    server = spawn(env, log, "serve", "--port", str(port), "--no-workers")
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(server, f"{base}/health/ready", log)
        token = httpx.post(f"{base}/api/v1/auth/token", data={
            "username": "admin", "password": "admin-password-1"}).json()["access_token"]
        yield base, port, {"Authorization": f"Bearer {token}"}
    finally:
        server.terminate()
        server.wait(10)


def test_interrupted_upload_leaves_nothing(tmp_path: Path, db_url: str) -> None:
    with _server(tmp_path, db_url) as (base, port, auth):
        data = images.jpeg(2000, 1500, seed=7)
        head = (b'--B\r\nContent-Disposition: form-data; name="file"; filename="x.jpg"\r\n'
                b"Content-Type: image/jpeg\r\n\r\n")
        body_len = len(head) + len(data) + len(b"\r\n--B--\r\n")
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(
                b"POST /api/v1/assets HTTP/1.1\r\nHost: x\r\n"
                + f"Authorization: {auth['Authorization']}\r\n".encode()
                + b"Content-Type: multipart/form-data; boundary=B\r\n"
                + f"Content-Length: {body_len}\r\n\r\n".encode()
                + head + data[: len(data) // 2]
            )
        tmp = tmp_path / "data" / "storage" / "tmp"
        assert wait_until(lambda: not tmp.exists() or not any(tmp.iterdir()), 10)
        assert httpx.get(f"{base}/api/v1/assets", headers=auth).json()["items"] == []
        # The server is fine and the same file uploads normally afterwards.
        ok = httpx.post(f"{base}/api/v1/assets", files={"file": ("x.jpg", data)}, headers=auth)
        assert ok.status_code == 201


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def test_dead_worker_processes_are_replaced(tmp_path: Path, db_url: str) -> None:
    """A worker process that dies (OOM killer, segfault in a codec) is replaced by a new one."""
    env = env_for(tmp_path / "data", db_url, ALBUMEN_RECONCILE_INTERVAL_SECONDS="1",
                  ALBUMEN_WORKER_HEARTBEAT_SECONDS="1")
    log = tmp_path / "worker.log"
    worker = _start_worker(env, log)
    try:
        # two worker processes and huey's scheduler process
        assert wait_until(lambda: len(_children(worker.pid)) >= 3, 60), log_tail(log)
        for child in _children(worker.pid):
            os.kill(child, signal.SIGKILL)
        src = tmp_path / "later"
        for i in range(3):
            images.write(src / f"{i}.jpg", images.jpeg(640, 480, seed=300 + i))
        assert run_json(env, "import", str(src), "--json")["counts"]["imported"] == 3
        ready = select(func.count()).select_from(Asset).where(Asset.state == "ready")
        assert wait_until(lambda: _count(db_url, ready) == 3, 60), (
            "dead workers not replaced\n" + log_tail(log))
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(30)
        finally:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)


def test_guest_upload_flood_is_refused_without_harming_others(tmp_path: Path,
                                                             db_url: str) -> None:
    """20 parallel uploads from one guest against a limit of 3 per guest: exactly 3 land
    (the limit holds under concurrency), and another guest uploading meanwhile is unaffected."""
    from concurrent.futures import ThreadPoolExecutor

    with _server(tmp_path, db_url) as (base, _, host):
        event = httpx.post(f"{base}/api/v1/events", headers=host,
                           json={"title": "Flood"}).json()
        link = httpx.post(f"{base}/api/v1/events/{event['id']}/links", headers=host,
                          json={"can_upload": True, "max_uploads_per_guest": 3}).json()
        url = f"{base}/api/v1/share/{link['token']}"
        guests = {}
        for name in ("flood", "calm"):
            r = httpx.put(f"{url}/guest", json={"name": name})
            guests[name] = {"X-Guest-Token": r.headers["x-guest-token"]}

        def upload(args: tuple[str, int]) -> int:
            name, seed = args
            data = images.jpeg(320, 240, seed=seed)
            return httpx.post(f"{url}/assets", headers=guests[name], timeout=60,
                              files={"file": (f"{seed}.jpg", data)}).status_code

        jobs = [("flood", 500 + i) for i in range(20)] + [("calm", 600), ("calm", 601)]
        with ThreadPoolExecutor(max_workers=12) as pool:
            codes = list(pool.map(upload, jobs))
        flood, calm = codes[:20], codes[20:]
        assert sorted(flood) == [201] * 3 + [429] * 17
        assert calm == [201, 201]
        assets = httpx.get(f"{base}/api/v1/assets", headers=host,
                           params={"event_id": event["id"]}).json()["items"]
        assert len(assets) == 5


def test_reconciler_settles_an_asset_whose_worker_died_after_its_last_stage(
        rt: Runtime, tmp_path: Path) -> None:
    """A worker killed between committing an asset's last stage and updating the asset's state
    left it "processing" for ever (nothing was pending, so nothing was queued again)."""
    from albumen.library.importer import import_paths
    from albumen.operations.reconciler import reconcile

    images.write(tmp_path / "in" / "a.jpg", images.jpeg(seed=5))
    report = import_paths(rt, [tmp_path / "in"], None)
    (asset_id,) = report.asset_ids
    with rt.transaction() as session:
        assert session.get(Asset, asset_id).state == "ready"
        session.execute(update(Asset).where(Asset.id == asset_id).values(state="processing"))
    reconcile(rt)
    with rt.session() as session:
        assert session.get(Asset, asset_id).state == "ready"


def test_job_threads_yield_the_cpu_to_requests(tmp_path: Path) -> None:
    """A job thread lowers its own scheduling priority once (requests on other threads keep
    theirs); jobs run inline on a request's thread leave it alone."""
    import threading

    from albumen.config import Settings
    from albumen.jobs.tasks import background_priority

    def niceness_after(settings: Settings) -> tuple[int, int]:
        seen: list[int] = []

        def job() -> None:
            tid = threading.get_native_id()
            background_priority(settings)
            background_priority(settings)  # once per thread, not once per job
            seen.append(os.getpriority(os.PRIO_PROCESS, tid))

        thread = threading.Thread(target=job)
        thread.start()
        thread.join()
        return seen[0], os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    here = os.getpriority(os.PRIO_PROCESS, 0)
    job, caller = niceness_after(Settings(_env_file=None, data_dir=tmp_path, worker_nice=5))
    assert (job, caller) == (min(19, here + 5), here)
    inline = Settings(_env_file=None, data_dir=tmp_path, worker_nice=5, queue_immediate=True)
    assert niceness_after(inline) == (here, here)
