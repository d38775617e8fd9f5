"""The job queues: Huey on SQLite by default, on Redis when ``ALBUMEN_QUEUE_URL=redis://…``.

Two named queues, so ML work can run on other machines:
- ``media``: the core stages (metadata, derivatives, perceptual hash), the cheap enrichments
  (bursts, places, dates) and PDF reports;
- ``ml``: the stages that run a model (screening, faces, OCR, CLIP, captions).
A job carries an asset id and its queue only; the stages' state is in the database. A worker
that consumes both queues runs an asset's stages in one go; one that consumes only one queue
hands the asset over when it reaches a stage of the other (library/processing.py).

The queue knows its jobs by name only (``jobs``: name -> Job, wired by the runtime), and runs
each on the runtime that owns it: it depends on nothing above it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from huey import Huey, RedisHuey, SqliteHuey

from albumen.config import Settings
from albumen.jobs.tasks import Job
from albumen.observability import install_job_metrics
from albumen.pipeline import QUEUES

# Retries of a job that raised (a database that was busy, storage that was away): 5 s, 10 s,
# 20 s. Stage failures that retrying cannot help are recorded in the database instead.
RETRIES, RETRY_DELAY, RETRY_BACKOFF = 3, 5, 2.0


class JobQueue:
    """The queues and the tasks declared on them."""

    def __init__(self, hueys: dict[str, Huey], jobs: Mapping[str, Job],
                 owner: Callable[[], Any]) -> None:
        self.hueys = hueys
        self.consuming: set[str] = set()  # the queues this process's workers take jobs from
        for name, huey in hueys.items():
            install_job_metrics(huey, queue=name)

        def declare(huey: Huey, name: str) -> Any:
            job = jobs[name]

            def run(*args: Any) -> Any:
                return job(owner(), *args)

            return huey.task(name=name, retries=RETRIES, retry_delay=RETRY_DELAY,
                             retry_backoff=RETRY_BACKOFF)(run)

        self._process_asset = {name: declare(huey, "process_asset")
                               for name, huey in hueys.items()}
        self._build_report = declare(hueys["media"], "build_report")
        self._train_classifier = declare(hueys["media"], "train_classifier")
        self._deliver_webhooks = declare(hueys["media"], "deliver_webhooks")
        self._export_images = declare(hueys["media"], "export_images")
        self._discover = declare(hueys["media"], "discover")

    @property
    def immediate(self) -> bool:
        return self.hueys["media"].immediate

    def runs_here(self, queue: str) -> bool:
        """Whether a job of ``queue`` would run in this process anyway (no hand-over needed)."""
        return self.immediate or queue in self.consuming

    def enqueue_report(self, report_id: int) -> None:
        """Queue building a PDF report (its state is in the reports table)."""
        self._build_report(report_id)

    def enqueue_training(self, owner_key: int) -> None:
        """Queue training a library's document classifier again (labels changed)."""
        self._train_classifier(owner_key)

    def enqueue_image_export(self, export_id: int) -> None:
        """Queue making an image export's ZIP (its state is in the image_exports table)."""
        self._export_images(export_id)

    def enqueue_discovery(self) -> None:
        """Queue the daily discovery job: the recommender trained again, memories rebuilt."""
        self._discover()

    def enqueue_webhooks(self, delay: float = 0) -> None:
        """Queue the webhook dispatcher (fan out the outbox, send what is due), now or in
        ``delay`` seconds (the next retry)."""
        if delay <= 0:
            self._deliver_webhooks()
        elif not self.immediate:  # inline, a retry would come at once: the sweep sends it
            self._deliver_webhooks.schedule(delay=delay)

    def enqueue_asset(self, asset_id: int, queue: str = "media") -> None:
        """Queue processing of an asset (run inline when the queue is in immediate mode)."""
        self._process_asset[queue](asset_id, queue)

    def depths(self) -> dict[str, int]:
        return {name: int(huey.pending_count()) for name, huey in self.hueys.items()}

    def depth(self) -> int:
        return sum(self.depths().values())

    def check(self) -> None:
        self.depths()


def make_queue(settings: Settings, jobs: Mapping[str, Job], owner: Callable[[], Any]
               ) -> JobQueue:
    """The queues of ``settings``, whose jobs run on ``owner()`` (the runtime)."""
    url = settings.effective_queue_url
    scheme = urlparse(url).scheme
    common = {"results": False, "immediate": settings.queue_immediate}
    if scheme == "sqlite":
        path = Path(unquote(urlparse(url).path))
        path.parent.mkdir(parents=True, exist_ok=True)
        # One file, one table: Huey keeps each queue's messages apart by the queue's name.
        return JobQueue({name: SqliteHuey(f"{settings.queue_prefix}.{name}", filename=str(path),
                                          timeout=30, **common) for name in QUEUES},
                        jobs, owner)
    if scheme in ("redis", "rediss", "unix"):
        from redis import ConnectionPool

        pool = ConnectionPool.from_url(url)
        return JobQueue({name: RedisHuey(f"{settings.queue_prefix}.{name}", connection_pool=pool,
                                         **common) for name in QUEUES}, jobs, owner)
    raise ValueError(f"unsupported queue URL {url!r} (sqlite:///path or redis://host:port/db)")
