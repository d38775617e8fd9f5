"""The audit log: who did what to what, from where. Written in the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from albumen.db.models import AuditEntry


@dataclass(frozen=True)
class Actor:
    """Who is acting: a user, a guest, or the system (CLI/jobs), and from which address."""

    user_id: int | None = None
    guest_id: int | None = None
    ip: str | None = None


SYSTEM = Actor()


def record(session: Session, actor: Actor, action: str, target_type: str | None = None,
           target_id: int | None = None, **details: Any) -> None:
    session.add(AuditEntry(
        action=action, actor_user_id=actor.user_id, actor_guest_id=actor.guest_id,
        ip=actor.ip, target_type=target_type, target_id=target_id, details=details or None,
    ))


def query(session: Session, *, action: str | None = None, user_id: int | None = None,
          since: datetime | None = None, before_id: int | None = None,
          limit: int = 100) -> list[AuditEntry]:
    q = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if action:
        q = q.where(AuditEntry.action == action)
    if user_id is not None:
        q = q.where(AuditEntry.actor_user_id == user_id)
    if since is not None:
        q = q.where(AuditEntry.at >= since)
    if before_id is not None:
        q = q.where(AuditEntry.id < before_id)
    return list(session.scalars(q))
