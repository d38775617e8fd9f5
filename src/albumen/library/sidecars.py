"""Metadata that arrives beside a file: an XMP sidecar (``photo.jpg.xmp``), or what another
system's export says of it, kept as an XMP packet (db/sidecars.py).

The rule when they disagree (docs/decisions.md, "Sidecars over files, people over both"):

1. A sidecar's field wins over the same field embedded in the file: it is what an editor
   (digiKam, Lightroom, darktable) wrote last, and the reason it exists. A field the sidecar
   leaves out keeps the file's value. Keywords are the union of both.
2. What a person changed in albumen (``Asset.edited``) wins over both, however often the
   metadata is read again.
3. A named face region names the face the detector found at that place (unless a person in
   albumen already put that face with someone); a region where no face was found becomes a
   face of its own, so no name is lost.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

import numpy as np
from PIL import Image
from sqlalchemy.orm import Session

from albumen.db.models import USER, Asset, AssetSidecar, Face, Person
from albumen.errors import RejectedFile
from albumen.library.requeue import reset_stages
from albumen.media.metadata import CaptureTime
from albumen.media.xmp import MAX_SIDECAR_BYTES, SIDECAR_SUFFIX, XmpRecord, read_packet
from albumen.ml import faces as face_math
from albumen.people import names as person_names
from albumen.pipeline import stages_for
from albumen.runtime import Runtime

# Fields of the asset a sidecar may set, as the metadata stage records them.
FIELDS = ("title", "description", "rating", "label", "latitude", "longitude", "altitude")
# The stages that read what a sidecar gives: run again when one arrives for a processed asset.
STAGES = ["metadata", "places", "faces", "dates", "semantic"]
# A region and a detected face are the same face when their boxes overlap this much
# (regions drawn by hand are looser than the detector's boxes).
_SAME_FACE_IOU = 0.3


@dataclass(frozen=True)
class Sidecar:
    """A packet that came with a file: from an XMP file beside it, or made from another
    system's record of it."""

    source: str  # xmp, takeout, photoprism, immich
    name: str  # the file it was read from
    xmp: bytes


def sidecar_path(path: Path) -> Path | None:
    """The XMP sidecar of a file, as digiKam/darktable/Immich name it (photo.jpg.xmp) or as
    Lightroom does (photo.xmp); None without one."""
    names = [path.name + SIDECAR_SUFFIX, path.name + ".XMP"]
    if path.suffix.lower() != SIDECAR_SUFFIX:
        names += [path.stem + SIDECAR_SUFFIX, path.stem + ".XMP"]
    for name in names:
        candidate = path.with_name(name)
        if candidate.is_file():
            return candidate
    return None


def load(path: Path) -> Sidecar:
    """Read and check a sidecar file; RejectedFile naming what is wrong with it."""
    try:
        size = path.stat().st_size
        if size > MAX_SIDECAR_BYTES:
            raise RejectedFile(f"sidecar of {size:,} bytes is larger than the "
                               f"{MAX_SIDECAR_BYTES:,} allowed")
        data = path.read_bytes()
    except OSError as exc:
        raise RejectedFile(f"cannot read the sidecar: {exc.strerror or exc}") from exc
    read_packet(data)
    return Sidecar("xmp", path.name, data)


def merge(rt: Runtime, asset_id: int, sidecar: Sidecar, replace: bool = True) -> bool:
    """Keep a sidecar for an asset that already exists (a re-import, another copy of the same
    bytes) and read its metadata again when it changed; True when it did. With ``replace``
    false, an asset that has a sidecar keeps it."""
    with rt.transaction() as session:
        asset = session.get(Asset, asset_id)
        if asset is None or (not replace and session.get(AssetSidecar, asset_id) is not None):
            return False
        if not attach(session, asset_id, sidecar):
            return False
        stages = [s for s in STAGES if s in stages_for(rt.settings, asset.media_type)]
    reset_stages(rt, [asset_id], stages)
    rt.queue.enqueue_asset(asset_id)
    return True


def attach(session: Session, asset_id: int, sidecar: Sidecar) -> bool:
    """Keep the packet as the asset's sidecar; True when it is new or changed. RejectedFile
    when it is not a readable XMP packet."""
    xmp = sidecar.xmp
    read_packet(xmp)  # refuse bombs and non-XMP before anything is kept
    digest = hashlib.sha256(xmp).hexdigest()
    row = session.get(AssetSidecar, asset_id)
    if row is not None and row.sha256 == digest:
        return False
    if row is None:
        row = AssetSidecar(asset_id=asset_id)
        session.add(row)
    row.source, row.name, row.sha256 = sidecar.source, sidecar.name[:1024], digest
    row.xmp = xmp.decode("utf-8", "replace")
    return True


