"""The job queue: Huey, on SQLite by default (Redis arrives with the scale-out work)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from huey import Huey, SqliteHuey

from albumen.config import Settings
from albumen.jobs import tasks


class JobQueue:
    """The queue and the tasks declared on it."""

    def __init__(self, huey: Huey) -> None:
        self.huey = huey
        self._process_asset = huey.task(name="process_asset", retries=2, retry_delay=5)(
            tasks.process_asset
        )
        self._build_report = huey.task(name="build_report")(tasks.build_report)

    def enqueue_report(self, report_id: int) -> None:
        """Queue building a PDF report (its state is in the reports table)."""
        self._build_report(report_id)

    def enqueue_asset(self, asset_id: int) -> None:
        """Queue processing of an asset (run inline when the queue is in immediate mode)."""
        self._process_asset(asset_id)

    def depth(self) -> int:
        return int(self.huey.pending_count())

    def check(self) -> None:
        self.huey.pending_count()


def make_queue(settings: Settings) -> JobQueue:
    url = urlparse(settings.effective_queue_url)
    if url.scheme != "sqlite":
        raise ValueError(f"unsupported queue URL {settings.effective_queue_url!r} (sqlite://…)")
    path = Path(unquote(url.path))
    path.parent.mkdir(parents=True, exist_ok=True)
    huey = SqliteHuey(
        "albumen", filename=str(path), results=False, immediate=settings.queue_immediate,
        timeout=30,
    )
    return JobQueue(huey)
