"""The job queues on Redis: named queues (media, ml), workers that take only some of them and
hand an asset over at the other queue's stages, per-queue depth, bad configuration."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from albumen.config import Settings
from albumen.db.models import Asset, AssetStage
from albumen.runtime import Runtime
from albumen.worker.host import parse_queues
from tests import images
from tests.processes import env_for, run_cli, run_json, spawn, wait_until
from tests.test_workers import _count, _states


def test_redis_queue_depth_per_queue(tmp_path: Path, redis_url: str, queue_prefix: str) -> None:
    queue = Runtime(Settings(data_dir=tmp_path, queue_url=redis_url,
                             queue_prefix=queue_prefix)).queue
    queue.check()
    assert queue.depths() == {"media": 0, "ml": 0, "video": 0}
    queue.enqueue_asset(1)
    queue.enqueue_asset(2, "ml")
    queue.enqueue_asset(3, "ml")
    queue.enqueue_asset(4, "video")
    queue.enqueue_report(9)  # reports go to the media queue
    assert queue.depths() == {"media": 2, "ml": 2, "video": 1}
    assert queue.depth() == 5
    other = Runtime(Settings(data_dir=tmp_path, queue_url=redis_url,
                             queue_prefix=queue_prefix + "-other")).queue
    assert other.depth() == 0  # another installation sharing the Redis


def test_bad_queue_configuration_is_named(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="amqp://x"):
        _ = Runtime(Settings(data_dir=tmp_path, queue_url="amqp://x")).queue
    with pytest.raises(ValueError, match="gpu"):
        parse_queues("media,gpu")
    assert parse_queues(" ml , media,ml") == ("ml", "media")
    env = env_for(tmp_path / "data", f"sqlite:///{tmp_path / 'a.db'}")
    proc = run_cli(env, "worker", "--queues", "gpu", check=False)
    assert proc.returncode == 2 and "gpu" in proc.stderr


def _worker(env: dict[str, str], queues: str) -> subprocess.Popen[bytes]:
    log = Path(env["ALBUMEN_DATA_DIR"]).parent / f"worker-{queues}.log"
    return spawn(env, log, "worker", "--queues", queues, "--concurrency", "2",
                 "--worker-type", "thread")


def _stop(proc: subprocess.Popen[bytes]) -> int | None:
    proc.send_signal(signal.SIGTERM)  # graceful: finishes its current jobs, then exits
    try:
        return proc.wait(60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)


@pytest.mark.slow
def test_media_and_ml_workers_split_the_stages(tmp_path: Path, db_url: str, redis_url: str,
                                               queue_prefix: str) -> None:
    """A media-only worker runs the core stages and hands each asset to the ml queue at its
    screening stage; nothing runs it until an ml worker starts, which hands the asset back for
    the places stage that follows. Every stage runs once; every asset ends ready."""
    n = 6
    env = env_for(tmp_path / "data", db_url, ALBUMEN_QUEUE_URL=redis_url,
                  ALBUMEN_QUEUE_PREFIX=queue_prefix, ALBUMEN_ENRICHMENTS="screening,places",
                  ALBUMEN_RECONCILE_INTERVAL_SECONDS="1", ALBUMEN_WORKER_HEARTBEAT_SECONDS="1")
    src = tmp_path / "in"
    for i in range(n):
        images.write(src / f"{i}.jpg", images.jpeg(800, 600, seed=400 + i))
    assert run_json(env, "import", str(src), "--json")["counts"]["imported"] == n

    def stage_state(stage: str, state: str) -> int:
        return _count(db_url, select(func.count()).select_from(AssetStage).where(
            AssetStage.stage == stage, AssetStage.state == state))

    media = _worker(env, "media")
    ml = None
    try:
        assert wait_until(lambda: stage_state("phash", "done") == n, 120), _states(db_url)
        assert wait_until(lambda: run_json(env, "status", "--json")["queue"]["queues"]["ml"] > 0,
                          30)
        # The media worker does not run screening, nor places, which comes after it.
        assert stage_state("screening", "pending") == n
        assert stage_state("places", "pending") == n
        assert _count(db_url, select(func.count()).select_from(Asset).where(
            Asset.state == "processing")) == n

        ml = _worker(env, "ml")
        ready = select(func.count()).select_from(Asset).where(Asset.state == "ready")
        assert wait_until(lambda: _count(db_url, ready) == n, 180), _states(db_url)
        assert stage_state("places", "done") == n  # handed back to the media worker
        assert _count(db_url, select(func.count()).select_from(AssetStage).where(
            AssetStage.state != "done")) == 0
        # each stage ran once: one claim each
        assert _count(db_url, select(func.max(AssetStage.attempts))) == 1
        assert _stop(ml) == 0
        assert _stop(media) == 0
    finally:
        for proc in (media, ml):
            if proc is not None and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
