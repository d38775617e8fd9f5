"""/api/v1/search, /api/v1/timeline and /api/v1/collections: one search service behind the
query language (``q``) and structured filters, the timeline's month buckets, and smart
collections (saved searches)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from albumen.accounts.auth import Principal
from albumen.api.deps import PrincipalDep, RuntimeDep, SessionDep, TokenDep, read
from albumen.api.errors import ERRORS
from albumen.api.schemas import AssetOut
from albumen.api.types import Id, IdPath, IdQuery
from albumen.db.engagement import SEARCH
from albumen.insights import activity
from albumen.library.assets import MAX_PAGE
from albumen.search import collections, engine, language, timeline
from albumen.search.query import FACETS, SORTS, Near, SearchQuery

router = APIRouter(prefix="/api/v1", tags=["search"], responses=ERRORS)
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE)]
Cursor = Annotated[str | None, Query(max_length=400)]
QueryText = Annotated[str | None, Query(max_length=2000, description="query language")]
Month = Annotated[str, Query(pattern=r"^\d{4}-\d{2}$")]


class NearIn(BaseModel):
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    km: float = Field(gt=0, le=20000)


Word = Annotated[str, Field(min_length=1, max_length=200)]


class SearchIn(BaseModel):
    """Structured filters; ``q`` (the query language) adds to them."""

    q: str | None = Field(default=None, max_length=2000)
    text: list[Word] = Field(default=[], max_length=50)
    not_text: list[Word] = Field(default=[], max_length=50)
    date_from: date | None = None
    date_to: date | None = None
    taken_after: datetime | None = None
    taken_before: datetime | None = None
    cameras: list[Word] = Field(default=[], max_length=20)
    lens: Word | None = None
    media_type: str | None = Field(default=None, pattern="^(image|video)$")
    rating_min: int | None = Field(default=None, ge=0, le=5)
    favorite: bool | None = None
    people: list[Id] = Field(default=[], max_length=50)
    people_names: list[Word] = Field(default=[], max_length=50)
    people_mode: str = Field(default="all", pattern="^(all|any)$")
    place: Word | None = None
    near: NearIn | None = None
    tags: list[Word] = Field(default=[], max_length=50)
    not_tags: list[Word] = Field(default=[], max_length=50)
    has_text: bool | None = None
    has_faces: bool | None = None
    category: str | None = Field(default=None, min_length=1, max_length=100,
                                 description="documents in this category (not suggestions)")
    has_gps: bool | None = None
    event_id: Id | None = None
    album_id: Id | None = None
    state: str | None = Field(default=None, pattern="^(processing|ready|failed)$")
    owner: Word | None = None
    semantic: str | None = Field(default=None, min_length=1, max_length=300,
                                 description="a description, matched against what photos show "
                                             "(CLIP, like smart:)")
    about: str | None = Field(default=None, min_length=1, max_length=1000,
                              description="search by meaning: what the text of documents and "
                                          "photos is about (like about:), ranked by the best "
                                          "passage")
    similar_to: Id | None = None
    sort: str | None = Field(default=None, pattern=f"^({'|'.join(SORTS)})$")
    trashed: bool = False
    facets: list[str] = Field(default=[], max_length=len(FACETS))
    limit: int = Field(default=50, ge=1, le=MAX_PAGE)
    cursor: str | None = Field(default=None, max_length=400)

    def to_query(self, viewer: int) -> SearchQuery:
        fields = self.model_dump(exclude={"q", "near", "facets", "limit", "cursor"})
        for name in ("taken_after", "taken_before"):
            value = fields[name]
            if value is not None and value.tzinfo is None:
                from albumen.errors import InvalidInput

                raise InvalidInput(f"{name} needs a time zone (e.g. 2024-06-01T00:00:00Z)")
        query = SearchQuery(viewer=viewer, **fields)
        if self.near is not None:
            query.near = Near(**self.near.model_dump())
        return language.parse(self.q, query) if self.q else query


class Hit(BaseModel):
    score: float | None = Field(description="relevance (text) or similarity (meaning)")
    asset: AssetOut


class Facet(BaseModel):
    value: Any
    count: int
    id: int | None = None
    make: str | None = None
    country: str | None = None
    approximate: bool = Field(default=False, description="estimated from a random sample "
                              "(a search with very many matches); the order holds")


def _ranked_by() -> Any:
    return Field(default=None, description="how similar: or smart: results are ranked: clip "
                 "(by content), or appearance (perceptual hash and the people in them: "
                 "similar: where CLIP cannot answer); null for other searches")


def _note() -> Any:
    return Field(default=None, description="what to read the results with, e.g. that similar "
                 "photos were found by appearance as no CLIP model is installed, and how to "
                 "install one; null when there is nothing to say")


class SearchPage(BaseModel):
    items: list[Hit]
    next_cursor: str | None
    facets: dict[str, list[Facet]] = {}
    ranked_by: str | None = _ranked_by()
    note: str | None = _note()

    @classmethod
    def of(cls, session: Session, results: engine.Results, viewer: int | None) -> SearchPage:
        outs = AssetOut.many(session, [h.asset for h in results.items], viewer)
        return cls(items=[Hit(score=h.score, asset=out)
                          for h, out in zip(results.items, outs, strict=True)],
                   next_cursor=results.next_cursor,
                   facets={k: [Facet(**f) for f in v] for k, v in results.facets.items()},
                   ranked_by=results.ranked_by, note=results.note)


class GridItem(BaseModel):
    """What a grid cell needs; the whole asset is at /api/v1/assets/{id}."""

    id: int
    media_type: str
    width: int | None
    height: int | None
    thumbhash: str | None
    taken_at: datetime | None
    local_date: str = Field(description="local capture date (YYYY-MM-DD) for headers")
    favorite: bool
    rating: int | None
    stack_id: int | None
    state: str
    moderation: str
    pages: int | None = Field(default=None, description="a document's page count")
    score: float | None = None


class GridPage(BaseModel):
    items: list[GridItem]
    next_cursor: str | None
    facets: dict[str, list[Facet]] = {}
    ranked_by: str | None = _ranked_by()
    note: str | None = _note()

    @classmethod
    def of(cls, results: engine.Results) -> GridPage:
        items = []
        for hit in results.items:
            row = hit.asset._asdict()
            row["local_date"] = row.pop("local_at").date().isoformat()
            items.append(GridItem(**row, score=hit.score))
        return cls(items=items, next_cursor=results.next_cursor,
                   facets={k: [Facet(**f) for f in v] for k, v in results.facets.items()},
                   ranked_by=results.ranked_by, note=results.note)


def _facets(value: str | None) -> tuple[str, ...]:
    return tuple(f.strip() for f in value.split(",") if f.strip()) if value else ()


@router.get("/search", response_model=SearchPage | GridPage,
            summary="Search with the query language, e.g. beach person:\"Anna\" after:2023-06")
async def search_get(request: Request, rt: RuntimeDep, token: TokenDep,
                     q: QueryText = None, limit: Limit = 50, cursor: Cursor = None,
                     facets: Annotated[str | None,
                                       Query(max_length=100,
                                             description="e.g. people,places")] = None,
                     view: Annotated[str, Query(pattern="^(full|grid)$",
                                                description="whole assets, or grid cells")
                                     ] = "full",
                     ) -> Response:
    def answer(session: Session, principal: Principal) -> SearchPage | GridPage:
        query = language.parse(q or "", SearchQuery(viewer=principal.user_id))
        if cursor is None:  # a search, not the next page of one
            activity.record(rt, SEARCH, user_id=principal.user_id,
                            detail={"q": (q or "")[:200]})
        results = engine.search(rt, session, query, limit, cursor, _facets(facets), view)
        return GridPage.of(results) if view == "grid" else SearchPage.of(session, results,
                                                                         principal.user_id)

    return await read(request, rt, token, answer)


@router.post("/search", response_model=SearchPage, summary="Search with structured filters")
async def search_post(body: SearchIn, request: Request, rt: RuntimeDep, token: TokenDep
                      ) -> Response:
    def answer(session: Session, principal: Principal) -> SearchPage:
        query = body.to_query(principal.user_id)
        if body.cursor is None:
            activity.record(rt, SEARCH, user_id=principal.user_id,
                            detail={"q": (body.q or "")[:200], "structured": True})
        return SearchPage.of(session, engine.search(rt, session, query, body.limit,
                                                    body.cursor, tuple(body.facets)),
                             principal.user_id)

    return await read(request, rt, token, answer)


class BucketOut(BaseModel):
    month: str
    count: int


def _timeline_query(viewer: int, event_id: int | None, q: str | None) -> SearchQuery | None:
    return language.parse(q, timeline.scope(viewer, event_id)) if q else None


@router.get("/timeline", response_model=list[BucketOut], tags=["timeline"],
            summary="Months with photos and their counts (your library, or an event)")
def timeline_buckets(session: SessionDep, principal: PrincipalDep, event_id: IdQuery = None,
                     q: QueryText = None) -> list[BucketOut]:
    found = timeline.buckets(session, principal.user_id, event_id,
                             _timeline_query(principal.user_id, event_id, q))
    return [BucketOut(month=b.month, count=b.count) for b in found]


@router.get("/timeline/{month}", response_model=GridPage, tags=["timeline"],
            summary="The photos of one month, newest first (grid cells)")
async def timeline_bucket(month: Annotated[str, Month], request: Request, rt: RuntimeDep,
                          token: TokenDep, event_id: IdQuery = None, q: QueryText = None,
                          limit: Limit = 200, cursor: Cursor = None) -> Response:
    def answer(session: Session, principal: Principal) -> GridPage:
        return GridPage.of(timeline.bucket(
            rt, session, principal.user_id, month, event_id,
            _timeline_query(principal.user_id, event_id, q), limit, cursor))

    return await read(request, rt, token, answer)


class CollectionIn(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    query: str = Field(min_length=1, max_length=collections.MAX_QUERY)


class CollectionPatch(BaseModel):
    title: str | None = Field(default=None, min_length=1, max_length=300)
    query: str | None = Field(default=None, min_length=1, max_length=collections.MAX_QUERY)


class CollectionOut(BaseModel):
    id: int
    title: str
    query: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: Any) -> CollectionOut:
        return cls(id=row.id, title=row.title, query=row.query, created_at=row.created_at,
                   updated_at=row.updated_at)


@router.post("/collections", response_model=CollectionOut, status_code=201,
             tags=["collections"], summary="Save a search as a smart collection")
def collection_create(body: CollectionIn, rt: RuntimeDep, principal: PrincipalDep
                      ) -> CollectionOut:
    return CollectionOut.of(collections.create(rt, principal.user_id, body.title, body.query))


@router.get("/collections", response_model=list[CollectionOut], tags=["collections"])
def collection_list(session: SessionDep, principal: PrincipalDep) -> list[CollectionOut]:
    return [CollectionOut.of(r) for r in collections.list_for(session, principal.user_id)]


@router.get("/collections/{collection_id}", response_model=CollectionOut, tags=["collections"])
def collection_get(collection_id: IdPath, session: SessionDep, principal: PrincipalDep
                   ) -> CollectionOut:
    return CollectionOut.of(collections.get(session, principal.user_id, collection_id))


@router.patch("/collections/{collection_id}", response_model=CollectionOut,
              tags=["collections"])
def collection_update(collection_id: IdPath, body: CollectionPatch, rt: RuntimeDep,
                      principal: PrincipalDep) -> CollectionOut:
    return CollectionOut.of(collections.update(rt, principal.user_id, collection_id,
                                               body.title, body.query))


@router.delete("/collections/{collection_id}", status_code=204, tags=["collections"])
def collection_delete(collection_id: IdPath, rt: RuntimeDep, principal: PrincipalDep
                      ) -> Response:
    collections.delete(rt, principal.user_id, collection_id)
    return Response(status_code=204)


@router.get("/collections/{collection_id}/assets", response_model=SearchPage,
            tags=["collections"], summary="The photos that match the collection now")
def collection_assets(collection_id: IdPath, rt: RuntimeDep, session: SessionDep,
                      principal: PrincipalDep, limit: Limit = 100, cursor: Cursor = None
                      ) -> SearchPage:
    return SearchPage.of(session, collections.open_(rt, session, principal.user_id,
                                                    collection_id, limit, cursor),
                         principal.user_id)
