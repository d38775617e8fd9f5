"""/api/v1/clip/search and /api/v1/assets/{id}/similar: text-to-image and image-to-image
similarity with the operator's CLIP model (409 "model_unavailable" when none is installed)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from albumen.api.deps import PrincipalDep, RuntimeDep, SessionDep
from albumen.api.errors import ERRORS
from albumen.api.schemas import AssetOut
from albumen.api.types import IdPath
from albumen.services.search import engine
from albumen.services.search.query import SearchQuery

router = APIRouter(prefix="/api/v1", tags=["clip"], responses=ERRORS)


class ScoredAsset(BaseModel):
    score: float
    asset: AssetOut


class Ranked(BaseModel):
    items: list[ScoredAsset]


def _ranked(results: engine.Results) -> Ranked:
    return Ranked(items=[ScoredAsset(score=h.score or 0.0, asset=AssetOut.of(h.asset))
                         for h in results.items])


@router.get("/clip/search", response_model=Ranked,
            summary="Photos that match a description ('beach at sunset'), best first")
def search(principal: PrincipalDep, rt: RuntimeDep, session: SessionDep,
           q: Annotated[str, Query(min_length=1, max_length=300)],
           limit: Annotated[int, Query(ge=1, le=500)] = 50) -> Ranked:
    query = SearchQuery(viewer=principal.user_id, semantic=q)
    return _ranked(engine.search(rt, session, query, limit))


@router.get("/assets/{asset_id}/similar", response_model=Ranked, tags=["assets"],
            summary="Photos that look like this one (CLIP), best first")
def similar(asset_id: IdPath, principal: PrincipalDep, rt: RuntimeDep, session: SessionDep,
            limit: Annotated[int, Query(ge=1, le=500)] = 50) -> Ranked:
    query = SearchQuery(viewer=principal.user_id, similar_to=asset_id)
    return _ranked(engine.search(rt, session, query, limit))
