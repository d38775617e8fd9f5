"""Photos a viewer is likely to engage with, each with the reason.

Scored by the model (``discovery/model.py``: what people who engaged like this viewer engaged
with), blended with content for what the model cannot know yet — a photo newer than the last
training is scored by the people, place and event it shares with the photos the viewer
engaged with — and by popularity for a viewer the model does not know. Only photos the viewer
may see now are ever returned: candidates are checked against the same visibility condition
as every listing (``events/access.py`` for users, the link's for guests), after scoring.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from albumen.db.models import APPROVED, Asset, Event, Face, Person, Place
from albumen.discovery import model as learned
from albumen.discovery.scoring import blend_scores, people_lift, people_scores
from albumen.discovery.signals import actor_key
from albumen.errors import InvalidInput
from albumen.events.access import visible_clause
from albumen.runtime import Runtime

MAX_LIMIT = 100
_WIDEN = 20  # candidates scored per wanted result, before the visibility check
# Photos of the people the viewer looks for, newest first: each is checked for visibility
# and scored in the request (bench/recommend.py: 2,000 cost 60 ms of a 190 ms request at 1M
# photos).
_PEOPLE_CANDIDATES = 240


@dataclass(frozen=True)
class Recommendation:
    asset_id: int
    score: float
    reason: str
    source: str  # "collaborative", "content", "popular"


@dataclass(frozen=True)
class Viewer:
    """Who asks: a signed-in user, or a guest with the visibility of their link."""

    user_id: int | None
    guest_id: int | None
    visible: ColumnElement[bool]
    event_id: int | None = None

    @classmethod
    def user(cls, user_id: int, event_id: int | None = None) -> Viewer:
        return cls(user_id, None, visible_clause(user_id), event_id)

    @property
    def key(self) -> str:
        return actor_key(self.user_id, self.guest_id) or "anonymous"


def recommend(rt: Runtime, session: Session, viewer: Viewer, limit: int = 20,
              model: learned.Model | None = None, actor: str | None = None
              ) -> list[Recommendation]:
    """Up to ``limit`` photos for the viewer, best first. ``model`` and ``actor`` (the model's
    row to read, by default the viewer's own) are for benchmarks: the stored model and the
    viewer otherwise."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit is 1 to {MAX_LIMIT}")
    model = model if model is not None else learned.current(rt)
    out: list[Recommendation] = []
    liked: list[int] = []
    if model is not None:
        row = model.actor_row(actor or viewer.key)
        if row is not None and model.seen[row].nnz:
            liked = _liked(model, row)
            out = _ranked(session, model, row, viewer, limit, liked)
    if len(out) < limit:
        out += _popular(session, model, viewer, limit - len(out),
                        exclude={r.asset_id for r in out} | set(liked))
    return _explain(session, out[:limit], liked, model)


def _ranked(session: Session, model: learned.Model, row: int, viewer: Viewer, limit: int,
            liked: list[int]) -> list[Recommendation]:
    """Candidates from the model and from the people the viewer looks for, kept if visible,
    scored by the blend."""
    preference = model.scores(row)
    first = blend_scores(model.popularity, preference, None, np.float32)
    first[~np.isfinite(preference)] = -np.inf
    from_model = [int(model.assets[i]) for i in _top(first, limit * _WIDEN)
                  if np.isfinite(first[i])]
    lift = _viewer_lift(session, model, liked)
    looked_for = sorted((p for p, v in lift.items() if v > 0), key=lambda p: -lift[p])[:8]
    from_people = list(session.scalars(
        select(Face.asset_id).where(Face.person_id.in_(looked_for)).distinct()
        .order_by(Face.asset_id.desc()).limit(_PEOPLE_CANDIDATES))) if looked_for else []
    seen = set(liked) | {int(model.assets[i]) for i in model.seen[row].indices}
    candidates = [i for i in dict.fromkeys(from_model + from_people) if i not in seen]
    visible = _visible(session, viewer, candidates)
    ids = np.array([i for i in candidates if i in visible], dtype=np.int64)
    if not len(ids):
        return []
    cols = model.columns(ids)
    known = cols >= 0
    log_pop = np.where(known, model.popularity[np.maximum(cols, 0)], 0.0)
    pref = np.where(known, preference[np.maximum(cols, 0)], 0.0)
    people = people_scores(lift, _people_of(session, ids.tolist()))
    final = blend_scores(log_pop, pref, people)
    order = np.argsort(-final, kind="stable")[:limit]
    return [Recommendation(int(ids[i]), float(final[i]), "",
                           "collaborative" if known[i] else "content") for i in order]


def _people_of(session: Session, ids: list[int]) -> list[set[int]]:
    found: dict[int, set[int]] = defaultdict(set)
    for asset_id, person_id in session.execute(
            select(Face.asset_id, Face.person_id).where(Face.asset_id.in_(ids),
                                                        Face.person_id.is_not(None))):
        found[asset_id].add(person_id)
    return [found.get(i, set()) for i in ids]


