"""Asking for a video's web copy again, and cancelling one queued or being made (the API and
the CLI): who may, what is audited, and the asset's state after."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from albumen.accounts import audit
from albumen.accounts.audit import Actor
from albumen.db.base import utcnow
from albumen.db.models import FAILED, PENDING, RUNNING, Asset, AssetStage
from albumen.errors import InvalidInput, NotFound
from albumen.events.access import writable_asset
from albumen.library.processing import refresh_asset_state
from albumen.library.requeue import reset_stages
from albumen.notify import emit
from albumen.pipeline import TRANSCODE, queue_for
from albumen.runtime import Runtime


def _video(session: Session, actor: Actor, asset_id: int) -> Asset:
    asset = (writable_asset(session, actor.user_id, asset_id) if actor.user_id is not None
             else session.get(Asset, asset_id))
    if asset is None:
        raise NotFound(f"asset {asset_id} not found", details={"asset_id": asset_id})
    if asset.media_type != "video":
        raise InvalidInput(f"asset {asset_id} is not a video", details={"asset_id": asset_id})
    return asset


def request(rt: Runtime, asset_id: int, actor: Actor) -> None:
    """Queue the web copy again (after a failure or a cancel, or under other settings)."""
    with rt.transaction() as session:
        _video(session, actor, asset_id)
        audit.record(session, actor, "video.transcode", "asset", asset_id)
    reset_stages(rt, [asset_id], [TRANSCODE])
    rt.queue.enqueue_asset(asset_id, queue_for(TRANSCODE))


def cancel(rt: Runtime, asset_id: int, actor: Actor) -> bool:
    """Stop a web copy queued or being made: its stage fails with who cancelled it (asking
    for it again queues it again); a worker making it stops within seconds (it looks at its
    stage as it records progress). False when none was queued or running."""
    who = f"user {actor.user_id}" if actor.user_id is not None else "an operator"
    reason = f"cancelled by {who}"
    with rt.transaction() as session:
        _video(session, actor, asset_id)
        stopped = session.execute(
            update(AssetStage).where(AssetStage.asset_id == asset_id,
                                     AssetStage.stage == TRANSCODE,
                                     AssetStage.state.in_((PENDING, RUNNING)))
            .values(state=FAILED, error=reason, finished_at=utcnow(), lease_until=None,
                    transient=False)).rowcount
        if stopped:
            emit(session, "asset.stage", asset_id=asset_id, stage=TRANSCODE, state=FAILED,
                 error=reason)
            audit.record(session, actor, "video.transcode_cancel", "asset", asset_id)
    if stopped:
        refresh_asset_state(rt, asset_id)
    return bool(stopped)
