"""Memories: a user's photos worth seeing again, built each day by the discovery job.

- **On this day**: photos of the user's library taken on today's date in earlier years, one
  memory per year (an event's photos come as its anniversary).
- **Trips**: runs of days with photos far from home (home: where most of the user's located
  photos were taken, by day), each at least ``TRIP_MIN_PHOTOS`` photos over at most
  ``TRIP_MAX_GAP_DAYS`` between days; titled with the place most of it was in.
- **People over the years**: a named person in photos of at least ``YEARS_MIN`` different
  years: one photo of each year, the largest face.
- **Anniversaries**: the user's events that began on today's date in an earlier year.

Memories are of the user's own library and the events they belong to; when they are shown,
their photos are checked against what the user may see then (a photo trashed, rejected or an
event left since is not shown).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import delete, extract, select
from sqlalchemy.orm import Session

from albumen.db.base import utcnow
from albumen.db.memories import Memory
from albumen.db.models import APPROVED, Asset, Event, EventMember, Face, Person, Place, User
from albumen.events.access import visible_clause
from albumen.runtime import Runtime

TRIP_MIN_PHOTOS = 5
TRIP_MAX_GAP_DAYS = 2
TRIP_MIN_KM = 100.0
YEARS_MIN = 3
MAX_PHOTOS = 60  # photos kept in one memory (the best spread over it)
KINDS = ("on_this_day", "anniversary", "trip", "person_years")  # the order they are shown in


@dataclass
class Draft:
    kind: str
    key: str
    title: str
    subtitle: str | None
    asset_ids: list[int]
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    extra: dict[str, object] = field(default_factory=dict)


def _mine(user_id: int) -> object:
    return (Asset.owner_id == user_id) & Asset.event_id.is_(None)


def _ok() -> list[object]:
    return [Asset.deleted_at.is_(None), Asset.moderation == APPROVED,
            Asset.motion_of_id.is_(None), Asset.media_type != "document"]


def _years_ago(n: int) -> str:
    return "a year ago" if n == 1 else f"{n} years ago"


def on_this_day(session: Session, user_id: int, today: date) -> list[Draft]:
    rows = session.execute(
        select(Asset.id, Asset.local_at).where(
            _mine(user_id), *_ok(), Asset.taken_at.is_not(None),
            extract("month", Asset.local_at) == today.month,
            extract("day", Asset.local_at) == today.day,
            Asset.local_at < datetime(today.year, 1, 1, tzinfo=UTC))
        .order_by(Asset.local_at, Asset.id)).all()
    by_year: dict[int, list[int]] = defaultdict(list)
    for asset_id, local_at in rows:
        by_year[local_at.year].append(int(asset_id))
    return [Draft("on_this_day", str(year), _years_ago(today.year - year),
                  f"{today.day} {today.strftime('%B')} {year}", ids[:MAX_PHOTOS])
            for year, ids in sorted(by_year.items(), reverse=True)]


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


def trips(session: Session, user_id: int) -> list[Draft]:
    rows = session.execute(
        select(Asset.id, Asset.local_at, Asset.latitude, Asset.longitude, Place.city,
               Place.country)
        .outerjoin(Place, Place.id == Asset.place_id)
        .where(_mine(user_id), *_ok(), Asset.latitude.is_not(None),
               Asset.taken_at.is_not(None))
        .order_by(Asset.local_at, Asset.id)).all()
    if len(rows) < TRIP_MIN_PHOTOS:
        return []
    # Home: the ~10 km cell where the most days were spent.
    days_in: dict[tuple[int, int], set[date]] = defaultdict(set)
    for _, local_at, lat, lon, _, _ in rows:
        days_in[(round(lat * 10), round(lon * 10))].add(local_at.date())
    cell = max(days_in, key=lambda c: len(days_in[c]))
    home = (cell[0] / 10, cell[1] / 10)
    away = [r for r in rows if _km(home, (r[2], r[3])) >= TRIP_MIN_KM]
    runs: list[list[tuple]] = []
    for row in away:
        if runs and (row[1].date() - runs[-1][-1][1].date()).days <= TRIP_MAX_GAP_DAYS:
            runs[-1].append(row)
        else:
            runs.append([row])
    out = []
    for run in runs:
        if len(run) < TRIP_MIN_PHOTOS:
            continue
        places = Counter(r[4] or r[5] for r in run if r[4] or r[5])
        where = places.most_common(1)[0][0] if places else "away"
        first, last = run[0][1], run[-1][1]
        days = (last.date() - first.date()).days + 1
        span = first.strftime("%B %Y") if days < 28 else \
            f"{first.strftime('%B')} to {last.strftime('%B %Y')}"
        ids = [int(r[0]) for r in run]
        out.append(Draft("trip", first.date().isoformat(), f"Trip to {where}",
                         f"{span}, {days} day{'s' if days > 1 else ''}", _spread(ids),
                         first, last))
    return out


def _spread(ids: list[int], n: int = MAX_PHOTOS) -> list[int]:
    """At most ``n`` of the ids, evenly over them (a trip's photos from start to end)."""
    if len(ids) <= n:
        return ids
    step = len(ids) / n
    return [ids[int(i * step)] for i in range(n)]


def people_over_the_years(session: Session, user_id: int) -> list[Draft]:
    rows = session.execute(
        select(Person.id, Person.name, Face.asset_id, Face.size_px, Asset.local_at)
        .join(Face, Face.person_id == Person.id).join(Asset, Asset.id == Face.asset_id)
        .where(Person.owner_id == user_id, Person.name.is_not(None),
               Person.hidden.is_(False), _mine(user_id), *_ok(),
               Asset.taken_at.is_not(None))).all()
    best: dict[int, dict[int, tuple[int, int]]] = defaultdict(dict)  # person → year → photo
    names: dict[int, str] = {}
    for person_id, name, asset_id, size, local_at in rows:
        names[person_id] = name
        year = local_at.year
        held = best[person_id].get(year)
        if held is None or (size or 0) > held[1]:
            best[person_id][year] = (int(asset_id), size or 0)
    out = []
    for person_id, years in best.items():
        if len(years) < YEARS_MIN:
            continue
        first, last = min(years), max(years)
        out.append(Draft("person_years", str(person_id), f"{names[person_id]} over the years",
                         f"{first} to {last}", [years[y][0] for y in sorted(years)]))
    return sorted(out, key=lambda d: d.title)


def anniversaries(session: Session, user_id: int, today: date) -> list[Draft]:
    events = session.execute(
        select(Event.id, Event.title, Event.starts_at)
        .join(EventMember, EventMember.event_id == Event.id)
        .where(EventMember.user_id == user_id, Event.starts_at.is_not(None),
               extract("month", Event.starts_at) == today.month,
               extract("day", Event.starts_at) == today.day,
               Event.starts_at < datetime(today.year, 1, 1, tzinfo=UTC))).all()
    out = []
    for event_id, title, starts_at in events:
        ids = [int(i) for i in session.scalars(
            select(Asset.id).where(Asset.event_id == event_id, visible_clause(user_id), *_ok())
            .order_by(Asset.sort_at, Asset.id))]
        if ids:
            out.append(Draft("anniversary", str(event_id), title,
                             f"{_years_ago(today.year - starts_at.year)}, "
                             f"{starts_at.strftime('%-d %B %Y')}", _spread(ids)))
    return out


def build(rt: Runtime, user_id: int, today: date | None = None) -> int:
    """Build the user's memories for ``today`` (replacing that day's); returns how many."""
    today = today or utcnow().date()
    with rt.transaction() as session:
        drafts = (on_this_day(session, user_id, today) + anniversaries(session, user_id, today)
                  + trips(session, user_id) + people_over_the_years(session, user_id))
        session.execute(delete(Memory).where(Memory.owner_id == user_id, Memory.day == today))
        # Evergreen memories (trips, people) are rebuilt each day: yesterday's copies go.
        session.execute(delete(Memory).where(Memory.owner_id == user_id,
                                             Memory.kind.in_(("trip", "person_years"))))
        for d in drafts:
            session.add(Memory(owner_id=user_id, kind=d.kind, key=d.key, day=today,
                               title=d.title[:300], subtitle=(d.subtitle or "")[:300] or None,
                               asset_ids=d.asset_ids, cover_asset_id=d.asset_ids[0],
                               starts_at=d.starts_at, ends_at=d.ends_at))
        return len(drafts)


def build_all(rt: Runtime, today: date | None = None) -> int:
    with rt.session() as session:
        users = list(session.scalars(select(User.id).where(User.is_active.is_(True))))
    return sum(build(rt, user_id, today) for user_id in users)


def for_day(session: Session, user_id: int, today: date) -> list[tuple[Memory, list[int]]]:
    """The user's memories for a day (on this day and anniversaries first, then trips and
    people), each with the photos the user may still see (memories left with none are left
    out)."""
    memories = list(session.scalars(
        select(Memory).where(Memory.owner_id == user_id,
                             (Memory.day == today) | Memory.kind.in_(("trip", "person_years")))
        .order_by(Memory.id)))
    memories.sort(key=_shown_order)
    wanted = sorted({i for m in memories for i in m.asset_ids})
    visible = set(session.scalars(select(Asset.id).where(
        Asset.id.in_(wanted), visible_clause(user_id), *_ok()))) if wanted else set()
    out = []
    for memory in memories:
        ids = [i for i in memory.asset_ids if i in visible]
        if ids:
            out.append((memory, ids))
    return out


def _shown_order(memory: Memory) -> tuple[int, float, int]:
    newest_first = -memory.starts_at.timestamp() if memory.starts_at is not None else 0.0
    return KINDS.index(memory.kind), newest_first, memory.id


def one(session: Session, user_id: int, memory_id: int) -> tuple[Memory, list[int]]:
    from albumen.errors import NotFound

    memory = session.get(Memory, memory_id)
    if memory is None or memory.owner_id != user_id:
        raise NotFound(f"no memory {memory_id}")
    visible = set(session.scalars(select(Asset.id).where(
        Asset.id.in_(memory.asset_ids), visible_clause(user_id), *_ok())))
    return memory, [i for i in memory.asset_ids if i in visible]

