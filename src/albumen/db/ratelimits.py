"""Rate-limit windows, shared by every process of an installation (security/ratelimit.py)."""

from __future__ import annotations

from sqlalchemy import Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from albumen.db.base import Base


class RateCounter(Base):
    """One rate-limit window of one key: all processes count here."""

    __tablename__ = "rate_counters"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    hits: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[float] = mapped_column(Float, index=True)  # Unix time
