"""Processing status: counts by state, queue depth, workers, the failures with reasons, and
each stage's pace and time left."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import Session

from albumen.db.base import utcnow
from albumen.db.models import (
    ASSET_FAILED,
    DONE,
    FAILED,
    PENDING,
    RUNNING,
    Asset,
    AssetStage,
    Derivative,
)
from albumen.pipeline import CORE, ORDER
from albumen.runtime import Runtime


def _may_pass() -> ColumnElement[bool]:
    """Whether a failed asset's failures may all pass (each failed core stage is transient:
    the worker died, the database or storage was away). A stage refused for good fails again
    for the same bytes and code, however often it runs (library/failures.py)."""
    return ~exists().where(AssetStage.asset_id == Asset.id, AssetStage.state == FAILED,
                           AssetStage.stage.in_(CORE), AssetStage.transient.is_(False))


def processing_status(rt: Runtime, failure_limit: int = 50,
                      owner_id: int | None = None) -> dict[str, Any]:
    """Instance-wide (operators, administrators), or one owner's assets only."""
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
            select(Asset.id, Asset.original_filename, Asset.failure_reason,
                   _may_pass().label("may_pass"))
            .where(Asset.state == ASSET_FAILED, Asset.deleted_at.is_(None), *mine)
            .order_by(Asset.id.desc())
            .limit(failure_limit)
        ).all()
        failed_query = select(func.count()).select_from(AssetStage).where(
            AssetStage.state == FAILED)
        if owner_id is not None:
            failed_query = failed_query.join(Asset, Asset.id == AssetStage.asset_id).where(*mine)
        failed_stages = session.scalar(failed_query)
        progress = _progress(session, stages, mine)
    counts = {state: int(by_state.get(state, 0)) for state in ("processing", "ready", "failed")}
    depths = rt.queue.depths()
    return {
        "assets": {**counts, "total": sum(counts.values()), "trashed": int(trashed or 0)},
        "stages": stages,
        "failed_stages": int(failed_stages or 0),
        "queue": {"depth": sum(depths.values()), "queues": depths},
        "workers": {"live": rt.live_workers()},
        "progress": progress,
        "failures": [
            {"asset_id": r.id, "filename": r.original_filename, "reason": r.failure_reason,
             "may_pass": bool(r.may_pass)}
            for r in failed_rows
        ],
    }


PACE_WINDOW = timedelta(minutes=5)
PACE_MIN_SPAN = 10.0  # seconds: a pace from a moment's work would promise too much


def _progress(session: Session, stages: dict[str, dict[str, int]],
              mine: list[ColumnElement[bool]]) -> dict[str, Any]:
    """Each stage's photos waiting, photos a second over the last minutes (the stages that
    settled, done or failed, since then), and the time left at that pace; the whole queue's
    time left is its slowest stage's (a photo goes through all of them)."""
    now = utcnow()
    query = (select(AssetStage.stage, func.count(), func.min(AssetStage.finished_at))
             .where(AssetStage.finished_at >= now - PACE_WINDOW,
                    AssetStage.state.in_((DONE, FAILED)))
             .group_by(AssetStage.stage))
    if mine:
        query = query.join(Asset, Asset.id == AssetStage.asset_id).where(*mine)
    recent = {stage: (count, first) for stage, count, first in session.execute(query)}
    rows: dict[str, dict[str, Any]] = {}
    for stage in sorted(set(stages) | set(recent), key=lambda s: ORDER.get(s, 99)):
        waiting = stages.get(stage, {}).get(PENDING, 0) + stages.get(stage, {}).get(RUNNING, 0)
        settled, first = recent.get(stage, (0, None))
        pace = None
        if settled and first is not None:
            first = first if first.tzinfo else first.replace(tzinfo=UTC)
            span = max(PACE_MIN_SPAN, (now - first).total_seconds())
            pace = round(settled / span, 3)
        eta = round(waiting / pace) if pace and waiting else (0 if not waiting else None)
        rows[stage] = {"waiting": waiting, "per_second": pace, "eta_seconds": eta}
    busy = [row["eta_seconds"] for row in rows.values() if row["waiting"]]
    eta_all = None if any(e is None for e in busy) else max(busy, default=0)
    return {"window_seconds": int(PACE_WINDOW.total_seconds()), "stages": rows,
            "eta_seconds": eta_all,
            "finishes_at": (now + timedelta(seconds=eta_all)).isoformat()
            if eta_all else None}


def format_duration(seconds: float | None) -> str:
    """"2 h 05 min", "4 min", "40 s"; "unknown" when there is no pace yet."""
    if seconds is None:
        return "unknown"
    if seconds < 60:
        return f"{int(seconds)} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


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


def failed_asset_ids(session: Session, may_pass_only: bool = False) -> list[int]:
    """Every asset whose processing failed (a core stage gave up), trash left out; with
    ``may_pass_only``, those whose failures may pass only."""
    query = select(Asset.id).where(Asset.state == ASSET_FAILED, Asset.deleted_at.is_(None))
    if may_pass_only:
        query = query.where(_may_pass())
    return list(session.scalars(query.order_by(Asset.id)))
