"""Events: list, create, the event's photos, moderation, sharing (links, QR), members,
settings, and the live slideshow."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from albumen.api.common import live_photo
from albumen.api.deps import RuntimeDep, client_ip
from albumen.api.types import IdPath
from albumen.db.base import utcnow
from albumen.db.engagement import VIEW_GALLERY, VIEW_SLIDESHOW
from albumen.db.models import COHOST, OWNER, PENDING_REVIEW
from albumen.events import service as svc
from albumen.events import sharing
from albumen.insights import activity
from albumen.library import albums as album_svc
from albumen.library import assets as asset_svc
from albumen.search import engine
from albumen.web.library import PAGE, _more, timeline_chunk
from albumen.web.links import links_context
from albumen.web.render import UserDep, page

router = APIRouter(include_in_schema=False)
Cursor = Annotated[str | None, Query(max_length=400)]
TIMEZONES = ("UTC", "Europe/London", "Europe/Lisbon", "Europe/Paris", "Europe/Berlin",
             "Europe/Madrid", "Europe/Rome", "Europe/Warsaw", "Europe/Athens", "Africa/Lagos",
             "Africa/Johannesburg", "Asia/Dubai", "Asia/Kolkata", "Asia/Singapore",
             "Asia/Tokyo", "Australia/Sydney", "America/New_York", "America/Chicago",
             "America/Denver", "America/Los_Angeles", "America/Sao_Paulo",
             "America/Mexico_City", "Pacific/Auckland")


def _manages(role: str) -> bool:
    return role in (OWNER, COHOST)


@router.get("/events", response_class=HTMLResponse)
def event_list(request: Request, rt: RuntimeDep, who: UserDep, archived: bool = False
               ) -> Response:
    with rt.session() as session:
        found = svc.list_events(session, who.user_id, archived)
    return page(request, "events.html", who, title="Events", nav="events", events=found,
                archived=archived)


@router.get("/events/new", response_class=HTMLResponse)
def new_event(request: Request, who: UserDep) -> Response:
    return page(request, "event_form.html", who, title="New event", nav="events", event=None,
                timezones=TIMEZONES)


def _event(rt: Any, who: Any, event_id: int, tab: str, **extra: Any) -> dict[str, Any]:
    with rt.session() as session:
        view = svc.get_event(session, who.user_id, event_id)
        counts = svc.moderation_counts(session, event_id) if _manages(view.role) else {}
    return {"view": view, "event": view.event, "role": view.role,
            "manages": _manages(view.role), "tab": tab, "pending": counts.get(PENDING_REVIEW, 0),
            "nav": "events", "title": view.event.title, **extra}


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_photos(event_id: IdPath, request: Request, rt: RuntimeDep, who: UserDep) -> Response:
    context = _event(rt, who, event_id, "photos")
    activity.record(rt, VIEW_GALLERY, user_id=who.user_id, event_id=event_id,
                    ip=client_ip(request))
    with rt.session() as session:
        chunk = timeline_chunk(rt, session, who.user_id, None, None, event_id)
        mine = album_svc.list_albums(session, who.user_id)
    return page(request, "event_photos.html", who, **context, **chunk, albums=mine)


@router.get("/events/{event_id}/moderation", response_class=HTMLResponse)
def moderation(event_id: IdPath, request: Request, rt: RuntimeDep, who: UserDep,
               cursor: Cursor = None) -> Response:
    context = _event(rt, who, event_id, "moderation")
    if not context["manages"]:
        from albumen.errors import Forbidden

        raise Forbidden("only the event's hosts moderate it")
    f = asset_svc.AssetFilter(event_id=event_id, moderation=PENDING_REVIEW, viewer=who.user_id)
    with rt.session() as session:
        result = engine.browse(session, f, PAGE, cursor)
        items = [(a, _uploader(session, a)) for a in result.items]
    more = (_more(f"/events/{event_id}/moderation", cursor=result.next_cursor)
            if result.next_cursor else None)
    return page(request, "event_moderation.html", who, **context, items=items, more=more)


def _uploader(session: Any, asset: Any) -> str | None:
    return live_photo(session, asset)["by"]


@router.get("/events/{event_id}/sharing", response_class=HTMLResponse)
def event_sharing(event_id: IdPath, request: Request, rt: RuntimeDep, who: UserDep) -> Response:
    context = _event(rt, who, event_id, "sharing")
    with rt.session() as session:
        links = sharing.list_links(session, who.user_id, event_id) if context["manages"] else []
    return page(request, "event_sharing.html", who, **context,
                **links_context(rt, request, links), now=utcnow())


@router.get("/events/{event_id}/members", response_class=HTMLResponse)
def event_members(event_id: IdPath, request: Request, rt: RuntimeDep, who: UserDep) -> Response:
    context = _event(rt, who, event_id, "members")
    with rt.session() as session:
        members = svc.list_members(session, who.user_id, event_id)
    return page(request, "event_members.html", who, **context, members=members)


@router.get("/events/{event_id}/settings", response_class=HTMLResponse)
def event_settings(event_id: IdPath, request: Request, rt: RuntimeDep, who: UserDep) -> Response:
    context = _event(rt, who, event_id, "settings", timezones=TIMEZONES)
    return page(request, "event_form.html", who, **context)


@router.get("/events/{event_id}/slideshow", response_class=HTMLResponse)
def slideshow(event_id: IdPath, request: Request, rt: RuntimeDep, who: UserDep,
              interval: Annotated[float, Query(ge=2, le=120)] = 6) -> Response:
    context = _event(rt, who, event_id, "slideshow")
    activity.record(rt, VIEW_SLIDESHOW, user_id=who.user_id, event_id=event_id,
                    ip=client_ip(request))
    started = utcnow()
    with rt.session() as session:
        photos = [live_photo(session, a)
                  for a in svc.showable_photos(session, who.user_id, event_id)]
    return page(request, "slideshow.html", who, **context, photos=photos, interval=interval,
                started=started.isoformat())


@router.get("/events/{event_id}/insights", response_class=HTMLResponse)
def insights(event_id: IdPath, request: Request, rt: RuntimeDep, who: UserDep) -> Response:
    from albumen.insights import analytics, forecast, highlights, segments

    context = _event(rt, who, event_id, "insights")
    if not context["manages"]:
        from albumen.errors import Forbidden

        raise Forbidden("only the event's hosts see its analytics")
    with rt.session() as session:
        dashboard = analytics.event_dashboard(session, who.user_id, event_id)
        spikes = analytics.anomalies(session, who.user_id, event_id)
        picks = highlights.highlights(session, who.user_id, event_id, 8)
        audience = segments.event_segments(session, who.user_id, event_id)
        ahead = forecast.event_forecast(session, who.user_id, event_id, "uploads")
    return page(request, "event_insights.html", who, **context, d=dashboard, spikes=spikes,
                picks=picks, audience=audience, ahead=ahead)
