"""Videos: what a clip is (container, streams, length), as read by the metadata stage; the
asset row keeps what every kind shares (size as displayed, capture time, place, camera)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from albumen.db.base import Base


class Video(Base):
    """One row per video asset."""

    __tablename__ = "videos"

    asset_id: Mapped[int] = mapped_column(
        ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True)
    container: Mapped[str] = mapped_column(String(32))  # mp4, matroska, avi, mpegts
    duration: Mapped[float | None] = mapped_column(Float)  # seconds
    coded_width: Mapped[int] = mapped_column(Integer)
    coded_height: Mapped[int] = mapped_column(Integer)
    rotation: Mapped[int] = mapped_column(Integer, default=0)  # counter-clockwise degrees
    fps: Mapped[float | None] = mapped_column(Float)
    frames: Mapped[int | None] = mapped_column(BigInteger)
    variable_frame_rate: Mapped[bool] = mapped_column(Boolean, default=False)
    video_codec: Mapped[str] = mapped_column(String(32))
    profile: Mapped[str | None] = mapped_column(String(64))
    pixel_format: Mapped[str | None] = mapped_column(String(32))
    bit_rate: Mapped[int | None] = mapped_column(BigInteger)
    audio_codec: Mapped[str | None] = mapped_column(String(32))
    audio_channels: Mapped[int | None] = mapped_column(Integer)
    audio_sample_rate: Mapped[int | None] = mapped_column(Integer)
    # Whether browsers play the original as it is; if not, the transcode stage makes a web copy.
    browser_playable: Mapped[bool] = mapped_column(Boolean, default=False)
    poster_time: Mapped[float | None] = mapped_column(Float)  # the frame shown as its picture
    strip_frames: Mapped[int | None] = mapped_column(Integer)  # tiles in the scrub strip
    metadata_raw: Mapped[dict[str, Any] | None] = mapped_column(JSON)
