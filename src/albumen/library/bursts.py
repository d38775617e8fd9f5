"""Bursts: photos taken within a few seconds by the same camera and visually alike are stacked,
with the best (sharpest, then largest) on top."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from albumen.db.models import Asset, Stack
from albumen.media.derivatives import hamming


def _best(assets: list[Asset]) -> Asset:
    return max(assets, key=lambda a: (a.sharpness or 0.0, (a.width or 0) * (a.height or 0),
                                      -a.id))


def stack_burst(session: Session, asset: Asset, seconds: float, max_distance: int) -> None:
    """Put the asset in a stack with its burst neighbours (merging stacks that it joins), or
    leave it alone. The caller holds the library lock."""
    if asset.taken_at is None or asset.phash is None or asset.camera_model is None:
        return
    window = timedelta(seconds=seconds)
    near = [a for a in session.scalars(select(Asset).where(
        Asset.owner_id == asset.owner_id, Asset.id != asset.id, Asset.deleted_at.is_(None),
        Asset.camera_make == asset.camera_make, Asset.camera_model == asset.camera_model,
        Asset.taken_at.between(asset.taken_at - window, asset.taken_at + window),
        Asset.phash.is_not(None)))
        if hamming(a.phash, asset.phash) <= max_distance]  # type: ignore[arg-type]
    if not near:
        return
    stack_ids = sorted({a.stack_id for a in [asset, *near] if a.stack_id is not None})
    if stack_ids:
        stack = session.get(Stack, stack_ids[0])
        assert stack is not None
        for other in stack_ids[1:]:  # this photo bridges two bursts: one stack
            session.execute(update(Asset).where(Asset.stack_id == other)
                            .values(stack_id=stack.id))
            session.execute(update(Stack).where(Stack.id == other).values(cover_asset_id=None))
            doomed = session.get(Stack, other)
            if doomed is not None:
                session.delete(doomed)
    else:
        stack = Stack(owner_id=asset.owner_id)
        session.add(stack)
        session.flush()
    for member in (asset, *near):
        member.stack_id = stack.id
    session.flush()
    members = list(session.scalars(select(Asset).where(Asset.stack_id == stack.id,
                                                       Asset.deleted_at.is_(None))))
    stack.cover_asset_id = _best(members).id
