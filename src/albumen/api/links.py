"""/api/v1/events/{id}/links, /api/v1/albums/{id}/links, /api/v1/links/{id}: share links of
events and albums (made, listed, changed, revoked by their managers)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from albumen.api.common import aware, share_url
from albumen.api.deps import ActorDep, PrincipalDep, RuntimeDep, SessionDep
from albumen.api.errors import ERRORS
from albumen.api.types import Count, IdPath
from albumen.db.models import ShareLink
from albumen.events import sharing
from albumen.runtime import Runtime
from albumen.security.passwords import MAX_LENGTH as MAX_PASSWORD
from albumen.security.passwords import MIN_LENGTH as MIN_PASSWORD

router = APIRouter(prefix="/api/v1", tags=["share links"], responses=ERRORS)


class LinkIn(BaseModel):
    label: str | None = Field(default=None, max_length=200)
    can_view: bool = True
    can_upload: bool = False
    can_download: bool = False
    password: str | None = Field(default=None, min_length=MIN_PASSWORD, max_length=MAX_PASSWORD)
    expires_at: datetime | None = None
    max_uploads: Count | None = None
    max_uploads_per_guest: Count | None = None
    upload_opens_at: datetime | None = None
    upload_closes_at: datetime | None = None
    reveal_at: datetime | None = None
    strip_location: bool = False


class LinkPatch(BaseModel):
    label: str | None = Field(default=None, max_length=200)
    can_view: bool | None = None
    can_upload: bool | None = None
    can_download: bool | None = None
    password: str | None = Field(default=None, max_length=1024)
    expires_at: datetime | None = None
    max_uploads: Count | None = None
    max_uploads_per_guest: Count | None = None
    upload_opens_at: datetime | None = None
    upload_closes_at: datetime | None = None
    reveal_at: datetime | None = None
    strip_location: bool | None = None


class LinkOut(BaseModel):
    id: int
    event_id: int | None
    album_id: int | None
    label: str | None
    can_view: bool
    can_upload: bool
    can_download: bool
    has_password: bool
    expires_at: datetime | None
    max_uploads: int | None
    max_uploads_per_guest: int | None
    upload_count: int
    upload_opens_at: datetime | None
    upload_closes_at: datetime | None
    reveal_at: datetime | None
    strip_location: bool
    created_at: datetime
    revoked_at: datetime | None
    token: str | None = Field(description="guests use /s/{token} and /api/v1/share/{token}; "
                              "shown to the link's managers (null for a link made before "
                              "albumen kept them, or after its secret key changed)")
    url: str | None = Field(description="the address to give guests (its QR code: "
                            "/api/v1/share/{token}/qr.svg, a poster: /s/{token}/poster)")

    @classmethod
    def of(cls, rt: Runtime, request: Request, link: ShareLink) -> LinkOut:
        skip = {"has_password", "token", "url"}
        fields = {k: getattr(link, k) for k in cls.model_fields if k not in skip}
        token = sharing.link_token(rt, link)
        return cls(**fields, has_password=link.password_hash is not None, token=token,
                   url=share_url(rt, request, token) if token else None)


class NewLink(LinkOut):
    token: str = Field(description="guests use /s/{token} and /api/v1/share/{token}")
    url: str


def _create_link(rt: Runtime, request: Request, principal: Any, actor: Any, body: LinkIn,
                 event_id: int | None, album_id: int | None) -> NewLink:
    values = aware(body.model_dump(exclude={"password"}))
    link, token = sharing.create_link(rt, principal.user_id, values, actor, event_id=event_id,
                                      album_id=album_id, password=body.password)
    shown = LinkOut.of(rt, request, link).model_dump(exclude={"token", "url"})
    return NewLink(**shown, token=token, url=share_url(rt, request, token))


@router.post("/events/{event_id}/links", response_model=NewLink, status_code=201)
def create_event_link(event_id: IdPath, body: LinkIn, request: Request, principal: PrincipalDep,
                      actor: ActorDep, rt: RuntimeDep) -> NewLink:
    return _create_link(rt, request, principal, actor, body, event_id, None)


@router.get("/events/{event_id}/links", response_model=list[LinkOut])
def event_links(event_id: IdPath, request: Request, principal: PrincipalDep,
                session: SessionDep, rt: RuntimeDep) -> list[LinkOut]:
    return [LinkOut.of(rt, request, x)
            for x in sharing.list_links(session, principal.user_id, event_id)]


@router.patch("/links/{link_id}", response_model=LinkOut)
def update_link(link_id: IdPath, body: LinkPatch, request: Request, principal: PrincipalDep,
                actor: ActorDep, rt: RuntimeDep) -> LinkOut:
    values = aware(body.model_dump(exclude_unset=True, exclude={"password"}))
    password = body.password if "password" in body.model_fields_set else ...
    sharing.update_link(rt, principal.user_id, link_id, values, actor, password=password)
    with rt.session() as session:
        return LinkOut.of(rt, request,
                          sharing.manageable_link(session, principal.user_id, link_id))


@router.delete("/links/{link_id}", status_code=204,
               summary="Revoke a link: it stops working at once")
def revoke_link(link_id: IdPath, principal: PrincipalDep, actor: ActorDep,
                rt: RuntimeDep) -> Response:
    sharing.revoke_link(rt, principal.user_id, link_id, actor)
    return Response(status_code=204)


@router.post("/albums/{album_id}/links", response_model=NewLink, status_code=201)
def create_album_link(album_id: IdPath, body: LinkIn, request: Request,
                      principal: PrincipalDep, actor: ActorDep, rt: RuntimeDep) -> NewLink:
    return _create_link(rt, request, principal, actor, body, None, album_id)


@router.get("/albums/{album_id}/links", response_model=list[LinkOut])
def album_links(album_id: IdPath, request: Request, principal: PrincipalDep,
                session: SessionDep, rt: RuntimeDep) -> list[LinkOut]:
    return [LinkOut.of(rt, request, x)
            for x in sharing.list_links(session, principal.user_id, album_id=album_id)]
