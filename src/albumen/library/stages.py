"""The processing stages. Each is idempotent: run it twice and the result is the same."""

from __future__ import annotations

import hashlib
import io
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from typing import Any

import numpy as np
from PIL import Image
from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from albumen.db.models import (
    APPROVED,
    AWAITING_SCREENING,
    PENDING_REVIEW,
    USER,
    Asset,
    AssetText,
    Derivative,
    Event,
    Face,
    Person,
    Place,
)
from albumen.errors import MediaDecodeError
from albumen.library import bursts, live_photos, sidecars
from albumen.library.tags import set_tags
from albumen.media import derivatives as render
from albumen.media import quality
from albumen.media.imaging import check_header, open_for_display, register_codecs
from albumen.media.metadata import Metadata, read_metadata
from albumen.ml import faces as face_math
from albumen.ml import models
from albumen.ml.captions import CaptionClient, endpoint_availability
from albumen.ml.faces import DetectedFace
from albumen.ml.ocr import TextLine
from albumen.ml.runtime import Model, ModelUnavailable
from albumen.ml.screening import Nudity
from albumen.notify import emit
from albumen.people import service as people
from albumen.runtime import Runtime
from albumen.search import clip
from albumen.storage.base import derivative_key, face_crop_key

StageFn = Callable[[Runtime, Session, Asset], None]


@dataclass(frozen=True)
class FileStage:
    """A stage whose work needs files only. ``compute`` reads the original (and may write
    derivative files) outside any transaction, given the asset as loaded and the results of the
    file stages computed before it in the same job; ``apply`` records a result in the database.

    A job computes the file stages it claimed one after another, then applies them all in one
    short transaction: the database (SQLite's single write lock) is never held while pixels are
    decoded, and a photo's core stages cost one commit, not one each.
    """

    compute: Callable[[Runtime, Asset, dict[str, Any]], Any]
    apply: Callable[[Runtime, Session, Asset, Any], None]


@dataclass(frozen=True)
class FileMetadata:
    width: int
    height: int
    meta: Metadata


def read_file_metadata(rt: Runtime, asset: Asset, _: dict[str, Any]) -> FileMetadata:
    with rt.storage.local_path(asset.storage_key) as path:
        width, height = check_header(path, rt.settings.max_image_pixels)
        meta = read_metadata(path)
    if meta.orientation in (5, 6, 7, 8):
        width, height = height, width
    return FileMetadata(width, height, meta)


def record_metadata(rt: Runtime, session: Session, asset: Asset, found: FileMetadata) -> None:
    """What the file says, then its sidecar over it; what a person changed in albumen stays."""
    meta = found.meta
    kept = set(asset.edited or [])
    asset.width, asset.height = found.width, found.height
    if meta.taken is not None and "taken" not in kept:
        asset.taken_at = asset.sort_at = meta.taken.utc
        # wall-clock time kept as written, stored in a UTC column by convention
        asset.taken_at_local = asset.local_at = meta.taken.local.replace(tzinfo=UTC)
        asset.taken_at_offset_minutes = meta.taken.offset_minutes
    for name in ("camera_make", "camera_model", "lens", "exposure_time", "f_number", "iso",
                 "focal_length", "latitude", "longitude", "altitude", "orientation", "rating",
                 "title", "description", "label"):
        if name not in kept:
            setattr(asset, name, getattr(meta, name))
    asset.keywords = meta.keywords or None
    asset.keyword_paths = meta.keyword_paths or None
    asset.metadata_raw = meta.raw
    asset.metadata_errors = meta.errors or None
    asset.content_identifier = meta.content_identifier
    sidecars.overlay(session, asset)
    live_photos.pair(session, asset)
    set_tags(session, asset.id, "metadata", asset.keywords or [])


@dataclass(frozen=True)
class Rendered:
    """The derivatives of an asset, already in storage, and what the database keeps of them."""

    renditions: tuple[render.Rendition, ...]
    thumbhash: str
    width: int  # of the upright decoded image (a fallback when the header gave no size)
    height: int

    def data(self, kind: str) -> bytes:
        return next(r.data for r in self.renditions if r.kind == kind)