def _viewer_lift(session: Session, model: learned.Model, liked: list[int]) -> dict[int, float]:
    """The people in the photos the viewer engaged with, and how much more than chance."""
    observed: Counter[int] = Counter()
    for who in _people_of(session, liked):
        observed.update(who)
    if not observed:
        return {}
    counts = _photo_counts(session, list(observed))
    pool = max(1, _library_size(session))
    return people_lift(observed, len(liked), {p: counts.get(p, 0) / pool for p in observed})


_SIZES: dict[str, tuple[float, int]] = {}
_SIZE_SECONDS = 600.0


_COUNTS: dict[str, tuple[float, dict[int, int]]] = {}


def _photo_counts(session: Session, people: list[int]) -> dict[int, int]:
    """How many photos each person is in, remembered for 10 minutes (a person's share of the
    library moves slowly; counting a popular person's faces is the request's dearest query)."""
    import time

    key = str(session.get_bind().url)
    now = time.monotonic()
    stamp, known = _COUNTS.get(key, (now, {}))
    if now - stamp > _SIZE_SECONDS:
        stamp, known = now, {}
    missing = [p for p in people if p not in known]
    if missing:
        known.update({int(p): 0 for p in missing})
        known.update({int(p): int(n) for p, n in session.execute(
            select(Face.person_id, func.count(Face.asset_id.distinct()))
            .where(Face.person_id.in_(missing)).group_by(Face.person_id))})
    _COUNTS[key] = (stamp, known)
    return {p: known[p] for p in people}


def _library_size(session: Session) -> int:
    """How many photos there are (what a person's share is of), counted every 10 minutes."""
    import time

    key = str(session.get_bind().url)
    now = time.monotonic()
    cached = _SIZES.get(key)
    if cached is None or now - cached[0] > _SIZE_SECONDS:
        total = session.scalar(select(func.count()).select_from(Asset)
                               .where(Asset.deleted_at.is_(None))) or 0
        _SIZES[key] = cached = (now, int(total))
    return cached[1]


def _liked(model: learned.Model, row: int, n: int = 50) -> list[int]:
    """The viewer's strongest engagements (asset ids), strongest first."""
    seen = model.seen[row]
    order = np.argsort(-seen.data)[:n]
    return [int(model.assets[seen.indices[i]]) for i in order]


def _visible(session: Session, viewer: Viewer, ids: list[int]) -> set[int]:
    if not ids:
        return set()
    query = select(Asset.id).where(Asset.id.in_(ids), viewer.visible,
                                   Asset.deleted_at.is_(None), Asset.moderation == APPROVED,
                                   Asset.motion_of_id.is_(None))
    if viewer.event_id is not None:
        query = query.where(Asset.event_id == viewer.event_id)
    return set(session.scalars(query))


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    k = min(k, len(scores))
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    part = np.argpartition(-scores, k - 1)[:k]
    return part[np.argsort(-scores[part], kind="stable")]


def _traits(session: Session, ids: list[int]) -> dict[int, dict[str, Any]]:
    """People (named), place and event of each asset."""
    out: dict[int, dict[str, Any]] = defaultdict(lambda: {"people": set(), "place": None,
                                                          "event": None})
    if not ids:
        return out
    for asset_id, name in session.execute(
            select(Face.asset_id, Person.name).join(Person, Person.id == Face.person_id)
            .where(Face.asset_id.in_(ids), Person.name.is_not(None), Person.hidden.is_(False))):
        out[asset_id]["people"].add(name)
    for asset_id, city, event in session.execute(
            select(Asset.id, Place.city, Event.title).outerjoin(Place, Place.id == Asset.place_id)
            .outerjoin(Event, Event.id == Asset.event_id).where(Asset.id.in_(ids))):
        out[asset_id]["place"], out[asset_id]["event"] = city, event
    return out


