"""/api/v1/ws: events as they happen, over a WebSocket (albumen.notify).

Authenticated like the API: ``Authorization: Bearer <token or API key>``, ``?access_token=``
(browsers cannot set headers on a WebSocket), or the web session cookie from a page of the
same origin. The client says what it wants to hear, as often as it likes:

    {"subscribe": {"assets": [12, 13]}}   those assets (each must be one you may see)
    {"subscribe": {"event": 4}}           everything happening in an event you are in
    {"subscribe": {"mine": true}}         your library and your own uploads
    {"unsubscribe": ...}                  the same shapes

and receives each event as JSON: ``{"id", "type", "time", "asset_id", ...}`` with types
``asset.created``, ``asset.stage`` (stage, state: running/done/failed), ``asset.progress``
(stage, done, total: a document's pages read), and the webhooks' types (albumen.notify.TYPES:
``asset.processed``, ``asset.failed``, ``asset.deleted``, ``event.upload``,
``moderation.pending``, ``moderation.decided``, ``comment.created``, ``report.ready``,
``document.classified``, ``person.created``). Replies: ``{"type": "subscribed", ...}``, an
``{"type": "error", "message"}`` for a bad request (the socket stays open), and
``{"type": "lost", "count"}`` when this client fell behind and its oldest events were dropped.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, WebSocket, WebSocketDisconnect
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from sqlalchemy import select

from albumen.accounts.auth import Principal, authenticate_token
from albumen.api.common import parse_ids
from albumen.api.deps import SESSION_COOKIE, PrincipalDep, RuntimeDep
from albumen.api.types import Id
from albumen.db.models import APPROVED, COHOST, OWNER, Asset
from albumen.errors import AlbumenError, InvalidInput, Unauthorized
from albumen.events.access import readable_asset, require_event
from albumen.runtime import Runtime

log = logging.getLogger(__name__)
router = APIRouter(tags=["live"])
PING_SECONDS = 25.0
MAX_ASSETS = 1000  # assets one connection may follow by id
ROUTES = 2000  # events whose asset's owner and event are remembered


@dataclass
class Route:
    owner_id: int | None
    uploaded_by_id: int | None
    event_id: int | None
    moderation: str


@dataclass
class Interest:
    """What one connection listens to, checked when it subscribed."""

    user_id: int
    assets: set[int] = field(default_factory=set)
    events: dict[int, str] = field(default_factory=dict)  # event id -> the user's role
    mine: bool = False

    def decided(self, item: dict[str, Any]) -> bool | None:
        """Whether this connection hears ``item``, when that needs no database (None: it
        needs the asset's owner and event, ``wants``)."""
        asset_id = item.get("asset_id")
        if asset_id is None:  # a person found, a report ready: its owner's; or an event's
            if item.get("owner_id") is not None:
                return self.mine and item["owner_id"] == self.user_id
            return self.events.get(item.get("event_id")) in (OWNER, COHOST)
        if asset_id in self.assets:
            return True
        if not self.mine and not self.events:
            return False
        known, route = _cached_route(item)
        return self._hears(route) if known else None

    def wants(self, rt: Runtime, item: dict[str, Any]) -> bool:
        found = self.decided(item)
        return found if found is not None else self._hears(_route(rt, item))

    def _hears(self, route: Route | None) -> bool:
        if route is None:
            return False
        if self.mine and self.user_id in (route.owner_id, route.uploaded_by_id):
            return True
        role = self.events.get(route.event_id) if route.event_id is not None else None
        # Hosts hear of everything in their event; others of what they may see in it.
        return role in (OWNER, COHOST) or (role is not None and route.moderation == APPROVED)


# The owner, event and moderation of each event's asset, looked up once for every connection
# (an event reaches them all within milliseconds): keyed by the event's id, so a change of
# moderation is seen by the next event, never cached past it.
_routes: OrderedDict[str, Route | None] = OrderedDict()
_routes_lock = threading.Lock()


def _cached_route(item: dict[str, Any]) -> tuple[bool, Route | None]:
    with _routes_lock:
        if item["id"] in _routes:
            return True, _routes[item["id"]]
    return False, None


def _route(rt: Runtime, item: dict[str, Any]) -> Route | None:
    known, found = _cached_route(item)
    if known:
        return found
    with rt.session() as session:
        row = session.execute(select(Asset.owner_id, Asset.uploaded_by_id, Asset.event_id,
                                     Asset.moderation).where(Asset.id == item["asset_id"])
                              ).first()
    found = Route(*row) if row is not None else None
    with _routes_lock:
        _routes[item["id"]] = found
        while len(_routes) > ROUTES:
            _routes.popitem(last=False)
    return found


async def hears(rt: Runtime, interest: Interest, item: dict[str, Any]) -> bool:
    """``interest.wants(item)``, off the event loop only when the database must answer."""
    found = interest.decided(item)
    return found if found is not None else await run_in_threadpool(interest.wants, rt, item)


def _principal(rt: Runtime, ws: WebSocket) -> Principal:
    header = ws.headers.get("authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else None
    token = token or ws.query_params.get("access_token")
    if token:
        principal = authenticate_token(rt, token, "token")
    elif cookie := ws.cookies.get(SESSION_COOKIE):
        origin, host = ws.headers.get("origin", ""), ws.headers.get("host", "")
        if origin.split("://", 1)[-1] != host:  # a page of another site using our cookie
            raise Unauthorized("a session cookie is accepted from albumen's own pages only")
        principal = authenticate_token(rt, cookie, "cookie")
    else:
        raise Unauthorized("log in first: send 'Authorization: Bearer <token or API key>' "
                           "or ?access_token=")
    principal.require("read")
    return principal


def _change(rt: Runtime, interest: Interest, request: Any) -> dict[str, Any]:
    """Apply one subscribe/unsubscribe message; what the client now listens to."""
    if not isinstance(request, dict) or len(request) != 1:
        raise AlbumenError('send {"subscribe": {...}} or {"unsubscribe": {...}}')
    (verb, what), = request.items()
    if verb not in ("subscribe", "unsubscribe") or not isinstance(what, dict) or not what:
        raise AlbumenError('send {"subscribe": {...}} or {"unsubscribe": {...}}')
    adding = verb == "subscribe"
    unknown = set(what) - {"assets", "event", "mine"}
    if unknown:
        raise AlbumenError(f"unknown subscription {sorted(unknown)}: assets, event or mine")
    with rt.session() as session:
        if "assets" in what:
            ids = what["assets"]
            if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
                raise AlbumenError("assets is a list of asset ids")
            if adding:
                if len(interest.assets | set(ids)) > MAX_ASSETS:
                    raise AlbumenError(f"at most {MAX_ASSETS} assets a connection")
                for asset_id in ids:
                    readable_asset(session, interest.user_id, asset_id)
                interest.assets |= set(ids)
            else:
                interest.assets -= set(ids)
        if "event" in what:
            event_id = what["event"]
            if not isinstance(event_id, int):
                raise AlbumenError("event is an event id")
            if adding:
                _, role = require_event(session, interest.user_id, event_id)
                interest.events[event_id] = role
            else:
                interest.events.pop(event_id, None)
        if "mine" in what:
            interest.mine = adding and bool(what["mine"])
    return {"type": "subscribed", "assets": sorted(interest.assets),
            "events": sorted(interest.events), "mine": interest.mine}


@router.websocket("/api/v1/ws")
async def live(ws: WebSocket) -> None:
    rt: Runtime = ws.app.state.runtime
    try:
        principal = await run_in_threadpool(_principal, rt, ws)
    except AlbumenError as exc:
        await ws.close(code=4401 if isinstance(exc, Unauthorized) else 4403,
                       reason=exc.message[:120])
        return
    if principal.user_id is None:
        await ws.close(code=4403, reason="a user's token is needed")
        return
    await ws.accept()
    interest = Interest(principal.user_id)
    sub = rt.hub.subscribe(asyncio.get_running_loop())
    lost = 0

    async def listen() -> None:
        while True:
            raw = await ws.receive_text()
            try:
                reply = await run_in_threadpool(_change, rt, interest, json.loads(raw))
            except (ValueError, AlbumenError) as exc:
                message = exc.message if isinstance(exc, AlbumenError) else "not JSON"
                reply = {"type": "error", "message": message}
            await ws.send_json(reply)

    async def forward() -> None:
        nonlocal lost
        while True:
            item = await sub.get(PING_SECONDS)
            if sub.lost > lost:
                await ws.send_json({"type": "lost", "count": sub.lost - lost})
                lost = sub.lost
            if item is None:
                await ws.send_json({"type": "ping"})
            elif await hears(rt, interest, item):
                await ws.send_json(item)

    tasks = [asyncio.create_task(listen()), asyncio.create_task(forward())]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        rt.hub.unsubscribe(sub)
    for task in done:
        exc = task.exception()
        if exc is not None and not isinstance(exc, WebSocketDisconnect):
            log.warning("live connection ended: %s", exc)


@router.get("/api/v1/live", response_class=StreamingResponse,
            summary="The WebSocket's events as Server-Sent Events (for clients without "
                    "WebSockets): assets=1,2, event=ID and/or mine=true say what to hear",
            responses={200: {"content": {"text/event-stream": {}}}})
async def live_stream(request: Request, rt: RuntimeDep, principal: PrincipalDep,
                      assets: Annotated[str | None, Query(max_length=20000)] = None,
                      event: Id | None = None, mine: bool = False,
                      duration: Annotated[float, Query(ge=1, le=3600, description=(
                          "seconds before the stream ends (browsers reconnect)"))] = 300,
                      ) -> StreamingResponse:
    if principal.user_id is None:
        raise Unauthorized("a user's token is needed")
    interest = Interest(principal.user_id)
    wanted: dict[str, Any] = {}
    if assets:
        wanted["assets"] = parse_ids(assets)
    if event is not None:
        wanted["event"] = event
    if mine:
        wanted["mine"] = True
    if not wanted:
        raise InvalidInput("say what to hear: assets=…, event=… or mine=true")
    await run_in_threadpool(_change, rt, interest, {"subscribe": wanted})
    sub = rt.hub.subscribe(asyncio.get_running_loop())

    async def stream() -> AsyncIterator[str]:
        ends = time.monotonic() + duration
        try:
            yield "retry: 2000\n\n"
            while time.monotonic() < ends and not await request.is_disconnected():
                item = await sub.get(min(PING_SECONDS, max(0.1, ends - time.monotonic())))
                if item is None:
                    yield ": idle\n\n"
                elif await hears(rt, interest, item):
                    yield f"id: {item['id']}\nevent: {item['type']}\ndata: {json.dumps(item)}\n\n"
        finally:
            rt.hub.unsubscribe(sub)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
