"""/api/v1/share/{token}: what guests do through a share link, without an account."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime
from typing import Annotated, Any, Literal

import segno
from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field
from sqlalchemy import select

from albumen.accounts.audit import Actor
from albumen.api import idempotency
from albumen.api.common import (
    GUEST_HEADER,
    guest_access,
    guest_cookie,
    parse_ids,
    receive_upload,
    share_url,
    zip_response,
)
from albumen.api.deps import RuntimeDep, client_ip
from albumen.api.errors import ERRORS, FILE_BODY, IMAGE_BODY, VIDEO_BODY, ZIP_BODY
from albumen.api.files import derivative_response, file_response
from albumen.api.images import Signed, SignIn, options_of
from albumen.api.multipart import MultipartReader, boundary_of, pull
from albumen.api.types import IdPath
from albumen.db.engagement import DOWNLOAD, DOWNLOAD_ZIP, UPLOAD, VIEW_ASSET, VIEW_GALLERY
from albumen.db.models import Album, Asset, Event, Guest
from albumen.discovery.recommend import MAX_LIMIT as MAX_RECOMMENDATIONS
from albumen.discovery.recommend import Viewer, recommend
from albumen.errors import Conflict, OverLimit, TooLarge
from albumen.events import downloads, sharing
from albumen.events.sharing import GuestAccess
from albumen.images import service as image_service
from albumen.insights import activity
from albumen.library import assets as asset_svc
from albumen.library import video
from albumen.library.ingest import IngestResult
from albumen.people import selfie
from albumen.runtime import Runtime
from albumen.search import engine

router = APIRouter(prefix="/api/v1/share/{token}", tags=["guests"], responses=ERRORS)


class GuestOut(BaseModel):
    id: int
    name: str | None
    uploads: int


class ShareInfo(BaseModel):
    kind: Literal["event", "album"]
    title: str
    description: str | None
    can_view: bool
    can_upload: bool
    can_download: bool
    expires_at: datetime | None
    upload_opens_at: datetime | None
    upload_closes_at: datetime | None
    reveal_at: datetime | None
    max_uploads_per_guest: int | None
    review_required: bool = Field(description="uploads wait for the host's approval")
    selfie_search: bool = Field(description="POST …/selfie-search is open on this link")
    can_comment: bool = Field(description="guests may react and comment (after PUT …/guest)")
    guest: GuestOut | None


class GuestIn(BaseModel):
    name: str | None = Field(default=None, max_length=100)


class GuestAsset(BaseModel):
    id: int
    original_filename: str
    width: int | None
    height: int | None
    taken_at: datetime | None
    created_at: datetime
    thumbhash: str | None
    state: str
    mine: bool
    moderation: str | None = Field(description="shown for your own uploads only")
    media_type: str = Field(default="image", description="image, video or document")
    duration: float | None = Field(default=None, description="a video's length in seconds")
    links: dict[str, str]


class GuestPage(BaseModel):
    items: list[GuestAsset]
    next_cursor: str | None


class GuestUpload(BaseModel):
    status: Literal["created", "duplicate"]
    asset: GuestAsset
    guest_token: str


def _track(rt: Runtime, request: Request, access: GuestAccess, kind: str,
           asset_id: int | None = None) -> None:
    activity.record(rt, kind, guest_id=access.guest_id, event_id=access.link.event_id,
                    link_id=access.link.id, asset_id=asset_id, ip=client_ip(request))


def _guest_asset(token: str, asset: Asset, access: GuestAccess) -> GuestAsset:
    mine = access.guest_id is not None and asset.guest_id == access.guest_id
    base = f"/api/v1/share/{token}/assets/{asset.id}"
    links = {"thumbnail": f"{base}/thumbnail", "preview": f"{base}/preview"}
    if access.link.can_download:
        links["original"] = f"{base}/original"
    if asset.media_type == "video":
        links.update(playback=f"{base}/playback", strip=f"{base}/strip")
    return GuestAsset(id=asset.id, original_filename=asset.original_filename,
                      width=asset.width, height=asset.height, taken_at=asset.taken_at,
                      created_at=asset.created_at, thumbhash=asset.thumbhash, state=asset.state,
                      mine=mine, moderation=asset.moderation if mine else None,
                      media_type=asset.media_type, duration=asset.duration, links=links)


def set_guest_cookie(response: Response, rt: Runtime, request: Request, link_id: IdPath,
                      guest_token: str) -> None:
    from albumen.api.auth import secure_cookies

    response.set_cookie(guest_cookie(link_id), guest_token, max_age=180 * 86400, httponly=True,
                        samesite="lax", secure=secure_cookies(rt, request), path="/")


@router.get("", response_model=ShareInfo, summary="What this link shows and allows")
def info(token: str, request: Request, rt: RuntimeDep) -> ShareInfo:
    access = guest_access(rt, request, token)
    link = access.link
    with rt.session() as session:
        target: Event | Album | None = (session.get(Event, link.event_id) if link.event_id
                                        else session.get(Album, link.album_id))
        assert target is not None
        guest = session.get(Guest, access.guest_id) if access.guest_id else None
        return ShareInfo(
            kind="event" if link.event_id else "album", title=target.title,
            description=target.description, can_view=link.can_view,
            can_upload=link.can_upload, can_download=link.can_download,
            expires_at=link.expires_at, upload_opens_at=link.upload_opens_at,
            upload_closes_at=link.upload_closes_at, reveal_at=link.reveal_at,
            max_uploads_per_guest=link.max_uploads_per_guest,
            review_required=isinstance(target, Event) and target.review_required,
            selfie_search=isinstance(target, Event) and target.selfie_search and link.can_view,
            can_comment=isinstance(target, Event) and target.guest_comments and link.can_view,
            guest=GuestOut(id=guest.id, name=guest.name, uploads=guest.upload_count)
            if guest else None,
        )


@router.put("/guest", response_model=GuestOut, summary="Say who you are (optional name)")
def guest(token: str, body: GuestIn, request: Request, response: Response,
          rt: RuntimeDep) -> GuestOut:
    access = guest_access(rt, request, token)
    if access.guest_id is None:
        guest_id, guest_token = sharing.new_guest(rt, access.link.id, body.name,
                                                  client_ip(request))
        set_guest_cookie(response, rt, request, access.link.id, guest_token)
        response.headers["X-Guest-Token"] = guest_token
    else:
        guest_id = access.guest_id
        sharing.rename_guest(rt, guest_id, body.name)
    with rt.session() as session:
        row = session.get(Guest, guest_id)
        assert row is not None
        return GuestOut(id=row.id, name=row.name, uploads=row.upload_count)


@router.get("/assets", response_model=GuestPage,
            summary="The link's photos (approved; before reveal_at only your own)")
def list_assets(token: str, request: Request, rt: RuntimeDep, mine: bool = False,
                limit: Annotated[int, Query(ge=1, le=asset_svc.MAX_PAGE)] = 100,
                cursor: Annotated[str | None, Query(max_length=200)] = None) -> GuestPage:
    access = guest_access(rt, request, token)
    if not mine and cursor is None:
        _track(rt, request, access, VIEW_GALLERY)
    if mine and access.guest_id is None:
        return GuestPage(items=[], next_cursor=None)
    with rt.session() as session:
        f = asset_svc.AssetFilter(guest=access)
        if mine:
            f = asset_svc.AssetFilter(guest=GuestAccess(_no_view(access.link), access.guest_id))
        page = engine.browse(session, f, limit=limit, cursor=cursor)
        return GuestPage(items=[_guest_asset(token, a, access) for a in page.items],
                         next_cursor=page.next_cursor)


class GuestRecommendation(BaseModel):
    asset: GuestAsset
    reason: str = Field(description='why: "because you liked photos with Anna"')
    source: Literal["collaborative", "content", "popular"]


@router.get("/recommendations", response_model=list[GuestRecommendation],
            summary="Photos of this link you are likely to like, each with the reason")
def recommendations(token: str, request: Request, rt: RuntimeDep,
                    limit: Annotated[int, Query(ge=1, le=MAX_RECOMMENDATIONS)] = 20
                    ) -> list[GuestRecommendation]:
    access = guest_access(rt, request, token)
    viewer = Viewer(None, access.guest_id, sharing.guest_visible_clause(access),
                    access.link.event_id)
    with rt.session() as session:
        recs = recommend(rt, session, viewer, limit)
        found = {a.id: a for a in session.scalars(
            select(Asset).where(Asset.id.in_([r.asset_id for r in recs])))}
        return [GuestRecommendation(asset=_guest_asset(token, found[r.asset_id], access),
                                    reason=r.reason, source=r.source)  # type: ignore[arg-type]
                for r in recs if r.asset_id in found]


def _no_view(link: Any) -> Any:
    """A copy of the link that shows only the guest's own uploads."""
    from copy import copy

    clone = copy(link)
    clone.can_view = False
    return clone


