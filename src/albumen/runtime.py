"""The runtime: settings plus the things built from them (database, storage, queue).

Built on demand by ``get_runtime()`` (never at import time) and shared by the API, the CLI,
the workers and the tests.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy.orm import Session

from albumen.config import Settings, get_settings
from albumen.db.session import session_factory
from albumen.db.workers import count_live
from albumen.jobs.tasks import Job
from albumen.notify import HUB, Hub
from albumen.storage import Storage, storage_for

T = TypeVar("T")
# The queue's jobs, by name (jobs/queue.py): what each runs, as function(runtime, *args).
JOBS = {
    "process_asset": Job("albumen.library.processing:process_asset", "asset"),
    "build_report": Job("albumen.insights.reports:build", "report"),
    "train_classifier": Job("albumen.documents.service:train", "classifier"),
    # Named in the API layer: a webhook carries the object as the API returns it.
    "deliver_webhooks": Job("albumen.api.webhook_jobs:deliver", "webhooks"),
    "export_images": Job("albumen.images.batch:run", "export"),
    "discover": Job("albumen.discovery.daily:run", "discovery"),
}
WEBHOOKS_SEEN_SECONDS = 5.0  # how long "no webhook is enabled" is believed
WEBHOOKS_GATHER_SECONDS = 0.5  # events gathered into one dispatcher run

if TYPE_CHECKING:
    from albumen.jobs.queue import JobQueue
    from albumen.security.ratelimit import RateLimiter
    from albumen.security.sealing import Sealer


@dataclass
class Runtime:
    settings: Settings
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _owned: dict[Any, Any] = field(default_factory=dict, repr=False)
    _webhooks_seen: tuple[float, bool] | None = field(default=None, repr=False)
    _webhooks_queued: float = field(default=float("-inf"), repr=False)

    def __post_init__(self) -> None:
        from albumen.media.budget import MiB, set_decode_budget
        from albumen.media.imaging import set_pixel_limit
        from albumen.security.passwords import set_profile

        set_pixel_limit(self.settings.max_image_pixels)
        set_profile(self.settings.password_hash)
        set_decode_budget(self.settings.decode_memory_mb * MiB)

    @property
    def database_url(self) -> str:
        return self.settings.effective_database_url

    @cached_property
    def storage(self) -> Storage:
        return storage_for(self.settings)

    @cached_property
    def queue(self) -> JobQueue:
        from albumen.jobs.queue import make_queue

        return make_queue(self.settings, JOBS, lambda: self)

    @cached_property
    def limiter(self) -> RateLimiter:
        """Security limits, shared by every process of the installation (database/Redis)."""
        from albumen.security.ratelimit import RateLimiter

        return RateLimiter.shared(self.settings)

    @cached_property
    def local_limiter(self) -> RateLimiter:
        """Throughput limits of this process alone (no write per request)."""
        from albumen.security.ratelimit import RateLimiter

        return RateLimiter.local()

    @cached_property
    def sealer(self) -> Sealer:
        """Seals share-link addresses so their managers can be shown them again."""
        from albumen.security.sealing import sealer_for

        return sealer_for(self.settings)

    def own(self, kind: Callable[[Runtime], T]) -> T:
        """The one ``kind(runtime)`` this runtime holds, made on first use: what a service keeps
        per runtime (the activity log's buffered writer, insights/activity.py)."""
        with self._lock:
            found = self._owned.get(kind)
            if found is None:
                found = self._owned[kind] = kind(self)
            return found

    def owned(self, kind: Callable[[Runtime], T]) -> T | None:
        """The ``kind`` this runtime holds, if one was made."""
        with self._lock:
            return self._owned.get(kind)

    def live_workers(self) -> int:
        """Worker hosts whose heartbeat is recent (within three heartbeats)."""
        with self.session() as session:
            return count_live(session, self.settings.worker_heartbeat_seconds * 3)

    def session(self) -> Session:
        session = session_factory(self.database_url)()
        session.info[HUB] = self.hub  # what it emits is published when it commits
        return session

    @cached_property
    def hub(self) -> Hub:
        """Events as they happen (albumen.notify): through Redis when the queue is Redis, so
        every process hears every process's events; else through sockets in the data dir,
        to the processes of this machine."""
        url = self.settings.effective_queue_url
        redis = url if url.split(":", 1)[0] in ("redis", "rediss", "unix") else None
        hub = Hub(redis, channel=f"{self.settings.queue_prefix}.events",
                  peers=None if redis else event_peers(self.settings.data_dir))
        hub.on_durable = self.webhooks_due
        return hub

    def webhooks_due(self, force: bool = False) -> None:
        """Queue the webhook dispatcher: an event for webhooks committed (skipped while no
        webhook is enabled; the workers' sweep catches what a stale answer skips). The run
        is half a second later and takes every event committed meanwhile."""
        import time

        now = time.monotonic()
        seen = self._webhooks_seen
        if force or seen is None or now - seen[0] > WEBHOOKS_SEEN_SECONDS:
            from albumen.db.webhooks import any_enabled

            with self.session() as session:
                seen = self._webhooks_seen = (now, any_enabled(session))
        if not seen[1]:
            return
        if self.queue.immediate:
            self.queue.enqueue_webhooks()
        elif force or now - self._webhooks_queued > WEBHOOKS_GATHER_SECONDS:
            # One dispatcher run for the events of the next moment, not one per commit: on
            # SQLite each run's bookkeeping waits for the one writer, as uploads do.
            self._webhooks_queued = now
            self.queue.enqueue_webhooks(delay=WEBHOOKS_GATHER_SECONDS)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session that commits when the block succeeds and rolls back otherwise."""
        session = self.session()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def migrate(self) -> None:
        from albumen.db.migrate import migration_lock, upgrade

        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        with migration_lock(self.database_url):  # processes starting together take turns
            upgrade(self.database_url)
            if self.database_url.startswith("postgresql"):
                from albumen.db.session import engine_for
                from albumen.vectors import pgvector

                with engine_for(self.database_url).begin() as conn:
                    pgvector.install(conn, self.settings.pgvector)


def event_peers(data_dir: Path) -> Path:
    """Where the processes of one installation on this machine meet to pass events on (one
    Unix socket each): a short folder of the temporary directory named by the data dir, as a
    socket's path may not be longer than 107 bytes."""
    import hashlib
    import tempfile

    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"albumen-events-{digest}"


_runtime: Runtime | None = None
_runtime_lock = threading.Lock()


def get_runtime() -> Runtime:
    global _runtime
    with _runtime_lock:
        if _runtime is None:
            _runtime = Runtime(get_settings())
        return _runtime


def set_runtime(runtime: Runtime | None) -> None:
    """Install a runtime (tests, `albumen` CLI options); None resets to settings."""
    global _runtime
    with _runtime_lock:
        _runtime = runtime
