"""Albums: curated collections of assets from the owner's library and from events they can
see. An album is private to its owner; share links open it to others."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from albumen.accounts import audit
from albumen.accounts.audit import Actor
from albumen.db.base import utcnow
from albumen.db.models import APPROVED, Album, AlbumAsset, Asset
from albumen.errors import InvalidInput, NotFound
from albumen.events.access import album_contents, visible_clause
from albumen.runtime import Runtime


@dataclass
class AlbumView:
    album: Album
    count: int


def _own(session: Session, user_id: int, album_id: int) -> Album:
    album = session.get(Album, album_id)
    if album is None or album.owner_id != user_id:
        raise NotFound(f"album {album_id} not found")
    return album


def _count(session: Session, album_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Asset)
                          .where(album_contents(album_id))) or 0


def create_album(rt: Runtime, user_id: int, title: str, description: str | None,
                 actor: Actor) -> int:
    if not title.strip():
        raise InvalidInput("title must not be empty")
    with rt.transaction() as session:
        album = Album(owner_id=user_id, title=title.strip(), description=description)
        session.add(album)
        session.flush()
        audit.record(session, actor, "album.create", "album", album.id)
        return album.id


def list_albums(session: Session, user_id: int) -> list[AlbumView]:
    albums = session.scalars(select(Album).where(Album.owner_id == user_id)
                             .order_by(Album.updated_at.desc(), Album.id.desc()))
    return [AlbumView(a, _count(session, a.id)) for a in albums]


def get_album(session: Session, user_id: int, album_id: int) -> AlbumView:
    album = _own(session, user_id, album_id)
    return AlbumView(album, _count(session, album_id))


def update_album(rt: Runtime, user_id: int, album_id: int, values: dict[str, Any],
                 actor: Actor) -> None:
    with rt.transaction() as session:
        album = _own(session, user_id, album_id)
        if "title" in values:
            if not (values["title"] or "").strip():
                raise InvalidInput("title must not be empty")
            album.title = values["title"].strip()
        if "description" in values:
            album.description = values["description"]
        audit.record(session, actor, "album.update", "album", album_id)


def delete_album(rt: Runtime, user_id: int, album_id: int, actor: Actor) -> None:
    """Delete the album (its photos stay where they are)."""
    with rt.transaction() as session:
        album = _own(session, user_id, album_id)
        session.delete(album)
        audit.record(session, actor, "album.delete", "album", album_id)


def add_assets(rt: Runtime, user_id: int, album_id: int, asset_ids: list[int],
               actor: Actor) -> int:
    """Add assets the user can see (approved ones, for event assets); returns how many were
    new. Ids the user cannot see are reported as not found, all or nothing."""
    with rt.transaction() as session:
        album = _own(session, user_id, album_id)
        wanted = set(asset_ids)
        visible = set(session.scalars(select(Asset.id).where(
            Asset.id.in_(wanted), visible_clause(user_id), Asset.moderation == APPROVED,
            Asset.deleted_at.is_(None))))
        missing = sorted(wanted - visible)
        if missing:
            raise NotFound(f"assets not found: {missing[:20]}", details={"asset_ids": missing})
        present = set(session.scalars(select(AlbumAsset.asset_id).where(
            AlbumAsset.album_id == album_id, AlbumAsset.asset_id.in_(wanted))))
        for asset_id in sorted(visible - present):
            session.add(AlbumAsset(album_id=album_id, asset_id=asset_id))
        album.updated_at = utcnow()
        audit.record(session, actor, "album.add", "album", album_id,
                     asset_ids=sorted(visible - present))
        return len(visible - present)


def remove_assets(rt: Runtime, user_id: int, album_id: int, asset_ids: list[int],
                  actor: Actor) -> int:
    with rt.transaction() as session:
        _own(session, user_id, album_id)
        removed = session.execute(delete(AlbumAsset).where(
            AlbumAsset.album_id == album_id, AlbumAsset.asset_id.in_(asset_ids))).rowcount
        audit.record(session, actor, "album.remove", "album", album_id,
                     asset_ids=sorted(asset_ids))
        return removed
