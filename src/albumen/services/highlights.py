"""An event's best photos: engagement (views, reactions, comments), quality (sharpness,
exposure, screening flags, ratings and favourites) and diversity — not ten shots of the same
moment: a greedy pick that discounts photos like those already picked (same burst, close
perceptual hash, minutes apart)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from albumen.db.engagement import AssetEngagement
from albumen.db.models import APPROVED, ASSET_READY, COHOST, Asset
from albumen.runtime import Runtime
from albumen.services import albums
from albumen.services.access import require_event
from albumen.services.audit import Actor

WEIGHTS = {"engagement": 0.55, "quality": 0.45}
SIMILAR_BITS = 12      # perceptual hashes this close are the same picture, nearly
SAME_MOMENT = 120.0    # seconds: shots this close together are one moment
CANDIDATES = 2000      # the most viewed photos considered (and a quarter as many liked)


@dataclass
class Pick:
    asset_id: int
    score: float
    reasons: list[str] = field(default_factory=list)


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


def highlights(session: Session, user_id: int | None, event_id: int, limit: int = 12
               ) -> list[Pick]:
    if user_id is not None:
        require_event(session, user_id, event_id, COHOST)
    mine = AssetEngagement.event_id == event_id
    likes: dict[int, int] = {}
    notes: dict[int, int] = {}
    for asset_id, liked, commented in session.execute(
            select(AssetEngagement.asset_id, AssetEngagement.likes, AssetEngagement.comments)
            .where(mine, (AssetEngagement.likes > 0) | (AssetEngagement.comments > 0))):
        likes[asset_id], notes[asset_id] = liked, commented
    # Candidates: the most viewed, the most liked, and (for quiet events) the first ones.
    wanted = list(session.scalars(select(AssetEngagement.asset_id).where(
        mine, AssetEngagement.views > 0).order_by(AssetEngagement.views.desc())
        .limit(CANDIDATES)))
    wanted += sorted(likes, key=likes.__getitem__, reverse=True)[:CANDIDATES // 4]
    shown = (Asset.event_id == event_id, Asset.moderation == APPROVED,
             Asset.state == ASSET_READY, Asset.deleted_at.is_(None))
    wanted += list(session.scalars(select(Asset.id).where(*shown).order_by(Asset.id)
                                   .limit(CANDIDATES // 4)))
    columns = (Asset.id, Asset.stack_id, Asset.phash, Asset.taken_at, Asset.rating,
               Asset.favorite, Asset.screening)
    assets = []
    unique = sorted(set(wanted))
    for start in range(0, len(unique), 900):
        assets += session.execute(select(*columns).where(
            *shown, Asset.id.in_(unique[start:start + 900]))).all()
    if not assets:
        return []
    views: dict[int, int] = {}
    for start in range(0, len(unique), 900):
        views.update((int(a), int(n)) for a, n in session.execute(
            select(AssetEngagement.asset_id, AssetEngagement.views).where(
                AssetEngagement.asset_id.in_(unique[start:start + 900]))))
    raw = {a.id: math.log1p(views.get(a.id, 0) + 3 * likes.get(a.id, 0)
                            + 2 * notes.get(a.id, 0)) for a in assets}
    top = max(raw.values()) or 1.0
    scored: list[tuple[float, Any, list[str]]] = []
    for a in assets:
        quality, reasons = _quality(a)
        engaged = raw[a.id] / top
        why = []
        if likes.get(a.id):
            why.append(f"{likes[a.id]} reaction(s)")
        if views.get(a.id):
            why.append(f"{views[a.id]} view(s)")
        if notes.get(a.id):
            why.append(f"{notes[a.id]} comment(s)")
        score = WEIGHTS["engagement"] * engaged + WEIGHTS["quality"] * quality
        scored.append((score, a, why + reasons))
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
        for i, (score, a, _) in enumerate(scored):
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
    return [Pick(scored[i][1].id, round(scored[i][0], 4), scored[i][2]) for i in picked]


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
