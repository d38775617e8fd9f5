"""The library: timeline grid with infinite scroll, the photo viewer, search, upload, albums
and the trash."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from albumen.api.deps import RuntimeDep
from albumen.api.types import IdPath
from albumen.db.base import utcnow
from albumen.db.engagement import SEARCH
from albumen.db.models import Asset
from albumen.discovery import memories
from albumen.documents import service as documents_svc
from albumen.errors import AlbumenError, Conflict
from albumen.events import comments, sharing
from albumen.insights import activity
from albumen.library import albums, asset_view, tiers, video
from albumen.library import assets as asset_svc
from albumen.ml.runtime import ModelUnavailable
from albumen.runtime import Runtime
from albumen.search import clip, collections, engine, language, timeline
from albumen.search import similar as similar_photos
from albumen.search.query import FACETS, SearchQuery
from albumen.web.links import links_context
from albumen.web.render import UserDep, page

router = APIRouter(include_in_schema=False)
PAGE = 120  # grid cells per request of the infinite scroll
REACTIONS = {"like": "👍", "love": "❤️", "laugh": "😄", "wow": "😮"}
Cursor = Annotated[str | None, Query(max_length=400)]
Month = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$")]
Text = Annotated[str | None, Query(max_length=2000)]


def _more(path: str, **params: Any) -> str:
    return f"{path}?{urlencode({k: v for k, v in params.items() if v is not None})}"


def timeline_chunk(rt: Runtime, session: Session, viewer: int, month: str | None,
                   cursor: str | None, event_id: int | None = None,
                   base: str = "/timeline/more", until: str | None = None) -> dict[str, Any]:
    """One infinite-scroll step of a month-bucketed grid: about PAGE cells from ``month`` at
    ``cursor`` on (running into the following months when one is short, but not into
    ``until`` or older: the date scrubber's jumps leave such gaps), each month under its
    header, and where the next step loads from."""
    months = timeline.buckets(session, viewer, event_id)
    order = [b for b in months if until is None or b.month > until]
    if month is not None:  # from that month on, or the next older one should it be gone
        start = next((i for i, b in enumerate(order) if b.month <= month), len(order))
        if start < len(order) and order[start].month != month:
            cursor = None
        order = order[start:]
    sections: list[tuple[Any, list[Any]]] = []
    more, room = None, PAGE
    for b in order:
        if room <= 0:
            more = _more(base, month=b.month, event=event_id, until=until)
            break
        result = timeline.bucket(rt, session, viewer, b.month, event_id, limit=room,
                                 cursor=cursor)
        sections.append((b if cursor is None else None, [h.asset for h in result.items]))
        room -= len(result.items)
        if result.next_cursor:
            more = _more(base, month=b.month, cursor=result.next_cursor, event=event_id,
                         until=until)
            break
        cursor = None
    return {"sections": sections, "more": more, "months": months}


@router.get("/", response_class=HTMLResponse)
def library(request: Request, rt: RuntimeDep, who: UserDep) -> Response:
    with rt.session() as session:
        chunk = timeline_chunk(rt, session, who.user_id, None, None)
        album_list = albums.list_albums(session, who.user_id)
        # Built by the daily job (the page never waits for a build).
        shown = memories.for_day(session, who.user_id, utcnow().date())
    total = sum(b.count for b in chunk["months"])
    return page(request, "library.html", who, title="Photos", nav="photos", total=total,
                albums=album_list, memories=shown, **chunk)


@router.get("/memories/{memory_id}", response_class=HTMLResponse)
def memory(memory_id: IdPath, request: Request, rt: RuntimeDep, who: UserDep) -> Response:
    with rt.session() as session:
        found, ids = memories.one(session, who.user_id, memory_id)
        by_id = {a.id: a for a in session.scalars(select(Asset).where(Asset.id.in_(ids)))}
        cells = [by_id[i] for i in ids if i in by_id]
        session.expunge_all()
    return page(request, "memory.html", who, title=found.title, nav="photos", memory=found,
                cells=cells, more=None)


@router.get("/timeline/more", response_class=HTMLResponse)
def timeline_more(request: Request, rt: RuntimeDep, who: UserDep, month: Month = None,
                  cursor: Cursor = None, event: int | None = None, until: Month = None
                  ) -> Response:
    with rt.session() as session:
        chunk = timeline_chunk(rt, session, who.user_id, month, cursor, event, until=until)
    return page(request, "cells.part.html", who, **chunk)


@router.get("/photos/{asset_id}", response_class=HTMLResponse)
def viewer(asset_id: IdPath, request: Request, rt: RuntimeDep, who: UserDep) -> Response:
    with rt.session() as session:
        asset = asset_svc.get_asset(session, asset_id, who.user_id)
        facts = asset_view.gather_one(session, asset, who.user_id)
        newer, older = timeline.neighbours(session, who.user_id, asset)
        mine = asset.owner_id == who.user_id
        album_list = albums.list_albums(session, who.user_id) if mine else []
        someone = comments.Who(user_id=who.user_id)
        notes = comments.list_comments(session, someone, asset_id)
        reacted = comments.reactions(session, someone, asset_id)
        similar = similar_photos.method(rt, session, asset)
        playable, unplayable = _playable(session, asset)
        return page(request, "viewer.html", who, similar=similar,
                    video=facts.video, web=facts.web_copy, playable=playable,
                    motion=facts.motion,
                    unplayable=unplayable,
                    clip_missing=not clip.model_for(rt).availability().ok,
                    enable_clip=clip.ENABLE,
                    title=asset.title or asset.original_filename,
                    gold_needs=tiers.gold_needs(asset, facts), tier_meaning=tiers.MEANING,
                    asset=asset, place=facts.place, faces=facts.faces, text=facts.text,
                    tags=facts.tags, document=facts.document, pages=facts.pages,
                    suggested=facts.document is not None
                    and documents_svc.suggested(facts.document),
                    categories=documents_svc.categories(session, asset.owner_id)
                    if facts.document is not None and mine else [],
                    newer=newer, older=older, mine=mine, albums=album_list, notes=notes,
                    reacted=reacted, emoji=REACTIONS, tiles=rt.settings.map_tile_url or "",
                    attribution=rt.settings.map_tile_attribution
                    if rt.settings.map_tile_url else "")


def _playable(session: Session, asset: Asset) -> tuple[bool, str]:
    """Whether the viewer can play the video, and if not why (its web copy's state)."""
    if asset.media_type != "video":
        return False, ""
    try:
        video.playback(session, asset)
    except Conflict as exc:
        return False, exc.message
    return True, ""


def _parse(q: str | None, viewer: int) -> SearchQuery:
    return language.parse(q or "", SearchQuery(viewer=viewer))


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, rt: RuntimeDep, who: UserDep, q: Text = None,
           cursor: Cursor = None) -> Response:
    context: dict[str, Any] = {"q": q or "", "cells": [], "more": None, "error": None,
                               "note": None, "needs_clip": False}
    if q and q.strip():
        if cursor is None:
            activity.record(rt, SEARCH, user_id=who.user_id, detail={"q": q[:200]})
        try:
            with rt.session() as session:
                result = engine.search(rt, session, _parse(q, who.user_id), PAGE, cursor,
                                       view="grid")
            context["cells"] = [h.asset for h in result.items]
            context["note"] = result.note
            if result.next_cursor:
                context["more"] = _more("/search", q=q, cursor=result.next_cursor)
        except ModelUnavailable:  # smart: without a CLIP model: say how to get one
            context["needs_clip"] = True
        except AlbumenError as exc:
            context["error"] = exc.message
    if cursor:  # the next page of an infinite scroll
        return page(request, "cells.part.html", who, **context)
    with rt.session() as session:
        context["collections"] = _collections(session, who.user_id)
        context["albums"] = albums.list_albums(session, who.user_id)
    content_search = clip.model_for(rt).availability().ok
    return page(request, "search.html", who, title="Search", nav="search",
                help=language.help_text(content_search), content_search=content_search,
                enable_clip=clip.ENABLE, **context)


def _collections(session: Session, viewer: int) -> list[Any]:
    return collections.list_for(session, viewer)


CHIP = {"people": lambda f: f"person:{f['id']}",
        "places": lambda f: f"place:{_quoted(f['value'])}",
        "years": lambda f: f"date:{f['value']}",
        "cameras": lambda f: f"camera:{_quoted(f['value'])}",
        "types": lambda f: "type:photo" if f["value"] == "image" else f"type:{f['value']}",
        "categories": lambda f: f"category:{_quoted(f['value'])}"}


def _quoted(value: str) -> str:
    return f'"{value}"' if any(c.isspace() for c in value) else value


@router.get("/search/facets", response_class=HTMLResponse)
def search_facets(request: Request, rt: RuntimeDep, who: UserDep, q: Text = None) -> Response:
    """Facet chips, loaded after the results so a broad query shows its photos at once."""
    facets: dict[str, list[dict[str, Any]]] = {}
    if q and q.strip():
        with rt.session() as session:
            facets = engine.search(rt, session, _parse(q, who.user_id), 1, None,
                                   facets=FACETS, view="grid").facets
    chips = {name: [(f, CHIP[name](f)) for f in items] for name, items in facets.items()
             if items}
    return page(request, "facets.part.html", who, q=q or "", chips=chips)


@router.get("/upload", response_class=HTMLResponse)
def upload(request: Request, rt: RuntimeDep, who: UserDep, event: int | None = None
           ) -> Response:
    from albumen.events import service as events

    with rt.session() as session:
        mine = [v for v in events.list_events(session, who.user_id)
                if v.role in ("owner", "cohost", "contributor")]
    return page(request, "upload.html", who, title="Upload", events=mine, event_id=event,
                limit=rt.settings.max_upload_bytes)


@router.get("/albums", response_class=HTMLResponse)
def album_list(request: Request, rt: RuntimeDep, who: UserDep) -> Response:
    with rt.session() as session:
        found = albums.list_albums(session, who.user_id)
        covers = {v.album.id: _cover(session, who.user_id, v.album.id) for v in found}
    return page(request, "albums.html", who, title="Albums", nav="albums", albums=found,
                covers=covers)


def _cover(session: Session, viewer: int, album_id: int) -> int | None:
    f = asset_svc.AssetFilter(viewer=viewer, album_id=album_id)
    return session.scalar(asset_svc.filtered(select(asset_svc.Asset.id), f)
                          .order_by(asset_svc.Asset.sort_at.desc()).limit(1))


@router.get("/albums/{album_id}", response_class=HTMLResponse)
def album(album_id: IdPath, request: Request, rt: RuntimeDep, who: UserDep,
          cursor: Cursor = None) -> Response:
    with rt.session() as session:
        view = albums.get_album(session, who.user_id, album_id)
        result = engine.browse(
            session, asset_svc.AssetFilter(viewer=who.user_id, album_id=album_id), PAGE, cursor)
        others = [a for a in albums.list_albums(session, who.user_id) if a.album.id != album_id]
        links = sharing.list_links(session, who.user_id, album_id=album_id)
    more = _more(f"/albums/{album_id}", cursor=result.next_cursor) if result.next_cursor else None
    if cursor:
        return page(request, "cells.part.html", who, cells=result.items, more=more)
    return page(request, "album.html", who, title=view.album.title, nav="albums", album=view,
                cells=result.items, more=more, albums=others,
                **links_context(rt, request, links), now=utcnow())


@router.get("/trash", response_class=HTMLResponse)
def trash(request: Request, rt: RuntimeDep, who: UserDep, cursor: Cursor = None) -> Response:
    f = asset_svc.AssetFilter(viewer=who.user_id, trashed=True)
    with rt.session() as session:
        result = engine.browse(session, f, PAGE, cursor)
    more = _more("/trash", cursor=result.next_cursor) if result.next_cursor else None
    if cursor:
        return page(request, "cells.part.html", who, cells=result.items, more=more)
    return page(request, "trash.html", who, title="Trash", nav="trash",
                cells=result.items, more=more)
