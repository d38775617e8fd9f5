"""What happens, told as it happens: events (``asset.created``, ``asset.progress``,
``asset.processed``...) that services emit in their transaction and that are published once
it commits (never for work rolled back), to the subscribers of this process (the WebSocket,
``/api/v1/ws``) and to the other processes of the installation: through Redis pub/sub when
the queue is Redis, else through Unix sockets (the processes of one machine).

The events an integrator may subscribe a webhook to (``TYPES``) are also written to the
``event_outbox`` table in the same transaction, so the webhook dispatcher hears of exactly what
committed, even from a process that died right after (albumen.webhooks.dispatch); the hub's
``on_durable`` callback (wired by the runtime) is told once per commit that wrote any.

A service calls ``emit(session, type, ...)``; the session's runtime set ``session.info[HUB]``
(runtime.Runtime.session). Subscribers each get a bounded queue: one that does not keep up
loses its oldest events (and is told how many), never slows the publisher.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import threading
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from albumen.db.webhooks import OutboxEvent

log = logging.getLogger(__name__)
HUB = "albumen.hub"
_PENDING = "albumen.events"
_DURABLE = "albumen.durable"
QUEUE_SIZE = 1000  # events a subscriber may fall behind by
PEER_DATAGRAM = 64 * 1024  # the largest event sent to other processes

# What a webhook may subscribe to, with what each tells (the API lists them).
TYPES = {
    "asset.created": "a photo, video or document was added (upload, import, guest upload)",
    "asset.processed": "an asset's processing finished: thumbnails, metadata, AI results",
    "asset.failed": "an asset's processing failed (the asset says which stage and why)",
    "asset.deleted": "an asset was moved to the trash",
    "event.upload": "a guest uploaded to an event through a share link",
    "moderation.pending": "an upload waits for a host's review",
    "moderation.decided": "a host approved or rejected an upload",
    "comment.created": "someone commented on a photo",
    "report.ready": "an event report's PDF is ready",
    "document.classified": "a document was given a category",
    "person.created": "face clustering found a new person",
}


def emit(session: Session, type: str, **fields: Any) -> None:
    """Publish an event when ``session`` commits (dropped if it rolls back); a webhook type
    is also written to the outbox, in the same transaction."""
    if session.info.get(HUB) is None:
        return
    now = datetime.now(UTC)
    item = {"id": f"evt_{uuid.uuid4().hex}", "type": type,
            "time": now.isoformat().replace("+00:00", "Z"), **fields}
    session.info.setdefault(_PENDING, []).append(item)
    if type in TYPES:
        session.add(OutboxEvent(message_id=item["id"], type=type, at=now, fields=fields))
        session.info[_DURABLE] = True


@sa_event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    events = session.info.pop(_PENDING, None)
    durable = session.info.pop(_DURABLE, False)
    hub = session.info.get(HUB)
    if hub is None:
        return
    for item in events or ():
        hub.publish(item)
    if durable and hub.on_durable is not None:
        try:
            hub.on_durable()
        except Exception as exc:  # the workers' sweep fans it out later
            log.warning("webhook dispatch not queued (%s): the sweep will send it", exc)


@sa_event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_DURABLE, None)


@dataclass(eq=False)
class Subscription:
    """One subscriber's events, in order; ``get`` waits for the next (asyncio)."""

    loop: asyncio.AbstractEventLoop
    _items: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=QUEUE_SIZE))
    _ready: asyncio.Event = field(default_factory=asyncio.Event)
    lost: int = 0

    def put(self, item: dict[str, Any]) -> None:  # any thread
        self.loop.call_soon_threadsafe(self._put, item)

    def _put(self, item: dict[str, Any]) -> None:
        if len(self._items) == self._items.maxlen:
            self.lost += 1
        self._items.append(item)
        self._ready.set()

    async def get(self, timeout: float) -> dict[str, Any] | None:
        """The next event, or None after ``timeout`` seconds without one."""
        if not self._items:
            self._ready.clear()
            try:
                await asyncio.wait_for(self._ready.wait(), timeout)
            except TimeoutError:
                return None
        return self._items.popleft() if self._items else None


