"""/api/v1/albums: curated collections, their share links and ZIP downloads."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from albumen.api.common import parse_ids, slug, zip_response
from albumen.api.deps import ActorDep, PrincipalDep, RuntimeDep, SessionDep, client_ip
from albumen.api.errors import ERRORS, ZIP_BODY
from albumen.api.schemas import AssetOut, AssetPage
from albumen.api.types import Id, IdPath
from albumen.db.engagement import DOWNLOAD_ZIP
from albumen.events import downloads
from albumen.insights import activity
from albumen.library import albums as svc
from albumen.library import assets as asset_svc
from albumen.search import engine

router = APIRouter(prefix="/api/v1/albums", tags=["albums"], responses=ERRORS)


class AlbumIn(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    description: str | None = Field(default=None, max_length=10000)


class AlbumPatch(BaseModel):
    title: str | None = Field(default=None, min_length=1, max_length=300)
    description: str | None = Field(default=None, max_length=10000)


class AlbumOut(BaseModel):
    id: int
    title: str
    description: str | None
    asset_count: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, view: svc.AlbumView) -> AlbumOut:
        a = view.album
        return cls(id=a.id, title=a.title, description=a.description, asset_count=view.count,
                   created_at=a.created_at, updated_at=a.updated_at)


class AssetIds(BaseModel):
    asset_ids: list[Id] = Field(min_length=1, max_length=10000)


class Changed(BaseModel):
    changed: int


@router.post("", response_model=AlbumOut, status_code=201)
def create(body: AlbumIn, principal: PrincipalDep, actor: ActorDep, rt: RuntimeDep) -> AlbumOut:
    album_id = svc.create_album(rt, principal.user_id, body.title, body.description, actor)
    with rt.session() as session:
        return AlbumOut.of(svc.get_album(session, principal.user_id, album_id))


@router.get("", response_model=list[AlbumOut])
def list_albums(principal: PrincipalDep, session: SessionDep) -> list[AlbumOut]:
    return [AlbumOut.of(v) for v in svc.list_albums(session, principal.user_id)]


@router.get("/{album_id}", response_model=AlbumOut)
def get(album_id: IdPath, principal: PrincipalDep, session: SessionDep) -> AlbumOut:
    return AlbumOut.of(svc.get_album(session, principal.user_id, album_id))


@router.patch("/{album_id}", response_model=AlbumOut)
def update(album_id: IdPath, body: AlbumPatch, principal: PrincipalDep, actor: ActorDep,
           rt: RuntimeDep) -> AlbumOut:
    svc.update_album(rt, principal.user_id, album_id, body.model_dump(exclude_unset=True),
                     actor)
    with rt.session() as session:
        return AlbumOut.of(svc.get_album(session, principal.user_id, album_id))


@router.delete("/{album_id}", status_code=204, summary="Delete the album (photos stay)")
def delete(album_id: IdPath, principal: PrincipalDep, actor: ActorDep, rt: RuntimeDep) -> Response:
    svc.delete_album(rt, principal.user_id, album_id, actor)
    return Response(status_code=204)


@router.get("/{album_id}/assets", response_model=AssetPage)
def assets(album_id: IdPath, principal: PrincipalDep, session: SessionDep,
           limit: Annotated[int, Query(ge=1, le=asset_svc.MAX_PAGE)] = 100,
           cursor: Annotated[str | None, Query(max_length=200)] = None) -> AssetPage:
    svc.get_album(session, principal.user_id, album_id)
    page = engine.browse(session, asset_svc.AssetFilter(album_id=album_id),
                                 limit=limit, cursor=cursor)
    return AssetPage(items=AssetOut.many(session, page.items, principal.user_id),
                     next_cursor=page.next_cursor)


@router.post("/{album_id}/assets", response_model=Changed)
def add(album_id: IdPath, body: AssetIds, principal: PrincipalDep, actor: ActorDep,
        rt: RuntimeDep) -> Changed:
    return Changed(changed=svc.add_assets(rt, principal.user_id, album_id, body.asset_ids,
                                          actor))


@router.post("/{album_id}/assets/remove", response_model=Changed)
def remove(album_id: IdPath, body: AssetIds, principal: PrincipalDep, actor: ActorDep,
           rt: RuntimeDep) -> Changed:
    return Changed(changed=svc.remove_assets(rt, principal.user_id, album_id, body.asset_ids,
                                             actor))


@router.get("/{album_id}/download", response_class=StreamingResponse, responses=ZIP_BODY,
            summary="ZIP of the album (streamed originals)")
def download(album_id: IdPath, principal: PrincipalDep, rt: RuntimeDep, request: Request,
             ids: Annotated[str | None, Query(max_length=100000)] = None) -> StreamingResponse:
    with rt.session() as session:
        title = svc.get_album(session, principal.user_id, album_id).album.title
    activity.record(rt, DOWNLOAD_ZIP, user_id=principal.user_id, ip=client_ip(request),
                    detail={"album_id": album_id})
    f = asset_svc.AssetFilter(album_id=album_id)
    return zip_response(downloads.archive(rt, f, parse_ids(ids)), f"{slug(title)}.zip")
