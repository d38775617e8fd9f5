"""Reading and changing assets: the asset filter (listings run through the search engine:
search.engine.browse), trash, near-duplicates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import Session

from albumen.accounts import audit
from albumen.accounts.audit import Actor
from albumen.db.base import utcnow
from albumen.db.models import Asset, Derivative, Stack
from albumen.errors import InvalidInput, NotFound
from albumen.events.access import album_contents, readable_asset, visible_clause, writable_asset
from albumen.media.derivatives import hammings
from albumen.notify import emit
from albumen.runtime import Runtime

MAX_PAGE = 500


@dataclass(kw_only=True)
class AssetFilter:
    taken_after: datetime | None = None
    taken_before: datetime | None = None
    camera: str | None = None
    has_gps: bool | None = None
    media_type: str | None = None
    state: str | None = None
    trashed: bool = False
    event_id: int | None = None
    album_id: int | None = None
    stack_id: int | None = None
    collapse_stacks: bool = False  # a burst shows as its best photo only
    moderation: str | None = None
    # Whose view this is: a user id (only what they may see), or None for the operator (CLI).
    viewer: int | None = None
    # A share-link holder's view (services.sharing.GuestAccess) instead of a user's.
    guest: Any = None


@dataclass
class Page:
    items: list[Asset]
    next_cursor: str | None


def filtered(query: Select[tuple[Asset]], f: AssetFilter) -> Select[tuple[Asset]]:
    query = query.where(Asset.deleted_at.is_not(None) if f.trashed else Asset.deleted_at.is_(None))
    query = query.where(Asset.motion_of_id.is_(None))  # a Live Photo's clip shows with it
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
    if f.event_id is not None:
        query = query.where(Asset.event_id == f.event_id)
    if f.album_id is not None:
        query = query.where(album_contents(f.album_id))
    if f.stack_id is not None:
        query = query.where(Asset.stack_id == f.stack_id)
    if f.collapse_stacks:
        query = query.where(or_(Asset.stack_id.is_(None), exists(select(Stack.id).where(
            Stack.id == Asset.stack_id, Stack.cover_asset_id == Asset.id))))
    if f.moderation:
        query = query.where(Asset.moderation == f.moderation)
    if f.viewer is not None:
        query = query.where(visible_clause(f.viewer))
    if f.guest is not None:
        from albumen.events.sharing import guest_visible_clause

        query = query.where(guest_visible_clause(f.guest))
    return query


def get_asset(session: Session, asset_id: int, viewer: int | None = None) -> Asset:
    """One asset; with a viewer (user id), only if that user may see it (else NotFound)."""
    if viewer is not None:
        readable_asset(session, viewer, asset_id)
    asset = session.get(Asset, asset_id)
    if asset is None:
        raise NotFound(f"asset {asset_id} not found", details={"asset_id": asset_id})
    return asset


def get_derivative(session: Session, asset_id: int, kind: str) -> Derivative:
    row = session.get(Derivative, (asset_id, kind))
    if row is None:
        raise NotFound(
            f"asset {asset_id} has no {kind} yet (still processing, or processing failed)",
            details={"asset_id": asset_id, "kind": kind},
        )
    return row


def editable(session: Session, asset_id: int, user_id: int | None) -> Asset:
    return get_asset(session, asset_id) if user_id is None else writable_asset(
        session, user_id, asset_id)


def trash(rt: Runtime, asset_id: int, actor: Actor = audit.SYSTEM) -> None:
    with rt.transaction() as session:
        asset = editable(session, asset_id, actor.user_id)
        if asset.deleted_at is None:
            asset.deleted_at = utcnow()
            audit.record(session, actor, "asset.trash", "asset", asset_id)
            emit(session, "asset.deleted", asset_id=asset_id)


def restore(rt: Runtime, asset_id: int, actor: Actor = audit.SYSTEM) -> None:
    with rt.transaction() as session:
        asset = editable(session, asset_id, actor.user_id)
        if asset.deleted_at is not None:
            asset.deleted_at = None
            audit.record(session, actor, "asset.restore", "asset", asset_id)


EDITABLE = ("favorite", "rating", "title", "description", "label")
# What a person sets here and the file's metadata also says: kept when the metadata is read
# again (Asset.edited).
_FROM_METADATA = frozenset({"rating", "title", "description", "label"})


def update_asset(rt: Runtime, asset_id: int, values: dict[str, Any],
                 actor: Actor = audit.SYSTEM) -> None:
    """Favourite, rating (0-5, or None to clear), title, description and colour label."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise InvalidInput(f"cannot change {', '.join(sorted(unknown))}")
    rating = values.get("rating")
    if rating is not None and not (isinstance(rating, int) and 0 <= rating <= 5):
        raise InvalidInput("rating is a whole number from 0 to 5")
    if "favorite" in values and not isinstance(values["favorite"], bool):
        raise InvalidInput("favorite is true or false")
    label = values.get("label")
    if label is not None:
        if not isinstance(label, str) or not label.strip() or len(label.strip()) > 32:
            raise InvalidInput("label is a colour label of 1 to 32 characters "
                               "(Red, Yellow, Green, Blue, Purple)")
        values = {**values, "label": label.strip()}
    from albumen.search import text_index

    with rt.transaction() as session:
        asset = editable(session, asset_id, actor.user_id)
        changed = {k: v for k, v in values.items() if getattr(asset, k) != v}
        for key, value in changed.items():
            setattr(asset, key, value)
        if changed:
            audit.record(session, actor, "asset.update", "asset", asset_id, **changed)
            edited = _FROM_METADATA & set(changed)
            if edited - set(asset.edited or []):
                asset.edited = sorted(edited | set(asset.edited or []))
        if {"title", "description"} & set(changed):
            session.flush()
            text_index.refresh(session, [asset_id])


def near_duplicates(
    session: Session, asset_id: int, max_distance: int, viewer: int | None = None
) -> list[tuple[Asset, int]]:
    """Assets (that the viewer may see) whose perceptual hash is within ``max_distance`` bits,
    closest first."""
    asset = get_asset(session, asset_id, viewer)
    if asset.phash is None:
        return []
    query = select(Asset.id, Asset.phash).where(
        Asset.phash.is_not(None), Asset.deleted_at.is_(None), Asset.id != asset_id
    )
    if viewer is not None:
        query = query.where(visible_clause(viewer))
    rows = session.execute(query).all()
    if not rows:
        return []
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    distances = hammings(np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows)),
                         asset.phash)
    hits = np.nonzero(distances <= max_distance)[0]
    hits = hits[np.argsort(distances[hits], kind="stable")]
    wanted = ids[hits].tolist()
    found = {a.id: a for a in session.scalars(select(Asset).where(Asset.id.in_(wanted)))}
    return [(found[int(ids[i])], int(distances[i])) for i in hits]
