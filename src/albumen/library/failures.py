"""Why a processing stage failed, and whether trying it again can help.

Only failures that may pass are retried (the queue's backoff, then maintenance's growing
delays): the database busy, locked or away; storage that could not be read or written for a
reason the operating system gave (an errno: no space, an I/O error, a file set aside for a
moment); a network error or time-out; memory that ran out; a service albumen calls that is
unavailable; model weights that would not load (the installation's problem, not the photo's).
Anything else happens again for the same bytes and the same code, however often
it runs: a verdict on the file (an AlbumenError), a file a library cannot parse (Pillow's
OSError without an errno, SyntaxError, struct or zlib errors), a value the database refuses
(DataError), a bug (TypeError, KeyError, ...). Such a stage fails after its first try, with
its reason; `albumen reprocess --failed` runs it again (after a fix, or a new version).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

from sqlalchemy import exc as db

from albumen.errors import AlbumenError, RateLimited, ServiceUnavailable
from albumen.ml.runtime import ModelLoadError

# OSError subclasses that name a condition of the system, not of the bytes read: raised by
# storage (a missing file may be one set aside for a moment) with or without an errno.
_SYSTEM_CONDITIONS = (FileNotFoundError, PermissionError, FileExistsError, IsADirectoryError,
                      NotADirectoryError, InterruptedError, BlockingIOError, ConnectionError,
                      TimeoutError)
# Exceptions of clients of other services, by module and class name: looked up only when the
# module was imported (if it was not, the exception cannot be one of its).
_CLIENT_ERRORS = (
    ("httpx", "TransportError"),
    ("botocore.exceptions", "BotoCoreError"),
    ("botocore.exceptions", "ClientError"),
    ("redis.exceptions", "ConnectionError"),
    ("redis.exceptions", "TimeoutError"),
)
_OUT_OF_MEMORY = ("out of memory", "failed to allocate memory")
REASON_LENGTH = 1000


def may_pass(exc: BaseException) -> bool:
    """Whether the same work may succeed when tried again later."""
    if isinstance(exc, AlbumenError):
        return isinstance(exc, ServiceUnavailable | RateLimited)
    if isinstance(exc, db.DBAPIError):
        # Busy, locked, disconnected, a serialization failure or deadlock (OperationalError);
        # a unique key another worker inserted first (IntegrityError): all may pass. A value
        # the database refuses (DataError) or a statement it rejects will be refused again.
        return exc.connection_invalidated or isinstance(
            exc, db.OperationalError | db.InterfaceError | db.IntegrityError | db.InternalError)
    if isinstance(exc, db.StatementError):  # a Python error while preparing a statement
        return exc.orig is not None and exc.orig is not exc and may_pass(exc.orig)
    if isinstance(exc, db.TimeoutError | db.DisconnectionError):  # the connection pool
        return True
    if isinstance(exc, (MemoryError, ModelLoadError, *_SYSTEM_CONDITIONS)):
        return True
    if isinstance(exc, OSError):
        return exc.errno is not None
    if any(isinstance(exc, cls) for cls in _client_errors()):
        return True
    return any(words in str(exc).lower() for words in _OUT_OF_MEMORY)  # e.g. onnxruntime's


def _client_errors() -> Iterable[type]:
    for module_name, name in _CLIENT_ERRORS:
        module = sys.modules.get(module_name)
        cls = getattr(module, name, None) if module is not None else None
        if isinstance(cls, type):
            yield cls


def describe(exc: BaseException, hide: Iterable[str] = ()) -> str:
    """The reason recorded for a failure: a verdict's message, else the error's type and
    message (of the error itself, not of SQLAlchemy's wrapper, whose text carries the whole
    statement and its parameters), with the folders in ``hide`` left out."""
    if isinstance(exc, AlbumenError):
        reason = exc.message
    else:
        if isinstance(exc, db.StatementError) and exc.orig is not None:
            exc = exc.orig
        reason = f"{type(exc).__name__}: {exc}"
    for folder in hide:
        if folder:
            reason = reason.replace(folder.rstrip("/") + "/", "").replace(folder, "")
    if len(reason) > REASON_LENGTH:
        reason = reason[:REASON_LENGTH - 1] + "…"
    return reason
