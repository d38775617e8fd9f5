"""What a job runs: a service function named by the runtime, on a lowered priority, with its
log context. Jobs carry ids only; their state lives in the database."""

from __future__ import annotations

import functools
import importlib
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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


@dataclass(frozen=True)
class Job:
    """What a job of the queue runs, named so that the queue imports none of it:
    ``handler`` is "module:function", called as function(runtime, *args); ``label`` names the
    job in log lines ("job:asset:42")."""

    handler: str
    label: str

    def __call__(self, runtime: Any, *args: Any) -> Any:
        background_priority(runtime.settings)
        token = context_id.set(f"job:{self.label}:{args[0]}" if args else f"job:{self.label}")
        try:
            return _resolve(self.handler)(runtime, *args)
        finally:
            context_id.reset(token)


@functools.cache
def _resolve(handler: str) -> Callable[..., Any]:
    module, _, name = handler.partition(":")
    return getattr(importlib.import_module(module), name)
