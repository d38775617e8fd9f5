"""Re-queue work that was lost: stages whose worker died, or whose queue message vanished.

Processing state lives in the database, so the queue can always be rebuilt from it:
- a RUNNING stage whose lease expired belonged to a worker that died (SIGKILL, OOM, power cut);
  it becomes PENDING again, or FAILED when it has already used up its attempts (a file that
  crashes the decoder must not crash workers forever);
- a PENDING stage that was never queued, or that was queued while the queue is now empty,
  has no message left and is queued again.
Duplicate messages are harmless: a stage is claimed with a conditional UPDATE before it runs.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update

from albumen.db.base import utcnow
from albumen.db.models import (
    ASSET_FAILED,
    ASSET_PROCESSING,
    FAILED,
    PENDING,
    RUNNING,
    Asset,
    AssetStage,
)
from albumen.library.processing import refresh_asset_state
from albumen.runtime import Runtime
from albumen.search import text_index

log = logging.getLogger(__name__)
# A message queued this recently may still be in flight between enqueue and dequeue.
QUEUE_GRACE = timedelta(seconds=30)


def reconcile(rt: Runtime) -> int:
    """Queue again what was lost; returns the number of assets queued."""
    now = utcnow()
    max_attempts = rt.settings.job_max_attempts
    queue_empty = rt.queue.depth() == 0
    with rt.transaction() as session:
        expired = and_(AssetStage.state == RUNNING, AssetStage.lease_until < now)
        session.execute(
            update(AssetStage)
            .where(expired, AssetStage.attempts >= max_attempts)
            .values(state=FAILED, lease_until=None, finished_at=now, transient=True,
                    error=f"worker stopped during processing {max_attempts} times; giving up")
        )
        session.execute(
            update(AssetStage).where(expired).values(state=PENDING, lease_until=None,
                                                     queued_at=None)
        )
        lost = AssetStage.queued_at.is_(None)
        if queue_empty:
            lost = or_(lost, AssetStage.queued_at < now - QUEUE_GRACE)
        asset_ids = session.scalars(
            select(AssetStage.asset_id).where(AssetStage.state == PENDING, lost).distinct()
        ).all()
        if asset_ids:
            session.execute(
                update(AssetStage)
                .where(AssetStage.asset_id.in_(asset_ids), AssetStage.state == PENDING)
                .values(queued_at=now)
            )
    for asset_id in asset_ids:
        rt.queue.enqueue_asset(asset_id)
    if asset_ids:
        log.info("reconciler queued %d asset(s) again", len(asset_ids))
    _refresh_failed(rt)
    _index_missing(rt)
    _requeue_reports(rt)
    _requeue_training(rt, now)
    return len(asset_ids)


def _requeue_training(rt: Runtime, now: datetime) -> None:
    """Document classifiers whose labels changed and whose training did not finish (a worker
    killed mid-training) are trained again."""
    from albumen.documents.service import stalled_training

    with rt.session() as session:
        keys = stalled_training(session, now - QUEUE_GRACE)
    for key in keys:
        rt.queue.enqueue_training(key)
    if keys:
        log.info("reconciler queued %d classifier training(s) again", len(keys))


def _requeue_reports(rt: Runtime) -> None:
    from albumen.insights.reports import stalled

    with rt.session() as session:
        report_ids = stalled(session)
    for report_id in report_ids:
        rt.queue.enqueue_report(report_id)
    if report_ids:
        log.info("reconciler queued %d report(s) again", len(report_ids))


def _index_missing(rt: Runtime, batch: int = 2000) -> None:
    """Assets without a search document (made before search existed) get one, a batch a pass."""
    with rt.transaction() as session:
        text_index.refresh(session, text_index.missing(session, batch))


def _refresh_failed(rt: Runtime) -> None:
    """Assets whose state lags their stages: stages the reconciler just failed, and assets
    whose worker died after their last stage but before it updated the asset."""
    with rt.session() as session:
        ids = set(session.scalars(
            select(AssetStage.asset_id)
            .join(Asset, Asset.id == AssetStage.asset_id)
            .where(AssetStage.state == FAILED, Asset.state != ASSET_FAILED)
            .distinct()
        ))
        unsettled = select(AssetStage.asset_id).where(
            AssetStage.asset_id == Asset.id, AssetStage.state.in_((PENDING, RUNNING)))
        ids.update(session.scalars(select(Asset.id).where(
            Asset.state == ASSET_PROCESSING, ~unsettled.exists())))
    for asset_id in sorted(ids):
        refresh_asset_state(rt, asset_id)