class Hub:
    """This process's subscribers, fed by events from every process of the installation:
    through Redis pub/sub when the queue is Redis; else through ``peers``, a folder of the
    data dir where each process with subscribers listens on a Unix datagram socket (the
    processes of one machine: ``serve --processes N``, a standalone worker), and a publisher
    sends each event to every socket there."""

    def __init__(self, redis_url: str | None = None, channel: str = "albumen.events",
                 peers: Path | None = None) -> None:
        self._lock = threading.Lock()
        self._subscribers: set[Subscription] = set()
        self.redis_url, self.channel, self.peers = redis_url, channel, peers
        self._listener: threading.Thread | None = None
        self._redis: Any = None
        self._socket: socket.socket | None = None
        self._address: str | None = None
        self.published = 0
        self.on_durable: Callable[[], None] | None = None

    def publish(self, item: dict[str, Any]) -> None:
        self.published += 1
        if self.redis_url is None:
            self._deliver(item)
            self._to_peers(item)
            return
        try:
            self._client().publish(self.channel, json.dumps(item, default=str))
        except Exception as exc:  # Redis away: this process's subscribers still hear it
            log.warning("events not published to Redis (%s): delivered here only", exc)
            self._deliver(item)

    def subscribe(self, loop: asyncio.AbstractEventLoop) -> Subscription:
        sub = Subscription(loop)
        with self._lock:
            self._subscribers.add(sub)
        if self.redis_url is not None or self.peers is not None:
            self._listen()
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        with self._lock:
            self._subscribers.discard(sub)

    def _deliver(self, item: dict[str, Any]) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for sub in subscribers:
            try:
                sub.put(item)
            except RuntimeError:  # its event loop is closed: it is gone
                self.unsubscribe(sub)

    def _to_peers(self, item: dict[str, Any]) -> None:
        """Every other process's listening socket gets the event; a socket nobody listens on
        any more (its process died) is removed."""
        if self.peers is None or not self.peers.is_dir():
            return
        data = json.dumps(item, default=str).encode()
        if len(data) > PEER_DATAGRAM:
            log.warning("event %s too large for the peer sockets (%d bytes): not sent to "
                        "other processes", item.get("type"), len(data))
            return
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as out:
            for path in self.peers.glob("*.sock"):
                if str(path) == self._address:
                    continue
                try:
                    out.sendto(data, str(path))
                except (ConnectionRefusedError, FileNotFoundError):
                    path.unlink(missing_ok=True)
                except OSError as exc:  # a full buffer: that process is behind, not gone
                    log.debug("event not sent to %s: %s", path.name, exc)

    def _client(self) -> Any:
        if self._redis is None:
            import redis

            self._redis = redis.Redis.from_url(self.redis_url)
        return self._redis

    def _listen(self) -> None:
        """One listener a process (Redis or the peer socket), started with the first
        subscriber."""
        with self._lock:
            if self._listener is not None and self._listener.is_alive():
                return
            target = self._run if self.redis_url is not None else self._run_peer
            self._listener = threading.Thread(target=target, name="events-from-peers",
                                              daemon=True)
            self._listener.start()

    def _run_peer(self) -> None:
        assert self.peers is not None
        self.peers.mkdir(mode=0o700, parents=True, exist_ok=True)
        address = str(self.peers / f"{os.getpid()}-{uuid.uuid4().hex[:8]}.sock")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 * 1024 * 1024)
        sock.bind(address)
        self._socket, self._address = sock, address
        while True:
            try:
                data = sock.recv(PEER_DATAGRAM)
                self._deliver(json.loads(data))
            except ValueError:
                log.warning("a malformed event arrived on %s", address)
            except OSError as exc:
                log.warning("listening for other processes' events stopped: %s", exc)
                return

    def close(self) -> None:
        """Stop hearing other processes (the socket file is removed)."""
        if self._socket is not None:
            self._socket.close()
        if self._address is not None:
            Path(self._address).unlink(missing_ok=True)

    def _run(self) -> None:
        import time

        while True:
            try:
                pubsub = self._client().pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(self.channel)
                for message in pubsub.listen():
                    if message.get("type") == "message":
                        self._deliver(json.loads(message["data"]))
            except Exception as exc:
                log.warning("listening for events on Redis failed (%s); again in 2 s", exc)
                time.sleep(2)
