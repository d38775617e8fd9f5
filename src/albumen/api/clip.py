"""/api/v1/clip/search and /api/v1/assets/{id}/similar: text-to-image and image-to-image
similarity with the operator's CLIP model (409 "model_unavailable" when none is installed)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from albumen.api.deps import PrincipalDep, RuntimeDep
from albumen.api.errors import ERRORS
from albumen.api.schemas import AssetOut
from albumen.api.types import IdPath
from albumen.services import clip
from albumen.services.access import readable_asset, visible_clause

router = APIRouter(prefix="/api/v1", tags=["clip"], responses=ERRORS)


class ScoredAsset(BaseModel):
    score: float
    asset: AssetOut


class Ranked(BaseModel):
    items: list[ScoredAsset]


@router.get("/clip/search", response_model=Ranked,
            summary="Photos that match a description ('beach at sunset'), best first")
async def search(principal: PrincipalDep, rt: RuntimeDep,
                 q: Annotated[str, Query(min_length=1, max_length=300)],
                 limit: Annotated[int, Query(ge=1, le=500)] = 50) -> Ranked:
    model = clip.require(rt)
    vector = await run_in_threadpool(model.predict_one, q)
    with rt.session() as session:
        found = clip.rank(session, vector, visible_clause(principal.user_id), limit)
        return Ranked(items=[ScoredAsset(score=s.score, asset=AssetOut.of(s.asset))
                             for s in found])


@router.get("/assets/{asset_id}/similar", response_model=Ranked, tags=["assets"],
            summary="Photos that look like this one (CLIP), best first")
def similar(asset_id: IdPath, principal: PrincipalDep, rt: RuntimeDep,
            limit: Annotated[int, Query(ge=1, le=500)] = 50) -> Ranked:
    with rt.session() as session:
        readable_asset(session, principal.user_id, asset_id)
        clip.require(rt)
        vector = clip.image_vector(session, asset_id)
        found = clip.rank(session, vector, visible_clause(principal.user_id), limit,
                          exclude=asset_id)
        return Ranked(items=[ScoredAsset(score=s.score, asset=AssetOut.of(s.asset))
                             for s in found])
