"""Reading and changing assets: list with filters and cursors, trash, near-duplicates."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from albumen.db.base import utcnow
from albumen.db.models import Asset, Derivative
from albumen.errors import InvalidInput, NotFound
from albumen.runtime import Runtime

MAX_PAGE = 500


@dataclass
class AssetFilter:
    taken_after: datetime | None = None
    taken_before: datetime | None = None
    camera: str | None = None
    has_gps: bool | None = None
    media_type: str | None = None
    state: str | None = None
    trashed: bool = False


@dataclass
class Page:
    items: list[Asset]
    next_cursor: str | None


def _encode_cursor(asset: Asset) -> str:
    raw = f"{asset.sort_at.isoformat()}|{asset.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, asset_id = raw.split("|")
        return datetime.fromisoformat(stamp), int(asset_id)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidInput("invalid cursor", details={"cursor": cursor}) from exc


def _filtered(query: Select[tuple[Asset]], f: AssetFilter) -> Select[tuple[Asset]]:
    query = query.where(Asset.deleted_at.is_not(None) if f.trashed else Asset.deleted_at.is_(None))
    if f.taken_after is not None:
        query = query.where(Asset.taken_at >= f.taken_after)
    if f.taken_before is not None:
        query = query.where(Asset.taken_at < f.taken_before)
    if f.camera:
        pattern = f"%{f.camera.lower()}%"
        query = query.where(
            or_(func.lower(Asset.camera_model).like(pattern),
                func.lower(Asset.camera_make).like(pattern))
        )
    if f.has_gps is not None:
        query = query.where(
            Asset.latitude.is_not(None) if f.has_gps else Asset.latitude.is_(None)
        )
    if f.media_type:
        query = query.where(Asset.media_type == f.media_type)
    if f.state:
        query = query.where(Asset.state == f.state)
    return query


def list_assets(
    session: Session, f: AssetFilter, limit: int = 100, cursor: str | None = None
) -> Page:
    """Newest first (capture time, else arrival), stable under concurrent inserts."""
    limit = max(1, min(limit, MAX_PAGE))
    query = _filtered(select(Asset), f).options(
        selectinload(Asset.sources), selectinload(Asset.stages)
    )
    if cursor:
        sort_at, asset_id = _decode_cursor(cursor)
        query = query.where(
            or_(Asset.sort_at < sort_at, and_(Asset.sort_at == sort_at, Asset.id < asset_id))
        )
    rows = session.scalars(
        query.order_by(Asset.sort_at.desc(), Asset.id.desc()).limit(limit + 1)
    ).all()
    items = list(rows[:limit])
    next_cursor = _encode_cursor(items[-1]) if len(rows) > limit else None
    return Page(items, next_cursor)


def get_asset(session: Session, asset_id: int, *, include_trashed: bool = True) -> Asset:
    asset = session.get(
        Asset, asset_id, options=[selectinload(Asset.sources), selectinload(Asset.stages)]
    )
    if asset is None or (asset.deleted_at is not None and not include_trashed):
        raise NotFound(f"asset {asset_id} not found", details={"asset_id": asset_id})
    return asset


def get_derivative(session: Session, asset_id: int, kind: str) -> Derivative:
    get_asset(session, asset_id)
    row = session.get(Derivative, (asset_id, kind))
    if row is None:
        raise NotFound(
            f"asset {asset_id} has no {kind} yet (still processing, or processing failed)",
            details={"asset_id": asset_id, "kind": kind},
        )
    return row


def trash(rt: Runtime, asset_id: int) -> Asset:
    with rt.transaction() as session:
        asset = get_asset(session, asset_id)
        if asset.deleted_at is None:
            asset.deleted_at = utcnow()
        return asset


def restore(rt: Runtime, asset_id: int) -> Asset:
    with rt.transaction() as session:
        asset = get_asset(session, asset_id)
        asset.deleted_at = None
        return asset


def near_duplicates(
    session: Session, asset_id: int, max_distance: int
) -> list[tuple[Asset, int]]:
    """Assets whose perceptual hash is within ``max_distance`` bits, closest first."""
    asset = get_asset(session, asset_id)
    if asset.phash is None:
        return []
    rows = session.execute(
        select(Asset.id, Asset.phash).where(
            Asset.phash.is_not(None), Asset.deleted_at.is_(None), Asset.id != asset_id
        )
    ).all()
    if not rows:
        return []
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    hashes = np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows)).view(np.uint64)
    target = np.array([asset.phash], dtype=np.int64).view(np.uint64)
    distances = np.bitwise_count(hashes ^ target)
    hits = np.nonzero(distances <= max_distance)[0]
    hits = hits[np.argsort(distances[hits], kind="stable")]
    wanted = ids[hits].tolist()
    found = {a.id: a for a in session.scalars(select(Asset).where(Asset.id.in_(wanted)))}
    return [(found[int(ids[i])], int(distances[i])) for i in hits]
