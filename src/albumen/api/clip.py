"""/api/v1/clip/search and /api/v1/assets/{id}/similar: text-to-image and image-to-image
similarity with the operator's CLIP model (409 "model_unavailable" when none is installed).
Without it, ``similar:ID`` in /api/v1/search ranks by appearance instead."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlalchemy.orm import Session

from albumen.api.deps import PrincipalDep, RuntimeDep, SessionDep
from albumen.api.errors import ERRORS
from albumen.api.schemas import AssetOut
from albumen.api.types import IdPath
from albumen.search import engine
from albumen.search.query import SearchQuery

router = APIRouter(prefix="/api/v1", tags=["clip"], responses=ERRORS)


class ScoredAsset(BaseModel):
    score: float
    asset: AssetOut


class Ranked(BaseModel):
    items: list[ScoredAsset]


def _ranked(session: Session, results: engine.Results, viewer: int) -> Ranked:
    outs = AssetOut.many(session, [h.asset for h in results.items], viewer)
    return Ranked(items=[ScoredAsset(score=h.score or 0.0, asset=out)
                         for h, out in zip(results.items, outs, strict=True)])


@router.get("/clip/search", response_model=Ranked,
            summary="Photos that match a description ('beach at sunset'), best first")
def search(principal: PrincipalDep, rt: RuntimeDep, session: SessionDep,
           q: Annotated[str, Query(min_length=1, max_length=300)],
           limit: Annotated[int, Query(ge=1, le=500)] = 50) -> Ranked:
    query = SearchQuery(viewer=principal.user_id, semantic=q)
    return _ranked(session, engine.search(rt, session, query, limit), principal.user_id)


@router.get("/assets/{asset_id}/similar", response_model=Ranked, tags=["assets"],
            summary="Photos that look like this one (CLIP), best first")
def similar(asset_id: IdPath, principal: PrincipalDep, rt: RuntimeDep, session: SessionDep,
            limit: Annotated[int, Query(ge=1, le=500)] = 50) -> Ranked:
    query = SearchQuery(viewer=principal.user_id, similar_to=asset_id, clip_only=True)
    return _ranked(session, engine.search(rt, session, query, limit), principal.user_id)