@router.post("/assets", response_model=GuestUpload, status_code=201,
             summary="Upload a photo as a guest (multipart field 'file')",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "multipart/form-data": {"schema": {
                     "type": "object", "required": ["file"],
                     "properties": {"file": {"type": "string", "format": "binary"}}}}}}})
async def upload(token: str, request: Request, rt: RuntimeDep,
                 guest_name: Annotated[str | None, Query(max_length=100)] = None,
                 idempotency_key: Annotated[str | None, Header(
                     description="a fresh UUID per upload: a retry with the same key gets "
                                 "the first answer again (the guest's allowance is not "
                                 "spent twice)")] = None,
                 ) -> Any:
    entered = await run_in_threadpool(guest_access, rt, request, token)
    sent_token = (request.headers.get(GUEST_HEADER)
                  or request.cookies.get(guest_cookie(entered.link.id)))

    async def run() -> Response:
        access, guest_token = await run_in_threadpool(
            sharing.admit_upload, rt, entered, guest_name, client_ip(request))
        link_id = access.link.id
        assert access.guest_id is not None
        try:
            dest = await run_in_threadpool(destination, rt, access)
            result = await receive_upload(rt, request, dest)
        except Exception:  # refused, interrupted or failed: the reservation is given back
            await run_in_threadpool(sharing.release_upload, rt, link_id, access.guest_id)
            raise
        body = await run_in_threadpool(uploaded, rt, request, token, access, result,
                                       guest_token or "")
        response = JSONResponse(body.model_dump(mode="json"),
                                status_code=200 if body.status == "duplicate" else 201)
        if guest_token:
            set_guest_cookie(response, rt, request, link_id, guest_token)
        return response

    return await idempotency.once(
        rt, request, idempotency.scope_for_guest(entered.link.id, sent_token), run)


