"""Places: where the viewer's photos were taken, as named places with counts and as points."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from albumen.db.models import Asset, Place
from albumen.events.access import visible_clause
from albumen.library.assets import AssetFilter, filtered


def list_places(session: Session, viewer: int) -> list[tuple[Place, int]]:
    """The places of the photos the viewer may see (trash left out), most photos first."""
    rows = session.execute(
        select(Place, func.count(Asset.id)).join(Asset, Asset.place_id == Place.id)
        .where(visible_clause(viewer), Asset.deleted_at.is_(None))
        .group_by(Place.id).order_by(func.count(Asset.id).desc(), Place.id))
    return [(place, int(count)) for place, count in rows]


def points(session: Session, viewer: int, event_id: int | None = None,
           album_id: int | None = None, limit: int = 20000) -> Sequence[Row[Any]]:
    """Photos with coordinates, newest first: (asset id, latitude, longitude, taken_at,
    place id) rows, optionally of one event or album."""
    f = AssetFilter(viewer=viewer, event_id=event_id, album_id=album_id, has_gps=True)
    return session.execute(filtered(select(Asset.id, Asset.latitude, Asset.longitude,
                                           Asset.taken_at, Asset.place_id), f)
                           .order_by(Asset.sort_at.desc()).limit(limit)).all()


def search_term(place: Place) -> str | None:
    """The query-language filter that finds this place's photos (``place:"New York"``)."""
    name = place.city or place.region or place.country or place.country_code
    if not name:
        return None
    if any(c.isspace() or c == '"' for c in name):
        return 'place:"' + name.replace('"', '\\"') + '"'
    return f"place:{name}"


def label(place: Place) -> str:
    parts = [place.city, place.region, place.country or place.country_code]
    seen: list[str] = []
    for part in parts:
        if part and part not in seen:
            seen.append(part)
    return ", ".join(seen) or "Unknown place"