def render_derivatives(rt: Runtime, asset: Asset, _: dict[str, Any]) -> Rendered:
    settings = rt.settings
    with rt.storage.local_path(asset.storage_key) as path:
        im = open_for_display(path, settings.preview_size, settings.max_image_pixels,
                              max_long_side=render.MAX_ASPECT * settings.preview_size)
    preview, scaled = render.preview(im, settings.preview_size, settings.preview_quality)
    thumb, thumb_im = render.thumbnail(scaled, settings.thumbnail_size,
                                       settings.thumbnail_quality)
    for rendition in (preview, thumb):
        rt.storage.put_bytes(derivative_key(asset.id, rendition.kind, rendition.ext),
                             rendition.data)
    height, width = im.shape[:2]
    return Rendered((preview, thumb), render.thumbhash_of(thumb_im), width, height)


def record_derivatives(rt: Runtime, session: Session, asset: Asset, rendered: Rendered) -> None:
    session.execute(delete(Derivative).where(
        Derivative.asset_id == asset.id,
        Derivative.kind.in_([r.kind for r in rendered.renditions])))
    session.execute(insert(Derivative), [{
        "asset_id": asset.id, "kind": r.kind,
        "storage_key": derivative_key(asset.id, r.kind, r.ext), "mime_type": r.mime_type,
        "width": r.width, "height": r.height, "size": len(r.data),
        "etag": hashlib.blake2b(r.data, digest_size=16).hexdigest(),
    } for r in rendered.renditions])
    asset.thumbhash = rendered.thumbhash
    if asset.width is None:
        asset.width, asset.height = rendered.width, rendered.height


def hash_thumbnail(rt: Runtime, asset: Asset, earlier: dict[str, Any]) -> int:
    """The perceptual hash of the stored thumbnail (the bytes just rendered in this job, or
    read back from storage): the same value whichever way the stage runs."""
    rendered: Rendered | None = earlier.get("derivatives")
    if rendered is not None:
        data = rendered.data("thumbnail")
    else:
        try:
            with rt.storage.open(derivative_key(asset.id, "thumbnail", render.THUMBNAIL_EXT)) as fh:
                data = fh.read()
        except FileNotFoundError:
            raise MediaDecodeError(
                "no thumbnail to hash (the derivatives stage did not complete)") from None
    register_codecs()
    with Image.open(io.BytesIO(data)) as im:
        im.load()
        return render.perceptual_hash(im)


def record_phash(rt: Runtime, session: Session, asset: Asset, value: int) -> None:
    asset.phash = value


FILE_STAGES: dict[str, FileStage] = {
    "metadata": FileStage(read_file_metadata, record_metadata),
    "derivatives": FileStage(render_derivatives, record_derivatives),
    "phash": FileStage(hash_thumbnail, record_phash),
}


def places_stage(rt: Runtime, session: Session, asset: Asset) -> None:
    """City, region and country of the GPS position (offline); nothing to do without GPS."""
    if asset.latitude is None or asset.longitude is None:
        asset.place_id = None
        return
    name = models.places(rt.settings).predict_one((asset.latitude, asset.longitude))
    place = session.scalar(select(Place).where(
        Place.country_code == name.country_code, Place.region == name.region,
        Place.city == name.city))
    if place is None:
        place = Place(city=name.city, region=name.region, country_code=name.country_code,
                      country=name.country, latitude=name.latitude, longitude=name.longitude)
        session.add(place)
        session.flush()
    asset.place_id = place.id


