"""Engagement: the activity log (views, uploads, downloads, reactions, comments, searches)
and the comments and reactions on photos."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from albumen.db.base import Base, BigId, UTCDateTime, utcnow

# What the activity log records.
VIEW_ASSET, VIEW_GALLERY, VIEW_SLIDESHOW = "view_asset", "view_gallery", "view_slideshow"
UPLOAD, DOWNLOAD, DOWNLOAD_ZIP = "upload", "download", "download_zip"
REACTION, COMMENT, SEARCH = "reaction", "comment", "search"
ACTIVITY_KINDS = (VIEW_ASSET, VIEW_GALLERY, VIEW_SLIDESHOW, UPLOAD, DOWNLOAD, DOWNLOAD_ZIP,
                  REACTION, COMMENT, SEARCH)
REACTION_KINDS = ("like", "love", "laugh", "wow")


class Activity(Base):
    """One thing someone did, with who (user or anonymous guest), when, and in which event /
    through which link. A log: ids are plain columns (no foreign keys), so rows outlive what
    they name and writing them never waits on other tables; a retention setting prunes it."""

    __tablename__ = "activity"
    __table_args__ = (
        Index("ix_activity_event_at", "event_id", "at"),
        Index("ix_activity_at", "at"),
        Index("ix_activity_asset_kind", "asset_id", "kind"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(24))
    user_id: Mapped[int | None] = mapped_column(BigId)
    guest_id: Mapped[int | None] = mapped_column(BigId)
    event_id: Mapped[int | None] = mapped_column(BigId)
    link_id: Mapped[int | None] = mapped_column(BigId)
    asset_id: Mapped[int | None] = mapped_column(BigId)
    ip: Mapped[str | None] = mapped_column(String(45))
    # phone, tablet, desktop, app (a program: the API clients, curl) or bot, from the
    # request's User-Agent (insights/devices.py); None outside a request
    device: Mapped[str | None] = mapped_column(String(8))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Comment(Base):
    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"),
                                          index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    guest_id: Mapped[int | None] = mapped_column(ForeignKey("guests.id", ondelete="SET NULL"))
    author: Mapped[str | None] = mapped_column(String(150))
    text: Mapped[str] = mapped_column(Text)
    # VADER compound score, -1 (negative) .. +1 (positive)
    sentiment: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Reaction(Base):
    """One reaction of one kind per person per photo; ``actor`` is "u:ID" or "g:ID"."""

    __tablename__ = "reactions"
    __table_args__ = (UniqueConstraint("asset_id", "actor", "kind"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"),
                                          index=True)
    actor: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    guest_id: Mapped[int | None] = mapped_column(ForeignKey("guests.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


REPORT_QUEUED, REPORT_RUNNING, REPORT_DONE, REPORT_FAILED = "queued", "running", "done", "failed"


class Report(Base):
    """A PDF made in the background (an event report, a contact sheet), with its progress."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                          index=True)
    kind: Mapped[str] = mapped_column(String(24))
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    title: Mapped[str] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(16), default=REPORT_QUEUED)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    pages: Mapped[int | None] = mapped_column(BigId)
    size: Mapped[int | None] = mapped_column(BigId)
    storage_key: Mapped[str | None] = mapped_column(String(300))
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(BigId, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ActivityCount(Base):
    """Rollup kept by the activity writer: actions of a kind in an event per 15 minutes."""

    __tablename__ = "activity_counts"

    event_id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(24), primary_key=True)
    quantum: Mapped[int] = mapped_column(BigId, primary_key=True)  # UTC epoch seconds // 900
    n: Mapped[int] = mapped_column(BigId, default=0)


class UploadCount(Base):
    """Uploads to an event per 15 minutes, kept by triggers on ``assets`` (db/search_ddl.py)
    whether or not activity is tracked."""

    __tablename__ = "upload_counts"

    event_id: Mapped[int] = mapped_column(BigId, primary_key=True)
    quantum: Mapped[int] = mapped_column(BigId, primary_key=True)  # UTC epoch seconds // 900
    n: Mapped[int] = mapped_column(BigId, default=0)


