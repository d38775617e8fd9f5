"""Resumable uploads: a file sent in parts (a 2 GB clip over a phone's connection), its bytes
so far on disk, how far it is here (library/resumable.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from albumen.db.base import Base, UTCDateTime, utcnow


class ResumableUpload(Base):
    __tablename__ = "resumable_uploads"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)  # unguessable
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True)
    guest_id: Mapped[int | None] = mapped_column(ForeignKey("guests.id", ondelete="CASCADE"))
    link_id: Mapped[int | None] = mapped_column(ForeignKey("share_links.id",
                                                           ondelete="CASCADE"))
    # Where the file goes once whole (ingest.Origin's fields), decided when it was created.
    destination: Mapped[dict[str, Any]] = mapped_column(JSON)
    filename: Mapped[str] = mapped_column(String(1024))
    length: Mapped[int] = mapped_column(BigInteger)
    offset: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # Once whole: the asset it became (or was a duplicate of), or why it was refused.
    asset_id: Mapped[int | None] = mapped_column(ForeignKey("assets.id", ondelete="SET NULL"))
    outcome: Mapped[str | None] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(Text)
