"""The timeline: month buckets with counts (from the trigger-kept ``timeline_counts``, or
counted live for a search), then the assets of one bucket, newest first, with a cursor.

The library timeline is the viewer's own approved photos; an event's is its approved photos.
Months are of the photo's local capture time.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from albumen.db.models import APPROVED, Asset, TimelineCount
from albumen.errors import InvalidInput
from albumen.events.access import require_event
from albumen.runtime import Runtime
from albumen.search import engine
from albumen.search.query import SearchQuery


@dataclass
class Bucket:
    month: str  # "2024-06"
    count: int


def scope(viewer: int | None, event_id: int | None) -> SearchQuery:
    """The timeline's own filter, as a query (searches narrow it further)."""
    if event_id is not None:
        return SearchQuery(viewer=viewer, event_id=event_id, moderation=APPROVED)
    return SearchQuery(viewer=viewer, owner_id=viewer, moderation=APPROVED)


def _check(session: Session, viewer: int | None, event_id: int | None) -> None:
    if event_id is not None and viewer is not None:
        require_event(session, viewer, event_id)


def _label(month: int) -> str:
    return f"{month // 100:04d}-{month % 100:02d}"


def buckets(session: Session, viewer: int | None, event_id: int | None = None,
            query: SearchQuery | None = None) -> list[Bucket]:
    """Months with photos, newest first. Without a search this reads the kept counts."""
    _check(session, viewer, event_id)
    if query is None or query == scope(viewer, event_id):
        key = (TimelineCount.event_key == event_id if event_id is not None
               else TimelineCount.owner_key == (viewer or 0))
        total = func.sum(TimelineCount.n)
        rows = session.execute(
            select(TimelineCount.month, total)
            .where(key, TimelineCount.moderation == APPROVED, TimelineCount.n > 0)
            .group_by(TimelineCount.month).order_by(TimelineCount.month.desc()))
        return [Bucket(_label(m), int(n)) for m, n in rows if n]
    dialect = session.get_bind().dialect.name
    month = (func.strftime("%Y-%m", Asset.local_at) if dialect == "sqlite"
             else func.to_char(func.timezone("UTC", Asset.local_at), "YYYY-MM")).label("month")
    n = func.count().label("n")
    rows = session.execute(engine.matching(session, query, month, n)
                           .group_by(month).order_by(month.desc()))
    return [Bucket(m, c) for m, c in rows]


def parse_month(value: str) -> tuple[date, date]:
    try:
        year, month = (int(p) for p in value.split("-"))
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    except ValueError:
        raise InvalidInput(f"a month is YYYY-MM, not {value!r}") from None


def bucket(rt: Runtime, session: Session, viewer: int | None, month: str,
           event_id: int | None = None, query: SearchQuery | None = None, limit: int = 200,
           cursor: str | None = None) -> engine.Results:
    """The photos of one month bucket, newest first, as grid rows."""
    _check(session, viewer, event_id)
    q = query or scope(viewer, event_id)
    first, last = parse_month(month)
    q.date_from = max(first, q.date_from) if q.date_from else first
    q.date_to = min(last, q.date_to) if q.date_to else last
    q.sort = "date"
    return engine.search(rt, session, q, limit=limit, cursor=cursor, view="grid")


def neighbours(session: Session, viewer: int, asset: Asset) -> tuple[int | None, int | None]:
    """The photos just newer and just older than ``asset`` in its timeline (the viewer's own
    library, or the event's for a photo someone else added to an event)."""
    event_id = asset.event_id if asset.owner_id != viewer else None
    base = engine.matching(session, scope(viewer, event_id), Asset.id).where(Asset.id != asset.id)
    at, key = Asset.local_at, asset.local_at
    newer = session.scalar(base.where(or_(at > key, and_(at == key, Asset.id > asset.id)))
                           .order_by(at.asc(), Asset.id.asc()).limit(1))
    older = session.scalar(base.where(or_(at < key, and_(at == key, Asset.id < asset.id)))
                           .order_by(at.desc(), Asset.id.desc()).limit(1))
    return newer, older