class ActivitySource(Base):
    """Rollup for anomalies: uploads and views per hour from one link ("l:ID") or one
    address ("i:IP")."""

    __tablename__ = "activity_sources"
    # The median busy hour and the spikes read (event, kind) by count, the index alone.
    __table_args__ = (Index("ix_activity_sources_event_kind_n", "event_id", "kind", "n",
                            "source"),)

    event_id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(24), primary_key=True)
    hour: Mapped[int] = mapped_column(BigId, primary_key=True)  # UTC epoch seconds // 3600
    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    n: Mapped[int] = mapped_column(BigId, default=0)


class ActivitySourceHistogram(Base):
    """How many hours of ``activity_sources`` had each count, per event, kind and kind of
    source (``prefix``: "l:" links, "i:" addresses): the median busy hour for anomalies read
    from a few hundred rows, not from every source-hour. Kept with ``activity_sources`` by
    the activity writer (insights/activity.py); rows whose ``hours`` reach 0 are deleted."""

    __tablename__ = "activity_source_hist"

    event_id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(24), primary_key=True)
    prefix: Mapped[str] = mapped_column(String(2), primary_key=True)
    n: Mapped[int] = mapped_column(BigId, primary_key=True)
    hours: Mapped[int] = mapped_column(BigId, default=0)


class EventFlagCount(Base):
    """How many times screening raised each flag on an event's photos not in the trash (the
    moderation panel), kept by triggers on ``assets`` (db/search_ddl.py); rows whose count
    reaches 0 are deleted."""

    __tablename__ = "event_flag_counts"

    event_id: Mapped[int] = mapped_column(BigId, primary_key=True)
    flag: Mapped[str] = mapped_column(Text, primary_key=True)
    n: Mapped[int] = mapped_column(BigId, default=0)


class ModerationWait(Base):
    """How long a moderator took to decide on a guest upload (seconds from upload to
    decision), for every decided guest upload in an event, trash or not: the moderation
    panel's median read from an index. Kept by triggers on ``assets`` (db/search_ddl.py)
    with the same arithmetic the panel always used, so the median is the same number."""

    __tablename__ = "moderation_waits"
    __table_args__ = (Index("ix_moderation_waits_event_seconds", "event_id", "seconds"),)

    asset_id: Mapped[int] = mapped_column(BigId, primary_key=True)
    event_id: Mapped[int] = mapped_column(BigId)
    seconds: Mapped[float] = mapped_column(Float)


class ActivityActor(Base):
    """Who did something in an event (for unique guests and viewers): "u:ID", "g:ID" or
    "-" for the anonymous; ``what`` is "view" or "upload" or "other"."""

    __tablename__ = "activity_actors"

    event_id: Mapped[int] = mapped_column(BigId, primary_key=True)
    what: Mapped[str] = mapped_column(String(8), primary_key=True)
    actor: Mapped[str] = mapped_column(String(32), primary_key=True)


class AssetEngagement(Base):
    """Views, downloads, reactions and comments per photo, for "most viewed", "most liked"
    and the highlights (kept by insights/activity.py and events/comments.py)."""

    __tablename__ = "asset_engagement"
    # (event, likes, comments): the most liked, and the event's totals read from the index.
    __table_args__ = (Index("ix_asset_engagement_event_views", "event_id", "views"),
                      Index("ix_asset_engagement_event_likes", "event_id", "likes",
                            "comments"))

    asset_id: Mapped[int] = mapped_column(BigId, primary_key=True)
    event_id: Mapped[int | None] = mapped_column(BigId)
    views: Mapped[int] = mapped_column(BigId, default=0)
    downloads: Mapped[int] = mapped_column(BigId, default=0)
    likes: Mapped[int] = mapped_column(BigId, default=0, server_default="0")
    comments: Mapped[int] = mapped_column(BigId, default=0, server_default="0")
