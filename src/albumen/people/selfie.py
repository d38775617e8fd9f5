"""Selfie search: a guest finds the event's photos they appear in from one selfie.

The selfie is decoded in memory, used for this one query and dropped: it is never stored,
logged or turned into an asset. Only what the guest's link may see is searched.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from PIL import Image, UnidentifiedImageError

from albumen.db.models import Asset, Event
from albumen.errors import Forbidden, InvalidInput, MediaDecodeError, RejectedFile
from albumen.events.sharing import GuestAccess
from albumen.media.imaging import open_for_display, register_codecs
from albumen.ml import models
from albumen.runtime import Runtime
from albumen.search import engine
from albumen.search.query import SearchQuery

MAX_SELFIE_BYTES = 20 * 1024 * 1024
MAX_SELFIE_PIXELS = 50_000_000


@dataclass
class Match:
    asset: Asset
    distance: float


def _pixels(data: bytes, long_side: int) -> np.ndarray:
    """The selfie upright, in sRGB, its long side at most ``long_side``: decoded reduced
    where the format allows, within the process's decode budget (as uploads are)."""
    try:
        with Image.open(io.BytesIO(data)) as im:  # the header only
            width, height = im.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError) as exc:
        raise InvalidInput(f"the selfie is not a readable image: {exc}") from exc
    if width * height > MAX_SELFIE_PIXELS:
        raise RejectedFile(f"the selfie has {width}x{height} pixels, over the limit of "
                           f"{MAX_SELFIE_PIXELS:,}")
    try:
        pixels = open_for_display(data, long_side, MAX_SELFIE_PIXELS, max_long_side=long_side)
    except MediaDecodeError as exc:
        if "budget_mb" in exc.details:
            raise RejectedFile(exc.message, details=exc.details) from exc
        raise InvalidInput(f"the selfie is not a readable image: {exc.message}") from exc
    im = Image.fromarray(pixels[:, :, :3])
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
    register_codecs()
    pixels = _pixels(selfie, settings.face_detect_size)
    found = models.faces(settings).predict_one(pixels)
    if not found:
        raise InvalidInput("no face found in the selfie; try one facing the camera, in good "
                           "light")
    query = max(found, key=lambda f: f.size_px).embedding
    wanted = SearchQuery(guest=access, event_id=link.event_id, face_vector=query,
                         face_distance=settings.selfie_match_distance)
    with rt.session() as session:
        results = engine.search(rt, session, wanted, limit=limit)
        for hit in results.items:
            session.expunge(hit.asset)
    return [Match(hit.asset, hit.score or 0.0) for hit in results.items]
