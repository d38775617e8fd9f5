"""The tables search keeps: embeddings, full-text documents, timeline counts, saved
searches."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from albumen.db.base import Base, BigId, UTCDateTime, utcnow


class AssetEmbedding(Base):
    """An image embedding of an asset (CLIP), unit length, stored as little-endian float32
    (the in-memory vector index derives its codes from it when it loads)."""

    __tablename__ = "asset_embeddings"
    __table_args__ = (Index("ix_asset_embeddings_model_created", "model", "created_at"),)

    asset_id: Mapped[int] = mapped_column(
        ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True
    )
    model: Mapped[str] = mapped_column(String(64), primary_key=True)
    dim: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SearchDoc(Base):
    """The searchable words of an asset (filename, title, description, keywords, tags, OCR
    text, caption, place and people names), lower-cased without accents. A full-text index
    covers ``body``: FTS5 on SQLite, a tsvector with a GIN index on PostgreSQL (migration
    0008; neither is declared here)."""

    __tablename__ = "search_docs"

    asset_id: Mapped[int] = mapped_column(
        ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True
    )
    body: Mapped[str] = mapped_column(Text)


class TimelineCount(Base):
    """Assets per month of local capture time, by owner, event and moderation state; kept by
    database triggers on ``assets`` (migration 0008), so the timeline's bucket list reads a
    few hundred rows instead of counting a million. 0 stands for "no owner" / "no event"."""

    __tablename__ = "timeline_counts"
    # An event's photos by moderation state (the analytics dashboard) without a full scan.
    __table_args__ = (Index("ix_timeline_counts_event", "event_key", "moderation"),)

    owner_key: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    event_key: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    moderation: Mapped[str] = mapped_column(String(16), primary_key=True)
    month: Mapped[int] = mapped_column(Integer, primary_key=True)  # yyyymm
    n: Mapped[int] = mapped_column(Integer, default=0)


class SavedSearch(Base):
    """A smart collection: a saved query that behaves like an album and updates itself."""

    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    query: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class TextChunk(Base):
    """A passage of an asset's text (a document's page, a photo's caption and OCR text) with
    its sentence embedding (all-MiniLM-L6-v2: 384 little-endian float32, unit length), for
    search by meaning (``about:``). ``start``/``end`` are character offsets in the page's
    text (or in the photo's text)."""

    __tablename__ = "text_chunks"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"),
                                          index=True)
    page: Mapped[int | None] = mapped_column(Integer)  # a document's page (None: a photo)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
