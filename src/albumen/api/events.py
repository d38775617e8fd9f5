"""/api/v1/events: events, members, moderation; /api/v1/links: share links and QR codes."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from albumen.api.common import aware, live_photo, parse_ids, slug, zip_response
from albumen.api.deps import ActorDep, PrincipalDep, RuntimeDep, SessionDep, client_ip
from albumen.api.errors import ERRORS, ZIP_BODY
from albumen.api.types import Id, IdPath
from albumen.db.base import utcnow
from albumen.db.engagement import DOWNLOAD_ZIP
from albumen.errors import InvalidInput
from albumen.events import downloads
from albumen.events import service as svc
from albumen.events.access import require_event
from albumen.insights import activity
from albumen.library.assets import AssetFilter

router = APIRouter(prefix="/api/v1", tags=["events"], responses=ERRORS)


class EventIn(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    description: str | None = Field(default=None, max_length=10000)
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    timezone: str | None = Field(default=None, max_length=64)
    location: str | None = Field(default=None, max_length=300)
    review_required: bool = False
    selfie_search: bool = True
    guest_comments: bool = Field(default=True, description="guests with a viewing link may "
                                 "react and comment")


class EventPatch(BaseModel):
    title: str | None = Field(default=None, min_length=1, max_length=300)
    description: str | None = Field(default=None, max_length=10000)
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    timezone: str | None = Field(default=None, max_length=64)
    location: str | None = Field(default=None, max_length=300)
    cover_asset_id: Id | None = None
    review_required: bool | None = None
    selfie_search: bool | None = None
    guest_comments: bool | None = None
    archived: bool | None = None


class EventOut(BaseModel):
    id: int
    title: str
    description: str | None
    starts_at: datetime | None
    ends_at: datetime | None
    timezone: str | None
    location: str | None
    cover_asset_id: int | None
    review_required: bool
    selfie_search: bool
    guest_comments: bool
    archived_at: datetime | None
    created_at: datetime
    role: str
    counts: dict[str, int]

    @classmethod
    def of(cls, view: svc.EventView) -> EventOut:
        e = view.event
        return cls(id=e.id, title=e.title, description=e.description, starts_at=e.starts_at,
                   ends_at=e.ends_at, timezone=e.timezone, location=e.location,
                   cover_asset_id=e.cover_asset_id, review_required=e.review_required,
                   selfie_search=e.selfie_search, guest_comments=e.guest_comments,
                   archived_at=e.archived_at,
                   created_at=e.created_at, role=view.role, counts=view.counts)


class MemberIn(BaseModel):
    username: str = Field(min_length=1, max_length=150)
    role: Literal["cohost", "contributor", "viewer"]


class MemberOut(BaseModel):
    user_id: int
    username: str
    role: str


class Decision(BaseModel):
    asset_ids: list[Id] = Field(min_length=1, max_length=10000)
    decision: Literal["approve", "reject", "pending"]
    note: str | None = Field(default=None, max_length=2000)


class Decided(BaseModel):
    changed: int


@router.post("/events", response_model=EventOut, status_code=201)
def create_event(body: EventIn, principal: PrincipalDep, actor: ActorDep,
                 rt: RuntimeDep) -> EventOut:
    event_id = svc.create_event(rt, principal.user_id, aware(body.model_dump()), actor)
    with rt.session() as session:
        return EventOut.of(svc.get_event(session, principal.user_id, event_id))


@router.get("/events", response_model=list[EventOut])
def list_events(principal: PrincipalDep, session: SessionDep,
                archived: bool = False) -> list[EventOut]:
    return [EventOut.of(v) for v in svc.list_events(session, principal.user_id, archived)]


@router.get("/events/{event_id}", response_model=EventOut)
def get_event(event_id: IdPath, principal: PrincipalDep, session: SessionDep) -> EventOut:
    return EventOut.of(svc.get_event(session, principal.user_id, event_id))


@router.patch("/events/{event_id}", response_model=EventOut)
def update_event(event_id: IdPath, body: EventPatch, principal: PrincipalDep, actor: ActorDep,
                 rt: RuntimeDep) -> EventOut:
    values = aware(body.model_dump(exclude_unset=True))
    if "archived" in values and values["archived"] is None:
        raise InvalidInput("archived cannot be null (leave it out to keep it)")
    archived = values.pop("archived", None)
    if values:
        svc.update_event(rt, principal.user_id, event_id, values, actor)
    if archived is not None:
        svc.set_archived(rt, principal.user_id, event_id, archived, actor)
    with rt.session() as session:
        return EventOut.of(svc.get_event(session, principal.user_id, event_id))


@router.delete("/events/{event_id}", status_code=204,
               summary="Delete an event (its assets go to the trash; links stop working)")
def delete_event(event_id: IdPath, principal: PrincipalDep, actor: ActorDep,
                 rt: RuntimeDep) -> Response:
    svc.delete_event(rt, principal.user_id, event_id, actor)
    return Response(status_code=204)


@router.get("/events/{event_id}/members", response_model=list[MemberOut])
def members(event_id: IdPath, principal: PrincipalDep, session: SessionDep) -> list[MemberOut]:
    return [MemberOut(user_id=u.id, username=u.username, role=role)
            for u, role in svc.list_members(session, principal.user_id, event_id)]


@router.put("/events/{event_id}/members", response_model=list[MemberOut],
            summary="Add a member or change their role")
def set_member(event_id: IdPath, body: MemberIn, principal: PrincipalDep, actor: ActorDep,
               rt: RuntimeDep) -> list[MemberOut]:
    svc.set_member(rt, principal.user_id, event_id, body.username, body.role, actor)
    with rt.session() as session:
        return members(event_id, principal, session)


@router.delete("/events/{event_id}/members/{username}", status_code=204)
def remove_member(event_id: IdPath, username: str, principal: PrincipalDep, actor: ActorDep,
                  rt: RuntimeDep) -> Response:
    svc.set_member(rt, principal.user_id, event_id, username, None, actor)
    return Response(status_code=204)


@router.post("/events/{event_id}/moderation", response_model=Decided,
             summary="Approve, reject or send back to review (bulk)")
def moderate(event_id: IdPath, body: Decision, principal: PrincipalDep, actor: ActorDep,
             rt: RuntimeDep) -> Decided:
    changed = svc.moderate(rt, principal.user_id, event_id, body.asset_ids, body.decision,
                           body.note, actor)
    return Decided(changed=changed)


# --- share links -------------------------------------------------------------------------


LIVE_LOOKBACK = timedelta(seconds=30)  # a change committed late still has its turn


@router.get("/events/{event_id}/live", response_class=StreamingResponse,
            summary="Server-sent events: each photo that becomes showable (approved and "
                    "processed), as it happens — for live slideshows",
            responses={200: {"content": {"text/event-stream": {}}}})
async def live(event_id: IdPath, request: Request, principal: PrincipalDep, rt: RuntimeDep,
               since: datetime | None = None,
               poll: Annotated[float, Query(ge=0.2, le=30)] = 1.0,
               duration: Annotated[float, Query(ge=1, le=3600,
                                                description="seconds before the stream ends "
                                                            "(browsers reconnect)")] = 300,
               ) -> StreamingResponse:
    with rt.session() as session:
        require_event(session, principal.user_id, event_id)
    resume = request.headers.get("last-event-id")
    start = aware({"since": since})["since"] if since else None
    if resume:
        try:
            start = datetime.fromisoformat(resume)
        except ValueError:
            start = None
    start = start or utcnow()

    def poll_once(after: datetime) -> list[Any]:
        with rt.session() as session:
            rows = svc.live_photos(session, principal.user_id, event_id, after - LIVE_LOOKBACK)
            return [(a.id, a.updated_at, live_photo(session, a)) for a in rows]

    async def stream() -> AsyncIterator[str]:
        latest, sent = start, set[int]()
        ends = time.monotonic() + duration
        yield "retry: 2000\n\n"
        quiet = 0.0
        while time.monotonic() < ends and not await request.is_disconnected():
            for asset_id, changed, body in await run_in_threadpool(poll_once, latest):
                latest = max(latest, changed)
                if asset_id in sent or changed < start:
                    continue
                sent.add(asset_id)
                quiet = 0.0
                yield f"id: {latest.isoformat()}\nevent: photo\ndata: {json.dumps(body)}\n\n"
            quiet += poll
            if quiet >= 15:  # a comment keeps proxies from closing an idle stream
                quiet = 0.0
                yield ": idle\n\n"
            await asyncio.sleep(poll)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


@router.get("/events/{event_id}/download", response_class=StreamingResponse,
            responses=ZIP_BODY,
            summary="ZIP of the event's photos you can see (streamed originals)")
def download_event(event_id: IdPath, principal: PrincipalDep, rt: RuntimeDep,
                   request: Request, ids: Annotated[str | None, Query(max_length=100000)] = None,
                   ) -> StreamingResponse:
    with rt.session() as session:
        event, _ = require_event(session, principal.user_id, event_id)
        title = event.title
    activity.record(rt, DOWNLOAD_ZIP, user_id=principal.user_id, event_id=event_id,
                    ip=client_ip(request))
    f = AssetFilter(event_id=event_id, viewer=principal.user_id, moderation="approved")
    return zip_response(downloads.archive(rt, f, parse_ids(ids)), f"{slug(title)}.zip")


