"""Who may see and change what. Every asset read or write by a user goes through here.

- A user sees their own library, the assets of events they are a member of (owners and
  co-hosts see everything there, including uploads waiting for review; contributors and
  viewers see approved assets plus their own uploads, never the event's trash). An album
  grants nothing of its own: it shows what its owner may see now, so a member removed from
  an event no longer sees (nor shares) the event's photos in their albums.
- Administrators manage accounts; they do not get to read other people's photos.
- Guests never come here: share links have their own checks (events/sharing.py).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import Session

from albumen.db.models import (
    APPROVED,
    COHOST,
    CONTRIBUTOR,
    EVENT_ROLES,
    OWNER,
    VIEWER,
    Album,
    AlbumAsset,
    Asset,
    Event,
    EventMember,
)
from albumen.errors import Forbidden, NotFound

RANK = {role: len(EVENT_ROLES) - i for i, role in enumerate(EVENT_ROLES)}
MODERATORS = (OWNER, COHOST)


def event_role(session: Session, user_id: int, event_id: int) -> str | None:
    return session.scalar(select(EventMember.role).where(
        EventMember.event_id == event_id, EventMember.user_id == user_id))


def require_event(session: Session, user_id: int, event_id: int, at_least: str = VIEWER
                  ) -> tuple[Event, str]:
    """The event and the user's role in it; NotFound when they are not a member at all
    (so ids of other people's events reveal nothing), Forbidden when the role is too low."""
    event = session.get(Event, event_id)
    role = event_role(session, user_id, event_id) if event is not None else None
    if event is None or role is None:
        raise NotFound(f"event {event_id} not found")
    if RANK[role] < RANK[at_least]:
        raise Forbidden(f"this needs the {at_least} role in the event; you are {role}")
    return event, role


def visible_clause(user_id: int | ColumnElement[int]) -> ColumnElement[bool]:
    """SQL condition: the user may see this asset."""
    member = select(EventMember.role).where(
        EventMember.event_id == Asset.event_id, EventMember.user_id == user_id
    ).correlate(Asset)
    moderator = exists(member.where(EventMember.role.in_(MODERATORS)))
    participant = exists(member.where(EventMember.role.in_((CONTRIBUTOR, VIEWER))))
    return or_(
        Asset.owner_id == user_id,
        and_(Asset.event_id.is_not(None), moderator),
        and_(Asset.event_id.is_not(None), participant, Asset.deleted_at.is_(None),
             or_(Asset.moderation == APPROVED, Asset.uploaded_by_id == user_id)),
    )


def album_contents(album_id: int) -> ColumnElement[bool]:
    """SQL condition: the album shows this asset, to its owner and through its links alike:
    placed in it, and one its owner may see now, approved and out of the trash."""
    owner = select(Album.owner_id).where(Album.id == album_id).scalar_subquery()
    placed = exists(select(AlbumAsset.asset_id).where(
        AlbumAsset.album_id == album_id, AlbumAsset.asset_id == Asset.id).correlate(Asset))
    return and_(placed, visible_clause(owner), Asset.moderation == APPROVED,
                Asset.deleted_at.is_(None))


def readable_asset(session: Session, user_id: int, asset_id: int) -> Asset:
    asset = session.scalar(select(Asset).where(Asset.id == asset_id, visible_clause(user_id)))
    if asset is None:
        raise NotFound(f"asset {asset_id} not found")
    return asset


def writable_asset(session: Session, user_id: int, asset_id: int) -> Asset:
    """Trash, restore, edit: the asset's owner, or a moderator of its event."""
    asset = readable_asset(session, user_id, asset_id)
    if asset.owner_id == user_id:
        return asset
    if asset.event_id is not None and event_role(session, user_id, asset.event_id) in MODERATORS:
        return asset
    raise Forbidden(f"you cannot change asset {asset_id}")
