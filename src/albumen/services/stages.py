"""The processing stages. Each is idempotent: run it twice and the result is the same."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC

from PIL import Image
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from albumen.db.models import Asset, AssetTag, Derivative, Tag
from albumen.errors import MediaDecodeError
from albumen.media import derivatives as render
from albumen.media.imaging import check_header, open_for_display, register_codecs
from albumen.media.metadata import read_metadata
from albumen.runtime import Runtime
from albumen.storage.base import derivative_key

StageFn = Callable[[Runtime, Session, Asset], None]


def metadata_stage(rt: Runtime, session: Session, asset: Asset) -> None:
    with rt.storage.local_path(asset.storage_key) as path:
        width, height = check_header(path, rt.settings.max_image_pixels)
        meta = read_metadata(path)
    if meta.orientation in (5, 6, 7, 8):
        width, height = height, width
    asset.width, asset.height = width, height
    if meta.taken is not None:
        asset.taken_at = asset.sort_at = meta.taken.utc
        # wall-clock time kept as written, stored in a UTC column by convention
        asset.taken_at_local = meta.taken.local.replace(tzinfo=UTC)
        asset.taken_at_offset_minutes = meta.taken.offset_minutes
    for name in ("camera_make", "camera_model", "lens", "exposure_time", "f_number", "iso",
                 "focal_length", "latitude", "longitude", "altitude", "orientation", "rating",
                 "title", "description"):
        setattr(asset, name, getattr(meta, name))
    asset.keywords = meta.keywords or None
    asset.metadata_raw = meta.raw
    asset.metadata_errors = meta.errors or None
    _set_keyword_tags(session, asset.id, meta.keywords)


def _set_keyword_tags(session: Session, asset_id: int, keywords: list[str]) -> None:
    session.execute(
        delete(AssetTag).where(AssetTag.asset_id == asset_id, AssetTag.source == "metadata")
    )
    for word in dict.fromkeys(k.strip().lower() for k in keywords if k.strip()):
        tag = session.scalar(select(Tag).where(Tag.name == word))
        if tag is None:
            tag = Tag(name=word)
            session.add(tag)
            session.flush()
        session.add(AssetTag(asset_id=asset_id, tag_id=tag.id, source="metadata"))


def derivatives_stage(rt: Runtime, session: Session, asset: Asset) -> None:
    settings = rt.settings
    with rt.storage.local_path(asset.storage_key) as path:
        im = open_for_display(path, settings.preview_size, settings.max_image_pixels)
    preview, scaled = render.preview(im, settings.preview_size, settings.preview_quality)
    thumb, thumb_im = render.thumbnail(scaled, settings.thumbnail_size,
                                       settings.thumbnail_quality)
    for rendition in (preview, thumb):
        _store(rt, session, asset, rendition)
    asset.thumbhash = render.thumbhash_of(thumb_im)
    if asset.width is None:
        asset.width, asset.height = im.size


def _store(rt: Runtime, session: Session, asset: Asset, rendition: render.Rendition) -> None:
    key = derivative_key(asset.id, rendition.kind, rendition.ext)
    rt.storage.put_bytes(key, rendition.data)
    row = session.get(Derivative, (asset.id, rendition.kind)) or Derivative(
        asset_id=asset.id, kind=rendition.kind
    )
    row.storage_key = key
    row.mime_type = rendition.mime_type
    row.width, row.height = rendition.width, rendition.height
    row.size = len(rendition.data)
    row.etag = hashlib.blake2b(rendition.data, digest_size=16).hexdigest()
    session.add(row)


def phash_stage(rt: Runtime, session: Session, asset: Asset) -> None:
    thumb = session.get(Derivative, (asset.id, "thumbnail"))
    if thumb is None:
        raise MediaDecodeError("no thumbnail to hash (the derivatives stage did not complete)")
    register_codecs()
    with rt.storage.local_path(thumb.storage_key) as path, Image.open(path) as im:
        im.load()
        asset.phash = render.perceptual_hash(im)


STAGE_FUNCTIONS: dict[str, StageFn] = {
    "metadata": metadata_stage,
    "derivatives": derivatives_stage,
    "phash": phash_stage,
}



def warm_up() -> None:
    """Import codecs and libraries before the first job, so it is not slower than the rest."""
    import pyexiv2  # noqa: F401  (read_metadata imports it on first use)
    import scipy.fftpack  # noqa: F401  (imagehash imports it on first use)

    register_codecs()
