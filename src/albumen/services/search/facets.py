"""Facet counts of a search: how its matches spread over people, places, years, cameras.
Exact, so their cost grows with the number of matches (see docs/decisions.md)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from albumen.db.models import Asset, Face, Person, Place
from albumen.services.search.engine import matching
from albumen.services.search.query import SearchQuery

FACET_SIZE = 10


def _year(dialect: str) -> ColumnElement[Any]:
    if dialect == "sqlite":
        return func.cast(func.strftime("%Y", Asset.local_at), Asset.rating.type)
    return func.cast(func.extract("year", func.timezone("UTC", Asset.local_at)),
                     Asset.rating.type)


def facet_counts(session: Session, q: SearchQuery, wanted: tuple[str, ...]
                 ) -> dict[str, list[dict[str, Any]]]:
    """How the matches spread over people, places, years and cameras (top ten each; every
    year)."""
    ids = matching(session, q, Asset.id).subquery()
    out: dict[str, list[dict[str, Any]]] = {}
    dialect = session.get_bind().dialect.name
    n = func.count().label("n")
    if "years" in wanted:
        year = _year(dialect).label("year")
        rows = session.execute(select(year, n).join(ids, ids.c.id == Asset.id)
                               .group_by(year).order_by(year.desc()))
        out["years"] = [{"value": int(y), "count": c} for y, c in rows if y is not None]
    if "cameras" in wanted:
        rows = session.execute(
            select(Asset.camera_make, Asset.camera_model, n).join(ids, ids.c.id == Asset.id)
            .where(Asset.camera_model.is_not(None))
            .group_by(Asset.camera_make, Asset.camera_model).order_by(n.desc()).limit(FACET_SIZE))
        out["cameras"] = [{"value": model, "make": make, "count": c} for make, model, c in rows]
    if "places" in wanted:
        rows = session.execute(
            select(Place.id, Place.city, Place.country, n).join(Asset, Asset.place_id == Place.id)
            .join(ids, ids.c.id == Asset.id).group_by(Place.id, Place.city, Place.country)
            .order_by(n.desc()).limit(FACET_SIZE))
        out["places"] = [{"id": i, "value": city, "country": country, "count": c}
                         for i, city, country, c in rows]
    if "people" in wanted:
        assets_n = func.count(func.distinct(Face.asset_id)).label("n")
        rows = session.execute(
            select(Person.id, Person.name, assets_n).join(Face, Face.person_id == Person.id)
            .join(ids, ids.c.id == Face.asset_id).where(Person.hidden.is_(False))
            .group_by(Person.id, Person.name).order_by(assets_n.desc()).limit(FACET_SIZE))
        out["people"] = [{"id": i, "value": name, "count": c} for i, name, c in rows]
    return out
