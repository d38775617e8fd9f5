"""Heartbeats of live worker processes (worker/host.py; never copied by backups)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Integer, String, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from albumen.db.base import Base, UTCDateTime, utcnow


class Worker(Base):
    """A live worker process; heartbeats let the CLI and reconciler see who is working."""

    __tablename__ = "workers"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    hostname: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def count_live(session: Session, within_seconds: float) -> int:
    """Workers whose last heartbeat is at most ``within_seconds`` old."""
    return session.scalar(
        select(func.count()).select_from(Worker)
        .where(Worker.last_seen > utcnow() - timedelta(seconds=within_seconds))) or 0
