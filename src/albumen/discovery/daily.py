"""The daily discovery job (queued by every worker host; the first to run it does the work):
the recommender trained again, today's memories built."""

from __future__ import annotations

import logging
from datetime import timedelta

from albumen.db.base import utcnow
from albumen.discovery import memories, model
from albumen.runtime import Runtime

log = logging.getLogger(__name__)


def run(rt: Runtime) -> None:
    """Train the recommender and build today's memories, unless another worker did in the
    last half interval."""
    current = model.current(rt)
    fresh = timedelta(seconds=rt.settings.discovery_interval_seconds / 2)
    if current is not None and utcnow() - current.trained_at < fresh:
        log.info("discovery: done %s ago by another worker; not again",
                 utcnow() - current.trained_at)
        return
    model.train(rt)
    built = memories.build_all(rt)
    log.info("discovery: %d memories built", built)
