"""An event's best photos: engagement (views, reactions, comments), quality (sharpness,
exposure, screening flags, ratings and favourites) and diversity — not ten shots of the same
moment: a greedy pick that discounts photos like those already picked (same burst, close
perceptual hash, minutes apart)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from albumen.accounts.audit import Actor
from albumen.db.engagement import AssetEngagement
from albumen.db.models import APPROVED, ASSET_READY, COHOST, Asset
from albumen.events.access import require_event
from albumen.library import albums
from albumen.runtime import Runtime

WEIGHTS = {"engagement": 0.55, "quality": 0.45}
SIMILAR_BITS = 12      # perceptual hashes this close are the same picture, nearly
SAME_MOMENT = 120.0    # seconds: shots this close together are one moment
CANDIDATES = 2000      # the most viewed photos considered (and a quarter as many liked)


@dataclass
class Pick:
    asset_id: int
    score: float
    reasons: list[str] = field(default_factory=list)


class _Candidate(NamedTuple):
    id: int
    stack_id: int | None
    phash: int | None
    taken_at: datetime | None
    quality: float
    flaws: tuple[str, ...]  # what _quality said
    views: int
    likes: int
    notes: int
    engaged: float  # log of the weighted counts, before scaling to the event's best


def _quality(asset: Any) -> tuple[float, list[str]]:
    reasons: list[str] = []
    screening = asset.screening or {}
    sharp = screening.get("sharpness")
    q = 0.6 if sharp is None else min(1.0, math.log1p(max(sharp, 0)) / math.log1p(400))
    flags = {f.get("flag") for f in screening.get("flags", [])}
    for flag in ("blurry", "dark", "overexposed"):
        if flag in flags:
            q -= 0.35
            reasons.append(flag)
    if asset.rating:
        q += 0.1 * asset.rating
        reasons.append(f"rated {asset.rating}")
    if asset.favorite:
        q += 0.3
        reasons.append("favourite")
    return max(0.0, min(q, 1.5)), reasons


def _similar(a: Any, b: Any) -> float:
    """0 (unlike) .. 1 (the same shot)."""
    if a.stack_id is not None and a.stack_id == b.stack_id:
        return 1.0
    if a.phash is not None and b.phash is not None:
        bits = bin((a.phash ^ b.phash) & ((1 << 64) - 1)).count("1")
        if bits <= SIMILAR_BITS:
            return 1.0 - bits / (2 * SIMILAR_BITS)
    if a.taken_at and b.taken_at:
        gap = abs((a.taken_at - b.taken_at).total_seconds())
        if gap < SAME_MOMENT:
            return 0.4 * (1 - gap / SAME_MOMENT)
    return 0.0


def _most_liked(session: Session, mine: Any, limit: int) -> list[int]:
    """The photos with the most reactions (ties: the lowest id first), then, while there is
    room, those with comments but no reactions — from the (event, likes, comments) index."""
    engagement = AssetEngagement
    order = (engagement.likes.desc(), engagement.asset_id)
    found = list(session.scalars(select(engagement.asset_id).where(mine, engagement.likes > 0)
                                 .order_by(*order).limit(limit)))
    if len(found) < limit:
        found += session.scalars(select(engagement.asset_id).where(
            mine, engagement.likes <= 0, engagement.comments > 0)
            .order_by(*order).limit(limit - len(found)))
    return found


def highlights(session: Session, user_id: int | None, event_id: int, limit: int = 12
               ) -> list[Pick]:
    if user_id is not None:
        require_event(session, user_id, event_id, COHOST)
    engagement = AssetEngagement
    mine = engagement.event_id == event_id
    # Candidates: the most viewed, the most liked, and (for quiet events) the first ones.
    wanted = list(session.scalars(select(engagement.asset_id).where(
        mine, engagement.views > 0).order_by(engagement.views.desc()).limit(CANDIDATES)))
    wanted += _most_liked(session, mine, CANDIDATES // 4)
    shown = (Asset.event_id == event_id, Asset.moderation == APPROVED,
             Asset.state == ASSET_READY, Asset.deleted_at.is_(None))
    wanted += list(session.scalars(select(Asset.id).where(*shown).order_by(Asset.id)
                                   .limit(CANDIDATES // 4)))
    # The candidates with their counts: views wherever they were counted, reactions and
    # comments while the photo was in this event. Each row is reduced to what the ranking
    # needs as it arrives (its screening document is dropped there: few objects outlive the
    # loop, so the collector seldom has to walk the whole heap).
    columns = (Asset.id, Asset.stack_id, Asset.phash, Asset.taken_at, Asset.rating,
               Asset.favorite, Asset.screening, engagement.event_id, engagement.views,
               engagement.likes, engagement.comments)
    found: list[_Candidate] = []
    unique = sorted(set(wanted))
    for start in range(0, len(unique), 900):
        for row in session.execute(
                select(*columns).outerjoin(engagement, engagement.asset_id == Asset.id)
                .where(*shown, Asset.id.in_(unique[start:start + 900]))):
            quality, flaws = _quality(row)
            views = row.views or 0
            likes = notes = 0
            if row.event_id == event_id and (row.likes > 0 or row.comments > 0):
                likes, notes = row.likes, row.comments
            found.append(_Candidate(row.id, row.stack_id, row.phash, row.taken_at, quality,
                                    tuple(flaws), views, likes, notes,
                                    math.log1p(views + 3 * likes + 2 * notes)))
    if not found:
        return []
    top = max(c.engaged for c in found) or 1.0
    scored = [(WEIGHTS["engagement"] * (c.engaged / top) + WEIGHTS["quality"] * c.quality, c)
              for c in found]
    scored.sort(key=lambda s: (-s[0], s[1].id))
    # Greedy: each step takes the best score less 0.8 x its likeness to what is already
    # picked. A candidate's likeness only grows, so it is compared only with the picks made
    # since it was last looked at, and the scan stops where even an unpenalised score cannot
    # win (the scores are sorted).
    penalty = [0.0] * len(scored)
    compared = [0] * len(scored)
    taken = [False] * len(scored)
    picked: list[int] = []
    while len(picked) < min(limit, len(scored)):
        best_i, best_value = -1, -math.inf
        for i, (score, a) in enumerate(scored):
            if score <= best_value:
                break
            if taken[i]:
                continue
            for j in picked[compared[i]:]:
                penalty[i] = max(penalty[i], _similar(a, scored[j][1]))
            compared[i] = len(picked)
            value = score - 0.8 * penalty[i]
            if value > best_value:
                best_i, best_value = i, value
        if best_i < 0:
            break
        taken[best_i] = True
        picked.append(best_i)
    return [Pick(scored[i][1].id, round(scored[i][0], 4), _reasons(scored[i][1]))
            for i in picked]


def _reasons(c: _Candidate) -> list[str]:
    why = []
    if c.likes:
        why.append(f"{c.likes} reaction(s)")
    if c.views:
        why.append(f"{c.views} view(s)")
    if c.notes:
        why.append(f"{c.notes} comment(s)")
    return why + list(c.flaws)


def make_album(rt: Runtime, user_id: int, event_id: int, limit: int = 24,
               actor: Actor | None = None) -> tuple[int, int]:
    """An album of the event's highlights (the caller's): (album id, photos)."""
    actor = actor or Actor(user_id)
    with rt.session() as session:
        picks = highlights(session, user_id, event_id, limit)
        event, _ = require_event(session, user_id, event_id)
        title = f"Highlights · {event.title}"
        stamp = datetime.now().strftime("%-d %b %Y")
    album_id = albums.create_album(rt, user_id, title,
                                   f"Picked by albumen from views, reactions, quality and "
                                   f"variety on {stamp}.", actor)
    if picks:
        albums.add_assets(rt, user_id, album_id, [p.asset_id for p in picks], actor)
    return album_id, len(picks)
