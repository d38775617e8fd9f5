"""Renditions: transformed images kept on the storage (images/service.py), with their size and
last use, so maintenance can keep the cache under its cap by dropping the least recently used;
and image exports, batches of them made into a ZIP in the background."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from albumen.db.base import Base, BigId, UTCDateTime, utcnow


class Rendition(Base):
    __tablename__ = "renditions"
    __table_args__ = (Index("ix_renditions_used_at", "used_at"),)

    key: Mapped[str] = mapped_column(String(200), primary_key=True)  # its storage key
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"),
                                          index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# An export's states: waiting for a worker, being made, ready to download, failed.
EXPORT_QUEUED, EXPORT_RUNNING, EXPORT_DONE, EXPORT_FAILED = "queued", "running", "done", "failed"


class ImageExport(Base):
    """A batch of renditions made in the background into one ZIP (images/batch.py): its
    request, its progress, the file when done."""

    __tablename__ = "image_exports"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                          index=True)
    query: Mapped[str] = mapped_column(Text)
    asset_ids: Mapped[list[int] | None] = mapped_column(JSON)  # a selection, in its order
    options: Mapped[str] = mapped_column(String(400))  # canonical (images/options.py)
    format: Mapped[str] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(16), default=EXPORT_QUEUED)
    total: Mapped[int | None] = mapped_column(Integer)
    done: Mapped[int] = mapped_column(Integer, default=0)
    written: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    size: Mapped[int | None] = mapped_column(BigInteger)
    storage_key: Mapped[str | None] = mapped_column(String(300))
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
