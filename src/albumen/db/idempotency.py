"""Idempotent requests: what a request sent with an ``Idempotency-Key`` answered, kept a day
so a retry of it gets the same answer instead of doing the work again (api/idempotency.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from albumen.db.base import Base, BigId, UTCDateTime, utcnow

RUNNING, DONE = "running", "done"


class IdempotentRequest(Base):
    __tablename__ = "idempotency_keys"
    __table_args__ = (
        UniqueConstraint("scope", "key"),
        Index("ix_idempotency_keys_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    scope: Mapped[str] = mapped_column(String(80))  # whose key: "user:1", "link:4:guest:9"
    key: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(8), default=RUNNING)
    status_code: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
