"""What albumen knows of an asset, as an XMP record: the asset's fields, its named people as
face regions and keywords (``People|Name``), its keywords and their hierarchy."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from albumen.db.models import Asset, Face, Person
from albumen.media.metadata import CaptureTime
from albumen.media.xmp import Region, XmpRecord

PEOPLE_ROOT = "People"


def records(session: Session, assets: list[Asset]) -> dict[int, XmpRecord]:
    """Records of many assets, their people read in one query."""
    named: dict[int, list[tuple[str, Face]]] = defaultdict(list)
    ids = [a.id for a in assets]
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(Face, Person.name).join(Person, Person.id == Face.person_id)
            .where(Face.asset_id.in_(ids[start:start + 500]), Person.name.is_not(None),
                   Face.frame_time.is_(None))
            .order_by(Face.id))
        for face, name in rows:
            named[face.asset_id].append((name, face))
    return {a.id: _record(a, named.get(a.id, [])) for a in assets}


def _record(asset: Asset, people: list[tuple[str, Face]]) -> XmpRecord:
    names = sorted({name for name, _ in people})
    taken = None
    if asset.taken_at_local is not None:
        taken = CaptureTime(asset.taken_at_local.replace(tzinfo=None),
                            asset.taken_at_offset_minutes)
    orientation = asset.orientation or 1
    width, height = asset.width, asset.height
    if orientation in (5, 6, 7, 8):  # the record's size is the stored image's
        width, height = height, width
    located = asset.latitude is not None and asset.longitude is not None
    return XmpRecord(
        title=asset.title, description=asset.description,
        keywords=sorted({*(asset.keywords or []), *names}),
        hierarchy=sorted({*(asset.keyword_paths or []), *(f"{PEOPLE_ROOT}|{n}" for n in names)}),
        rating=asset.rating, label=asset.label,
        latitude=asset.latitude if located else None,
        longitude=asset.longitude if located else None,
        altitude=asset.altitude if located else None,
        taken=taken,
        regions=[Region(name, f.box_x, f.box_y, f.box_w, f.box_h) for name, f in people],
        width=width, height=height, orientation=orientation,
    )