def record(session: Session, asset: Asset) -> XmpRecord | None:
    """The asset's sidecar, read; None without one (or one that no longer parses, which is
    noted on the asset rather than failing the stage)."""
    row = session.get(AssetSidecar, asset.id)
    if row is None:
        return None
    try:
        found, _ = read_packet(row.xmp.encode("utf-8"), asset.orientation or 1)
    except RejectedFile as exc:
        asset.metadata_errors = [*(asset.metadata_errors or []), f"sidecar: {exc.message}"]
        return None
    return found


def overlay(session: Session, asset: Asset) -> None:
    """Lay the sidecar over what the file said (rules 1 and 2), after the file was read."""
    found = record(session, asset)
    if found is None:
        return
    kept = set(asset.edited or [])
    for name in FIELDS:
        value = getattr(found, name)
        if value is not None and name not in kept:
            setattr(asset, name, value)
    if found.taken is not None and "taken" not in kept:
        _set_taken(asset, found.taken)
    if found.keywords:
        asset.keywords = list(dict.fromkeys([*(asset.keywords or []), *found.keywords]))
    if found.hierarchy:
        asset.keyword_paths = list(dict.fromkeys([*(asset.keyword_paths or []),
                                                  *found.hierarchy]))


def _set_taken(asset: Asset, taken: CaptureTime) -> None:
    """The sidecar's capture time, unless it is the instant the file already gives: then the
    file's wall clock stays (Takeout gives only UTC). A file without an offset whose time is
    a whole quarter-hour (at most 14 h) from that instant learns its offset from it."""
    file_local = asset.taken_at_local.replace(tzinfo=None) if asset.taken_at_local else None
    if file_local is not None and asset.taken_at is not None:
        if asset.taken_at_offset_minutes is not None:
            if abs((asset.taken_at - taken.utc).total_seconds()) < 1:
                return
        elif taken.offset_minutes is not None:  # the sidecar's is an instant
            minutes = (file_local - taken.utc.replace(tzinfo=None)).total_seconds() / 60
            if abs(minutes) <= 14 * 60 and minutes % 15 == 0:
                asset.taken_at_offset_minutes = int(minutes)
                asset.taken_at = asset.sort_at = taken.utc
                return
    asset.taken_at = asset.sort_at = taken.utc
    asset.taken_at_local = asset.local_at = taken.local.replace(tzinfo=UTC)
    asset.taken_at_offset_minutes = taken.offset_minutes


def name_faces(session: Session, asset: Asset, faces: list[Face], pixels: np.ndarray,
               crop_size: int = 160) -> list[tuple[Face, Image.Image]]:
    """Rule 3: give the faces just found (boxes of ``pixels``, the upright preview) the names
    of the sidecar's regions. Returns the faces made for regions no detection matched, with
    their crops (added to the session; the caller stores the crops)."""
    found = record(session, asset)
    if found is None or not found.regions:
        return []
    made = []
    for region in found.regions:
        person = _person_named(session, asset.owner_id, region.name)
        box = (region.x, region.y, region.w, region.h)
        face = max(faces, default=None, key=lambda f: face_math.box_iou(
            box, (f.box_x, f.box_y, f.box_w, f.box_h)))
        if face is not None and face_math.box_iou(
                box, (face.box_x, face.box_y, face.box_w, face.box_h)) > _SAME_FACE_IOU:
            if face.assigned_by != USER:
                face.person_id, face.assigned_by = person.id, USER
            continue
        height, width = pixels.shape[:2]
        face = Face(asset_id=asset.id, owner_id=asset.owner_id, person_id=person.id,
                    assigned_by=USER, box_x=region.x, box_y=region.y, box_w=region.w,
                    box_h=region.h, size_px=round(max(region.w * width, region.h * height)))
        crop = face_math.square_crop(pixels, round(region.x * width), round(region.y * height),
                                     round((region.x + region.w) * width),
                                     round((region.y + region.h) * height), crop_size)
        session.add(face)
        faces.append(face)
        made.append((face, crop))
    return made


def _person_named(session: Session, owner_id: int | None, name: str) -> Person:
    clean = person_names.clean(name) or name
    same = person_names.same_named(session, owner_id, clean)
    if same:
        person = session.get(Person, same[0])
        if person is not None:
            return person
    person = Person(owner_id=owner_id, name=clean)
    session.add(person)
    session.flush()
    return person