class _Decoded:
    """The previews decoded last in this process, by asset and preview version: the model
    stages of a photo (screening, bursts, faces, OCR, CLIP) read its pixels once, not once
    each. Read-only arrays, so no stage can change what the next one sees."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._pixels: OrderedDict[tuple[int, str | None], np.ndarray] = OrderedDict()
        self.hits = self.misses = 0

    def get(self, rt: Runtime, preview: Derivative) -> np.ndarray:
        key = (preview.asset_id, preview.etag)
        with self._lock:
            pixels = self._pixels.get(key)
            if pixels is not None:
                self._pixels.move_to_end(key)
                self.hits += 1
                return pixels
            self.misses += 1
        with rt.storage.open(preview.storage_key) as fh, Image.open(fh) as im:
            pixels = np.asarray(im.convert("RGB"))
        pixels.setflags(write=False)
        with self._lock:
            self._pixels[key] = pixels
            while len(self._pixels) > self.size:
                self._pixels.popitem(last=False)
        return pixels

    def clear(self) -> None:
        with self._lock:
            self._pixels.clear()


# A batch of photos goes through each model stage in turn: the cache holds one batch (about
# 8 MB a 1440 px preview).
DECODED = _Decoded(size=8)


def _preview_pixels(rt: Runtime, session: Session, asset: Asset) -> np.ndarray:
    preview = session.get(Derivative, (asset.id, "preview"))
    if preview is None:
        raise MediaDecodeError("no preview to analyse (the derivatives stage did not complete)")
    return DECODED.get(rt, preview)


def store_faces(rt: Runtime, session: Session, asset: Asset, pixels: np.ndarray,
                found: list[DetectedFace]) -> None:
    """Keep the faces found on the preview (with crops) and put them with the owner's people.
    Run again, it keeps what a user decided about a face found at the same place; a sidecar's
    named regions name the faces at their place (library/sidecars.py)."""
    settings = rt.settings
    previous = list(session.scalars(select(Face).where(Face.asset_id == asset.id)))
    current: list[Face] = []
    for detected in found:
        face = Face(asset_id=asset.id, owner_id=asset.owner_id, confidence=detected.confidence,
                    size_px=detected.size_px, sharpness=detected.sharpness,
                    embedding=face_math.to_bytes(detected.embedding),
                    frame_time=detected.time)
        face.box_x, face.box_y, face.box_w, face.box_h = detected.box
        kept = _same_place(previous, detected.box)
        if kept is not None and kept.assigned_by == USER:
            face.person_id, face.assigned_by = kept.person_id, USER
        session.add(face)
        session.flush()
        face.crop_key = face_crop_key(asset.id, face.id)
        rt.storage.put_bytes(face.crop_key, _webp(detected.crop))
        current.append(face)
    for face, crop in sidecars.name_faces(session, asset, current, pixels):
        session.flush()
        face.crop_key = face_crop_key(asset.id, face.id)
        rt.storage.put_bytes(face.crop_key, _webp(crop))
    new_ids = [face.id for face in current if face.assigned_by is None]
    for old in previous:
        session.execute(update(Person).where(Person.cover_face_id == old.id)
                        .values(cover_face_id=None))
        session.delete(old)
    session.flush()
    # Commit the faces first, then assign them under the library lock in a fresh transaction:
    # faces of photos processed in parallel must see each other to form a person.
    session.commit()
    for old in previous:
        if old.crop_key:
            rt.storage.delete(old.crop_key)
    people.lock_library(session, asset.owner_id)
    people.assign_faces(session, asset.owner_id, new_ids, settings.face_cluster_distance,
                        settings.face_min_faces)


def _webp(crop: Image.Image) -> bytes:
    buf = io.BytesIO()
    crop.save(buf, "WEBP", quality=85, method=2)
    return buf.getvalue()


def _same_place(faces: list[Face], box: tuple[float, float, float, float]) -> Face | None:
    """The earlier face whose box overlaps this one most (intersection over union > 0.5)."""
    best, best_iou = None, 0.5
    for face in faces:
        overlap = face_math.box_iou(box, (face.box_x, face.box_y, face.box_w, face.box_h))
        if overlap > best_iou:
            best, best_iou = face, overlap
    return best


def store_text(rt: Runtime, session: Session, asset: Asset, _: np.ndarray,
               lines: list[TextLine]) -> None:
    """Text in the photo (signs, banners, documents, cakes), read on the preview: every line
    as read, and as the photo's text only those the filter kept."""
    session.execute(delete(AssetText).where(AssetText.asset_id == asset.id))
    for line in lines:
        session.add(AssetText(asset_id=asset.id, text=line.text, confidence=line.confidence,
                              box=line.box, dropped=line.dropped))
    asset.ocr_text = "\n".join(line.text for line in lines if line.dropped is None) or None


