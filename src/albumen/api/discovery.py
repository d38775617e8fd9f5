"""Recommendations: photos a signed-in user is likely to engage with, each with its reason."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import select

from albumen.api.deps import AdminDep, PrincipalDep, RuntimeDep, SessionDep
from albumen.api.errors import ERRORS
from albumen.api.schemas import AssetOut
from albumen.db.models import Asset
from albumen.discovery import model as learned
from albumen.discovery.recommend import MAX_LIMIT, Viewer, recommend
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


@router.post("/train", response_model=TrainingOut,
             summary="Train the recommender now on the whole engagement log (admins; the "
                     "workers also do it daily)")
def train(_: AdminDep, rt: RuntimeDep) -> TrainingOut:
    model = learned.train(rt)
    return TrainingOut(actors=len(model.actors), photos=len(model.assets),
                       interactions=int(model.seen.nnz), trained_at=model.trained_at)
