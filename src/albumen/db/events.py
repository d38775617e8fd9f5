"""Events, their members, the share links to events and albums, and the guests who came
through them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column

from albumen.db.base import Base, BigId, UTCDateTime, utcnow

# Roles in an event, from most to least powerful.
OWNER, COHOST, CONTRIBUTOR, VIEWER = "owner", "cohost", "contributor", "viewer"
EVENT_ROLES = (OWNER, COHOST, CONTRIBUTOR, VIEWER)


class Event(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    timezone: Mapped[str | None] = mapped_column(String(64))
    location: Mapped[str | None] = mapped_column(String(300))
    cover_asset_id: Mapped[int | None] = mapped_column(
        ForeignKey("assets.id", ondelete="SET NULL", use_alter=True)
    )
    review_required: Mapped[bool] = mapped_column(Boolean, default=False)
    selfie_search: Mapped[bool] = mapped_column(Boolean, default=True)
    # Guests with a viewing link may react to and comment on the event's photos.
    guest_comments: Mapped[bool] = mapped_column(Boolean, default=True,
                                                 server_default=true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class EventMember(Base):
    __tablename__ = "event_members"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(16))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ShareLink(Base):
    """A link to an event or an album for people without an account."""

    __tablename__ = "share_links"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The token sealed with the installation's secret (security/sealing.py), so the link's
    # managers can be shown it again; None for links made before.
    token_sealed: Mapped[str | None] = mapped_column(Text)
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    album_id: Mapped[int | None] = mapped_column(
        ForeignKey("albums.id", ondelete="CASCADE"), index=True
    )
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    label: Mapped[str | None] = mapped_column(String(200))
    can_view: Mapped[bool] = mapped_column(Boolean, default=True)
    can_upload: Mapped[bool] = mapped_column(Boolean, default=False)
    can_download: Mapped[bool] = mapped_column(Boolean, default=False)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    max_uploads: Mapped[int | None] = mapped_column(Integer)
    max_uploads_per_guest: Mapped[int | None] = mapped_column(Integer)
    upload_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    upload_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reveal_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    strip_location: Mapped[bool] = mapped_column(Boolean, default=False)
    # Uploads counted against max_uploads (reserved atomically before a file is stored).
    upload_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Guest(Base):
    """Someone who came through a share link; recognised again by a cookie (hashed here)."""

    __tablename__ = "guests"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    link_id: Mapped[int] = mapped_column(
        ForeignKey("share_links.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str | None] = mapped_column(String(100))
    upload_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ip: Mapped[str | None] = mapped_column(String(64))
