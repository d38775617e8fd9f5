"""Facet counts of a search: how its matches spread over people, places, years, cameras.

Up to ``EXACT`` matches they are counted exactly. Beyond, counting every match costs seconds
at a million photos (10 s for the whole library), so they are estimated from the matches
among ``SAMPLE`` asset ids drawn at random (the same draw every time, so the figures do not
jump between requests), scaled up and marked ``approximate`` — what a facet chip needs: the
order and the size of each value (see docs/decisions.md)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from albumen.db.documents import Document, categorised
from albumen.db.models import Asset, Face, Person, Place
from albumen.search.engine import matching
from albumen.search.query import SearchQuery
from albumen.vectors.base import among, fetch_ids

FACET_SIZE = 10
EXACT = 20_000  # matches counted exactly up to this many
SAMPLE = 10_000  # ids drawn for an estimate beyond
SEED = 20_261_121


def _year(dialect: str) -> ColumnElement[Any]:
    if dialect == "sqlite":
        return func.cast(func.strftime("%Y", Asset.local_at), Asset.rating.type)
    return func.cast(func.extract("year", func.timezone("UTC", Asset.local_at)),
                     Asset.rating.type)


def _drawn(session: Session) -> tuple[list[int], float]:
    """``SAMPLE`` ids drawn uniformly from the id range, and how many ids each stands for."""
    # Two queries: SQLite answers min() and max() alone from the index, not both at once.
    low = session.scalar(select(func.min(Asset.id)))
    high = session.scalar(select(func.max(Asset.id)))
    span = int(high) - int(low) + 1
    if span <= SAMPLE:
        return list(range(int(low), int(high) + 1)), 1.0
    rng = np.random.default_rng(SEED)
    ids = np.unique(rng.integers(int(low), int(high) + 1, size=SAMPLE))
    return ids.tolist(), span / len(ids)


def facet_counts(session: Session, q: SearchQuery, wanted: tuple[str, ...]
                 ) -> dict[str, list[dict[str, Any]]]:
    """How the matches spread over people, places, years, cameras, kinds of asset and
    document categories (top ten each; every year)."""
    dialect = session.get_bind().dialect.name
    matches: Select[Any] = matching(session, q, Asset.id)
    found = fetch_ids(session, matches.limit(EXACT + 1))
    many, scale = len(found) > EXACT, 1.0
    if many:
        drawn, scale = _drawn(session)
        found = fetch_ids(session, matches.where(among(dialect, drawn)))
    scope = among(dialect, found)

    def entry(count: int, **fields: Any) -> dict[str, Any]:
        if many:
            return {**fields, "count": max(1, round(count * scale)), "approximate": True}
        return {**fields, "count": count}

    out: dict[str, list[dict[str, Any]]] = {}
    if {"years", "cameras", "places"} & set(wanted):
        # One pass over the matches' rows for the three, counted here.
        years: Counter[int] = Counter()
        cameras: Counter[tuple[str | None, str]] = Counter()
        places: Counter[int] = Counter()
        year_of = _year(dialect).label("year")
        for year, make, model, place, n in session.execute(
                select(year_of, Asset.camera_make, Asset.camera_model, Asset.place_id,
                       func.count()).where(scope)
                .group_by(year_of, Asset.camera_make, Asset.camera_model, Asset.place_id)):
            if year is not None:
                years[int(year)] += n
            if model is not None:
                cameras[(make, model)] += n
            if place is not None:
                places[int(place)] += n
        if "years" in wanted:
            out["years"] = [entry(c, value=y) for y, c in sorted(years.items(), reverse=True)]
        if "cameras" in wanted:
            out["cameras"] = [entry(c, value=model, make=make)
                              for (make, model), c in _top(cameras)]
        if "places" in wanted:
            top = _top(places)
            names = {i: (city, country) for i, city, country in session.execute(
                select(Place.id, Place.city, Place.country)
                .where(Place.id.in_([i for i, _ in top])))}
            out["places"] = [entry(c, id=i, value=names[i][0], country=names[i][1])
                             for i, c in top if i in names]
    if "types" in wanted:
        out["types"] = [entry(c, value=kind) for kind, c in session.execute(
            select(Asset.media_type, func.count()).where(scope).group_by(Asset.media_type)
            .order_by(func.count().desc(), Asset.media_type))]
    if "categories" in wanted:  # documents' categories (not the unsure suggestions)
        n = func.count().label("n")
        out["categories"] = [entry(c, value=name) for name, c in session.execute(
            select(Document.category, n).where(
                Document.asset_id.in_(select(Asset.id).where(scope)),
                Document.category.is_not(None), categorised())
            .group_by(Document.category).order_by(n.desc(), Document.category)
            .limit(FACET_SIZE))]
    if "people" in wanted:
        assets_n = func.count(func.distinct(Face.asset_id)).label("n")
        rows = session.execute(
            select(Person.id, Person.name, assets_n).join(Face, Face.person_id == Person.id)
            .where(Face.asset_id.in_(select(Asset.id).where(scope)),
                   Person.hidden.is_(False))
            .group_by(Person.id, Person.name).order_by(assets_n.desc(), Person.id)
            .limit(FACET_SIZE))
        out["people"] = [entry(c, id=i, value=name) for i, name, c in rows]
    return out


def _top(counts: Counter[Any]) -> list[tuple[Any, int]]:
    """The FACET_SIZE most frequent, ties in a fixed order."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))[:FACET_SIZE]
