"""Typed SQLAlchemy models. Schema changes go through Alembic migrations only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from albumen.db.base import Base, BigId, UTCDateTime, utcnow

# Processing states of an asset and of each of its stages.
PENDING, RUNNING, DONE, FAILED = "pending", "running", "done", "failed"
ASSET_PROCESSING, ASSET_READY, ASSET_FAILED = "processing", "ready", "failed"


# Moderation states of an asset (library assets and approved uploads are "approved").
APPROVED, PENDING_REVIEW, REJECTED = "approved", "pending", "rejected"
# The note on a guest upload that waits for the screening stage before anyone sees it.
AWAITING_SCREENING = "awaiting screening"


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    username: Mapped[str] = mapped_column(String(150), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    quota_bytes: Mapped[int | None] = mapped_column(BigInteger)  # None: unlimited
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AuthSession(Base):
    """A login: a web cookie session or an API token pair. Tokens are stored as SHA-256 only."""

    __tablename__ = "auth_sessions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # "web" | "api"
    access_hash: Mapped[str] = mapped_column(String(64), unique=True)
    refresh_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str | None] = mapped_column(String(64))
    access_expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(300))


class ApiKey(Base):
    """A personal API key with scopes; the secret is shown once and stored as SHA-256."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(16))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_action_at", "action", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    action: Mapped[str] = mapped_column(String(64))
    actor_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    actor_guest_id: Mapped[int | None] = mapped_column(
        ForeignKey("guests.id", ondelete="SET NULL")
    )
    ip: Mapped[str | None] = mapped_column(String(64))
    target_type: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[int | None] = mapped_column(BigInteger)
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Place(Base):
    __tablename__ = "places"
    __table_args__ = (UniqueConstraint("country_code", "region", "city"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    city: Mapped[str | None] = mapped_column(String(200))
    region: Mapped[str | None] = mapped_column(String(200))
    country_code: Mapped[str | None] = mapped_column(String(2))
    country: Mapped[str | None] = mapped_column(String(200))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)


BRONZE, SILVER, GOLD = "bronze", "silver", "gold"
TIERS = (BRONZE, SILVER, GOLD)


class Asset(Base):
    __tablename__ = "assets"
    __table_args__ = (
        Index("ix_assets_owner_sort", "owner_id", "sort_at", "id"),
        Index("ix_assets_sort", "sort_at", "id"),
        Index("ix_assets_state", "state"),
        Index("ix_assets_tier", "tier"),
        Index("ix_assets_deleted_at", "deleted_at"),
        Index("ix_assets_event_sort", "event_id", "sort_at", "id"),
        Index("ix_assets_guest", "guest_id"),
        Index("ix_assets_place", "place_id"),
        # An event's dashboard reads these without touching the rows.
        Index("ix_assets_event_created", "event_id", "created_at"),
        Index("ix_assets_event_contributor", "event_id", "guest_id", "uploaded_by_id",
              "moderation", "deleted_at"),
        Index("ix_assets_latitude", "latitude"),
        # Date filters with the visibility check, read without touching the rows: the ids
        # of "date:2019" for a semantic search's prefilter (50k ids in ~30 ms at 1M assets).
        Index("ix_assets_local_visible", "local_at", "owner_id", "deleted_at", "event_id",
              "moderation", "uploaded_by_id", "sort_at"),
        UniqueConstraint("scope", "sha256", name="uq_assets_scope_sha256"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    # Where exact duplicates are detected: "u<owner id>" for a library, "e<event id>" for an
    # event, "u0" before any user exists. The same bytes in two scopes are two assets that
    # share one stored original.
    scope: Mapped[str] = mapped_column(String(32), default="u0")
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(16), default="image")
    mime_type: Mapped[str] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(16))
    storage_key: Mapped[str] = mapped_column(String(300))
    original_filename: Mapped[str] = mapped_column(String(1024))

    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    place_id: Mapped[int | None] = mapped_column(ForeignKey("places.id", ondelete="SET NULL"))
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    guest_id: Mapped[int | None] = mapped_column(ForeignKey("guests.id", ondelete="SET NULL"))
    link_id: Mapped[int | None] = mapped_column(
        ForeignKey("share_links.id", ondelete="SET NULL")
    )
    moderation: Mapped[str] = mapped_column(String(16), default=APPROVED)
    moderated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    moderation_note: Mapped[str | None] = mapped_column(Text)
    # When the original was removed (rejected guest uploads after the retention period).
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    state: Mapped[str] = mapped_column(String(16), default=ASSET_PROCESSING)
    failure_reason: Mapped[str | None] = mapped_column(Text)

    # Capture time: the UTC instant (exact when the offset is known, else local time read as
    # UTC), the wall-clock time the camera wrote, and the offset when the file records one.
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # Timeline order: the capture time when known, else when albumen received the file.
    sort_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    taken_at_local: Mapped[datetime | None] = mapped_column(UTCDateTime)
    taken_at_offset_minutes: Mapped[int | None] = mapped_column(Integer)
    # The wall-clock time of sort_at where it was taken (stored in a UTC column by convention):
    # calendar filters and the timeline's month buckets use it, so a photo taken at 23:30 on
    # 31 December in New York is in December however far that is from UTC.
    local_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    orientation: Mapped[int | None] = mapped_column(Integer)
    camera_make: Mapped[str | None] = mapped_column(String(200))
    camera_model: Mapped[str | None] = mapped_column(String(200), index=True)
    lens: Mapped[str | None] = mapped_column(String(200))
    exposure_time: Mapped[float | None] = mapped_column(Float)
    f_number: Mapped[float | None] = mapped_column(Float)
    iso: Mapped[int | None] = mapped_column(Integer)
    focal_length: Mapped[float | None] = mapped_column(Float)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    altitude: Mapped[float | None] = mapped_column(Float)
    rating: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    keywords: Mapped[list[str] | None] = mapped_column(JSON)
    favorite: Mapped[bool] = mapped_column(Boolean, default=False)
    # Curation (library/tiers.py): bronze as it arrived, silver reviewed, gold selected.
    tier: Mapped[str] = mapped_column(String(8), default=BRONZE, server_default=BRONZE)
    # A colour label as Lightroom and digiKam write it (xmp:Label: Red, Yellow, Green, ...).
    label: Mapped[str | None] = mapped_column(String(32))
    # Hierarchical keywords as read (lr:hierarchicalSubject: "Places|France|Paris"); the last
    # part of each is among the keywords.
    keyword_paths: Mapped[list[str] | None] = mapped_column(JSON)
    # Fields a person changed in albumen (title, rating, ...): reading the file's metadata
    # again (reprocessing, a sidecar imported later) leaves them as the person set them.
    edited: Mapped[list[str] | None] = mapped_column(JSON)
    metadata_raw: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    metadata_errors: Mapped[list[str] | None] = mapped_column(JSON)

    # A one-sentence description from the optional vision-language model.
    caption: Mapped[str | None] = mapped_column(Text)
    # Text found in the photo (OCR), one line per kept line, for search and has:text.
    ocr_text: Mapped[str | None] = mapped_column(Text)
    # Screening: nudity score and labels, quality measures, and the flags raised from them.
    screening: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Variance of the Laplacian of the preview (higher is sharper): picks the best of a burst.
    sharpness: Mapped[float | None] = mapped_column(Float)
    # A burst: photos seconds apart from one camera, visually alike; the stack's cover is the
    # best of them and the one timelines show.
    stack_id: Mapped[int | None] = mapped_column(
        ForeignKey("stacks.id", ondelete="SET NULL"), index=True
    )

    # A Live Photo or motion photo: the clip (a video asset) names the still it belongs to,
    # and is shown with it, not on its own. Apple pairs them by a content identifier that
    # the photo (maker note) and the clip (QuickTime key) both carry.
    motion_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("assets.id", ondelete="SET NULL"), index=True)
    content_identifier: Mapped[str | None] = mapped_column(String(64), index=True)
    # Seconds of a video (None for photos and documents).
    duration: Mapped[float | None] = mapped_column(Float)

    thumbhash: Mapped[str | None] = mapped_column(String(64))
    # 64-bit DCT perceptual hash, stored signed so it fits BIGINT on every backend.
    phash: Mapped[int | None] = mapped_column(BigInteger)

    sources: Mapped[list[AssetSource]] = relationship(
        back_populates="asset", cascade="all, delete-orphan", order_by="AssetSource.id"
    )
    stages: Mapped[list[AssetStage]] = relationship(
        back_populates="asset", cascade="all, delete-orphan", order_by="AssetStage.stage"
    )
    derivatives: Mapped[list[Derivative]] = relationship(
        back_populates="asset", cascade="all, delete-orphan"
    )
    stack: Mapped[Stack | None] = relationship(foreign_keys=[stack_id], lazy="selectin")
    tags: Mapped[list[AssetTag]] = relationship(lazy="selectin", viewonly=True)
    texts: Mapped[list[AssetText]] = relationship(
        cascade="all, delete-orphan", order_by="AssetText.id"
    )