def store_screening(rt: Runtime, session: Session, asset: Asset, pixels: np.ndarray,
                    nudity: Nudity) -> None:
    """Nudity score and labels, sharpness and exposure, near-duplicates within the event; a
    guest upload waits for a moderator when it is flagged for nudity, and is released once
    screened clean in an event that does not require review."""
    settings = rt.settings
    q = quality.measure(Image.fromarray(pixels))
    flags: list[dict[str, object]] = []
    if nudity.score >= settings.screening_nudity_threshold:
        shown = ", ".join(str(x["label"]).lower() for x in nudity.labels[:3]) or "explicit"
        flags.append({"flag": "nudity", "reason": f"nudity {nudity.score:.2f} ({shown})"})
    if q.sharpness < settings.screening_blur_threshold:
        flags.append({"flag": "blurry", "reason": f"blurry (sharpness {q.sharpness:.0f})"})
    if q.brightness < 40 or q.dark_fraction > 0.6:
        flags.append({"flag": "dark", "reason": f"too dark (mean {q.brightness:.0f}/255)"})
    elif q.brightness > 220 or q.bright_fraction > 0.5:
        flags.append({"flag": "overexposed",
                      "reason": f"overexposed ({q.bright_fraction:.0%} blown out)"})
    twins = _event_twins(session, asset, settings.screening_duplicate_distance)
    if twins:
        flags.append({"flag": "near_duplicate", "asset_ids": twins,
                      "reason": f"near-duplicate of {', '.join(f'#{t}' for t in twins[:5])}"})
    asset.screening = {"nudity": nudity.score, "labels": nudity.labels,
                       "sharpness": q.sharpness, "brightness": q.brightness, "flags": flags}
    if asset.guest_id is None or asset.moderated_by_id is not None or asset.event_id is None:
        return  # members' photos, and anything a human already decided, are left alone
    event = session.get(Event, asset.event_id)
    if any(f["flag"] == "nudity" for f in flags):
        asset.moderation = PENDING_REVIEW
        asset.moderation_note = "held by screening: " + "; ".join(
            str(f["reason"]) for f in flags)
        emit(session, "moderation.pending", asset_id=asset.id, event_id=asset.event_id,
             note=asset.moderation_note)
    elif asset.moderation == PENDING_REVIEW and asset.moderation_note == AWAITING_SCREENING:
        if event is not None and not event.review_required:
            asset.moderation, asset.moderation_note = APPROVED, None
        else:  # screening found nothing; the event reviews every upload
            emit(session, "moderation.pending", asset_id=asset.id, event_id=asset.event_id,
                 note=asset.moderation_note)


def _event_twins(session: Session, asset: Asset, max_distance: int) -> list[int]:
    if asset.event_id is None or asset.phash is None:
        return []
    rows = session.execute(select(Asset.id, Asset.phash).where(
        Asset.event_id == asset.event_id, Asset.id != asset.id, Asset.phash.is_not(None),
        Asset.deleted_at.is_(None))).all()
    return [i for i, h in rows if render.hamming(h, asset.phash) <= max_distance]


def bursts_stage(rt: Runtime, session: Session, asset: Asset) -> None:
    """Sharpness of the photo, then its burst: photos seconds apart from the same camera that
    look alike share a stack whose cover is the best of them."""
    settings = rt.settings
    asset.sharpness = quality.measure(
        Image.fromarray(_preview_pixels(rt, session, asset))).sharpness
    session.commit()  # visible to a parallel worker stacking a neighbour
    people.lock_library(session, asset.owner_id)
    bursts.stack_burst(session, asset, settings.burst_seconds, settings.burst_distance)


