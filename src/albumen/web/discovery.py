"""The web app's discovery strips, loaded after the page (htmx): photos for you on the library
page, more like this beside a photo, related events on an event's page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from albumen.api.deps import RuntimeDep
from albumen.api.types import IdPath
from albumen.discovery import related
from albumen.discovery.recommend import Viewer, recommend
from albumen.web.render import UserDep, page

router = APIRouter(include_in_schema=False)
STRIP = 12


@router.get("/for-you", response_class=HTMLResponse)
def for_you(request: Request, rt: RuntimeDep, who: UserDep) -> Response:
    with rt.session() as session:
        recs = recommend(rt, session, Viewer.user(who.user_id), STRIP)
    picks = [(r.asset_id, r.reason) for r in recs]
    return page(request, "picks.part.html", who, picks=picks, label="For you")


@router.get("/photos/{asset_id}/related", response_class=HTMLResponse)
def more_like_this(asset_id: IdPath, request: Request, rt: RuntimeDep, who: UserDep
                   ) -> Response:
    with rt.session() as session:
        found = related.more_like_this(rt, session, who.user_id, asset_id, STRIP)
    picks = [(r.asset_id, ", ".join(r.reasons)) for r in found]
    return page(request, "picks.part.html", who, picks=picks, label="More like this")


@router.get("/events/{event_id}/related", response_class=HTMLResponse)
def related_events(event_id: IdPath, request: Request, rt: RuntimeDep, who: UserDep
                   ) -> Response:
    with rt.session() as session:
        found = related.related_events(session, who.user_id, event_id)
    return page(request, "related_events.part.html", who, events=found)
