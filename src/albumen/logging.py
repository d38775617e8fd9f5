"""Logging setup: every line carries the request or job id from a ContextVar.

With ``as_json`` each line is one JSON object: ``ts``, ``level``, ``logger``, ``id`` (the
request or job id), ``msg``, ``exc`` when there is one, and whatever the call passed in
``extra=`` (the access lines of ``albumen.access``: method, route, status, duration_ms...).
"""

from __future__ import annotations

import json
import logging
import sys
from contextvars import ContextVar

context_id: ContextVar[str] = ContextVar("albumen_context_id", default="-")

# The attributes every LogRecord has; anything else on a record came from `extra=`.
_RECORD_FIELDS = frozenset(
    logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime",
                                                                "context_id", "taskName"}


class _ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.context_id = context_id.get()
        return True


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        doc = {
            "ts": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "id": getattr(record, "context_id", "-"),
            "msg": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _RECORD_FIELDS and key not in doc:
                doc[key] = value
        if record.exc_info:
            doc["exc"] = self.formatException(record.exc_info)
        return json.dumps(doc, default=str)


def setup_logging(level: str = "INFO", as_json: bool = False) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_ContextFilter())
    if as_json:
        handler.setFormatter(_JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s [%(context_id)s] %(name)s: %(message)s")
        )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # albumen.access writes one line per request with the route template, status, duration
    # and request id (api/metrics.py); uvicorn's own access line would repeat it without them.
    uvicorn_access = logging.getLogger("uvicorn.access")
    uvicorn_access.handlers[:] = []
    uvicorn_access.propagate = False
