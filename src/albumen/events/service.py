"""Events: create, edit, archive, delete; members and their roles; moderation of uploads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from albumen.accounts import audit
from albumen.accounts.audit import Actor
from albumen.db.base import utcnow
from albumen.db.models import (
    APPROVED,
    ASSET_READY,
    COHOST,
    EVENT_ROLES,
    OWNER,
    PENDING_REVIEW,
    REJECTED,
    Asset,
    Event,
    EventMember,
    User,
)
from albumen.errors import Conflict, Forbidden, InvalidInput, NotFound
from albumen.events.access import require_event
from albumen.notify import emit
from albumen.runtime import Runtime

EDITABLE = ("title", "description", "starts_at", "ends_at", "timezone", "location",
            "cover_asset_id", "review_required", "selfie_search", "guest_comments")
NOT_NULL = ("title", "review_required", "selfie_search", "guest_comments")


@dataclass
class EventView:
    event: Event
    role: str
    counts: dict[str, int] = field(default_factory=dict)


def _check(values: dict[str, Any]) -> None:
    for key in NOT_NULL:
        if key in values and values[key] is None:
            raise InvalidInput(f"{key} cannot be null (leave it out to keep it)")
    tz = values.get("timezone")
    if tz:
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise InvalidInput(f"unknown time zone {tz!r} (use an IANA name like "
                               "'Europe/Lisbon')") from exc
    start, end = values.get("starts_at"), values.get("ends_at")
    if start and end and end < start:
        raise InvalidInput("ends_at is before starts_at")
    if "title" in values and not (values["title"] or "").strip():
        raise InvalidInput("title must not be empty")


def create_event(rt: Runtime, owner_id: int, values: dict[str, Any], actor: Actor) -> int:
    _check(values)
    with rt.transaction() as session:
        event = Event(owner_id=owner_id, **{k: v for k, v in values.items() if k in EDITABLE})
        session.add(event)
        session.flush()
        session.add(EventMember(event_id=event.id, user_id=owner_id, role=OWNER))
        audit.record(session, actor, "event.create", "event", event.id, title=event.title)
        return event.id


def list_events(session: Session, user_id: int, archived: bool = False) -> list[EventView]:
    rows = session.execute(
        select(Event, EventMember.role)
        .join(EventMember, EventMember.event_id == Event.id)
        .where(EventMember.user_id == user_id,
               Event.archived_at.is_not(None) if archived else Event.archived_at.is_(None))
        .order_by(Event.starts_at.desc().nulls_last(), Event.id.desc())
    ).all()
    return [EventView(event, role, moderation_counts(session, event.id)) for event, role in rows]


def get_event(session: Session, user_id: int, event_id: int) -> EventView:
    event, role = require_event(session, user_id, event_id)
    return EventView(event, role, moderation_counts(session, event_id))


def moderation_counts(session: Session, event_id: int) -> dict[str, int]:
    rows = session.execute(
        select(Asset.moderation, func.count()).where(
            Asset.event_id == event_id, Asset.deleted_at.is_(None)
        ).group_by(Asset.moderation)
    ).all()
    counts = {APPROVED: 0, PENDING_REVIEW: 0, REJECTED: 0}
    counts.update({state: n for state, n in rows})
    return counts


def update_event(rt: Runtime, user_id: int, event_id: int, values: dict[str, Any],
                 actor: Actor) -> None:
    with rt.transaction() as session:
        event, _ = require_event(session, user_id, event_id, COHOST)
        merged = {k: getattr(event, k) for k in ("starts_at", "ends_at")} | values
        _check(merged)
        cover = values.get("cover_asset_id")
        if cover is not None and session.scalar(
                select(Asset.event_id).where(Asset.id == cover)) != event_id:
            raise InvalidInput(f"asset {cover} is not in this event")
        for key, value in values.items():
            if key in EDITABLE:
                setattr(event, key, value)
        audit.record(session, actor, "event.update", "event", event_id,
                     fields=sorted(values))


def set_archived(rt: Runtime, user_id: int, event_id: int, archived: bool,
                 actor: Actor) -> None:
    with rt.transaction() as session:
        event, _ = require_event(session, user_id, event_id, OWNER)
        event.archived_at = utcnow() if archived else None
        audit.record(session, actor, "event.archive" if archived else "event.unarchive",
                     "event", event_id)


def delete_event(rt: Runtime, user_id: int, event_id: int, actor: Actor) -> None:
    """Delete an event: its assets go to the trash (restorable), its links stop working."""
    with rt.transaction() as session:
        event, _ = require_event(session, user_id, event_id, OWNER)
        session.execute(update(Asset).where(Asset.event_id == event_id,
                                            Asset.deleted_at.is_(None))
                        .values(deleted_at=utcnow()))
        session.execute(update(Asset).where(Asset.event_id == event_id)
                        .values(event_id=None))
        audit.record(session, actor, "event.delete", "event", event_id, title=event.title)
        session.delete(event)


def list_members(session: Session, user_id: int, event_id: int) -> list[tuple[User, str]]:
    require_event(session, user_id, event_id)
    rows = session.execute(
        select(User, EventMember.role).join(EventMember, EventMember.user_id == User.id)
        .where(EventMember.event_id == event_id).order_by(User.username))
    return [(user, role) for user, role in rows]


def set_member(rt: Runtime, user_id: int, event_id: int, member: str, role: str | None,
               actor: Actor) -> None:
    """Add a member, change a role, or remove (role None). Co-hosts manage contributors and
    viewers; only the owner manages co-hosts; the owner role does not change hands here."""
    if role is not None and role not in EVENT_ROLES:
        raise InvalidInput(f"role must be one of {', '.join(EVENT_ROLES)}")
    if role == OWNER:
        raise InvalidInput("an event has one owner; give co-host instead")
    with rt.transaction() as session:
        _, my_role = require_event(session, user_id, event_id, COHOST)
        target = session.scalar(select(User).where(func.lower(User.username) == member.lower()))
        if target is None or not target.is_active:
            raise NotFound(f"no active user {member!r}")
        current = session.get(EventMember, (event_id, target.id))
        if current is not None and current.role == OWNER:
            raise Conflict("the owner's role cannot be changed")
        if my_role != OWNER and (role == COHOST or (current and current.role == COHOST)):
            raise Forbidden("only the owner manages co-hosts")
        if role is None:
            if current is not None:
                session.delete(current)
        elif current is None:
            session.add(EventMember(event_id=event_id, user_id=target.id, role=role))
        else:
            current.role = role
        audit.record(session, actor, "event.member", "event", event_id, user_id=target.id,
                     role=role)


def moderate(rt: Runtime, user_id: int, event_id: int, asset_ids: list[int], decision: str,
             note: str | None, actor: Actor) -> int:
    """Approve, reject or send back to review a set of the event's assets; returns how many
    changed."""
    states = {"approve": APPROVED, "reject": REJECTED, "pending": PENDING_REVIEW}
    if decision not in states:
        raise InvalidInput("decision must be approve, reject or pending")
    if not asset_ids:
        raise InvalidInput("no asset ids given")
    with rt.transaction() as session:
        require_event(session, user_id, event_id, COHOST)
        found = set(session.scalars(select(Asset.id).where(
            Asset.id.in_(asset_ids), Asset.event_id == event_id)))
        missing = sorted(set(asset_ids) - found)
        if missing:
            raise NotFound(f"assets not in this event: {missing[:20]}",
                           details={"asset_ids": missing})
        changing = sorted(session.scalars(select(Asset.id).where(
            Asset.id.in_(found), Asset.moderation != states[decision])))
        if changing:
            session.execute(
                update(Asset).where(Asset.id.in_(changing))
                .values(moderation=states[decision], moderated_by_id=user_id,
                        moderated_at=utcnow(), moderation_note=note))
        audit.record(session, actor, f"moderation.{decision}", "event", event_id,
                     asset_ids=sorted(found), note=note)
        for asset_id in changing:
            if decision == "pending":
                emit(session, "moderation.pending", asset_id=asset_id, event_id=event_id,
                     note=note)
            else:
                emit(session, "moderation.decided", asset_id=asset_id, event_id=event_id,
                     decision=states[decision], note=note, by_user_id=user_id)
        return len(changing)


def live_photos(session: Session, user_id: int, event_id: int, since: datetime,
                limit: int = 200) -> list[Asset]:
    """The event's photos that became showable (approved, processed, not trashed) at or after
    ``since``, oldest change first: what a live slideshow adds to its rotation."""
    require_event(session, user_id, event_id)
    return list(session.scalars(
        select(Asset).where(Asset.event_id == event_id, Asset.moderation == APPROVED,
                            Asset.state == ASSET_READY, Asset.deleted_at.is_(None),
                            Asset.updated_at >= since)
        .order_by(Asset.updated_at, Asset.id).limit(limit)))


def showable_photos(session: Session, user_id: int, event_id: int, limit: int = 500
                    ) -> list[Asset]:
    """The newest showable photos of the event, newest first (a slideshow's starting set)."""
    require_event(session, user_id, event_id)
    return list(session.scalars(
        select(Asset).where(Asset.event_id == event_id, Asset.moderation == APPROVED,
                            Asset.state == ASSET_READY, Asset.deleted_at.is_(None))
        .order_by(Asset.sort_at.desc(), Asset.id.desc()).limit(limit)))


