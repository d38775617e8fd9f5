"""``Idempotency-Key`` on uploads: a retried request (the answer was lost to a dropped
connection) gets the first request's answer again — same status, same body, header
``Idempotent-Replayed: true`` — instead of being done twice (a guest's upload allowance spent
twice, a "duplicate" answer where the first said "created").

Keys are the caller's: a user's are theirs alone; a guest's are their link's, and their guest
token's when they send one (a first upload's retry has none yet, and gets the guest token the
first answer made). Use a fresh random value (a UUID v4) per request. Answers are kept
``TTL``; a request still running under the same key gets 409; one that failed leaves no trace,
so it can be retried with the same key.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta

from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from albumen.db.base import utcnow
from albumen.db.idempotency import DONE, RUNNING, IdempotentRequest
from albumen.errors import Conflict, InvalidInput
from albumen.runtime import Runtime

HEADER = "idempotency-key"
TTL = timedelta(hours=24)
ABANDONED = timedelta(hours=1)  # a request "running" this long died with its process
_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")
_pruned = [0.0]


def scope_for_guest(link_id: int, guest_token: str | None) -> str:
    who = hashlib.sha256(guest_token.encode()).hexdigest()[:16] if guest_token else "new"
    return f"link:{link_id}:{who}"


async def once(rt: Runtime, request: Request, scope: str,
               run: Callable[[], Awaitable[Response]]) -> Response:
    """``run()``, or the stored answer of an earlier request with the same key."""
    key = request.headers.get(HEADER)
    if key is None:
        return await run()
    if not _KEY.match(key):
        raise InvalidInput("Idempotency-Key must be 1 to 200 printable ASCII characters "
                           "(a UUID, say)")
    stored = await run_in_threadpool(_claim, rt, scope, key)
    if stored is not None:
        status, body = stored
        return Response(body, status_code=status, media_type="application/json",
                        headers={"Idempotent-Replayed": "true"})
    try:
        response = await run()
    except BaseException:
        await run_in_threadpool(_forget, rt, scope, key)
        raise
    if 200 <= response.status_code < 300:
        await run_in_threadpool(_keep, rt, scope, key, response.status_code, response.body)
    else:
        await run_in_threadpool(_forget, rt, scope, key)
    return response


def _claim(rt: Runtime, scope: str, key: str) -> tuple[int, bytes] | None:
    """The stored answer, or None with the key now held by this request."""
    now = utcnow()
    if time.monotonic() - _pruned[0] > 60:
        _pruned[0] = time.monotonic()
        with rt.transaction() as session:
            session.execute(delete(IdempotentRequest).where(
                IdempotentRequest.created_at < now - TTL))
    for _ in range(2):
        with rt.session() as session:
            row = session.scalar(select(IdempotentRequest).where(
                IdempotentRequest.scope == scope, IdempotentRequest.key == key))
            if row is not None and row.state == DONE and row.created_at >= now - TTL:
                return row.status_code or 200, (row.body or "").encode()
            if row is not None and row.state == RUNNING and row.created_at >= now - ABANDONED:
                raise Conflict("a request with this Idempotency-Key is still running; "
                               "retry when it has finished")
            if row is not None:  # expired, or abandoned by a process that died
                session.delete(row)
            session.add(IdempotentRequest(scope=scope, key=key, state=RUNNING, created_at=now))
            try:
                session.commit()
                return None
            except IntegrityError:  # the same key arrived at the same moment
                session.rollback()
    raise Conflict("a request with this Idempotency-Key is still running; retry when it "
                   "has finished")


def _keep(rt: Runtime, scope: str, key: str, status: int, body: bytes) -> None:
    with rt.transaction() as session:
        row = session.scalar(select(IdempotentRequest).where(
            IdempotentRequest.scope == scope, IdempotentRequest.key == key))
        if row is not None:
            row.state, row.status_code, row.body = DONE, status, body.decode()


def _forget(rt: Runtime, scope: str, key: str) -> None:
    with rt.transaction() as session:
        session.execute(delete(IdempotentRequest).where(
            IdempotentRequest.scope == scope, IdempotentRequest.key == key,
            IdempotentRequest.state == RUNNING))
