"""Processing status: counts by state, queue depth, workers and the failures with reasons."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from albumen.db.models import ASSET_FAILED, FAILED, Asset, AssetStage, Derivative
from albumen.runtime import Runtime


def processing_status(rt: Runtime, failure_limit: int = 50,
                      owner_id: int | None = None) -> dict[str, Any]:
    """Instance-wide (operators, administrators), or one owner's assets only."""
    from albumen.jobs.worker import live_workers

    mine = [Asset.owner_id == owner_id] if owner_id is not None else []
    with rt.session() as session:
        by_state = dict(
            session.execute(
                select(Asset.state, func.count())
                .where(Asset.deleted_at.is_(None), *mine)
                .group_by(Asset.state)
            ).all()
        )
        stages: dict[str, dict[str, int]] = {}
        stage_query = select(AssetStage.stage, AssetStage.state, func.count()).group_by(
            AssetStage.stage, AssetStage.state)
        if owner_id is not None:
            stage_query = stage_query.join(Asset, Asset.id == AssetStage.asset_id).where(*mine)
        for stage, state, count in session.execute(stage_query):
            stages.setdefault(stage, {})[state] = count
        trashed = session.scalar(
            select(func.count()).select_from(Asset).where(Asset.deleted_at.is_not(None), *mine)
        )
        failed_rows = session.execute(
            select(Asset.id, Asset.original_filename, Asset.failure_reason)
            .where(Asset.state == ASSET_FAILED, Asset.deleted_at.is_(None), *mine)
            .order_by(Asset.id.desc())
            .limit(failure_limit)
        ).all()
        failed_query = select(func.count()).select_from(AssetStage).where(
            AssetStage.state == FAILED)
        if owner_id is not None:
            failed_query = failed_query.join(Asset, Asset.id == AssetStage.asset_id).where(*mine)
        failed_stages = session.scalar(failed_query)
    counts = {state: int(by_state.get(state, 0)) for state in ("processing", "ready", "failed")}
    depths = rt.queue.depths()
    return {
        "assets": {**counts, "total": sum(counts.values()), "trashed": int(trashed or 0)},
        "stages": stages,
        "failed_stages": int(failed_stages or 0),
        "queue": {"depth": sum(depths.values()), "queues": depths},
        "workers": {"live": live_workers(rt)},
        "failures": [
            {"asset_id": r.id, "filename": r.original_filename, "reason": r.failure_reason}
            for r in failed_rows
        ],
    }


def storage_use(session: Session) -> dict[str, int]:
    """Bytes stored for the whole instance: originals (each stored file once, however many
    assets share it; purged ones are gone) and derivatives (thumbnails, previews)."""
    stored = (select(Asset.storage_key, func.max(Asset.size).label("size"))
              .where(Asset.purged_at.is_(None)).group_by(Asset.storage_key).subquery())
    originals = session.scalar(select(func.coalesce(func.sum(stored.c.size), 0)))
    derivatives = session.scalar(select(func.coalesce(func.sum(Derivative.size), 0)))
    # PostgreSQL sums BIGINT as NUMERIC
    return {"originals": int(originals or 0), "derivatives": int(derivatives or 0),
            "total": int(originals or 0) + int(derivatives or 0)}


def failed_asset_ids(session: Session) -> list[int]:
    """Every asset whose processing failed (a core stage failed for good), trash left out."""
    return list(session.scalars(select(Asset.id).where(Asset.state == ASSET_FAILED,
                                                       Asset.deleted_at.is_(None))
                                .order_by(Asset.id)))
