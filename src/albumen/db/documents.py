"""Documents (PDFs): what the file says of itself, the text of each page, and what albumen
learned of it (language, keywords, summary, category)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ColumnElement,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    or_,
)
from sqlalchemy.orm import Mapped, mapped_column

from albumen.db.base import Base, BigId, UTCDateTime, utcnow

# Where a page's text came from: its text layer, the OCR of its pixels, or none yet/at all.
LAYER, OCR, NO_TEXT = "layer", "ocr", "none"
# Where a document's category came from.
CATEGORY_USER, CATEGORY_RULE, CATEGORY_MODEL = "user", "rule", "model"
# A prediction less sure than this is a suggestion, not a fact: shown as such, and left out
# of the category filter and facet.
SUGGESTION_BELOW = 0.6


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


def categorised() -> ColumnElement[bool]:
    """Documents whose category counts as a fact: given by a person or a rule, or predicted
    with confidence."""
    return or_(Document.category_source != CATEGORY_MODEL,
               Document.category_confidence >= SUGGESTION_BELOW)


class DocumentPage(Base):
    """The text of one page of a document, from its text layer or read from its pixels."""

    __tablename__ = "document_pages"

    asset_id: Mapped[int] = mapped_column(
        ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True)
    page: Mapped[int] = mapped_column(Integer, primary_key=True)  # from 1
    text: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(8), default=NO_TEXT)
    confidence: Mapped[float | None] = mapped_column(Float)  # mean of the OCR lines kept


class DocumentRule(Base):
    """A category given to the documents whose text matches, as Paperless-ngx's matching:
    any or all of some words, an exact phrase, a regular expression, or a fuzzy phrase.
    Rules are tried in ``position`` order, before the classifier."""

    __tablename__ = "document_rules"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(100))
    algorithm: Mapped[str] = mapped_column(String(16))  # any, all, literal, regex, fuzzy
    pattern: Mapped[str] = mapped_column(Text)
    case_sensitive: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DocumentClassifier(Base):
    """The classifier learned from one library's labelled documents (``owner_key``: the
    owner's user id, 0 before any user exists), and whether it needs training again."""

    __tablename__ = "document_classifiers"

    owner_key: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    model: Mapped[bytes | None] = mapped_column(LargeBinary)
    categories: Mapped[list[str] | None] = mapped_column(JSON)
    labels: Mapped[int] = mapped_column(Integer, default=0)  # labelled documents trained on
    # Training is wanted when requested_at is after trained_at (labels changed since).
    requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    trained_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(Text)
