"""Live Photos and motion photos: a still and its short clip, shown as one asset.

Apple writes the same content identifier into the photo (its maker note) and the clip (a
QuickTime key): whichever arrives second finds the other in the same library (or the same
uploader's part of an event) and the clip is marked as the photo's motion (``motion_of_id``).
Lists, search and the timeline leave such clips out; the photo's JSON links to its motion.
Samsung and Google motion photos carry their clip inside the JPEG: it is taken out when the
photo is read (library/motion_photos.py) and recorded the same way.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from albumen.db.models import Asset


def pair(session: Session, asset: Asset) -> None:
    """Pair this asset with its other half by content identifier, if it has arrived."""
    key = asset.content_identifier
    if not key:
        return
    same = (Asset.scope == asset.scope, Asset.content_identifier == key,
            Asset.deleted_at.is_(None), Asset.id != asset.id)
    if asset.media_type == "video":
        photo = session.scalar(select(Asset.id).where(*same, Asset.media_type == "image")
                               .order_by(Asset.id).limit(1))
        if photo is not None:
            asset.motion_of_id = photo
        return
    if asset.media_type == "image":
        session.execute(update(Asset).where(*same, Asset.media_type == "video",
                                            Asset.motion_of_id.is_(None))
                        .values(motion_of_id=asset.id))


def motion_of(session: Session, photo_ids: list[int]) -> dict[int, int]:
    """The clip of each of these photos that has one: photo id -> clip id."""
    if not photo_ids:
        return {}
    rows = session.execute(select(Asset.motion_of_id, Asset.id).where(
        Asset.motion_of_id.in_(photo_ids), Asset.deleted_at.is_(None))).all()
    return {photo: clip for photo, clip in rows}
