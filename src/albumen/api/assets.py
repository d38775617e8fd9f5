"""/api/v1/assets: upload, list, show, files, trash and restore, near-duplicates."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from pydantic import BaseModel, Field, StrictBool
from sqlalchemy.orm import Session

from albumen.accounts import audit
from albumen.accounts.audit import Actor
from albumen.accounts.auth import Principal
from albumen.api import idempotency
from albumen.api.common import parse_ids, receive_upload, zip_response
from albumen.api.deps import (
    ActorDep,
    PrincipalDep,
    RuntimeDep,
    SessionDep,
    TokenDep,
    client_ip,
    read,
)
from albumen.api.errors import ERRORS, FILE_BODY, IMAGE_BODY, VIDEO_BODY, ZIP_BODY
from albumen.api.files import derivative_response, file_response
from albumen.api.schemas import (
    AssetDetail,
    AssetOut,
    AssetPage,
    AssetText,
    NearDuplicate,
    NearDuplicates,
    UploadResult,
)
from albumen.api.types import Id, IdPath, IdQuery
from albumen.db.engagement import DOWNLOAD, DOWNLOAD_ZIP, UPLOAD, VIEW_ASSET
from albumen.db.models import APPROVED, CONTRIBUTOR, PENDING_REVIEW
from albumen.documents import service as documents_svc
from albumen.errors import Conflict, InvalidInput, NotFound
from albumen.events.access import require_event
from albumen.insights import activity
from albumen.library import (
    asset_view,
    document_password,
    documents,
    duplicates,
    tiers,
    video,
    web_copies,
)
from albumen.library import assets as svc
from albumen.library.ingest import IngestResult
from albumen.runtime import Runtime
from albumen.search import engine

router = APIRouter(prefix="/api/v1/assets", tags=["assets"], responses=ERRORS)

_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            }
        },
    }
}


def destination(rt: Runtime, user_id: int, event_id: int | None) -> dict[str, Any]:
    if event_id is None:
        return {"owner_id": user_id, "uploaded_by_id": user_id}
    with rt.session() as session:
        event, role = require_event(session, user_id, event_id, CONTRIBUTOR)
        review = event.review_required and role == CONTRIBUTOR
        return {"owner_id": user_id, "event_id": event_id,
                "uploaded_by_id": user_id, "moderation": PENDING_REVIEW if review else APPROVED}


@router.post(
    "",
    status_code=201,
    response_model=UploadResult,
    responses={200: {"model": UploadResult, "description": "duplicate"}, **ERRORS},
    openapi_extra=_UPLOAD_BODY,
    summary="Upload a photo (multipart field 'file'); streamed to storage while hashed",
)
async def upload(request: Request, rt: RuntimeDep, principal: PrincipalDep,
                 event_id: IdQuery = None,
                 idempotency_key: Annotated[str | None, Header(
                     description="a fresh UUID per upload: a retry with the same key gets "
                                 "the first answer again, nothing uploaded twice")] = None,
                 ) -> Any:
    async def run() -> Response:
        dest = await run_in_threadpool(destination, rt, principal.user_id, event_id)
        result = await receive_upload(rt, request, dest)
        body = await run_in_threadpool(uploaded, rt, result, principal.user_id, event_id,
                                       client_ip(request))
        return JSONResponse(body.model_dump(mode="json"),
                            status_code=200 if body.status == "duplicate" else 201)

    return await idempotency.once(rt, request, f"user:{principal.user_id}:assets", run)


def uploaded(rt: Runtime, result: IngestResult, user_id: int, event_id: int | None,
              ip: str | None) -> UploadResult:
    """Audit and answer a finished upload (database work: off the event loop)."""
    with rt.session() as session:
        if result.outcome != "duplicate":
            audit.record(session, Actor(user_id, ip=ip), "asset.upload", "asset",
                         result.asset_id, event_id=event_id)
            session.commit()
            activity.record(rt, UPLOAD, user_id=user_id, event_id=event_id,
                            asset_id=result.asset_id, ip=ip)
        asset = svc.get_asset(session, result.asset_id)  # type: ignore[arg-type]
        return UploadResult(status="duplicate" if result.outcome == "duplicate" else "created",
                            asset=AssetOut.one(session, asset, user_id))


@router.get("", response_model=AssetPage, responses=ERRORS)
async def list_assets(
    request: Request,
    rt: RuntimeDep,
    token: TokenDep,
    taken_after: datetime | None = None,
    taken_before: datetime | None = None,
    camera: Annotated[str | None, Query(max_length=200)] = None,
    has_gps: bool | None = None,
    media_type: Annotated[str | None, Query(pattern="^(image|video)$")] = None,
    state: Annotated[str | None, Query(pattern="^(processing|ready|failed)$")] = None,
    trashed: bool = False,
    event_id: IdQuery = None,
    moderation: Annotated[str | None, Query(pattern="^(approved|pending|rejected)$")] = None,
    stack_id: IdQuery = None,
    collapse_stacks: bool = False,
    limit: Annotated[int, Query(ge=1, le=svc.MAX_PAGE)] = 100,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    for name, value in (("taken_after", taken_after), ("taken_before", taken_before)):
        if value is not None and value.tzinfo is None:
            raise InvalidInput(f"{name} needs a time zone (e.g. 2024-05-01T00:00:00Z)")

    def answer(session: Session, principal: Principal) -> AssetPage:
        page = engine.browse(
            session,
            svc.AssetFilter(taken_after=taken_after, taken_before=taken_before, camera=camera,
                            has_gps=has_gps, media_type=media_type, state=state,
                            trashed=trashed, event_id=event_id, moderation=moderation,
                            stack_id=stack_id, collapse_stacks=collapse_stacks,
                            viewer=principal.user_id),
            limit=limit,
            cursor=cursor,
        )
        return AssetPage(items=AssetOut.many(session, page.items, principal.user_id),
                         next_cursor=page.next_cursor)

    return await read(request, rt, token, answer)


class DuplicateGroup(BaseModel):
    best_id: int = Field(description="the one to keep: most pixels, then sharpest")
    assets: list[AssetOut]


class Resolve(BaseModel):
    keep_id: Id
    trash_ids: list[Id] = Field(min_length=1, max_length=1000)


class Trashed(BaseModel):
    trashed: int


@router.get("/duplicates", response_model=list[DuplicateGroup],
            summary="Groups of near-duplicate photos in your library, largest first")
def duplicate_groups(principal: PrincipalDep, session: SessionDep, rt: RuntimeDep,
                     max_distance: Annotated[int | None, Query(ge=0, le=16)] = None
                     ) -> list[DuplicateGroup]:
    distance = rt.settings.near_duplicate_distance if max_distance is None else max_distance
    return [DuplicateGroup(best_id=g.best_id,
                           assets=AssetOut.many(session, g.assets, principal.user_id))
            for g in duplicates.groups(session, principal.user_id, distance)]


@router.post("/duplicates/resolve", response_model=Trashed,
             summary="Keep one photo of a group and move the others to the trash")
def resolve_duplicates(body: Resolve, principal: PrincipalDep, actor: ActorDep,
                       rt: RuntimeDep) -> Trashed:
    return Trashed(trashed=duplicates.resolve(rt, principal.user_id, body.keep_id,
                                              body.trash_ids,
                                              rt.settings.near_duplicate_distance, actor))


@router.get("/download", response_class=StreamingResponse, responses=ZIP_BODY,
            summary="ZIP of a selection of assets you can see (streamed originals; or copies "
                    "with their metadata embedded and/or XMP sidecars)")
def download(principal: PrincipalDep, rt: RuntimeDep, request: Request,
             ids: Annotated[str, Query(min_length=1, max_length=100000,
                                       description="comma-separated asset ids")],
             embed: Annotated[bool, Query(
                 description="copies with title, caption, keywords, rating, label, place, "
                             "time and people embedded (EXIF, IPTC, XMP)")] = False,
             sidecars: Annotated[bool, Query(
                 description="an XMP sidecar (photo.jpg.xmp) beside each file")] = False,
             format: Annotated[Literal["original", "jpeg"], Query(
                 description="jpeg: photos in other formats re-encoded")] = "original",
             ) -> StreamingResponse:
    from albumen.events import downloads
    from albumen.interchange import export

    f = svc.AssetFilter(viewer=principal.user_id)
    activity.record(rt, DOWNLOAD_ZIP, user_id=principal.user_id, ip=client_ip(request))
    if embed or sidecars or format != "original":
        options = export.Options(sidecars=sidecars, embed=embed, format=format)
        return zip_response(export.archive(rt, principal.user_id, parse_ids(ids), options),
                            "photos.zip")
    return zip_response(downloads.archive(rt, f, parse_ids(ids)), "photos.zip")


@router.get("/{asset_id}", response_model=AssetDetail, responses=ERRORS)
def show(asset_id: IdPath, session: SessionDep, principal: PrincipalDep, rt: RuntimeDep
         ) -> AssetDetail:
    asset = svc.get_asset(session, asset_id, principal.user_id)
    return AssetDetail.show(session, asset, principal.user_id,
                            rt.settings.near_duplicate_distance)


@router.get("/{asset_id}/text", response_model=AssetText, responses=ERRORS,
            summary="All the text found in the asset, line by line with boxes (and what the "
                    "reader returned that does not count as text, with why)")
def text(asset_id: IdPath, session: SessionDep, principal: PrincipalDep) -> AssetText:
    asset = svc.get_asset(session, asset_id, principal.user_id)
    return AssetText.of(asset_id, asset_view.gather_one(session, asset, principal.user_id),
                        asset_view.dropped_lines(session, asset_id))


@router.get("/{asset_id}/pages/{page}/thumbnail", responses={**ERRORS, **IMAGE_BODY},
            response_class=FileResponse, summary="A document page's thumbnail (WebP)")
def page_thumbnail(asset_id: IdPath, page: Annotated[int, Path(ge=1, le=1_000_000)],
                   request: Request, rt: RuntimeDep, session: SessionDep,
                   principal: PrincipalDep) -> Response:
    svc.get_asset(session, asset_id, principal.user_id)
    return derivative_response(rt, request, session, asset_id, documents.page_kind(page))


@router.post("/{asset_id}/password", response_model=AssetOut, responses=ERRORS,
             summary="Give the password of an encrypted PDF: checked, kept sealed, and the "
                     "document read again with it")
def give_password(asset_id: IdPath, body: PasswordIn, rt: RuntimeDep, actor: ActorDep
                  ) -> AssetOut:
    document_password.give_password(rt, asset_id, body.password, actor)
    with rt.session() as session:
        return AssetOut.one(session, svc.get_asset(session, asset_id), actor.user_id)


@router.get("/{asset_id}/original", responses={**ERRORS, **FILE_BODY},
            response_class=FileResponse,
            summary="The original bytes (supports Range); with S3 pre-signed downloads "
                    "on, a 307 redirect to them")
def original(asset_id: IdPath, request: Request, rt: RuntimeDep, session: SessionDep,
             principal: PrincipalDep) -> Response:
    asset = svc.get_asset(session, asset_id, principal.user_id)
    if asset.purged_at is not None:
        raise NotFound(f"the original of asset {asset_id} was removed (rejected upload)")
    activity.record(rt, DOWNLOAD, user_id=principal.user_id, event_id=asset.event_id,
                    asset_id=asset_id, ip=client_ip(request))
    return file_response(rt, request, asset.storage_key, asset.mime_type,
                         f'"{asset.sha256}"', asset.original_filename, redirect=True)


@router.get("/{asset_id}/thumbnail", responses={**ERRORS, **IMAGE_BODY},
            response_class=FileResponse,
            summary="WebP thumbnail, short side 250 px")
def thumbnail(asset_id: IdPath, request: Request, rt: RuntimeDep, session: SessionDep,
              principal: PrincipalDep) -> Response:
    svc.get_asset(session, asset_id, principal.user_id)
    return derivative_response(rt, request, session, asset_id, "thumbnail")


@router.get("/{asset_id}/preview", responses={**ERRORS, **IMAGE_BODY},
            response_class=FileResponse,
            summary="JPEG preview, short side 1440 px")
def preview(asset_id: IdPath, request: Request, rt: RuntimeDep, session: SessionDep,
              principal: PrincipalDep) -> Response:
    asset = svc.get_asset(session, asset_id, principal.user_id)
    response = derivative_response(rt, request, session, asset_id, "preview")
    activity.record(rt, VIEW_ASSET, user_id=principal.user_id, event_id=asset.event_id,
                    asset_id=asset_id, ip=client_ip(request))
    return response


@router.get("/{asset_id}/playback", responses={**ERRORS, **VIDEO_BODY},
            response_class=FileResponse,
            summary="A video as browsers play it: its web copy, or the original when browsers "
                    "play that (Range, If-Range); 409 while the web copy is still being made")
def playback(asset_id: IdPath, request: Request, rt: RuntimeDep, session: SessionDep,
             principal: PrincipalDep) -> Response:
    asset = svc.get_asset(session, asset_id, principal.user_id)
    played = video.playback(session, asset)
    return file_response(rt, request, played.key, played.mime_type, played.etag)


@router.get("/{asset_id}/strip", responses={**ERRORS, **IMAGE_BODY},
            response_class=FileResponse,
            summary="A video's scrub strip: frames spread over it, side by side (WebP)")
def strip(asset_id: IdPath, request: Request, rt: RuntimeDep, session: SessionDep,
          principal: PrincipalDep) -> Response:
    svc.get_asset(session, asset_id, principal.user_id)
    return derivative_response(rt, request, session, asset_id, video.STRIP)


@router.post("/{asset_id}/transcode", response_model=AssetOut, status_code=202,
             summary="Make a video's web copy again (after a failure, a cancel or a change "
                     "of ALBUMEN_TRANSCODE_*): queued; progress in its transcode stage")
def transcode(asset_id: IdPath, rt: RuntimeDep, actor: ActorDep) -> AssetOut:
    web_copies.request(rt, asset_id, actor)
    with rt.session() as session:
        return AssetOut.one(session, svc.get_asset(session, asset_id), actor.user_id)


@router.delete("/{asset_id}/transcode", response_model=AssetOut,
               summary="Cancel a video's web copy queued or being made (its worker stops "
                       "within seconds); 409 when none is")
def cancel_transcode(asset_id: IdPath, rt: RuntimeDep, actor: ActorDep) -> AssetOut:
    if not web_copies.cancel(rt, asset_id, actor):
        raise Conflict(f"asset {asset_id} has no web copy queued or being made",
                       details={"asset_id": asset_id})
    with rt.session() as session:
        return AssetOut.one(session, svc.get_asset(session, asset_id), actor.user_id)


@router.get("/{asset_id}/near-duplicates", response_model=NearDuplicates, responses=ERRORS)
def near_duplicates(
    asset_id: IdPath,
    rt: RuntimeDep,
    session: SessionDep,
    principal: PrincipalDep,
    max_distance: Annotated[int | None, Query(ge=0, le=32)] = None,
) -> NearDuplicates:
    distance = rt.settings.near_duplicate_distance if max_distance is None else max_distance
    found = svc.near_duplicates(session, asset_id, distance, principal.user_id)
    outs = AssetOut.many(session, [a for a, _ in found], principal.user_id)
    return NearDuplicates(
        asset_id=asset_id, max_distance=distance,
        items=[NearDuplicate(distance=d, asset=out) for (_, d), out in zip(found, outs,
                                                                            strict=True)],
    )


class PasswordIn(BaseModel):
    password: str = Field(min_length=1, max_length=1000, description="the PDF's password")


class AssetChange(BaseModel):
    favorite: StrictBool | None = None
    rating: int | None = Field(default=None, ge=0, le=5, description="0-5; null clears it")
    title: str | None = Field(default=None, max_length=500)
    description: str | None = Field(default=None, max_length=10000)
    tier: Literal["bronze", "silver", "gold"] | None = Field(
        default=None, description="curation tier (gold needs what gold_needs lists)")
    label: str | None = Field(default=None, min_length=1, max_length=32,
                              description="colour label as Lightroom and digiKam write it "
                                          "(Red, Yellow, Green, Blue, Purple); null clears it")
    category: str | None = Field(default=None, max_length=100,
                                 description="a document's category, as a label the classifier "
                                             "learns from (null: take the label back)")


@router.patch("/{asset_id}", response_model=AssetOut, responses=ERRORS,
              summary="Favourite, rating, title, description, label, tier, a document's category "
                      "(only the fields sent)")
def update(asset_id: IdPath, body: AssetChange, rt: RuntimeDep, actor: ActorDep) -> AssetOut:
    values = body.model_dump(exclude_unset=True)
    if values.get("favorite", False) is None:
        raise InvalidInput("favorite is true or false")
    if "tier" in values:
        if values["tier"] is None:
            raise InvalidInput("tier is bronze, silver or gold")
        tiers.set_one(rt, asset_id, values.pop("tier"), actor)
    if "category" in values:
        documents_svc.label(rt, asset_id, values.pop("category"), actor)
    if values:
        svc.update_asset(rt, asset_id, values, actor)
    with rt.session() as session:
        return AssetOut.one(session, svc.get_asset(session, asset_id), actor.user_id)


@router.delete("/{asset_id}", response_model=AssetOut, responses=ERRORS,
               summary="Move to trash (soft delete; restore with POST …/restore)")
def delete(asset_id: IdPath, rt: RuntimeDep, actor: ActorDep) -> AssetOut:
    svc.trash(rt, asset_id, actor)
    with rt.session() as session:
        return AssetOut.one(session, svc.get_asset(session, asset_id), actor.user_id)


@router.post("/{asset_id}/restore", response_model=AssetOut, responses=ERRORS)
def restore(asset_id: IdPath, rt: RuntimeDep, actor: ActorDep) -> AssetOut:
    svc.restore(rt, asset_id, actor)
    with rt.session() as session:
        return AssetOut.one(session, svc.get_asset(session, asset_id), actor.user_id)