def destination(rt: Runtime, access: GuestAccess) -> dict[str, Any]:
    with rt.session() as session:
        return sharing.upload_destination(session, access,
                                          "screening" in rt.settings.enabled_enrichments)


def uploaded(rt: Runtime, request: Request, token: str, access: GuestAccess,
              result: IngestResult, guest_token: str) -> GuestUpload:
    """Audit and answer a finished guest upload (database work: off the event loop)."""
    from albumen.accounts import audit

    assert access.guest_id is not None
    if result.outcome == "duplicate":
        sharing.release_upload(rt, access.link.id, access.guest_id)
    with rt.session() as session:
        asset = session.get(Asset, result.asset_id)
        assert asset is not None
        if result.outcome != "duplicate":
            audit.record(session, Actor(guest_id=access.guest_id, ip=client_ip(request)),
                         "asset.guest_upload", "asset", asset.id, link_id=access.link.id)
            session.commit()
            _track(rt, request, access, UPLOAD, asset.id)
        return GuestUpload(status="duplicate" if result.outcome == "duplicate" else "created",
                           asset=_guest_asset(token, asset, access), guest_token=guest_token)


def _file_for(rt: Runtime, request: Request, token: str, asset_id: IdPath, kind: str) -> Response:
    access = guest_access(rt, request, token)
    with rt.session() as session:
        asset = sharing.guest_asset(session, access, asset_id)
        if kind == "original":
            access.require("download")
            _track(rt, request, access, DOWNLOAD, asset_id)
            if access.link.strip_location and asset.media_type == "video":
                web = video.web_copy(session, asset_id)  # made without the original's tags
                if web is None:
                    raise Conflict("this link hides where photos were taken: this video "
                                   "downloads once its web copy is made",
                                   details={"asset_id": asset_id})
                return file_response(rt, request, web.storage_key, web.mime_type,
                                     f'"{web.etag}"', f"{asset_id}.mp4")
            if access.link.strip_location:
                data, mime = downloads.location_free(rt, asset.storage_key)
                return Response(data, media_type=mime or asset.mime_type,
                                headers={"Cache-Control": "private, no-store"})
            return file_response(rt, request, asset.storage_key, asset.mime_type,
                                 f'"{asset.sha256}"', asset.original_filename, redirect=True)
        response = derivative_response(rt, request, session, asset_id, kind)
        if kind == "preview":
            _track(rt, request, access, VIEW_ASSET, asset_id)
        return response


