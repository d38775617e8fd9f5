"""Memories: on this day, trips, people over the years, event anniversaries."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import select

from albumen.api.deps import PrincipalDep, RuntimeDep, SessionDep
from albumen.api.errors import ERRORS
from albumen.api.schemas import AssetOut
from albumen.api.types import IdPath
from albumen.db.base import utcnow
from albumen.db.models import Asset, Memory
from albumen.discovery import memories

router = APIRouter(prefix="/api/v1/memories", tags=["memories"], responses=ERRORS)
Kind = Literal["on_this_day", "trip", "person_years", "anniversary"]
DayQuery = Annotated[date | None, Query(description="the day (default: today, UTC)")]


class MemoryOut(BaseModel):
    id: int
    kind: Kind
    title: str = Field(description='"3 years ago", "Trip to Lisbon", "Anna over the years"')
    subtitle: str | None
    day: date = Field(description="the day it is for (built for, for trips and people)")
    cover_asset_id: int
    asset_ids: list[int] = Field(description="its photos you may see, in order")
    starts_at: datetime | None = Field(description="a trip's first photo")
    ends_at: datetime | None = Field(description="a trip's last photo")

    @classmethod
    def of(cls, memory: Memory, ids: list[int]) -> MemoryOut:
        cover = memory.cover_asset_id if memory.cover_asset_id in ids else ids[0]
        return cls(id=memory.id, kind=memory.kind, title=memory.title,  # type: ignore[arg-type]
                   subtitle=memory.subtitle, day=memory.day, cover_asset_id=cover,
                   asset_ids=ids, starts_at=memory.starts_at, ends_at=memory.ends_at)


class MemoryDetail(MemoryOut):
    assets: list[AssetOut]


class Built(BaseModel):
    day: date
    memories: int


@router.get("", response_model=list[MemoryOut],
            summary="Your memories of a day (built by the daily job; built now when missing)")
def list_memories(principal: PrincipalDep, rt: RuntimeDep, session: SessionDep,
                  day: DayQuery = None) -> list[MemoryOut]:
    day = day or utcnow().date()
    built = session.scalar(select(Memory.id).where(Memory.owner_id == principal.user_id,
                                                   Memory.day == day).limit(1))
    if built is None:
        memories.build(rt, principal.user_id, day)
        session.expire_all()
    return [MemoryOut.of(m, ids) for m, ids in memories.for_day(session, principal.user_id, day)]


@router.post("/build", response_model=Built, summary="Build your memories of a day again now")
def build(principal: PrincipalDep, rt: RuntimeDep, day: DayQuery = None) -> Built:
    day = day or utcnow().date()
    return Built(day=day, memories=memories.build(rt, principal.user_id, day))


@router.get("/{memory_id}", response_model=MemoryDetail, summary="A memory with its photos")
def show(memory_id: IdPath, principal: PrincipalDep, session: SessionDep) -> MemoryDetail:
    memory, ids = memories.one(session, principal.user_id, memory_id)
    found = {a.id: a for a in session.scalars(select(Asset).where(Asset.id.in_(ids)))}
    assets = AssetOut.many(session, [found[i] for i in ids if i in found], principal.user_id)
    out = MemoryOut.of(memory, ids) if ids else MemoryOut(
        id=memory.id, kind=memory.kind, title=memory.title,  # type: ignore[arg-type]
        subtitle=memory.subtitle, day=memory.day, cover_asset_id=memory.cover_asset_id or 0,
        asset_ids=[], starts_at=memory.starts_at, ends_at=memory.ends_at)
    return MemoryDetail(**out.model_dump(), assets=assets)
