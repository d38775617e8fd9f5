"""Similar photos by appearance: what ``similar:ID`` ranks by where CLIP cannot answer (no
model installed, or the photo not embedded yet). Two measures, each from 0 to 1:

- look: ``1 - d / LOOK_SPAN`` for ``d`` bits between the 64-bit perceptual hashes (0 from
  ``LOOK_SPAN`` bits on, the distance of unrelated photos);
- people: the recognised people both photos show over those either shows (Jaccard).

The score is their weighted mean, look counting ``LOOK_WEIGHT`` times, over the measures the
photo has (only look when nobody is recognised in it, only people when it has no hash).
A photo is similar when it looks alike (at most ``ALIKE`` bits apart: near-duplicates,
bursts, the same scene a step aside) or shows mostly the same people (people at least
``SAME_PEOPLE``); anything else, however it scores, is not listed. See docs/decisions.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import BigInteger, Select, case, cast, func, literal, or_, select
from sqlalchemy.dialects.postgresql import BIT
from sqlalchemy.orm import Session

from albumen.db.models import Asset, Face
from albumen.media.derivatives import hammings
from albumen.runtime import Runtime
from albumen.search import clip
from albumen.search.engine import matching
from albumen.search.query import SearchQuery
from albumen.vectors.index import among, fetch_ids

# Measured on real photos: a smaller or recompressed copy 0-2 bits, a 5 % crop or the frame
# 6 % aside 4-12, a brighter copy 0-8; unrelated photos 20 and more apart.
ALIKE = 12  # bits
LOOK_SPAN = 32  # bits: the mean distance of unrelated hashes (half of 64)
SAME_PEOPLE = 0.5  # Anna and Bob against Anna: the same people; Anna in a crowd: not
LOOK_WEIGHT = 2.0
CLIP, APPEARANCE = "clip", "appearance"


@dataclass(frozen=True)
class Subject:
    """What a photo is compared by."""

    asset_id: int
    phash: int | None
    people: frozenset[int]


def subject(session: Session, asset: Asset) -> Subject:
    people = session.scalars(select(Face.person_id).distinct().where(
        Face.asset_id == asset.id, Face.person_id.is_not(None))).all()
    return Subject(asset.id, asset.phash, frozenset(p for p in people if p is not None))


def method(rt: Runtime, session: Session, asset: Asset) -> str | None:
    """How "similar photos" of ``asset`` are found: by CLIP (its embedding is stored and the
    model installed), by appearance (it has a hash or recognised people), or not at all."""
    if clip.has_embedding(session, asset.id) and clip.model_for(rt).availability().ok:
        return CLIP
    found = subject(session, asset)
    return APPEARANCE if found.phash is not None or found.people else None


def note(rt: Runtime) -> str:
    """What the search page and the API say of photos ranked by appearance."""
    available = clip.model_for(rt).availability()
    why = (f"no CLIP model: {clip.ENABLE} to compare content" if not available.ok
           else "this photo has no CLIP embedding yet: the clip stage fills it in "
                "(albumen reprocess --stage clip)")
    return f"Similar by appearance and the people in them ({why})."


def score(me: Subject, distance: int | None, people: float | None) -> float:
    """The weighted mean of the measures ``me`` has (see the module's docstring)."""
    total = weights = 0.0
    if me.phash is not None:
        look = 0.0 if distance is None else max(0.0, 1.0 - distance / LOOK_SPAN)
        total, weights = total + LOOK_WEIGHT * look, weights + LOOK_WEIGHT
    if me.people:
        total, weights = total + (people or 0.0), weights + 1.0
    return round(total / weights, 6) if weights else 0.0


def rank(session: Session, q: SearchQuery, me: Subject) -> list[tuple[int, float]]:
    """The similar photos among those ``q`` allows (so only what its viewer may see), as
    (asset id, score), best first (ties: the newest id first). One pass over the allowed
    photos' hashes; the people's other photos come from the faces index."""
    allowed = matching(session, q, Asset.id).where(Asset.id != me.asset_id)
    people = people_shares(session, me.people) if me.people else {}
    looks: dict[int, int] = {}
    if me.phash is not None:
        ids, bits = distances(session, allowed, me.phash, list(people))
        keep = (bits <= ALIKE) | np.isin(ids, np.fromiter(people, np.int64, len(people)))
        looks = dict(zip(ids[keep].tolist(), bits[keep].tolist(), strict=True))
    unseen = [i for i in people if i not in looks]  # without a hash, or not allowed
    if unseen:
        dialect = session.get_bind().dialect.name
        seen = set(fetch_ids(session, allowed.where(among(dialect, unseen))))
        people = {i: share for i, share in people.items() if i in looks or i in seen}
    ranked = [(i, score(me, looks.get(i), people.get(i))) for i in set(looks) | set(people)]
    return sorted(ranked, key=lambda r: (-r[1], -r[0]))


def distances(session: Session, ids: Select[tuple[int]], phash: int, also: list[int]
               ) -> tuple[np.ndarray, np.ndarray]:
    """The photos of ``ids`` with a hash, and the bits between each hash and ``phash``: two
    integers a photo, read straight from the driver and compared at once. PostgreSQL (14+)
    first drops, with its own popcount, the photos too far to be alike but those in
    ``also``: the rest never travel (a third of the time at 100k photos)."""
    query = (ids.with_only_columns(Asset.id, Asset.phash, maintain_column_froms=True)
             .where(Asset.phash.is_not(None)))
    connection = session.connection()
    dialect = connection.dialect  # connected: it knows the server's version
    if dialect.name == "postgresql" and (dialect.server_version_info or (0,)) >= (14,):
        bits = func.bit_count(cast(Asset.phash.op("#")(literal(phash, BigInteger)), BIT(64)))
        near = bits <= ALIKE
        query = query.where(or_(near, among(dialect.name, also)) if also else near)
    result = connection.execute(query)
    try:
        rows = result.cursor.fetchall()
    finally:
        result.close()
    found = np.array(rows, dtype=np.int64).reshape(-1, 2)
    return found[:, 0], hammings(found[:, 1], phash)


def people_shares(session: Session, people: frozenset[int], at_least: float = SAME_PEOPLE
                  ) -> dict[int, float]:
    """Photos that show mostly the same ``people`` (a Jaccard share of at least
    ``at_least``; from the faces index; whether the viewer may see them is the caller's to
    check): their share."""
    mine = list(people)
    shared = func.count(func.distinct(case((Face.person_id.in_(mine), Face.person_id))))
    rows = session.execute(
        select(Face.asset_id, shared, func.count(func.distinct(Face.person_id)))
        .where(Face.asset_id.in_(select(Face.asset_id).where(Face.person_id.in_(mine))),
               Face.person_id.is_not(None))
        .group_by(Face.asset_id)).all()
    found = {}
    for asset_id, both, theirs in rows:
        share = both / (len(mine) + theirs - both)
        if share >= at_least and share > 0:
            found[asset_id] = share
    return found
