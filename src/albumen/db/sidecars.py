"""Metadata that came with a file from elsewhere: an XMP sidecar next to it, or what another
system's export said of it (Google Takeout's JSON, PhotoPrism's YAML), kept as an XMP packet.
The metadata stage lays it over what the file itself says (library/sidecars.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from albumen.db.base import Base, UTCDateTime, utcnow


class AssetSidecar(Base):
    __tablename__ = "asset_sidecars"

    asset_id: Mapped[int] = mapped_column(
        ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True)
    # xmp (a sidecar file), takeout, photoprism, immich
    source: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(1024))  # the file it was read from
    sha256: Mapped[str] = mapped_column(String(64))  # of the packet: a re-import that finds
    # the same one changes nothing
    xmp: Mapped[str] = mapped_column(Text)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
