"""Documents (PDFs): what the file says of itself, the text of each page, and what albumen
learned of it (language, keywords, summary, category)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from albumen.db.base import Base, UTCDateTime

# Where a page's text came from: its text layer, the OCR of its pixels, or none yet/at all.
LAYER, OCR, NO_TEXT = "layer", "ocr", "none"
# Where a document's category came from.
CATEGORY_USER, CATEGORY_RULE, CATEGORY_MODEL = "user", "rule", "model"


class Document(Base):
    """One row per document asset."""

    __tablename__ = "documents"

    asset_id: Mapped[int] = mapped_column(
        ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True)
    pages: Mapped[int] = mapped_column(Integer)
    page_width: Mapped[float] = mapped_column(Float)  # the first page, in points, as displayed
    page_height: Mapped[float] = mapped_column(Float)
    # The document's own metadata (its info dictionary): title, author, subject, keywords,
    # creator, producer, and when it was created and modified.
    title: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    subject: Mapped[str | None] = mapped_column(Text)
    pdf_keywords: Mapped[str | None] = mapped_column(Text)
    creator: Mapped[str | None] = mapped_column(Text)
    producer: Mapped[str | None] = mapped_column(Text)
    created: Mapped[datetime | None] = mapped_column(UTCDateTime)
    modified: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attachments: Mapped[int] = mapped_column(Integer, default=0)  # counted, never served
    has_javascript: Mapped[bool] = mapped_column(Boolean, default=False)  # never run
    metadata_raw: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # A password given for an encrypted document, sealed (security/sealing.py).
    password_sealed: Mapped[str | None] = mapped_column(Text)

    # What albumen learned of it (the document stage).
    language: Mapped[str | None] = mapped_column(String(8))
    keywords: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)  # term, score
    summary: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(100), index=True)
    category_confidence: Mapped[float | None] = mapped_column(Float)
    category_source: Mapped[str | None] = mapped_column(String(8))


class DocumentPage(Base):
    """The text of one page of a document, from its text layer or read from its pixels."""

    __tablename__ = "document_pages"

    asset_id: Mapped[int] = mapped_column(
        ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True)
    page: Mapped[int] = mapped_column(Integer, primary_key=True)  # from 1
    text: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(8), default=NO_TEXT)
    confidence: Mapped[float | None] = mapped_column(Float)  # mean of the OCR lines kept