def dates_stage(rt: Runtime, session: Session, asset: Asset) -> None:
    """Dates that matter as tags: the public holiday of the day (country from the photo's
    place, else ALBUMEN_HOLIDAY_COUNTRY) and the birthdays of the people in it."""
    day = (asset.taken_at_local or asset.taken_at)
    if day is None:
        set_tags(session, asset.id, "holiday", [])
        set_tags(session, asset.id, "birthday", [])
        return
    place = session.get(Place, asset.place_id) if asset.place_id else None
    country = (place.country_code if place and place.country_code
               else rt.settings.holiday_country)
    names: list[str] = []
    if country:
        import holidays

        try:
            found = holidays.country_holidays(country, years=day.year).get(day.date())
        except NotImplementedError:  # a country the package does not know
            found = None
        if found:
            names = [part.strip() for part in str(found).split(";")]
    set_tags(session, asset.id, "holiday", names)
    born = session.execute(select(Person.name, Person.birth_date).join(
        Face, Face.person_id == Person.id).where(
        Face.asset_id == asset.id, Person.birth_date.is_not(None)).distinct()).all()
    set_tags(session, asset.id, "birthday", [
        f"birthday of {name}" if name else "birthday" for name, birth in born
        if (birth.month, birth.day) == (day.month, day.day)])


def store_clip(rt: Runtime, session: Session, asset: Asset, _: np.ndarray,
               vector: np.ndarray) -> None:
    """CLIP image embedding of the preview (for text and image similarity) and zero-shot tags
    from the vocabulary, each with its probability."""
    clip.store_embedding(session, asset.id, vector)
    set_tags(session, asset.id, "clip", clip.zero_shot(rt, vector, rt.settings.clip_tag_threshold))


def captions_stage(rt: Runtime, session: Session, asset: Asset) -> None:
    """A caption and tags from the configured vision-language endpoint (off by default)."""
    settings = rt.settings
    configured = endpoint_availability(settings.caption_url, settings.caption_model)
    if not configured.ok:
        raise ModelUnavailable(configured.reason)
    preview = session.get(Derivative, (asset.id, "preview"))
    if preview is None:
        raise MediaDecodeError("no preview to describe (the derivatives stage did not complete)")
    with rt.storage.open(preview.storage_key) as fh:
        jpeg = fh.read()
    client = CaptionClient(settings.caption_url, settings.caption_model, settings.caption_api_key,
                           timeout=settings.caption_timeout_seconds)
    result = client.describe(jpeg)
    asset.caption = result.caption or None
    set_tags(session, asset.id, "llm", result.tags)


@dataclass(frozen=True)
class ModelStage:
    """A stage that runs a model on the preview: input from ``prepare`` (per asset), output
    from the model (a whole batch of assets at once), kept by ``store`` (per asset)."""

    model: Callable[[Runtime], Model[Any, Any]]
    store: Callable[[Runtime, Session, Asset, Any, Any], None]
    prepare: Callable[[Runtime, Session, Asset], Any] = _preview_pixels

    def __call__(self, rt: Runtime, session: Session, asset: Asset) -> None:
        pixels = self.prepare(rt, session, asset)
        self.store(rt, session, asset, pixels, self.model(rt).predict_one(pixels))


MODEL_STAGES: dict[str, ModelStage] = {
    "screening": ModelStage(lambda rt: models.screening(rt.settings), store_screening),
    "faces": ModelStage(lambda rt: models.faces(rt.settings), store_faces),
    "ocr": ModelStage(lambda rt: models.ocr(rt.settings), store_text),
    "clip": ModelStage(clip.require, store_clip),
}


STAGE_FUNCTIONS: dict[str, StageFn] = {  # the stages that work in a transaction
    "places": places_stage,
    "bursts": bursts_stage,
    "dates": dates_stage,
    "captions": captions_stage,
    **MODEL_STAGES,
}



def warm_up() -> None:
    """Import codecs and libraries before the first job, so it is not slower than the rest."""
    import pyexiv2  # noqa: F401  (read_metadata imports it on first use)
    import scipy.fftpack  # noqa: F401  (imagehash imports it on first use)

    register_codecs()