GUEST_IMAGE_MAX = 1920  # a link without downloads: transforms no larger than a screen


@router.post("/images/sign", response_model=Signed,
             summary="A signed address of a transform of a photo this link shows (always "
                     "without metadata; within 1920 px unless the link allows downloads)")
def sign_image(token: str, body: SignIn, request: Request, rt: RuntimeDep) -> Signed:
    access = guest_access(rt, request, token)
    opts = replace(options_of(body), strip=True)
    if not access.link.can_download:
        width, height = opts.box()
        if max(width or 0, height or 0) > GUEST_IMAGE_MAX or (width is None and height is None):
            raise OverLimit(f"this link shows photos up to {GUEST_IMAGE_MAX} px: give a "
                            f"width and height within it")
    with rt.session() as session:
        sharing.guest_asset(session, access, body.asset_id)
    return Signed(url=image_service.sign(rt, body.asset_id, opts, body.format),
                  expires_at=opts.expires)


@router.get("/assets/{asset_id}/thumbnail", response_class=Response, responses=IMAGE_BODY)
def thumbnail(token: str, asset_id: IdPath, request: Request, rt: RuntimeDep) -> Response:
    return _file_for(rt, request, token, asset_id, "thumbnail")


@router.get("/assets/{asset_id}/preview", response_class=Response, responses=IMAGE_BODY,
            summary="JPEG preview (previews never carry location metadata)")
def preview(token: str, asset_id: IdPath, request: Request, rt: RuntimeDep) -> Response:
    return _file_for(rt, request, token, asset_id, "preview")


@router.get("/assets/{asset_id}/original", response_class=Response, responses=FILE_BODY)
def original(token: str, asset_id: IdPath, request: Request, rt: RuntimeDep) -> Response:
    return _file_for(rt, request, token, asset_id, "original")


@router.get("/assets/{asset_id}/playback", response_class=Response, responses=VIDEO_BODY,
            summary="A video as browsers play it (Range); on a link that strips locations, "
                    "only a copy without them")
def playback(token: str, asset_id: IdPath, request: Request, rt: RuntimeDep) -> Response:
    access = guest_access(rt, request, token)
    with rt.session() as session:
        asset = sharing.guest_asset(session, access, asset_id)
        played = video.playback(session, asset)
        if access.link.strip_location and not played.web_copy and (
                asset.latitude is not None or asset.longitude is not None):
            raise Conflict("this link hides where photos were taken and this video's "
                           "original says it: it plays once its web copy is made "
                           "(ALBUMEN_TRANSCODE=all makes one of every video)",
                           details={"asset_id": asset_id})
        _track(rt, request, access, VIEW_ASSET, asset_id)
        return file_response(rt, request, played.key, played.mime_type, played.etag)


