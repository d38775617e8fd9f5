"""Memories: sets of a user's photos worth seeing again (on this day, a trip, a person over the
years, an event's anniversary), built by the daily discovery job."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from albumen.db.base import Base, BigId, UTCDateTime, utcnow


class Memory(Base):
    __tablename__ = "memories"
    __table_args__ = (UniqueConstraint("owner_id", "kind", "key", "day"),
                      Index("ix_memories_owner_day", "owner_id", "day"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))  # on_this_day, trip, person_years, anniversary
    key: Mapped[str] = mapped_column(String(64))  # what it is of (a year, a trip's first day)
    # The day it is for (on this day, anniversaries); the day it was built for the others.
    day: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(300))
    subtitle: Mapped[str | None] = mapped_column(String(300))
    asset_ids: Mapped[list[int]] = mapped_column(JSON)
    cover_asset_id: Mapped[int | None] = mapped_column(
        ForeignKey("assets.id", ondelete="SET NULL"))
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    built_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
