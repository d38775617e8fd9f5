"""Hosting workers: the Huey consumer plus a heartbeat and the reconciler.

`albumen serve` hosts one in-process (threads, no signal handlers of its own); `albumen worker`
hosts one as the whole process and stops gracefully on SIGINT/SIGTERM.
"""

from __future__ import annotations

import fcntl
import logging
import os
import signal
import socket
import threading
import uuid
from datetime import timedelta
from pathlib import Path
from typing import IO

from huey.consumer import Consumer
from sqlalchemy import delete, select

from albumen.db.base import utcnow
from albumen.db.models import Worker
from albumen.db.webhooks import anything_due
from albumen.library.stages import warm_up
from albumen.operations.reconciler import reconcile
from albumen.pipeline import QUEUES
from albumen.runtime import Runtime, set_runtime
from albumen.worker import memory

log = logging.getLogger(__name__)


class _EmbeddedConsumer(Consumer):
    """A consumer that leaves the host process's signal handling alone."""

    def _set_signal_handlers(self) -> None:
        pass


def claim_in_process_workers(data_dir: Path) -> IO[str] | None:
    """One API process of a ``serve`` runs the in-process workers: the one that holds this
    lock (an flock on ``<data dir>/serve-workers.lock``, let go when the process ends, so a
    restarted process takes over). The others serve requests only: more API processes add
    request capacity, not workers and models in memory. None when another holds it."""
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    handle = (Path(data_dir) / "serve-workers.lock").open("a")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    return handle


def parse_queues(text: str) -> tuple[str, ...]:
    """``media,ml`` -> ("media", "ml"); an unknown name is an error naming it."""
    wanted = tuple(dict.fromkeys(q.strip() for q in text.split(",") if q.strip()))
    unknown = [q for q in wanted if q not in QUEUES]
    if unknown or not wanted:
        raise ValueError(f"unknown queue(s) {unknown or [text]}; known: {', '.join(QUEUES)}")
    return wanted


class WorkerHost:
    """Consumers for the chosen queues (``concurrency`` jobs at once on each), the heartbeat,
    the reconciler and the periodic maintenance."""

    def __init__(self, rt: Runtime, workers: int, worker_type: str = "thread",
                 queues: tuple[str, ...] | None = None) -> None:
        self.rt = rt
        self.workers = workers
        self.worker_type = worker_type
        self.queues = queues or parse_queues(rt.settings.worker_queues)
        self.id = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._consumers: list[Consumer] = []

    def start(self) -> None:
        set_runtime(self.rt)  # tasks (and forked worker processes) find the runtime here
        warm_up()
        memory.keep_image_buffers()
        with self.rt.transaction() as session:
            session.add(Worker(id=self.id, hostname=socket.gethostname(), pid=os.getpid()))
        self.rt.queue.consuming.update(self.queues)  # before forking: the children see it
        for name in self.queues:
            consumer = _EmbeddedConsumer(
                self.rt.queue.hueys[name], workers=self.workers, worker_type=self.worker_type,
                periodic=False, initial_delay=0.05, max_delay=1.0, backoff=1.3,
                check_worker_health=True,
            )
            consumer.start()
            self._consumers.append(consumer)
        self._thread = threading.Thread(target=self._housekeeping, name="albumen-housekeeping",
                                        daemon=True)
        self._thread.start()
        log.info("worker %s started: %d %s worker(s) on each of %s", self.id, self.workers,
                 self.worker_type, ", ".join(self.queues))

    def _housekeeping(self) -> None:
        settings = self.rt.settings
        next_reconcile = 0.0
        next_maintenance = 0.0
        next_recluster = settings.face_recluster_interval_seconds
        next_discovery = 60.0  # soon after start (a fresh model, today's memories), then daily
        elapsed = 0.0
        tick = min(settings.worker_heartbeat_seconds, settings.reconcile_interval_seconds)
        while not self._stop.is_set():
            try:
                if elapsed >= next_reconcile:
                    reconcile(self.rt)
                    self._requeue_exports()
                    next_reconcile = elapsed + settings.reconcile_interval_seconds
                if elapsed >= next_maintenance:
                    maintenance(self.rt)
                    next_maintenance = elapsed + settings.maintenance_interval_seconds
                if elapsed >= next_recluster:
                    recluster_all(self.rt)
                    next_recluster = elapsed + settings.face_recluster_interval_seconds
                if settings.discovery_interval_seconds and elapsed >= next_discovery:
                    self.rt.queue.enqueue_discovery()
                    next_discovery = elapsed + settings.discovery_interval_seconds
                self._heartbeat()
                self._webhooks_sweep()
                for consumer in self._consumers:
                    # Huey checks this in Consumer.run(), which an embedded host does not call:
                    # a worker process killed by the OOM killer or a codec crash is replaced.
                    consumer.check_worker_health()
            except Exception:
                log.exception("housekeeping failed; will try again")
            self._stop.wait(tick)
            elapsed += tick

    def _requeue_exports(self) -> None:
        """Image exports a dead worker or a lost queue message left (images/batch.py)."""
        from albumen.images.batch import stalled

        with self.rt.session() as session:
            found = stalled(session)
        for export_id in found:
            self.rt.queue.enqueue_image_export(export_id)

    def _webhooks_sweep(self) -> None:
        """Queue the webhook dispatcher when something waits: retries due later than it
        queues itself for, and whatever a lost job or a process that died left behind."""
        with self.rt.session() as session:
            due = anything_due(session, utcnow())
        if due:
            self.rt.queue.enqueue_webhooks()

    def _heartbeat(self) -> None:
        now = utcnow()
        stale = now - timedelta(seconds=max(60.0, 6 * self.rt.settings.worker_heartbeat_seconds))
        with self.rt.transaction() as session:
            row = session.get(Worker, self.id)
            if row is not None:
                row.last_seen = now
            session.execute(delete(Worker).where(Worker.last_seen < stale))

    def stop(self, graceful: bool = True) -> None:
        self._stop.set()
        for consumer in self._consumers:
            consumer.stop(graceful=graceful)
        self._consumers.clear()
        self.rt.queue.consuming.difference_update(self.queues)
        if self._thread is not None:
            self._thread.join(timeout=5)
        with self.rt.transaction() as session:
            session.execute(delete(Worker).where(Worker.id == self.id))
        log.info("worker %s stopped", self.id)

    def run_forever(self) -> None:
        """Run until SIGINT or SIGTERM, then finish the current jobs and exit."""
        stopping = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stopping.set())
        self.start()
        stopping.wait()
        log.info("worker %s: shutting down, finishing current jobs", self.id)
        self.stop(graceful=True)


def maintenance(rt: Runtime) -> None:
    """The periodic maintenance tasks (operations/maintenance.py), as configured."""
    from albumen.operations import maintenance as tasks

    tasks.run(rt)


def recluster_all(rt: Runtime) -> None:
    """The periodic full re-cluster of every library with faces (user decisions stay)."""
    from albumen.db.models import Face
    from albumen.people.service import recluster

    if "faces" not in rt.settings.enabled_enrichments:
        return
    with rt.session() as session:
        owners = session.scalars(select(Face.owner_id).distinct()).all()
    s = rt.settings
    for owner in owners:
        result = recluster(rt, owner, s.face_cluster_distance, s.face_min_faces)
        log.info("re-clustered faces of user %s: %s", owner, result)
