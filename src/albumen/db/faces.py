"""Faces found in photos and the people they are clustered into."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from albumen.db.base import Base, BigId, UTCDateTime, utcnow


class Person(Base):
    """Someone recognised in a user's photos: a cluster of faces, named or not."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str | None] = mapped_column(String(200))
    birth_date: Mapped[date | None] = mapped_column(Date)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    cover_face_id: Mapped[int | None] = mapped_column(
        ForeignKey("faces.id", ondelete="SET NULL", use_alter=True)
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


# Who put a face where: the clustering ("auto") or a person ("user"); a user's decision (a
# face assigned, moved, or removed as wrong) is never undone by re-clustering.
AUTO, USER = "auto", "user"


class Face(Base):
    __tablename__ = "faces"
    __table_args__ = (
        Index("ix_faces_owner_person", "owner_id", "person_id"),
        # A person's photos from the index alone (search intersects people here).
        Index("ix_faces_person_asset", "person_id", "asset_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"), index=True)
    # The asset's owner, kept here so clustering a library reads one table.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    assigned_by: Mapped[str | None] = mapped_column(String(8))
    # Box in relative coordinates of the upright image (0..1).
    box_x: Mapped[float] = mapped_column(Float)
    box_y: Mapped[float] = mapped_column(Float)
    box_w: Mapped[float] = mapped_column(Float)
    box_h: Mapped[float] = mapped_column(Float)
    confidence: Mapped[float | None] = mapped_column(Float)
    # Face size in pixels of the preview it was found in, and a sharpness score of the crop:
    # the cover face of a person is the largest, sharpest one.
    size_px: Mapped[int | None] = mapped_column(Integer)
    sharpness: Mapped[float | None] = mapped_column(Float)
    embedding: Mapped[bytes | None] = mapped_column(LargeBinary)
    crop_key: Mapped[str | None] = mapped_column(String(300))
    # In a video: the second of the frame it was seen in (its box is of that frame).
    frame_time: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
