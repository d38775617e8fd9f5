"""Renditions: transformed images kept on the storage (images/cache.py), with their size and
last use, so maintenance can keep the cache under its cap by dropping the least recently used.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from albumen.db.base import Base, UTCDateTime, utcnow


class Rendition(Base):
    __tablename__ = "renditions"
    __table_args__ = (Index("ix_renditions_used_at", "used_at"),)

    key: Mapped[str] = mapped_column(String(200), primary_key=True)  # its storage key
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"),
                                          index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