def _popular(session: Session, model: learned.Model | None, viewer: Viewer, limit: int,
             exclude: set[int]) -> list[Recommendation]:
    """The most engaged-with photos the viewer may see (for a viewer the model does not
    know, or to fill the list)."""
    if model is not None and len(model.assets):
        top = _top(model.popularity.copy(), (limit + len(exclude)) * _WIDEN)
        ids = [int(model.assets[i]) for i in top if model.popularity[i] > 0]
        visible = _visible(session, viewer, ids)
        picked = [(int(model.assets[i]), float(model.popularity[i])) for i in top
                  if int(model.assets[i]) in visible and int(model.assets[i]) not in exclude]
        if len(picked) >= limit:
            return [Recommendation(a, s, "", "popular") for a, s in picked[:limit]]
    from albumen.db.engagement import AssetEngagement

    query = (select(Asset.id, AssetEngagement.likes + AssetEngagement.views)
             .join(AssetEngagement, AssetEngagement.asset_id == Asset.id)
             .where(viewer.visible, Asset.deleted_at.is_(None), Asset.moderation == APPROVED,
                    Asset.motion_of_id.is_(None))
             .order_by((AssetEngagement.likes * 4 + AssetEngagement.views).desc(),
                       Asset.id.desc())
             .limit(limit + len(exclude)))
    if viewer.event_id is not None:
        query = query.where(Asset.event_id == viewer.event_id)
    rows = [(int(i), float(n or 0)) for i, n in session.execute(query) if i not in exclude]
    out = [Recommendation(a, s, "", "popular") for a, s in rows[:limit]]
    if len(out) < limit:  # a library nobody has looked at yet: its newest photos
        taken = exclude | {r.asset_id for r in out}
        newest = (select(Asset.id).where(viewer.visible, Asset.deleted_at.is_(None),
                                         Asset.moderation == APPROVED,
                                         Asset.motion_of_id.is_(None))
                  .order_by(Asset.sort_at.desc(), Asset.id.desc())
                  .limit(limit + len(taken)))
        if viewer.event_id is not None:
            newest = newest.where(Asset.event_id == viewer.event_id)
        out += [Recommendation(int(i), 0.0, "", "popular") for i in session.scalars(newest)
                if i not in taken][:limit - len(out)]
    return out


def _explain(session: Session, recs: list[Recommendation], liked: list[int],
             model: learned.Model | None) -> list[Recommendation]:
    """Why each: the person, place or event it shares with the viewer's closest engagement."""
    if not recs:
        return []
    traits = _traits(session, [r.asset_id for r in recs] + liked[:20])
    liked_cols = model.columns(np.array(liked[:20], dtype=np.int64)) if model and liked \
        else np.zeros(0, dtype=np.int64)
    out = []
    for rec in recs:
        mine = traits[rec.asset_id]
        anchors = liked[:20]
        if model is not None and len(liked_cols) and rec.source == "collaborative":
            col = model.columns(np.array([rec.asset_id]))[0]
            known = liked_cols >= 0
            if col >= 0 and known.any():
                sims = model.item_factors[liked_cols[known]] @ model.item_factors[col]
                order = np.argsort(-sims)
                anchors = [a for a, k in zip(liked[:20], known, strict=False) if k]
                anchors = [anchors[i] for i in order]
        out.append(Recommendation(rec.asset_id, rec.score,
                                  _reason(rec, mine, [traits[a] for a in anchors]), rec.source))
    return out


def _reason(rec: Recommendation, mine: dict[str, Any], anchors: list[dict[str, Any]]) -> str:
    for anchor in anchors[:5]:
        shared = sorted(mine["people"] & anchor["people"])
        if shared:
            return f"because you liked photos with {' and '.join(shared[:2])}"
    for anchor in anchors[:5]:
        if mine["place"] and mine["place"] == anchor["place"]:
            return f"because you liked photos from {mine['place']}"
    for anchor in anchors[:5]:
        if mine["event"] and mine["event"] == anchor["event"]:
            return f"more from {mine['event']}"
    if rec.source == "popular":
        return f"popular in {mine['event']}" if mine["event"] else "popular in your library"
    if rec.source == "content":
        return "new, and like what you liked"
    return "liked by people who like what you like"


@dataclass(frozen=True)
class EventPick:
    event_id: int
    title: str
    score: float
    photos: list[int]  # the photos of it the viewer is likely to like, best first
    reason: str


def recommend_events(rt: Runtime, session: Session, user_id: int, limit: int = 5
                     ) -> list[EventPick]:
    """The viewer's events with the most photos they are likely to like and have not engaged
    with yet: the photo recommendations grouped by event, each event scored by its best three
    (so one great photo does not outweigh an event full of them)."""
    recs = recommend(rt, session, Viewer.user(user_id), MAX_LIMIT)
    events = dict(session.execute(select(Asset.id, Asset.event_id).where(
        Asset.id.in_([r.asset_id for r in recs]), Asset.event_id.is_not(None))).all())
    grouped: dict[int, list[Recommendation]] = {}
    for rec in recs:
        if rec.asset_id in events:
            grouped.setdefault(events[rec.asset_id], []).append(rec)
    if not grouped:
        return []
    titles = dict(session.execute(select(Event.id, Event.title).where(
        Event.id.in_(list(grouped)))).all())
    low = min(r.score for r in recs)
    picks = []
    for event_id, found in grouped.items():
        best = sorted(found, key=lambda r: -r.score)
        score = sum(r.score - low + 1.0 for r in best[:3])
        reason = (f"{len(best)} photo{'s' if len(best) != 1 else ''} you may like"
                  + (f"; {best[0].reason}" if best[0].reason else ""))
        picks.append(EventPick(event_id, titles.get(event_id, ""), round(score, 4),
                               [r.asset_id for r in best], reason))
    picks.sort(key=lambda p: (-p.score, -p.event_id))
    return picks[:limit]
