"""The figures /metrics reads from the database: assets by state, stages by stage and state,
bytes stored, live workers (observability.RuntimeCollector caches them)."""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client.core import GaugeMetricFamily, Metric
from sqlalchemy import func, select

from albumen.db.models import Asset, AssetStage
from albumen.library.status import storage_use
from albumen.runtime import Runtime


def database_families(rt: Runtime) -> Iterable[Metric]:
    """What the database knows, as gauges (read by observability's RuntimeCollector)."""
    with rt.session() as session:
        by_state = session.execute(
            select(Asset.state, func.count()).where(Asset.deleted_at.is_(None))
            .group_by(Asset.state)).all()
        trashed = session.scalar(
            select(func.count()).select_from(Asset).where(Asset.deleted_at.is_not(None)))
        stages = session.execute(
            select(AssetStage.stage, AssetStage.state, func.count())
            .group_by(AssetStage.stage, AssetStage.state)).all()
        stored = storage_use(session)
    assets = GaugeMetricFamily("albumen_assets", "Assets (not in the trash) by processing state",
                               labels=["state"])
    counts = {"processing": 0, "ready": 0, "failed": 0}
    counts.update({state: int(n) for state, n in by_state})
    for state, n in sorted(counts.items()):
        assets.add_metric([state], n)
    yield assets
    yield GaugeMetricFamily("albumen_assets_trashed", "Assets in the trash",
                            value=int(trashed or 0))
    stage_family = GaugeMetricFamily("albumen_asset_stages",
                                     "Processing stages of assets, by stage and state",
                                     labels=["stage", "state"])
    for stage, state, n in sorted(stages):
        stage_family.add_metric([stage, state], int(n))
    yield stage_family
    storage = GaugeMetricFamily("albumen_storage_bytes",
                                "Bytes stored: originals (each file once) and derivatives",
                                labels=["kind"])
    for kind in ("originals", "derivatives"):
        storage.add_metric([kind], stored[kind])
    yield storage
    yield GaugeMetricFamily("albumen_workers_live", "Worker hosts with a recent heartbeat",
                            value=rt.live_workers())
