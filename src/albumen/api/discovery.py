"""Recommendations: photos a signed-in user is likely to engage with, each with its reason;
more like a photo, and events related to an event."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import select

from albumen.api.deps import AdminDep, PrincipalDep, RuntimeDep, SessionDep
from albumen.api.errors import ERRORS
from albumen.api.schemas import AssetOut
from albumen.api.types import IdPath
from albumen.db.models import Asset
from albumen.discovery import model as learned
from albumen.discovery import related
from albumen.discovery.recommend import MAX_LIMIT, Viewer, recommend, recommend_events
from albumen.events.access import require_event

router = APIRouter(prefix="/api/v1/recommendations", tags=["recommendations"],
                   responses=ERRORS)


class RecommendationOut(BaseModel):
    asset: AssetOut
    score: float = Field(description="higher is a better match (comparable within one list)")
    reason: str = Field(description='why, for people: "because you liked photos with Anna"')
    source: Literal["collaborative", "content", "popular"] = Field(
        description="collaborative: from what people like you engaged with; content: from "
                    "who is in it (newer than the model); popular: most engaged-with")


class TrainingOut(BaseModel):
    actors: int = Field(description="users and guests with engagement")
    photos: int = Field(description="photos with engagement")
    interactions: int
    trained_at: datetime


@router.get("", response_model=list[RecommendationOut],
            summary="Photos you are likely to like, each with the reason (only photos you "
                    "may see)")
def for_me(principal: PrincipalDep, rt: RuntimeDep, session: SessionDep,
           limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
           event_id: Annotated[int | None, Query(ge=1, le=2**63 - 1,
                                                 description="only this event's photos")] = None,
           ) -> list[RecommendationOut]:
    if event_id is not None:
        require_event(session, principal.user_id, event_id)
    recs = recommend(rt, session, Viewer.user(principal.user_id, event_id), limit)
    found = {a.id: a for a in session.scalars(
        select(Asset).where(Asset.id.in_([r.asset_id for r in recs])))}
    assets = [found[r.asset_id] for r in recs if r.asset_id in found]
    outs = {o.id: o for o in AssetOut.many(session, assets, principal.user_id)}
    return [RecommendationOut(asset=outs[r.asset_id], score=r.score, reason=r.reason,
                              source=r.source)  # type: ignore[arg-type]
            for r in recs if r.asset_id in outs]


class EventPickOut(BaseModel):
    event_id: int
    title: str
    score: float
    photos: list[int] = Field(description="its photos you are likely to like, best first")
    reason: str


@router.get("/events", response_model=list[EventPickOut],
            summary="Your events with the most photos you are likely to like and have not "
                    "seen yet, each with its photos and the reason")
def events_for_me(principal: PrincipalDep, rt: RuntimeDep, session: SessionDep,
                  limit: Annotated[int, Query(ge=1, le=50)] = 5) -> list[EventPickOut]:
    return [EventPickOut(event_id=p.event_id, title=p.title, score=p.score, photos=p.photos,
                         reason=p.reason)
            for p in recommend_events(rt, session, principal.user_id, limit)]


@router.post("/train", response_model=TrainingOut,
             summary="Train the recommender now on the whole engagement log (admins; the "
                     "workers also do it daily)")
def train(_: AdminDep, rt: RuntimeDep) -> TrainingOut:
    model = learned.train(rt)
    return TrainingOut(actors=len(model.actors), photos=len(model.assets),
                       interactions=int(model.seen.nnz), trained_at=model.trained_at)


related_router = APIRouter(prefix="/api/v1", responses=ERRORS)


class RelatedOut(BaseModel):
    asset: AssetOut
    score: float = Field(description="the weighted sum of the signals (comparable within "
                                     "one list)")
    reasons: list[str] = Field(description='the strongest signals in words: "with Anna", '
                                           '"taken 12 min apart", "looks alike"')
    signals: dict[str, float] = Field(description="each signal's score, 0 .. 1: clip, look, "
                                                  "people, burst, text, place, time")


class RelatedEventOut(BaseModel):
    event_id: int
    title: str
    score: float
    reasons: list[str]


@related_router.get("/assets/{asset_id}/related", response_model=list[RelatedOut],
                    tags=["assets"],
                    summary="More like this: photos with the same people, the same look or "
                            "burst, similar text, near in place and time (and similar "
                            "content by CLIP where installed); only photos you may see")
def more_like_this(asset_id: IdPath, principal: PrincipalDep, rt: RuntimeDep,
                   session: SessionDep,
                   limit: Annotated[int, Query(ge=1, le=related.MAX_LIMIT)] = 24
                   ) -> list[RelatedOut]:
    found = related.more_like_this(rt, session, principal.user_id, asset_id, limit)
    assets = list(session.scalars(select(Asset).where(Asset.id.in_([r.asset_id
                                                                    for r in found]))))
    outs = {o.id: o for o in AssetOut.many(session, assets, principal.user_id)}
    return [RelatedOut(asset=outs[r.asset_id], score=r.score, reasons=r.reasons,
                       signals=r.signals) for r in found if r.asset_id in outs]


@related_router.get("/events/{event_id}/related", response_model=list[RelatedEventOut],
                    tags=["events"],
                    summary="Your other events most like this one: the same people, the "
                            "same members, near in place and time")
def related_events(event_id: IdPath, principal: PrincipalDep, session: SessionDep,
                   limit: Annotated[int, Query(ge=1, le=50)] = 6) -> list[RelatedEventOut]:
    return [RelatedEventOut(event_id=r.event_id, title=r.title, score=r.score,
                            reasons=r.reasons)
            for r in related.related_events(session, principal.user_id, event_id, limit)]
