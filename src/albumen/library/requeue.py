"""Queueing stages again: a done stage whose output was lost, and stages reset for reprocessing
or a retry of failures (the CLI, the status API, a document's password, the people service)."""

from __future__ import annotations

import logging

from sqlalchemy import exists, insert, literal, select, update

from albumen.db.base import utcnow
from albumen.db.models import ASSET_PROCESSING, DONE, PENDING, Asset, AssetStage
from albumen.pipeline import APPLIES, CORE, MEDIA_TYPES, TRANSCODE, queue_for
from albumen.runtime import Runtime

log = logging.getLogger(__name__)


def requeue_done_stage(rt: Runtime, asset_id: int, stage: str) -> bool:
    """Run a done stage again because what it made was lost (a derivative gone from storage).
    Only a done stage is touched, so a burst of requests queues it once; True when queued."""
    with rt.transaction() as session:
        queued = session.execute(
            update(AssetStage)
            .where(AssetStage.asset_id == asset_id, AssetStage.stage == stage,
                   AssetStage.state == DONE)
            .values(state=PENDING, attempts=0, error=None, lease_until=None,
                    queued_at=utcnow())).rowcount
    if queued:
        log.warning("asset %s: %s lost its output; queued again", asset_id, stage)
        rt.queue.enqueue_asset(asset_id, queue_for(stage))
    return bool(queued)


def reset_stages(rt: Runtime, asset_ids: list[int] | None, stages: list[str] | None) -> int:
    """Mark stages pending again (reprocess or retry failures); a named stage an asset never
    had (an enrichment switched on later) is added. Returns the rows reset or added."""
    with rt.transaction() as session:
        added = 0
        for stage in stages or []:
            kinds = [kind for kind in MEDIA_TYPES if stage in CORE or stage in APPLIES[kind]
                     or (stage == TRANSCODE and kind == "video")]
            missing = select(Asset.id, literal(stage), literal(PENDING), literal(0)).where(
                Asset.deleted_at.is_(None), Asset.media_type.in_(kinds),
                ~exists().where(AssetStage.asset_id == Asset.id, AssetStage.stage == stage))
            if asset_ids is not None:
                missing = missing.where(Asset.id.in_(asset_ids))
            added += session.execute(insert(AssetStage).from_select(
                ["asset_id", "stage", "state", "attempts"], missing)).rowcount or 0
        query = update(AssetStage).values(
            state=PENDING, attempts=0, error=None, lease_until=None, queued_at=None,
            transient=False, auto_retries=0,
        )
        if asset_ids is not None:
            query = query.where(AssetStage.asset_id.in_(asset_ids))
        if stages:
            query = query.where(AssetStage.stage.in_(stages))
        reset = session.execute(query).rowcount
        if added or reset:
            touched = select(AssetStage.asset_id).where(AssetStage.state == PENDING)
            session.execute(update(Asset).where(Asset.id.in_(touched))
                            .values(state=ASSET_PROCESSING))
        return reset