@router.get("/assets/{asset_id}/strip", response_class=Response, responses=IMAGE_BODY)
def strip(token: str, asset_id: IdPath, request: Request, rt: RuntimeDep) -> Response:
    return _file_for(rt, request, token, asset_id, video.STRIP)


@router.delete("/assets/{asset_id}", status_code=204,
               summary="Delete one of your own uploads (for a while after uploading)")
def delete(token: str, asset_id: IdPath, request: Request, rt: RuntimeDep) -> Response:
    access = guest_access(rt, request, token)
    sharing.guest_delete(rt, access, asset_id,
                         Actor(guest_id=access.guest_id, ip=client_ip(request)))
    return Response(status_code=204)


@router.get("/download", response_class=StreamingResponse, responses=ZIP_BODY,
            summary="ZIP of everything this link shows (streamed)")
def download(token: str, request: Request, rt: RuntimeDep,
             ids: Annotated[str | None, Query(max_length=100000,
                                              description="comma-separated asset ids")] = None
             ) -> StreamingResponse:
    access = guest_access(rt, request, token)
    access.require("download")
    selection = parse_ids(ids)
    _track(rt, request, access, DOWNLOAD_ZIP)
    stream = downloads.archive(rt, asset_svc.AssetFilter(guest=access), selection,
                               strip=access.link.strip_location)
    return zip_response(stream, "photos.zip")


class SelfieMatch(GuestAsset):
    distance: float = Field(description="face distance to the selfie; below 0.6 is the same "
                                        "person, lower is surer")


class SelfieResult(BaseModel):
    items: list[SelfieMatch]


def _read_selfie(request: Request, boundary: bytes) -> bytes:
    reader = MultipartReader(pull(request.stream()), boundary)
    reader.next_file("file")
    data = bytearray()
    for chunk in reader.file_chunks():
        data += chunk
        if len(data) > selfie.MAX_SELFIE_BYTES:
            raise TooLarge(f"the selfie is over {selfie.MAX_SELFIE_BYTES // (1024 * 1024)} MB")
    return bytes(data)


@router.post("/selfie-search", response_model=SelfieResult,
             summary="Find the event's photos you appear in from a selfie (multipart 'file'); "
                     "the selfie is used for this query only and not kept",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "multipart/form-data": {"schema": {
                     "type": "object", "required": ["file"],
                     "properties": {"file": {"type": "string", "format": "binary"}}}}}}})
async def selfie_search(token: str, request: Request, rt: RuntimeDep) -> SelfieResult:
    access = await run_in_threadpool(guest_access, rt, request, token)
    await run_in_threadpool(rt.limiter.hit, rt.settings.guest_upload_rate,
                            f"selfie:{client_ip(request)}", what="selfie searches")
    boundary = boundary_of(request.headers.get("content-type"))
    data = await run_in_threadpool(_read_selfie, request, boundary)
    matches = await run_in_threadpool(selfie.search, rt, access, data)
    return SelfieResult(items=[
        SelfieMatch(**_guest_asset(token, m.asset, access).model_dump(),
                    distance=round(m.distance, 4)) for m in matches])


@router.get("/qr.{fmt}", summary="QR code of this link (PNG or SVG), for printing",
            response_class=Response,
            responses={200: {"description": "the QR code", "content": {
                "image/png": {"schema": {"type": "string", "format": "binary"}},
                "image/svg+xml": {"schema": {"type": "string"}}}}})
def qr_code(token: str, fmt: Literal["png", "svg"], request: Request, rt: RuntimeDep,
            scale: Annotated[int, Query(ge=1, le=40)] = 8) -> Response:
    guest_access(rt, request, token)
    qr = segno.make(share_url(rt, request, token), error="m")
    buf = io.BytesIO()
    qr.save(buf, kind=fmt, scale=scale, border=4)
    return Response(buf.getvalue(), media_type="image/png" if fmt == "png" else "image/svg+xml",
                    headers={"Cache-Control": "no-store"})
