"""Task bodies. Tasks carry ids only; their state lives in the database."""

from __future__ import annotations

import logging
import os
import threading
from typing import TYPE_CHECKING

from albumen.logging import context_id

if TYPE_CHECKING:
    from albumen.config import Settings

log = logging.getLogger(__name__)
_niced = threading.local()


def background_priority(settings: Settings) -> None:
    """Lower the calling job thread's CPU priority, once per thread (Linux schedules threads
    one by one): processing yields the cores to requests served by the same machine, so
    lists and searches do not wait behind a burst of uploads (bench/upload_load.py). Jobs run
    inline (``queue_immediate``) run on a request's thread: left alone."""
    niceness = settings.worker_nice
    if niceness <= 0 or settings.queue_immediate or getattr(_niced, "done", False):
        return
    _niced.done = True
    try:
        tid = threading.get_native_id()
        current = os.getpriority(os.PRIO_PROCESS, tid)
        os.setpriority(os.PRIO_PROCESS, tid, min(19, current + niceness))
    except (AttributeError, OSError) as exc:  # not Linux, or not allowed: run as we are
        log.debug("job thread priority left as it is: %s", exc)


def build_report(report_id: int) -> str:
    from albumen.insights.reports import build
    from albumen.runtime import get_runtime

    rt = get_runtime()
    background_priority(rt.settings)
    token = context_id.set(f"job:report:{report_id}")
    try:
        return build(rt, report_id)
    finally:
        context_id.reset(token)


def process_asset(asset_id: int, queue: str = "media") -> str:
    from albumen.library.processing import process_asset as run
    from albumen.runtime import get_runtime

    rt = get_runtime()
    background_priority(rt.settings)
    token = context_id.set(f"job:asset:{asset_id}")
    try:
        return run(rt, asset_id, queue)
    finally:
        context_id.reset(token)
