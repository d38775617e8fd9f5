"""Signed image addresses and the renditions behind them.

An address is ``/img/{signature}/{options}/{asset_id}.{format}``: the signature is HMAC-SHA256
(the installation's secret, security/sealing.py) over ``{options}/{asset_id}.{format}``, so
whoever holds it gets that transform of that asset and nothing else — until ``exp`` if the
options carry one, and while the asset is not deleted. ``_`` as the signature asks the
caller's own credentials instead: they must be allowed to see the asset.

A rendition is made once (single-flight: concurrent requests for one wait for the first) and
kept on the configured storage under a key naming the original's bytes and the canonical
transform, recorded in ``renditions`` for the cache's size cap (maintenance drops the least
recently used).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from albumen.db.base import utcnow
from albumen.db.faces import Face
from albumen.db.models import Asset
from albumen.db.renditions import Rendition
from albumen.errors import Forbidden, NotFound
from albumen.events.access import visible_clause
from albumen.images import transform
from albumen.images.options import Limits, Options, check
from albumen.security.secrets import same

if TYPE_CHECKING:
    from albumen.runtime import Runtime

UNSIGNED = "_"
VERSION = "1"  # bump when the engine's output for the same request changes
TOUCH_AFTER = timedelta(hours=1)  # how stale a rendition's "last used" may get
GONE = "image not found"  # the same words for missing, deleted and not yours


@dataclass(frozen=True)
class Made:
    key: str
    size: int
    etag: str


def limits(rt: Runtime) -> Limits:
    s = rt.settings
    return Limits(s.image_max_dimension, s.image_max_pixels,
                  tuple(f.strip() for f in s.image_formats.split(",") if f.strip()))


def address(options_text: str, asset_id: int, fmt: str) -> str:
    return f"{options_text}/{asset_id}.{fmt}"


def sign(rt: Runtime, asset_id: int, opts: Options, fmt: str) -> str:
    """The signed path of a transform (checked against the limits first); ``auto``: the
    format the client's Accept header takes."""
    allowed = limits(rt)
    check(opts, allowed.formats[0] if fmt == "auto" else fmt, allowed)
    signed = address(opts.canonical(), asset_id, fmt)
    return f"/img/{rt.sealer.sign(signed)}/{signed}"


def verify(rt: Runtime, signature: str, options_text: str, asset_id: int, fmt: str,
           opts: Options) -> None:
    """Forbidden (403) unless ``signature`` signs this address and it has not expired."""
    expected = rt.sealer.sign(address(options_text, asset_id, fmt))
    if not same(signature, expected):
        raise Forbidden("the image address's signature does not match")
    if opts.expires is not None and opts.expires < time.time():
        raise Forbidden("this image address has expired")


def rendition(rt: Runtime, asset_id: int, opts: Options, fmt: str, viewer: int | None
              ) -> Made:
    """The rendition, made now if it is not kept yet. ``viewer`` (unsigned requests) must be
    allowed to see the asset; NotFound otherwise, as for a missing or deleted one. A kept
    one costs one query (the asset's state and the rendition's row together)."""
    check(opts, fmt, limits(rt))
    opts = opts.unexpiring()
    quality = opts.quality or rt.settings.image_quality_default
    # The asset's original never changes (a purged asset's renditions go with its row), so
    # the key needs no more than the asset and the transform.
    digest = hashlib.sha256(f"{asset_id}|{opts.canonical()}|{fmt}|{quality}|"
                            f"{VERSION}".encode()).hexdigest()[:32]
    key = f"renditions/{asset_id}/{digest}.{fmt}"
    with rt.session() as session:
        query = select(Asset.media_type, Asset.width, Asset.height, Asset.storage_key,
                       Rendition.size, Rendition.used_at).outerjoin(
            Rendition, Rendition.key == key).where(Asset.id == asset_id,
                                                    Asset.deleted_at.is_(None))
        if viewer is not None:
            query = query.where(visible_clause(viewer))
        row = session.execute(query).first()
        if row is None or row.media_type != "image":
            raise NotFound(GONE)
        if row.size is not None:
            _touch(rt, key, row.used_at)
            return Made(key, row.size, digest)
        faces = tuple((r[0], r[1], r[2], r[3]) for r in session.execute(
            select(Face.box_x, Face.box_y, Face.box_w, Face.box_h)
            .where(Face.asset_id == asset_id))) if opts.gravity in ("face", "faces") else ()
        source_key, width, height = row.storage_key, row.width, row.height
    with _single_flight(key):
        with rt.session() as session:  # made by another request while this one waited
            kept = session.get(Rendition, key)
        if kept is not None and rt.storage.exists(key):
            return Made(key, kept.size, digest)
        with rt.storage.local_path(source_key) as path:
            if not width or not height:  # still processing: the header says
                width, height = transform.upright_size(path)
            data = transform.render(transform.Source(path, width, height, faces), opts, fmt,
                                    quality, rt.settings.max_image_pixels)
        rt.storage.put_bytes(key, data)
        now = utcnow()
        try:
            with rt.transaction() as session:
                if session.get(Rendition, key) is None:
                    session.add(Rendition(key=key, asset_id=asset_id, size=len(data),
                                          created_at=now, used_at=now))
        except IntegrityError:  # another process recorded the same rendition
            pass
    return Made(key, len(data), digest)


def _touch(rt: Runtime, key: str, used_at: Any) -> None:
    now = utcnow()
    if now - used_at > TOUCH_AFTER:  # at most one write an hour per rendition
        with rt.transaction() as session:
            session.execute(update(Rendition).where(Rendition.key == key).values(used_at=now))


def forget(rt: Runtime, key: str) -> None:
    """A rendition whose file is gone from the storage: made again on the next request."""
    with rt.transaction() as session:
        session.execute(delete(Rendition).where(Rendition.key == key))


_flights: dict[str, threading.Lock] = {}
_flights_lock = threading.Lock()


@contextmanager
def _single_flight(key: str) -> Iterator[None]:
    """One maker per rendition in this process; the others wait and find it made."""
    with _flights_lock:
        lock = _flights.setdefault(key, threading.Lock())
    with lock:
        try:
            yield
        finally:
            with _flights_lock:
                _flights.pop(key, None)
