"""More like this, and related events: from what albumen knows without an operator model —
the people in the photos, how they look (perceptual hash), the burst they belong to, where
and when they were taken, the meaning of their text (caption and OCR, sentence embeddings) —
and from CLIP's image embeddings where CLIP is installed.

Each signal scores a candidate from 0 to 1 (see ``SIGNALS``); a photo's score is the weighted
sum, and the strongest signals are its reasons ("with Anna and Bob", "taken 12 min apart").
Candidates come only from what the viewer may see (the search's own conditions), so nothing
hidden is ever scored. Related events are among the viewer's own events: the same people in
the photos, the same members, near in place and in time.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from albumen.db.faces import Person
from albumen.db.models import Asset, Event, EventMember, Face, TextChunk
from albumen.events.access import readable_asset, require_event
from albumen.runtime import Runtime
from albumen.search import clip, semantic, similar
from albumen.search.engine import matching
from albumen.search.query import SearchQuery

MAX_LIMIT = 100
POOL = 200  # candidates a signal brings at most
TIME_WINDOW = timedelta(hours=6)
TIME_SCALE = timedelta(hours=1)  # photos an hour apart score 1/e on time
PLACE_BOX = 0.03  # degrees (about 3 km) around the photo
PLACE_SCALE_KM = 0.5
TEXT_FLOOR, CLIP_FLOOR = 0.45, 0.6  # cosines below these are unrelated
# Weights: what makes "like this" for a person browsing — the same people and the same look
# first, then the same burst and similar content, then place and time (an evening's photos
# are all near in both, so those only order what the others found).
SIGNALS = {"clip": 1.5, "look": 1.2, "people": 1.0, "burst": 1.0, "text": 0.8,
           "place": 0.4, "time": 0.4}


@dataclass(frozen=True)
class Related:
    asset_id: int
    score: float
    reasons: list[str]
    signals: dict[str, float]


def more_like_this(rt: Runtime, session: Session, viewer: int, asset_id: int,
                   limit: int = 24) -> list[Related]:
    """Photos like ``asset_id`` that ``viewer`` may see, best first."""
    asset = readable_asset(session, viewer, asset_id)
    allowed = matching(session, SearchQuery(viewer=viewer), Asset.id).where(
        Asset.id != asset.id)
    found: dict[int, dict[str, float]] = defaultdict(dict)
    notes: dict[int, dict[str, str]] = defaultdict(dict)
    _people(session, asset, allowed, found, notes)
    _look(session, asset, allowed, found)
    _burst(session, asset, allowed, found)
    _place_time(session, asset, allowed, found, notes)
    query = SearchQuery(viewer=viewer)
    _text(rt, session, asset, query, allowed, found)
    _clip(rt, session, asset, query, allowed, found)
    ranked = []
    for candidate, signals in found.items():
        score = sum(SIGNALS[s] * v for s, v in signals.items())
        ranked.append(Related(candidate, round(score, 4), _reasons(signals, notes[candidate]),
                              {s: round(v, 3) for s, v in signals.items()}))
    ranked.sort(key=lambda r: (-r.score, -r.asset_id))
    return ranked[:limit]


def _people(session: Session, asset: Asset, allowed: Select[Any],
            found: dict[int, dict[str, float]], notes: dict[int, dict[str, str]]) -> None:
    mine = set(session.scalars(select(Face.person_id).where(
        Face.asset_id == asset.id, Face.person_id.is_not(None))))
    if not mine:
        return
    names = {i: n for i, n in session.execute(select(Person.id, Person.name).where(
        Person.id.in_(mine), Person.name.is_not(None), Person.hidden.is_(False)))}
    shares = similar.people_shares(session, frozenset(mine), at_least=0.0)
    visible = set(session.scalars(allowed.where(Asset.id.in_(list(shares)))))
    shown = _shown(session, list(visible)) if names else {}
    for candidate in sorted(visible, key=lambda i: -shares[i])[:POOL]:
        found[candidate]["people"] = shares[candidate]
        both = [names[p] for p in sorted(shown.get(candidate, set()) & set(names))]
        if both:
            notes[candidate]["people"] = _and(both)


def _shown(session: Session, ids: list[int]) -> dict[int, set[int]]:
    out: dict[int, set[int]] = defaultdict(set)
    for asset_id, person_id in session.execute(select(Face.asset_id, Face.person_id).where(
            Face.asset_id.in_(ids), Face.person_id.is_not(None))):
        out[asset_id].add(person_id)
    return out


def _look(session: Session, asset: Asset, allowed: Select[Any],
          found: dict[int, dict[str, float]]) -> None:
    if asset.phash is None:
        return
    ids, distances = similar.distances(session, allowed, asset.phash, [])
    near = distances <= similar.ALIKE
    for candidate, d in zip(ids[near].tolist(), distances[near].tolist(), strict=True):
        found[candidate]["look"] = max(0.0, 1.0 - d / similar.LOOK_SPAN)


def _burst(session: Session, asset: Asset, allowed: Select[Any],
           found: dict[int, dict[str, float]]) -> None:
    if asset.stack_id is None:
        return
    for candidate in session.scalars(allowed.where(Asset.stack_id == asset.stack_id)
                                     .limit(POOL)):
        found[candidate]["burst"] = 1.0


def _place_time(session: Session, asset: Asset, allowed: Select[Any],
                found: dict[int, dict[str, float]], notes: dict[int, dict[str, str]]) -> None:
    at = asset.taken_at
    if at is not None:
        rows = session.execute(allowed.with_only_columns(
            Asset.id, Asset.taken_at, maintain_column_froms=True).where(
            Asset.taken_at.between(at - TIME_WINDOW, at + TIME_WINDOW)).limit(POOL * 5))
        for candidate, taken in rows:
            apart = abs(taken - at)
            found[candidate]["time"] = math.exp(-apart / TIME_SCALE)
            notes[candidate]["time"] = _apart(apart)
    if asset.latitude is None or asset.longitude is None:
        return
    lat, lon = asset.latitude, asset.longitude
    box = PLACE_BOX / max(0.1, math.cos(math.radians(lat)))
    rows = session.execute(allowed.with_only_columns(
        Asset.id, Asset.latitude, Asset.longitude, maintain_column_froms=True).where(
        Asset.latitude.between(lat - PLACE_BOX, lat + PLACE_BOX),
        Asset.longitude.between(lon - box, lon + box)).limit(POOL * 5))
    for candidate, clat, clon in rows:
        km = _km(lat, lon, clat, clon)
        found[candidate]["place"] = math.exp(-km / PLACE_SCALE_KM)
        notes[candidate]["place"] = ("at the same place" if km < 0.05
                                     else f"taken {km * 1000:.0f} m away" if km < 1
                                     else f"taken {km:.1f} km away")


def _text(rt: Runtime, session: Session, asset: Asset, query: SearchQuery,
          allowed: Select[Any], found: dict[int, dict[str, float]]) -> None:
    blobs = list(session.scalars(select(TextChunk.vector).where(TextChunk.asset_id == asset.id)
                                 .limit(50)))
    if not blobs:
        return
    vector = np.frombuffer(b"".join(blobs), dtype="<f4").reshape(len(blobs), -1).mean(axis=0)
    vector /= np.linalg.norm(vector) or 1.0
    index = semantic.ranker(rt, session)
    correlated = matching(session, query, Asset.id, correlated=True)
    for hit in index.rank(session, vector, correlated, 50, exclude=asset.id,
                          prefilter=allowed):
        if hit.score >= TEXT_FLOOR:
            found[hit.asset_id]["text"] = (hit.score - TEXT_FLOOR) / (1 - TEXT_FLOOR)


def _clip(rt: Runtime, session: Session, asset: Asset, query: SearchQuery,
          allowed: Select[Any], found: dict[int, dict[str, float]]) -> None:
    if similar.method(rt, session, asset) != similar.CLIP:
        return
    from albumen import vectors

    index = vectors.ranker(session, rt.settings.effective_database_url, clip.MODEL_KEY)
    correlated = matching(session, query, Asset.id, correlated=True)
    for hit in index.rank(session, clip.image_vector(session, asset.id), correlated, 50,
                          exclude=asset.id, prefilter=allowed):
        if hit.score >= CLIP_FLOOR:
            found[hit.asset_id]["clip"] = (hit.score - CLIP_FLOOR) / (1 - CLIP_FLOOR)


REASONS = {"clip": "similar content", "look": "looks alike", "burst": "from the same burst",
           "text": "similar text"}


def _reasons(signals: dict[str, float], notes: dict[str, str]) -> list[str]:
    out = []
    for signal, _ in sorted(signals.items(), key=lambda s: -SIGNALS[s[0]] * s[1]):
        if signal == "people":
            out.append(f"with {notes['people']}" if "people" in notes
                       else "the same people")
        elif signal in notes:
            out.append(notes[signal])
        else:
            out.append(REASONS[signal])
    return out[:3]


def _apart(apart: timedelta) -> str:
    minutes = apart.total_seconds() / 60
    if minutes < 1:
        return "taken moments apart"
    if minutes < 90:
        return f"taken {minutes:.0f} min apart"
    return f"taken {minutes / 60:.0f} h apart"


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


# --- related events -------------------------------------------------------------------------

@dataclass(frozen=True)
class RelatedEvent:
    event_id: int
    title: str
    score: float
    reasons: list[str]


EVENT_WEIGHTS = {"people": 1.0, "members": 0.6, "place": 0.5, "time": 0.3}
EVENT_PLACE_KM, EVENT_TIME_DAYS = 20.0, 60.0


def related_events(session: Session, viewer: int, event_id: int, limit: int = 6
                   ) -> list[RelatedEvent]:
    """The viewer's other events most like ``event_id``, best first."""
    require_event(session, viewer, event_id)
    ids = list(session.scalars(select(EventMember.event_id).where(
        EventMember.user_id == viewer)))
    events = {e.id: e for e in session.scalars(select(Event).where(Event.id.in_(ids)))}
    people: dict[int, set[int]] = defaultdict(set)
    for eid, pid in session.execute(
            select(Asset.event_id, Face.person_id).join(Face, Face.asset_id == Asset.id)
            .where(Asset.event_id.in_(ids), Face.person_id.is_not(None),
                   Asset.deleted_at.is_(None)).distinct()):
        people[eid].add(pid)
    members: dict[int, set[int]] = defaultdict(set)
    for eid, uid in session.execute(select(EventMember.event_id, EventMember.user_id)
                                    .where(EventMember.event_id.in_(ids))):
        members[eid].add(uid)
    where = {eid: (lat, lon, first) for eid, lat, lon, first in session.execute(
        select(Asset.event_id, func.avg(Asset.latitude), func.avg(Asset.longitude),
               func.min(Asset.sort_at))
        .where(Asset.event_id.in_(ids), Asset.deleted_at.is_(None))
        .group_by(Asset.event_id))}
    names = {i: n for i, n in session.execute(select(Person.id, Person.name).where(
        Person.id.in_(people.get(event_id, set())), Person.name.is_not(None),
        Person.hidden.is_(False)))}
    me = events[event_id]
    out = []
    for other_id, other in events.items():
        if other_id == event_id:
            continue
        parts: dict[str, float] = {}
        reasons: list[tuple[float, str]] = []
        shared = people[event_id] & people[other_id]
        if shared:
            parts["people"] = len(shared) / len(people[event_id] | people[other_id])
            named = sorted(names[p] for p in shared if p in names)
            reasons.append((parts["people"], f"with {_and(named[:3])}" if named else
                            f"{len(shared)} of the same people"))
        both = members[event_id] & members[other_id] - {viewer}
        if both:
            parts["members"] = len(both) / max(1, len(members[event_id] | members[other_id])
                                               - 1)
            reasons.append((parts["members"] * 0.6, f"{len(both)} of the same members"))
        mine, theirs = where.get(event_id), where.get(other_id)
        if mine and theirs and None not in (mine[0], mine[1], theirs[0], theirs[1]):
            km = _km(mine[0], mine[1], theirs[0], theirs[1])
            parts["place"] = math.exp(-km / EVENT_PLACE_KM)
            if km < 50:
                reasons.append((parts["place"] * 0.5, "at the same place" if km < 1
                                else f"{km:.0f} km away"))
        start_a = me.starts_at or (mine[2] if mine else None)
        start_b = other.starts_at or (theirs[2] if theirs else None)
        if start_a is not None and start_b is not None:
            days = abs(_naive(start_a) - _naive(start_b)).total_seconds() / 86400
            parts["time"] = math.exp(-days / EVENT_TIME_DAYS)
            if days < 45:
                reasons.append((parts["time"] * 0.3, f"{days:.0f} days apart"
                                if days >= 1 else "the same day"))
        score = sum(EVENT_WEIGHTS[k] * v for k, v in parts.items())
        if score > 0:
            out.append(RelatedEvent(other_id, other.title, round(score, 4),
                                    [t for _, t in sorted(reasons, key=lambda r: -r[0])]))
    out.sort(key=lambda r: (-r.score, -r.event_id))
    return out[:limit]


def _naive(at: datetime) -> datetime:
    return at.replace(tzinfo=None)
