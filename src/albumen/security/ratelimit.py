"""Rate limits on the `limits` library: in memory per process now; its Redis storage takes
over with the scale-out work (same calls, another storage URI)."""

from __future__ import annotations

import math
import time
from functools import lru_cache

from limits import parse, storage, strategies

from albumen.errors import RateLimited


class RateLimiter:
    def __init__(self, storage_uri: str = "memory://") -> None:
        self._limiter = strategies.MovingWindowRateLimiter(storage.storage_from_string(storage_uri))

    def hit(self, rate: str, *keys: str, what: str = "requests") -> None:
        """Count one hit against each key; raise RateLimited (429 + Retry-After) when over."""
        item = _parse(rate)
        for key in keys:
            if not self._limiter.hit(item, key):
                stats = self._limiter.get_window_stats(item, key)
                wait = max(1, math.ceil(stats.reset_time - time.time()))
                raise RateLimited(f"too many {what}; try again in {wait} s", retry_after=wait)

    def clear(self, rate: str, key: str) -> None:
        self._limiter.clear(_parse(rate), key)


@lru_cache(maxsize=64)
def _parse(rate: str):  # type: ignore[no-untyped-def]
    return parse(rate)
