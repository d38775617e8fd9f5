"""ZIP downloads of an event, an album, a selection or what a share link shows: streamed,
original bytes (location removed when the link asks for it), safe unique filenames."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from albumen.db.models import Asset
from albumen.media.strip import strip_location
from albumen.runtime import Runtime
from albumen.services.assets import AssetFilter, filtered
from albumen.services.zipstream import ZipMember, safe_unique_names, zip_stream

BATCH = 500


def _rows(rt: Runtime, f: AssetFilter, asset_ids: list[int] | None) -> list[tuple]:
    with rt.session() as session:
        query = filtered(select(Asset.id, Asset.original_filename, Asset.storage_key,
                                 Asset.sort_at), f)
        query = query.where(Asset.purged_at.is_(None))
        if asset_ids is not None:
            query = query.where(Asset.id.in_(asset_ids))
        return list(session.execute(query.order_by(Asset.sort_at, Asset.id)).tuples())


def archive(rt: Runtime, f: AssetFilter, asset_ids: list[int] | None = None,
            strip: bool = False) -> Iterator[bytes]:
    """The archive's bytes, produced as the client reads them (memory stays flat)."""
    rows = _rows(rt, f, asset_ids)  # ids and names only: small even for big events
    names = safe_unique_names(name for _, name, _, _ in rows)

    def members() -> Iterator[ZipMember]:
        for (_, _, key, sort_at), name in zip(rows, names, strict=True):
            if strip:
                yield ZipMember(name, data=lambda key=key: _stripped(rt, key), mtime=sort_at)
            else:
                with rt.storage.local_path(key) as path:
                    yield ZipMember(name, path=path, mtime=sort_at)

    return zip_stream(members())


def _stripped(rt: Runtime, key: str) -> bytes:
    with rt.storage.open(key) as fh:
        return strip_location(fh.read())