class Stack(Base):
    __tablename__ = "stacks"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    cover_asset_id: Mapped[int | None] = mapped_column(
        ForeignKey("assets.id", ondelete="SET NULL", use_alter=True)
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AssetText(Base):
    """A line the reader returned for a photo, with where it is and how sure the reader was.
    Every line is kept as read; those that do not count as text (ml/ocr_filter.py) carry
    why, and only the others are the photo's text (``Asset.ocr_text``, search, the viewer)."""

    __tablename__ = "asset_texts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float)
    box: Mapped[list[list[float]]] = mapped_column(JSON)  # four corners, relative (0..1)
    dropped: Mapped[str | None] = mapped_column(Text)  # why it is not text; None: it is


class AssetSource(Base):
    """Where an asset came from: every upload or imported path that carried these bytes."""

    __tablename__ = "asset_sources"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"), index=True)
    via: Mapped[str] = mapped_column(String(16))  # "upload" | "import"
    original_filename: Mapped[str] = mapped_column(String(1024))
    source_path: Mapped[str | None] = mapped_column(Text)
    source_size: Mapped[int | None] = mapped_column(BigInteger)
    source_mtime_ns: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    asset: Mapped[Asset] = relationship(back_populates="sources")

    __table_args__ = (Index("ix_asset_sources_path", "source_path", "source_size"),)


class AssetStage(Base):
    """Processing state of one stage of one asset; the reconciler re-queues from here."""

    __tablename__ = "asset_stages"
    __table_args__ = (Index("ix_asset_stages_state_lease", "state", "lease_until"),
                      Index("ix_asset_stages_state_finished", "state", "finished_at"))

    asset_id: Mapped[int] = mapped_column(
        ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True
    )
    stage: Mapped[str] = mapped_column(String(32), primary_key=True)
    state: Mapped[str] = mapped_column(String(16), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A failure that may pass (the worker died, the database or storage was away), which
    # maintenance retries later with a growing delay; auto_retries counts those rounds.
    transient: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    auto_retries: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # How far a long stage is (pages of a document read): ``done`` of ``total`` units.
    progress_done: Mapped[int | None] = mapped_column(Integer)
    progress_total: Mapped[int | None] = mapped_column(Integer)

    asset: Mapped[Asset] = relationship(back_populates="stages")


class Derivative(Base):
    __tablename__ = "derivatives"

    asset_id: Mapped[int] = mapped_column(
        ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    storage_key: Mapped[str] = mapped_column(String(300))
    mime_type: Mapped[str] = mapped_column(String(64))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(BigInteger)
    etag: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    asset: Mapped[Asset] = relationship(back_populates="derivatives")


class Tag(Base):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class AssetTag(Base):
    __tablename__ = "asset_tags"

    asset_id: Mapped[int] = mapped_column(
        ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(
        ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    source: Mapped[str] = mapped_column(String(32), primary_key=True)  # metadata, user, clip…
    confidence: Mapped[float | None] = mapped_column(Float)

    tag: Mapped[Tag] = relationship(lazy="joined")


# Tables kept in modules of their own; importing them here registers them with the metadata
# that Alembic and the tests use, and keeps `from albumen.db.models import …` working.
from albumen.db.albums import Album, AlbumAsset  # noqa: E402, F401
from albumen.db.documents import (  # noqa: E402, F401
    Document,
    DocumentClassifier,
    DocumentPage,
    DocumentRule,
)
from albumen.db.engagement import (  # noqa: E402, F401
    Activity,
    ActivityActor,
    ActivityCount,
    ActivitySource,
    AssetEngagement,
    Comment,
    Reaction,
    Report,
    UploadCount,
)
from albumen.db.events import (  # noqa: E402, F401
    COHOST,
    CONTRIBUTOR,
    EVENT_ROLES,
    OWNER,
    VIEWER,
    Event,
    EventMember,
    Guest,
    ShareLink,
)
from albumen.db.faces import AUTO, USER, Face, Person  # noqa: E402, F401
from albumen.db.idempotency import IdempotentRequest  # noqa: E402, F401
from albumen.db.memories import Memory  # noqa: E402, F401
from albumen.db.ratelimits import RateCounter  # noqa: E402, F401
from albumen.db.renditions import ImageExport, Rendition  # noqa: E402, F401
from albumen.db.search_tables import (  # noqa: E402, F401
    AssetEmbedding,
    SavedSearch,
    SearchDoc,
    TextChunk,
    TimelineCount,
)
from albumen.db.sidecars import AssetSidecar  # noqa: E402, F401
from albumen.db.uploads import ResumableUpload  # noqa: E402, F401
from albumen.db.videos import Video  # noqa: E402, F401
from albumen.db.webhooks import (  # noqa: E402, F401
    OutboxEvent,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
)
from albumen.db.workers import Worker  # noqa: E402, F401
