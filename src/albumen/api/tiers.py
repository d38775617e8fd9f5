"""Curation tiers: what each means, how many assets are in each, and setting them in bulk."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from albumen.api.deps import ActorDep, PrincipalDep, RuntimeDep, SessionDep
from albumen.api.errors import ERRORS
from albumen.api.types import Id
from albumen.library import tiers

router = APIRouter(prefix="/api/v1", tags=["tiers"], responses=ERRORS)
Tier = Literal["bronze", "silver", "gold"]


class TierRule(BaseModel):
    tier: Tier
    meaning: str = Field(description="what the tier says of an asset")
    requires: list[str] = Field(description="what an asset needs to be promoted to it")
    count: int = Field(description="your assets in this tier (not in the trash)")


class TierIn(BaseModel):
    asset_ids: Annotated[list[Id], Field(min_length=1, max_length=tiers.MAX_BATCH)]
    tier: Tier


class Refusal(BaseModel):
    asset_id: int
    reason: str = Field(description="why it was not changed (what gold needs, a permission…)")


class TierOut(BaseModel):
    tier: Tier
    changed: list[int] = Field(description="moved to the tier")
    unchanged: list[int] = Field(description="already in it")
    refused: list[Refusal] = Field(description="left where they were, each with the reason")


@router.get("/tiers", response_model=list[TierRule],
            summary="The curation tiers, what each means and takes, and how many you have")
def tier_rules(principal: PrincipalDep, session: SessionDep) -> list[TierRule]:
    counted = tiers.counts(session, principal.user_id)
    return [TierRule(count=counted[str(rule["tier"])], **rule)
            for rule in tiers.rules()]


@router.post("/assets/tier", response_model=TierOut,
             summary="Promote or demote assets (each changed or refused on its own)")
def set_tier(body: TierIn, actor: ActorDep, rt: RuntimeDep) -> TierOut:
    result = tiers.set_tier(rt, body.asset_ids, body.tier, actor)
    return TierOut(tier=body.tier, changed=result.changed, unchanged=result.unchanged,
                   refused=[Refusal(asset_id=i, reason=r) for i, r in result.refused.items()])
