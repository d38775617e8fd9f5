"""Implicit feedback: who engaged with which photo, and how strongly, from the engagement log
(views, downloads), reactions and comments. An actor is a signed-in user (``u<id>``) or a
guest (``g<id>``); a photo they only scrolled past is not a signal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from scipy import sparse
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from albumen.db.engagement import DOWNLOAD, VIEW_ASSET, Activity, Comment, Reaction

# How much each kind of engagement says (a reaction is a choice, a comment more so).
WEIGHTS = {"view": 1.0, "download": 3.0, "reaction": 4.0, "comment": 5.0}


@dataclass
class Interactions:
    """A sparse actors x assets matrix of confidence weights."""

    actors: list[str]
    assets: np.ndarray  # int64 asset ids, one per column
    matrix: sparse.csr_matrix

    @classmethod
    def from_triples(cls, actors: list[str], assets: list[int], weights: list[float]
                     ) -> Interactions:
        actor_keys = sorted(set(actors))
        asset_ids = np.array(sorted(set(assets)), dtype=np.int64)
        rows = np.searchsorted(np.array(actor_keys), np.array(actors)) if actors else \
            np.zeros(0, dtype=np.int64)
        cols = np.searchsorted(asset_ids, np.array(assets, dtype=np.int64))
        matrix = sparse.csr_matrix((np.array(weights, dtype=np.float32), (rows, cols)),
                                   shape=(len(actor_keys), len(asset_ids)))
        matrix.sum_duplicates()
        return cls(actor_keys, asset_ids, matrix)


def actor_key(user_id: int | None, guest_id: int | None) -> str | None:
    if user_id is not None:
        return f"u{user_id}"
    if guest_id is not None:
        return f"g{guest_id}"
    return None


def gather(session: Session, since: datetime | None = None) -> Interactions:
    """Every actor's engagement with every photo (grouped in SQL: one row per pair and kind)."""
    actors: list[str] = []
    assets: list[int] = []
    weights: list[float] = []

    def add(rows: object, weight: float) -> None:
        for user_id, guest_id, asset_id, n in rows:  # type: ignore[attr-defined]
            key = actor_key(user_id, guest_id)
            if key is None or asset_id is None:
                continue
            actors.append(key)
            assets.append(int(asset_id))
            # Diminishing returns: the tenth view of a photo says less than the first.
            weights.append(weight * float(np.log1p(n)) / float(np.log1p(1)))

    for kind, name in ((VIEW_ASSET, "view"), (DOWNLOAD, "download")):
        query = select(Activity.user_id, Activity.guest_id, Activity.asset_id, func.count()
                       ).where(Activity.kind == kind, Activity.asset_id.is_not(None))
        if since is not None:
            query = query.where(Activity.at >= since)
        add(session.execute(query.group_by(Activity.user_id, Activity.guest_id,
                                           Activity.asset_id)), WEIGHTS[name])
    reactions = select(Reaction.user_id, Reaction.guest_id, Reaction.asset_id, func.count())
    comments = select(Comment.user_id, Comment.guest_id, Comment.asset_id, func.count()
                      ).where(Comment.deleted_at.is_(None))
    if since is not None:
        reactions = reactions.where(Reaction.created_at >= since)
        comments = comments.where(Comment.created_at >= since)
    add(session.execute(reactions.group_by(Reaction.user_id, Reaction.guest_id,
                                           Reaction.asset_id)), WEIGHTS["reaction"])
    add(session.execute(comments.group_by(Comment.user_id, Comment.guest_id,
                                          Comment.asset_id)), WEIGHTS["comment"])
    return Interactions.from_triples(actors, assets, weights)
