"""Moments: a library's photos grouped by gaps in time and place (a day out, an evening, a
trip's stop), newest first."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from albumen.db.models import Asset, Place


@dataclass
class Moment:
    start: datetime
    end: datetime
    asset_ids: list[int] = field(default_factory=list)
    place_ids: Counter[int] = field(default_factory=Counter)
    place: str | None = None


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def moments(session: Session, owner_id: int, gap: timedelta = timedelta(hours=3),
            distance_km: float = 50.0, limit: int = 100) -> list[Moment]:
    rows = session.execute(
        select(Asset.id, Asset.taken_at, Asset.latitude, Asset.longitude, Asset.place_id)
        .where(Asset.owner_id == owner_id, Asset.deleted_at.is_(None),
               Asset.taken_at.is_not(None), Asset.purged_at.is_(None))
        .order_by(Asset.taken_at, Asset.id)).all()
    found: list[Moment] = []
    last_point: tuple[float, float] | None = None
    for asset_id, taken, lat, lon, place_id in rows:
        point = (lat, lon) if lat is not None and lon is not None else None
        current = found[-1] if found else None
        moved = (point is not None and last_point is not None
                 and _km(point, last_point) > distance_km)
        if current is None or taken - current.end > gap or moved:
            current = Moment(start=taken, end=taken)
            found.append(current)
        current.end = taken
        current.asset_ids.append(asset_id)
        if place_id:
            current.place_ids[place_id] += 1
        last_point = point or last_point
    newest = list(reversed(found))[:limit]
    wanted = {p for m in newest for p in m.place_ids}
    names = {p.id: ", ".join(x for x in (p.city, p.country) if x)
             for p in session.scalars(select(Place).where(Place.id.in_(wanted)))}
    for m in newest:
        if m.place_ids:
            m.place = names.get(m.place_ids.most_common(1)[0][0])
    return newest
