"""What another system's export groups photos into (albums) and marks (favourites), made
again in albumen: an album of the same title is completed, never made twice."""

from __future__ import annotations

from sqlalchemy import select, update

from albumen.accounts import audit
from albumen.db.albums import Album, AlbumAsset
from albumen.db.models import Asset
from albumen.runtime import Runtime


def fill_albums(rt: Runtime, owner_id: int, wanted: dict[str, list[int]], source: str
                ) -> dict[str, int]:
    """Put the assets in the owner's albums of those titles; returns each album's size."""
    out: dict[str, int] = {}
    with rt.transaction() as session:
        for title, ids in sorted(wanted.items()):
            if not ids:
                continue
            album = session.scalar(select(Album).where(Album.owner_id == owner_id,
                                                       Album.title == title).limit(1))
            if album is None:
                album = Album(owner_id=owner_id, title=title)
                session.add(album)
                session.flush()
                audit.record(session, audit.SYSTEM, "album.create", "album", album.id,
                             title=title, source=source)
            present = set(session.scalars(select(AlbumAsset.asset_id).where(
                AlbumAsset.album_id == album.id)))
            for asset_id in sorted(set(ids) - present):
                session.add(AlbumAsset(album_id=album.id, asset_id=asset_id))
            out[title] = len(set(ids) | present)
    return out


def mark_favorites(rt: Runtime, asset_ids: list[int]) -> None:
    if asset_ids:
        with rt.transaction() as session:
            session.execute(update(Asset).where(Asset.id.in_(asset_ids)).values(favorite=True))
