"""Selfie search: a guest finds the event's photos they appear in from one selfie.

The selfie is decoded in memory, used for this one query and dropped: it is never stored,
logged or turned into an asset. Only what the guest's link may see is searched.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select

from albumen.db.models import Asset, Event, Face
from albumen.errors import Forbidden, InvalidInput, RejectedFile
from albumen.media.imaging import register_codecs
from albumen.ml import faces as face_math
from albumen.ml import models
from albumen.runtime import Runtime
from albumen.services.sharing import GuestAccess, guest_visible_clause

MAX_SELFIE_BYTES = 20 * 1024 * 1024
MAX_SELFIE_PIXELS = 50_000_000


@dataclass
class Match:
    asset: Asset
    distance: float


def _pixels(data: bytes, long_side: int) -> np.ndarray:
    register_codecs()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data))
            if im.width * im.height > MAX_SELFIE_PIXELS:
                raise RejectedFile("the selfie is too large to decode safely")
            im.draft("RGB", (long_side, long_side))
            im = ImageOps.exif_transpose(im).convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise InvalidInput(f"the selfie is not a readable image: {exc}") from exc
    im.thumbnail((long_side, long_side), Image.Resampling.BILINEAR)
    return np.asarray(im)


def search(rt: Runtime, access: GuestAccess, selfie: bytes, limit: int = 200) -> list[Match]:
    link = access.link
    if link.event_id is None or not link.can_view:
        raise Forbidden("selfie search needs a view link to an event")
    with rt.session() as session:
        event = session.get(Event, link.event_id)
        if event is None or not event.selfie_search:
            raise Forbidden("the host has turned selfie search off for this event")
    if len(selfie) > MAX_SELFIE_BYTES:
        raise RejectedFile(f"the selfie is over {MAX_SELFIE_BYTES // (1024 * 1024)} MB")
    settings = rt.settings
    found = models.faces(settings).predict_one(_pixels(selfie, settings.face_detect_size))
    if not found:
        raise InvalidInput("no face found in the selfie; try one facing the camera, in good "
                           "light")
    query = max(found, key=lambda f: f.size_px).embedding
    with rt.session() as session:
        rows = session.execute(
            select(Face.asset_id, Face.embedding).join(Asset, Asset.id == Face.asset_id)
            .where(Asset.event_id == link.event_id, guest_visible_clause(access),
                   Face.embedding.is_not(None))).all()
        if not rows:
            return []
        vectors = np.stack([face_math.from_bytes(r[1]) for r in rows])
        d = face_math.distances(vectors, query)
        best: dict[int, float] = {}
        for (asset_id, _), dist in zip(rows, d.tolist(), strict=True):
            if dist < settings.selfie_match_distance and dist < best.get(asset_id, 9.0):
                best[asset_id] = dist
        ranked = sorted(best.items(), key=lambda kv: kv[1])[:limit]
        assets = {a.id: a for a in session.scalars(
            select(Asset).where(Asset.id.in_([a for a, _ in ranked])))}
        for asset in assets.values():
            session.expunge(asset)
    return [Match(assets[a], dist) for a, dist in ranked]
