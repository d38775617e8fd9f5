"""Running a SearchQuery: conditions in SQL, full text through the database's own index,
meaning through the vector index; ranked, with cursors that stay stable while assets arrive,
and facet counts."""

from __future__ import annotations

import base64
import binascii
import json
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

import numpy as np
from sqlalchemy import (
    ColumnElement,
    Numeric,
    Select,
    and_,
    cast,
    exists,
    false,
    func,
    literal_column,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Session, aliased, defer

from albumen import vectors
from albumen.db.documents import Document, categorised
from albumen.db.models import Asset, AssetTag, Face, Person, Place, Tag, User
from albumen.errors import InvalidInput, NotFound
from albumen.library.assets import MAX_PAGE, AssetFilter, Page, filtered
from albumen.runtime import Runtime
from albumen.search import clip, semantic, text_index
from albumen.search.query import FACETS, SearchQuery

KM_PER_DEGREE = 111.195
WINDOW = 20_000  # timeline rows scanned in order before the filters' own indexes take over


@dataclass
class Hit:
    asset: Any  # an Asset, or a row of GRID_COLUMNS
    score: float | None = None


@dataclass
class Results:
    items: list[Hit]
    next_cursor: str | None
    facets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # How a similar:/smart: search was ranked ("clip", "appearance"), and what to tell of it.
    ranked_by: str | None = None
    note: str | None = None


# --- conditions -----------------------------------------------------------------------------


def _day_start(day: Any) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _person_ids(session: Session, q: SearchQuery) -> list[int] | None:
    """People named in the query, among the viewer's own; None if a name matches nobody."""
    ids = list(q.people)
    for name in q.people_names:
        query = select(Person.id).where(func.lower(Person.name) == name.lower())
        if q.viewer is not None:
            query = query.where(Person.owner_id == q.viewer)
        found = session.scalars(query).all()
        if not found:
            return None
        ids.extend(found)
    return ids


def _near(q: SearchQuery) -> ColumnElement[bool]:
    assert q.near is not None
    lat0, lon0, km = q.near.latitude, q.near.longitude, q.near.km
    dlat = km / KM_PER_DEGREE
    scale = max(math.cos(math.radians(lat0)), 1e-6)
    dlon = min(dlat / scale, 180.0)
    box = [Asset.latitude.between(lat0 - dlat, lat0 + dlat)]
    low, high = lon0 - dlon, lon0 + dlon
    if dlon >= 180.0:
        pass
    elif low < -180 or high > 180:  # the box crosses the antimeridian
        box.append(or_(Asset.longitude >= (low + 360 if low < -180 else low),
                       Asset.longitude <= (high - 360 if high > 180 else high)))
    else:
        box.append(Asset.longitude.between(low, high))
    # Equirectangular distance: within a fraction of a percent for city-sized radii.
    dx = (Asset.longitude - lon0) * (KM_PER_DEGREE * scale)
    dy = (Asset.latitude - lat0) * KM_PER_DEGREE
    if dlon < 180.0 and not (low < -180 or high > 180):
        box.append(dx * dx + dy * dy <= km * km)
    return and_(*box)


def _sort_range(q: SearchQuery) -> list[ColumnElement[bool]]:
    """Local time is within a day of the UTC instant (offsets reach +-14 h), so calendar
    bounds also bound the indexed sort_at: the database seeks to them."""
    out = []
    if q.date_from is not None:
        out.append(Asset.sort_at >= _day_start(q.date_from) - timedelta(days=1))
    if q.date_to is not None:
        out.append(Asset.sort_at < _day_start(q.date_to) + timedelta(days=2))
    return out


def _people_all(person_ids: list[int]) -> ColumnElement[bool]:
    """Photos with every one of these people: intersected inside the faces index."""
    both = (select(Face.asset_id).where(Face.person_id.in_(person_ids))
            .group_by(Face.asset_id)
            .having(func.count(func.distinct(Face.person_id)) == len(person_ids)))
    return Asset.id.in_(both)


def _has_person(person_ids: list[int], correlated: bool) -> ColumnElement[bool]:
    match = Face.person_id.in_(person_ids) if len(person_ids) > 1 else (
        Face.person_id == person_ids[0])
    if correlated:  # checked row by row while a timeline index is scanned
        return exists(select(Face.id).where(Face.asset_id == Asset.id, match))
    return Asset.id.in_(select(Face.asset_id).where(match))  # the faces index drives


def conditions(session: Session, q: SearchQuery, correlated: bool = False
               ) -> list[ColumnElement[bool]]:
    """The SQL conditions of everything in ``q`` beyond the basic asset filter; with
    ``correlated``, in the form that suits checking rows one by one."""
    dialect = session.get_bind().dialect.name
    out: list[ColumnElement[bool]] = []
    if q.date_from is not None:
        out.append(Asset.local_at >= _day_start(q.date_from))
    if q.date_to is not None:
        out.append(Asset.local_at < _day_start(q.date_to) + timedelta(days=1))
    out += _sort_range(q)
    if q.cameras:
        out.append(or_(*(or_(func.lower(Asset.camera_model).contains(c.lower(), autoescape=True),
                             func.lower(Asset.camera_make).contains(c.lower(), autoescape=True))
                         for c in q.cameras)))
    if q.lens:
        out.append(func.lower(Asset.lens).contains(q.lens.lower(), autoescape=True))
    if q.rating_min is not None:
        out.append(Asset.rating >= q.rating_min)
    if q.tiers:
        out.append(Asset.tier.in_(q.tiers))
    if q.favorite is not None:
        out.append(Asset.favorite.is_(q.favorite))
    if q.people or q.people_names:
        ids = _person_ids(session, q)
        if ids is None:
            out.append(false())
        elif q.people_mode == "any":
            out.append(_has_person(ids, correlated))
        elif len(set(ids)) > 1 and not correlated:
            out.append(_people_all(list(dict.fromkeys(ids))))
        else:
            out.extend(_has_person([p], correlated) for p in dict.fromkeys(ids))
    if q.place:
        name = q.place.lower()
        out.append(Asset.place_id.in_(select(Place.id).where(or_(
            func.lower(Place.city) == name, func.lower(Place.region) == name,
            func.lower(Place.country) == name, func.lower(Place.country_code) == name))))
    if q.near is not None:
        out.append(_near(q))
    for name in q.tags:
        out.append(exists(select(AssetTag.asset_id).join(Tag, Tag.id == AssetTag.tag_id).where(
            AssetTag.asset_id == Asset.id, Tag.name == name.lower())))
    for name in q.not_tags:
        out.append(~exists(select(AssetTag.asset_id).join(Tag, Tag.id == AssetTag.tag_id).where(
            AssetTag.asset_id == Asset.id, Tag.name == name.lower())))
    if q.has_text is not None:
        clause = text_index.has_text_clause()
        out.append(clause if q.has_text else ~clause)
    if q.category:
        out.append(Asset.id.in_(select(Document.asset_id).where(
            Document.category == q.category.lower(), categorised())))
    if q.has_faces is not None:
        clause = exists(select(Face.id).where(Face.asset_id == Asset.id))
        out.append(clause if q.has_faces else ~clause)
    if q.owner_id is not None:
        out.append(Asset.owner_id == q.owner_id)
    if q.owner:
        out.append(Asset.owner_id == select(User.id).where(User.username == q.owner)
                   .scalar_subquery())
    terms = _terms(q.text)
    if terms:
        out.append(Asset.id.in_(text_index.matching_ids(dialect, terms)))
    for negative in _terms(q.not_text):
        out.append(~Asset.id.in_(text_index.matching_ids(dialect, [negative])))
    return out


def _terms(values: list[str]) -> list[text_index.Term]:
    return [t for t in (text_index.query_term(v) for v in values) if t]


def matching(session: Session, q: SearchQuery, *columns: Any, correlated: bool = False
             ) -> Select[Any]:
    """SELECT of ``columns`` (default: Asset) over the assets that satisfy ``q``."""
    return filtered(select(*(columns or (Asset,))), q).where(
        *conditions(session, q, correlated))


# --- cursors --------------------------------------------------------------------------------


def _encode(payload: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def _decode(cursor: str, kind: str) -> list[Any]:
    try:
        payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(payload, list) or payload[0] != kind:
            raise ValueError
        return payload[1:]
    except (ValueError, binascii.Error, UnicodeDecodeError, IndexError, TypeError) as exc:
        raise InvalidInput("invalid cursor (it belongs to another query or is damaged)",
                           details={"cursor": cursor}) from exc


# --- running --------------------------------------------------------------------------------


def search(rt: Runtime, session: Session, q: SearchQuery, limit: int = 50,
           cursor: str | None = None, facets: tuple[str, ...] = (), view: str = "full"
           ) -> Results:
    """A page of results: ORM assets (``view="full"``) or grid rows (``view="grid"``)."""
    limit = max(1, min(limit, MAX_PAGE))
    for facet in facets:
        if facet not in FACETS:
            raise InvalidInput(f"unknown facet {facet!r}; known: {', '.join(FACETS)}")
    sort = q.effective_sort
    if q.face_like is not None:
        q.face_vector = _face_vector(session, q)
    if q.face_vector is not None:
        results = _by_face(session, q, limit, cursor, view)
    elif q.ranked_by_meaning:
        results = _by_meaning(rt, session, q, limit, cursor, view)
    elif sort == "relevance" and _terms(q.text):
        results = _by_text_relevance(session, q, limit, cursor, view)
    else:
        results = _by_date(session, q, limit, cursor, sort != "oldest", view)
    if facets:
        from albumen.search.facets import facet_counts

        results.facets = facet_counts(session, q, facets)
    return results


def browse(session: Session, f: AssetFilter, limit: int = 100, cursor: str | None = None
           ) -> Page:
    """A plain listing, newest first (the library, an album, an event, the trash, a share
    link): the timeline path of ``search`` with only the asset filter, as ORM assets."""
    q = SearchQuery(**{name: getattr(f, name) for name in AssetFilter.__dataclass_fields__})
    results = _by_date(session, q, max(1, min(limit, MAX_PAGE)), cursor, True, "full")
    return Page([hit.asset for hit in results.items], results.next_cursor)


_CLIP = aliased(Asset)  # a Live Photo's clip
# What a grid cell needs (the timeline, search result grids): read without the ORM.
GRID_COLUMNS = (Asset.id, Asset.media_type, Asset.width, Asset.height, Asset.thumbhash,
                Asset.taken_at, Asset.local_at, Asset.favorite, Asset.rating, Asset.stack_id,
                Asset.state, Asset.moderation, Asset.duration,
                select(Document.pages).where(Document.asset_id == Asset.id)
                .scalar_subquery().label("pages"),
                select(_CLIP.id).where(_CLIP.motion_of_id == Asset.id, _CLIP.deleted_at.is_(None))
                .limit(1).scalar_subquery().label("motion_id"))


def _hydrate(session: Session, ids: list[int], view: str = "full") -> dict[int, Any]:
    if view == "grid":
        return {r.id: r for r in session.execute(
            select(*GRID_COLUMNS).where(Asset.id.in_(ids)))}
    rows = session.scalars(select(Asset).where(Asset.id.in_(ids)).options(
        defer(Asset.metadata_raw), defer(Asset.metadata_errors), defer(Asset.ocr_text)))
    return {a.id: a for a in rows}


def _beyond(at: datetime, last_id: int, newest_first: bool, inclusive: bool = False
            ) -> ColumnElement[bool]:
    """Rows after (at, last_id) in the timeline order (with a plain range first: an index
    seeks to it, where the OR alone may make SQLite merge two index scans of everything)."""
    if newest_first:
        tail = Asset.id <= last_id if inclusive else Asset.id < last_id
        return and_(Asset.sort_at <= at, or_(Asset.sort_at < at,
                                             and_(Asset.sort_at == at, tail)))
    tail = Asset.id >= last_id if inclusive else Asset.id > last_id
    return and_(Asset.sort_at >= at, or_(Asset.sort_at > at, and_(Asset.sort_at == at, tail)))


def _scan_index(q: SearchQuery) -> str:
    if q.owner_id is not None:
        return "ix_assets_owner_sort"
    return "ix_assets_event_sort" if q.event_id is not None else "ix_assets_sort"


def _scope(q: SearchQuery) -> list[ColumnElement[bool]]:
    if q.owner_id is not None:
        return [Asset.owner_id == q.owner_id]
    return [Asset.event_id == q.event_id] if q.event_id is not None else []


def _rare_together(session: Session, q: SearchQuery, window: int, limit: int) -> bool:
    """Several people asked for together whose photos, were they independent, would fill
    less than a page of a timeline window: the window scan would find too few, so skip it."""
    if q.people_mode != "all" or len(q.people) + len(q.people_names) < 2:
        return False
    ids = _person_ids(session, q)
    total = session.scalar(select(func.max(Asset.id)))
    if not ids or not total:
        return False
    share = 1.0
    for person in set(ids):
        share *= (session.scalar(select(func.count()).select_from(Face)
                                 .where(Face.person_id == person)) or 0) / total
    return share * window < limit


def _by_date(session: Session, q: SearchQuery, limit: int, cursor: str | None,
             newest_first: bool, view: str) -> Results:
    """Timeline order in two steps, each with the plan that suits it: first the next WINDOW
    rows of the timeline index, filtered as they come (a broad filter fills the page after a
    few rows); only if that leaves the page short, the rest with the filters' own indexes
    driving (a selective filter has few matches to sort). Neither step can be slow for the
    kind of filter that would make the other one slow."""
    kind = "d" if newest_first else "o"
    after: ColumnElement[bool] | None = None
    if cursor:
        stamp, last_id = _decode(cursor, kind)
        after = _beyond(datetime.fromisoformat(stamp), last_id, newest_first)
    order = ((Asset.sort_at.desc(), Asset.id.desc()) if newest_first
             else (Asset.sort_at.asc(), Asset.id.asc()))
    # Rows checked with subqueries (people, tags, faces) cost several times more each.
    subqueries = bool(q.people or q.people_names or q.tags or q.not_tags
                      or q.has_faces is not None)
    window = max(1, WINDOW // 4) if subqueries else WINDOW
    rows: list[Any] = []
    if _rare_together(session, q, window, limit):
        bound: Any = (None, None)  # no window: the people's faces drive from the start
    else:
        bound = session.execute(
            select(Asset.sort_at, Asset.id)
            .where(*_scope(q), *_sort_range(q), *([after] if after is not None else []))
            .order_by(*order).offset(window).limit(1)).first()
        first = matching(session, q, Asset.id, Asset.sort_at, correlated=True)
        if after is not None:
            first = first.where(after)
        if bound is not None:
            window_end = _beyond(bound[0], bound[1], newest_first, inclusive=True)
            first = first.where(
                Asset.sort_at >= bound[0] if newest_first else Asset.sort_at <= bound[0],
                ~window_end | and_(Asset.sort_at == bound[0], Asset.id == bound[1]))
        first = first.prefix_with(f"/* index {_scan_index(q)} */", dialect="sqlite")
        rows = list(session.execute(first.order_by(*order).limit(limit + 1)).all())
    if bound is not None and len(rows) <= limit:
        # Hide the timeline index from SQLite here (unary plus), so the filters' indexes drive.
        sqlite = session.get_bind().dialect.name == "sqlite"
        at = literal_column("+assets.sort_at", Asset.sort_at.type) if sqlite else Asset.sort_at
        ident = literal_column("+assets.id", Asset.id.type) if sqlite else Asset.id
        if bound[0] is None:
            step = true() if after is None else after
        else:
            step = (at < bound[0]) | ((at == bound[0]) & (ident < bound[1])) if newest_first \
                else (at > bound[0]) | ((at == bound[0]) & (ident > bound[1]))
        rest_order = (at.desc(), ident.desc()) if newest_first else (at.asc(), ident.asc())
        rest = matching(session, q, Asset.id, Asset.sort_at).where(step)
        rows += session.execute(rest.order_by(*rest_order).limit(limit + 1 - len(rows))).all()
    page = rows[:limit]
    assets = _hydrate(session, [r[0] for r in page], view)
    next_cursor = (_encode([kind, page[-1][1].isoformat(), page[-1][0]])
                   if len(rows) > limit else None)
    return Results([Hit(assets[r[0]]) for r in page if r[0] in assets], next_cursor)


def _by_text_relevance(session: Session, q: SearchQuery, limit: int, cursor: str | None,
                       view: str) -> Results:
    dialect = session.get_bind().dialect.name
    scores = text_index.relevance(dialect, _terms(q.text)).subquery()
    score = func.round(cast(scores.c.score, Numeric(20, 10)), 6)  # stable cursor values
    query = matching(session, q, Asset.id, score).join(scores, scores.c.asset_id == Asset.id)
    if cursor:
        last_score, last_id = _decode(cursor, "r")
        query = query.where(or_(score < last_score, and_(score == last_score,
                                                          Asset.id < last_id)))
    rows = session.execute(query.order_by(score.desc(), Asset.id.desc()).limit(limit + 1)).all()
    page = rows[:limit]
    assets = _hydrate(session, [r[0] for r in page], view)
    next_cursor = (_encode(["r", float(page[-1][1]), page[-1][0]])
                   if len(rows) > limit else None)
    return Results([Hit(assets[r[0]], float(r[1])) for r in page if r[0] in assets],
                   next_cursor)


def _by_meaning(rt: Runtime, session: Session, q: SearchQuery, limit: int, cursor: str | None,
                view: str) -> Results:
    """Semantic ranking; the cursor holds the last (score, id) and how deep the page is."""
    if sum(map(bool, (q.semantic, q.about, q.similar_to is not None))) > 1:
        raise InvalidInput("give one of a description (smart:), a meaning (about:) or a photo "
                           "(similar:), not several")
    if q.about:
        return _ranked_page(session, semantic.ranker(rt, session),
                            semantic.query_vector(rt, q.about), q, limit, cursor, view,
                            semantic.MODEL_KEY)
    if q.vector is not None:
        vector = np.asarray(q.vector, dtype=np.float32)
    elif q.similar_to is not None:
        from albumen.library.assets import get_asset
        from albumen.search import similar

        asset = get_asset(session, q.similar_to, q.viewer)
        if not q.clip_only and similar.method(rt, session, asset) != similar.CLIP:
            return _by_appearance(rt, session, q, asset, limit, cursor, view)
        clip.require(rt)
        vector = clip.image_vector(session, q.similar_to)
    else:
        vector = clip.require(rt).predict_one(q.semantic)
    index = vectors.ranker(session, rt.settings.effective_database_url, clip.MODEL_KEY)
    return _ranked_page(session, index, vector, q, limit, cursor, view, clip.MODEL_KEY)


def _ranked_page(session: Session, index: vectors.Ranker, vector: Any, q: SearchQuery,
                 limit: int, cursor: str | None, view: str, ranked_by: str) -> Results:
    depth, after = 0, None
    if cursor:
        depth, last_score, last_id = _decode(cursor, "s")
        after = (last_score, last_id)
    ranked = index.rank(session, vector, matching(session, q, Asset.id, correlated=True),
                        depth + limit + 1, exclude=q.similar_to,
                        prefilter=matching(session, q, Asset.id))
    if after is not None:
        ranked = [r for r in ranked if (r.score, r.asset_id) < tuple(after)]
    page = ranked[:limit]
    assets = _hydrate(session, [r.asset_id for r in page], view)
    more = len(ranked) > limit
    next_cursor = (_encode(["s", depth + limit, page[-1].score, page[-1].asset_id])
                   if more else None)
    return Results([Hit(assets[r.asset_id], r.score) for r in page if r.asset_id in assets],
                   next_cursor, ranked_by=ranked_by)


def _by_appearance(rt: Runtime, session: Session, q: SearchQuery, asset: Asset, limit: int,
                   cursor: str | None, view: str) -> Results:
    """``similar:`` without CLIP: perceptual hash and shared people (search.similar)."""
    from albumen.search import similar

    ranked = similar.rank(session, q, similar.subject(session, asset))
    if cursor:
        last_score, last_id = _decode(cursor, "a")
        ranked = [r for r in ranked if (r[1], r[0]) < (last_score, last_id)]
    page = ranked[:limit]
    assets = _hydrate(session, [i for i, _ in page], view)
    next_cursor = (_encode(["a", page[-1][1], page[-1][0]]) if len(ranked) > limit else None)
    return Results([Hit(assets[i], s) for i, s in page if i in assets], next_cursor,
                   ranked_by=similar.APPEARANCE, note=similar.note(rt))


def _face_vector(session: Session, q: SearchQuery) -> Any:
    from albumen.library.assets import get_asset
    from albumen.ml import faces as face_math

    face = session.get(Face, q.face_like)
    if face is not None:
        get_asset(session, face.asset_id, q.viewer)  # NotFound unless the viewer sees it
    if face is None or face.embedding is None:
        raise NotFound(f"face {q.face_like} not found")
    return face_math.from_bytes(face.embedding)


def _by_face(session: Session, q: SearchQuery, limit: int, cursor: str | None, view: str
             ) -> Results:
    """Photos with a face like ``q.face_vector``, closest first; the score is the distance.
    The faces of the filtered assets are compared exactly (an event, a person's library)."""
    from albumen.ml import faces as face_math

    rows = session.execute(select(Face.asset_id, Face.embedding).where(
        Face.asset_id.in_(matching(session, q, Asset.id)), Face.embedding.is_not(None))).all()
    best: dict[int, float] = {}
    if rows:
        found = face_math.distances(np.stack([face_math.from_bytes(r[1]) for r in rows]),
                                    np.asarray(q.face_vector, dtype=np.float32))
        for (asset_id, _), distance in zip(rows, found.tolist(), strict=True):
            if distance < q.face_distance and distance < best.get(asset_id, math.inf):
                best[asset_id] = distance
    ranked = sorted(best.items(), key=lambda kv: (kv[1], kv[0]))
    if cursor:
        last_distance, last_id = _decode(cursor, "f")
        ranked = [r for r in ranked if (r[1], r[0]) > (last_distance, last_id)]
    page = ranked[:limit]
    assets = _hydrate(session, [a for a, _ in page], view)
    next_cursor = (_encode(["f", page[-1][1], page[-1][0]]) if len(ranked) > limit else None)
    return Results([Hit(assets[a], d) for a, d in page if a in assets], next_cursor)
