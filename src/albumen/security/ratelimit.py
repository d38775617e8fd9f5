"""Rate limits on the `limits` library (fixed windows), counted where every process of an
installation sees the same counts: in Redis when the queue is Redis (the library's own
storage), otherwise in the database's ``rate_counters`` table (SqlCounters below).

A process-local limiter (memory) is kept for throughput limits only (requests per API key),
which need no write per request; security limits (logins, guests, passwords) are shared.
"""

from __future__ import annotations

import hashlib
import math
import time
from functools import lru_cache
from typing import TYPE_CHECKING

from limits import RateLimitItem, parse, storage, strategies
from sqlalchemy import case, delete, select
from sqlalchemy.exc import SQLAlchemyError

from albumen.db.base import upsert
from albumen.db.ratelimits import RateCounter
from albumen.db.session import engine_for
from albumen.errors import RateLimited

if TYPE_CHECKING:
    from albumen.config import Settings

_MAX_KEY = 255
_SWEEP_EVERY = 500  # counts between removals of expired windows


class RateLimiter:
    def __init__(self, counters: storage.Storage) -> None:
        self._limiter = strategies.FixedWindowRateLimiter(counters)

    @classmethod
    def shared(cls, settings: Settings) -> RateLimiter:
        """The installation's limiter: Redis when the queue is Redis, else the database."""
        queue_url = settings.queue_url or ""
        if queue_url.startswith(("redis://", "rediss://")):
            return cls(storage.storage_from_string(
                queue_url, key_prefix=f"{settings.queue_prefix}.limits"))
        return cls(SqlCounters(settings.effective_database_url))

    @classmethod
    def local(cls) -> RateLimiter:
        return cls(storage.MemoryStorage())

    def hit(self, rate: str, *keys: str, what: str = "requests") -> None:
        """Count one hit against each key; raise RateLimited (429 + Retry-After) when over."""
        item = _parse(rate)
        for key in keys:
            if not self._limiter.hit(item, key):
                self._refuse(item, key, what)

    def check(self, rate: str, *keys: str, what: str = "requests") -> None:
        """Raise RateLimited if any key has no hit left, without counting one."""
        item = _parse(rate)
        for key in keys:
            if not self._limiter.test(item, key):
                self._refuse(item, key, what)

    def count(self, rate: str, *keys: str) -> None:
        """Count one hit against each key, never refusing (a failure found after a check)."""
        item = _parse(rate)
        for key in keys:
            self._limiter.hit(item, key)

    def give_back(self, rate: str, key: str) -> None:
        """Return one hit that turned out not to count (a successful login)."""
        item = _parse(rate)
        counters = self._limiter.storage
        name = item.key_for(key)
        if counters.get(name) > 0:
            counters.incr(name, item.get_expiry(), amount=-1)

    def clear(self, rate: str, key: str) -> None:
        self._limiter.clear(_parse(rate), key)

    def _refuse(self, item: RateLimitItem, key: str, what: str) -> None:
        stats = self._limiter.get_window_stats(item, key)
        wait = max(1, math.ceil(stats.reset_time - time.time()))
        raise RateLimited(f"too many {what}; try again in {wait} s", retry_after=wait)


class SqlCounters(storage.Storage):
    """Fixed-window counters in the ``rate_counters`` table: one atomic upsert per hit
    (INSERT … ON CONFLICT DO UPDATE … RETURNING, SQLite and PostgreSQL alike), a window
    restarting when the stored one has expired."""

    STORAGE_SCHEME = None

    def __init__(self, database_url: str) -> None:
        super().__init__()
        self._url = database_url
        self._counted = 0

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        table = RateCounter.__table__
        engine = engine_for(self._url)
        insert = upsert(engine.dialect.name)(table).values(
            key=_short(key), hits=amount, expires_at=now + expiry)
        expired = table.c.expires_at <= now
        statement = insert.on_conflict_do_update(index_elements=["key"], set_={
            "hits": case((expired, amount), else_=table.c.hits + amount),
            "expires_at": case((expired, now + expiry), else_=table.c.expires_at),
        }).returning(table.c.hits)
        with engine.begin() as conn:
            hits = int(conn.execute(statement).scalar_one())
            self._counted += 1
            if self._counted % _SWEEP_EVERY == 0:
                conn.execute(delete(RateCounter).where(RateCounter.expires_at < now))
        return hits

    def _row(self, key: str) -> tuple[int, float] | None:
        with engine_for(self._url).connect() as conn:
            row = conn.execute(select(RateCounter.hits, RateCounter.expires_at).where(
                RateCounter.key == _short(key), RateCounter.expires_at > time.time())).first()
        return (int(row[0]), float(row[1])) if row else None

    def get(self, key: str) -> int:
        row = self._row(key)
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row[1] if row else time.time()

    def check(self) -> bool:
        try:
            with engine_for(self._url).connect() as conn:
                conn.execute(select(1))
            return True
        except SQLAlchemyError:
            return False

    def reset(self) -> int | None:
        with engine_for(self._url).begin() as conn:
            return conn.execute(delete(RateCounter)).rowcount

    def clear(self, key: str) -> None:
        with engine_for(self._url).begin() as conn:
            conn.execute(delete(RateCounter).where(RateCounter.key == _short(key)))


def _short(key: str) -> str:
    """Keys hold usernames and addresses as sent: long ones are stored by their digest."""
    if len(key) <= _MAX_KEY:
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


@lru_cache(maxsize=64)
def _parse(rate: str) -> RateLimitItem:
    return parse(rate)
