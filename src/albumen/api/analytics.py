"""/api/v1/analytics: an event's dashboard for its hosts, the instance's for administrators."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from albumen.api.deps import AdminDep, PrincipalDep, SessionDep
from albumen.api.errors import ERRORS
from albumen.api.types import IdPath
from albumen.services import analytics as svc

router = APIRouter(prefix="/api/v1/analytics", tags=["analytics"], responses=ERRORS)


@router.get("/events/{event_id}",
            summary="An event's dashboard: totals, uploads and views over time (in the "
                    "event's time zone), peak hours, top contributors, most viewed and liked "
                    "photos, people, moderation, sentiment (hosts only)")
def event(event_id: IdPath, principal: PrincipalDep, session: SessionDep) -> dict[str, Any]:
    return svc.event_dashboard(session, principal.user_id, event_id)


@router.get("/events/{event_id}/series", summary="One metric per local hour or day")
def event_series(event_id: IdPath, principal: PrincipalDep, session: SessionDep,
                 metric: Annotated[Literal["uploads", "views", "downloads", "reactions",
                                           "comments"], Query()] = "uploads",
                 bucket: Annotated[Literal["hour", "day"], Query()] = "hour",
                 ) -> list[dict[str, Any]]:
    return svc.series(session, principal.user_id, event_id, metric, bucket)


@router.get("/events/{event_id}/anomalies",
            summary="Hours when one link or address uploaded or viewed far more than usual")
def event_anomalies(event_id: IdPath, principal: PrincipalDep, session: SessionDep
                    ) -> list[dict[str, Any]]:
    return svc.anomalies(session, principal.user_id, event_id)


@router.get("/instance", summary="Growth, storage by user, processing throughput, failures "
                                 "and job latency (administrators)")
def instance(_: AdminDep, session: SessionDep,
             hours: Annotated[int, Query(ge=1, le=24 * 90)] = 24) -> dict[str, Any]:
    return svc.instance_dashboard(session, hours=hours)
