"""Near-duplicate groups in a library, and the review that keeps the best and trashes the rest.

Groups are connected components of "perceptual hashes within ``max_distance`` bits", found
with vectorised popcounts over blocks (fine to some tens of thousands of photos per library;
the search issue's index takes over beyond that). The best photo of a group is the one with
the most pixels, then the sharpest (screening's measure when present), then the oldest.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from albumen.accounts import audit
from albumen.accounts.audit import Actor
from albumen.db.base import utcnow
from albumen.db.models import Asset, Stack
from albumen.errors import InvalidInput
from albumen.events.access import writable_asset
from albumen.media.derivatives import hamming
from albumen.runtime import Runtime

BLOCK = 2048


@dataclass
class Group:
    assets: list[Asset]
    best_id: int
    kind: str = "similar"  # "similar": near-duplicates by perceptual hash; "burst": a stack


def _components(hashes: np.ndarray, max_distance: int) -> list[list[int]]:
    n = len(hashes)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    unsigned = hashes.view(np.uint64)
    for start in range(0, n, BLOCK):
        block = unsigned[start:start + BLOCK]
        d = np.bitwise_count(block[:, None] ^ unsigned[None, :])
        for i, j in zip(*np.nonzero(d <= max_distance), strict=True):
            a, b = find(start + int(i)), find(int(j))
            if a != b:
                parent[a] = b
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return [g for g in groups.values() if len(g) > 1]


def _rank(asset: Asset) -> tuple[float, float, float]:
    sharp = float((asset.screening or {}).get("sharpness") or 0.0)
    return ((asset.width or 0) * (asset.height or 0), sharp, -asset.created_at.timestamp())


def groups(session: Session, owner_id: int, max_distance: int) -> list[Group]:
    rows = session.execute(select(Asset.id, Asset.phash).where(
        Asset.owner_id == owner_id, Asset.phash.is_not(None), Asset.deleted_at.is_(None),
        Asset.purged_at.is_(None)).order_by(Asset.id)).all()
    if len(rows) < 2:
        return []
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    hashes = np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows))
    found = []
    for members in _components(hashes, max_distance):
        assets = list(session.scalars(select(Asset).where(
            Asset.id.in_([int(ids[m]) for m in members])).order_by(Asset.id)))
        found.append(Group(assets, max(assets, key=_rank).id))
    return sorted(found, key=lambda g: -len(g.assets))


def bursts(session: Session, owner_id: int) -> list[Group]:
    """The owner's bursts (stacks) with two or more photos left, the stack's cover as best."""
    members: dict[int, list[Asset]] = {}
    for asset in session.scalars(select(Asset).where(
            Asset.owner_id == owner_id, Asset.stack_id.is_not(None), Asset.deleted_at.is_(None),
            Asset.purged_at.is_(None)).order_by(Asset.stack_id, Asset.id)):
        if asset.stack_id is not None:
            members.setdefault(asset.stack_id, []).append(asset)
    covers = dict(session.execute(select(Stack.id, Stack.cover_asset_id)
                                  .where(Stack.id.in_(list(members)))).all())
    found = []
    for stack_id, assets in members.items():
        if len(assets) < 2:
            continue
        cover = covers.get(stack_id)
        best = cover if cover is not None and cover in {a.id for a in assets} else max(
            assets, key=_rank).id
        found.append(Group(assets, best, "burst"))
    return sorted(found, key=lambda g: -len(g.assets))


def review_groups(session: Session, owner_id: int, max_distance: int) -> list[Group]:
    """What to review: near-duplicate groups, then bursts not already shown as one."""
    similar = groups(session, owner_id, max_distance)
    shown = [{a.id for a in g.assets} for g in similar]
    return similar + [b for b in bursts(session, owner_id)
                      if not any({a.id for a in b.assets} <= s for s in shown)]


def resolve(rt: Runtime, user_id: int, keep_id: int, trash_ids: list[int], max_distance: int,
            actor: Actor) -> int:
    """Keep one photo and move the others of its group (near-duplicates of it, or photos of
    its burst) to the trash, in one action."""
    if keep_id in trash_ids:
        raise InvalidInput("the photo to keep is also in the list to trash")
    with rt.transaction() as session:
        keep = writable_asset(session, user_id, keep_id)
        others = [writable_asset(session, user_id, i) for i in trash_ids]
        for other in others:
            if keep.stack_id is not None and other.stack_id == keep.stack_id:
                continue  # the same burst
            if (keep.phash is None or other.phash is None
                    or hamming(keep.phash, other.phash) > max_distance):
                raise InvalidInput(f"asset {other.id} is not a near-duplicate of {keep_id}")
        now = utcnow()
        for other in others:
            if other.deleted_at is None:
                other.deleted_at = now
        audit.record(session, actor, "duplicates.resolve", "asset", keep_id,
                     trashed=sorted(trash_ids))
        return len(others)
