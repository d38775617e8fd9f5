"""ZIP downloads of an event, an album, a selection or what a share link shows: streamed,
original bytes (location removed when the link asks for it), safe unique filenames."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from albumen.db.models import Asset
from albumen.events.zipstream import ZipMember, safe_unique_names, zip_stream
from albumen.library.assets import AssetFilter, filtered
from albumen.media.imaging import as_plain_jpeg
from albumen.media.strip import StripUnsupported, strip_location
from albumen.runtime import Runtime

REENCODED = frozenset({"heic", "avif"})  # containers exiv2 can read but not rewrite


def _jpeg_name(name: str) -> str:
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem}.jpg"


def _rows(rt: Runtime, f: AssetFilter, asset_ids: list[int] | None) -> list[tuple]:
    with rt.session() as session:
        query = filtered(select(Asset.original_filename, Asset.storage_key, Asset.sort_at,
                                Asset.format), f)
        query = query.where(Asset.purged_at.is_(None))
        if asset_ids is not None:
            query = query.where(Asset.id.in_(asset_ids))
        return [tuple(r) for r in session.execute(query.order_by(Asset.sort_at, Asset.id))]


def archive(rt: Runtime, f: AssetFilter, asset_ids: list[int] | None = None,
            strip: bool = False) -> Iterator[bytes]:
    """The archive's bytes, produced as the client reads them (memory stays flat)."""
    rows = _rows(rt, f, asset_ids)  # names and keys only: small even for big events
    names = safe_unique_names(
        _jpeg_name(name) if strip and fmt in REENCODED else name for name, _, _, fmt in rows)

    def members() -> Iterator[ZipMember]:
        for (_, key, sort_at, _), name in zip(rows, names, strict=True):
            if strip:
                yield ZipMember(name, data=lambda key=key: location_free(rt, key)[0],
                                mtime=sort_at)
            else:
                with rt.storage.local_path(key) as path:
                    yield ZipMember(name, path=path, mtime=sort_at)

    return zip_stream(members())


def location_free(rt: Runtime, key: str) -> tuple[bytes, str | None]:
    """The original's bytes without location metadata, and the new MIME type when the file
    had to be re-encoded (exiv2 cannot rewrite HEIC/AVIF: those become a JPEG of the same
    pixels; the stored original is never touched)."""
    with rt.storage.open(key) as fh:
        data = fh.read()
    try:
        return strip_location(data), None
    except StripUnsupported:
        return as_plain_jpeg(data), "image/jpeg"
