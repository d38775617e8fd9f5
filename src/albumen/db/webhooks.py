"""Outgoing webhooks: the events waiting to be fanned out (the outbox), the endpoints
subscribed to them, and each delivery with its attempts.

An event an integrator can subscribe to is written to ``event_outbox`` in the transaction that
caused it (albumen.notify.emit), so it exists exactly when the change does; the dispatcher
(albumen.webhooks.dispatch) turns each into one delivery per matching webhook and removes it.
A delivery's state lives in its row: a worker killed mid-attempt loses nothing, the attempt is
made again once its lease runs out.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    exists,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from albumen.db.base import Base, BigId, UTCDateTime, utcnow

# A delivery's states: waiting for its next attempt, delivered, given up after the schedule.
PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"


class OutboxEvent(Base):
    """An event committed with the change it tells of, not yet fanned out to webhooks."""

    __tablename__ = "event_outbox"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    message_id: Mapped[str] = mapped_column(String(40))
    type: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)


class Webhook(Base):
    """An endpoint told of events: every event of the instance (an administrator's), one
    event's (its hosts'), or its owner's own library."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                          index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"),
                                                 index=True)
    url: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(String(300))
    types: Mapped[list[str]] = mapped_column(JSON)  # empty: every type
    secret_sealed: Mapped[str] = mapped_column(Text)
    # The secret before the last rotation, still signed with until it expires.
    previous_secret_sealed: Mapped[str | None] = mapped_column(Text)
    previous_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    disabled_reason: Mapped[str | None] = mapped_column(Text)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failures: Mapped[int] = mapped_column(Integer, default=0)  # attempts failed in a row
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WebhookDelivery(Base):
    """One message to one webhook: its body is fixed at the first attempt, so every retry
    and redelivery sends the same bytes under the same ``webhook-id``."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("webhook_id", "message_id"),
        Index("ix_webhook_deliveries_due", "state", "next_attempt_at"),
        Index("ix_webhook_deliveries_webhook_id_id", "webhook_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"))
    message_id: Mapped[str] = mapped_column(String(40))
    type: Mapped[str] = mapped_column(String(40))
    event_at: Mapped[datetime] = mapped_column(UTCDateTime)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    body: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(12), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim: Mapped[str | None] = mapped_column(String(32))  # which worker's attempt holds it
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_latency_ms: Mapped[float | None] = mapped_column(Float)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WebhookAttempt(Base):
    """One try of a delivery: what the target answered (the first few hundred bytes only)."""

    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[int | None] = mapped_column(Integer)
    latency_ms: Mapped[float] = mapped_column(Float)
    error: Mapped[str | None] = mapped_column(Text)
    response: Mapped[str | None] = mapped_column(String(400))


def anything_due(session: Session, now: datetime) -> bool:
    """Whether an event waits to be fanned out or a delivery is due (the workers' sweep)."""
    return bool(session.scalar(select(
        exists().where(OutboxEvent.id.is_not(None))
        | exists().where(WebhookDelivery.state == PENDING,
                         WebhookDelivery.next_attempt_at <= now))))


def any_enabled(session: Session) -> bool:
    return bool(session.scalar(select(exists().where(Webhook.enabled.is_(True)))))
