"""Resumable uploads (tus-style: create, PATCH parts at Upload-Offset, HEAD to resume), for
members (/api/v1/uploads) and guests (/api/v1/share/{token}/uploads). Once whole, an upload
is answered as the one-request upload answers (library/resumable.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Header, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.requests import ClientDisconnect

from albumen.api import assets, share
from albumen.api.common import guest_access
from albumen.api.deps import PrincipalDep, RuntimeDep, client_ip
from albumen.api.errors import ERRORS
from albumen.api.multipart import pull
from albumen.api.schemas import UploadResult
from albumen.api.types import IdQuery
from albumen.db.models import ResumableUpload
from albumen.errors import InvalidInput
from albumen.events import sharing
from albumen.library import resumable
from albumen.library.ingest import IngestResult
from albumen.runtime import Runtime

router = APIRouter(prefix="/api/v1/uploads", tags=["uploads"], responses=ERRORS)
guest_router = APIRouter(prefix="/api/v1/share/{token}/uploads", tags=["share"],
                         responses=ERRORS)
TUS = {"Tus-Resumable": "1.0.0"}
_PART_BODY = {"requestBody": {"required": True, "content": {
    "application/offset+octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}


class UploadIn(BaseModel):
    filename: str = Field(min_length=1, max_length=1024, description="the file's name")
    length: int = Field(gt=0, description="the file's size in bytes")


class UploadSession(BaseModel):
    id: str = Field(description="the upload's id (unguessable)")
    url: str = Field(description="where its parts go (PATCH) and how far it is (HEAD, GET)")
    filename: str
    length: int = Field(description="the file's size in bytes")
    offset: int = Field(description="bytes received so far: the next part starts here")
    expires_at: datetime = Field(description="an unfinished upload is removed then")
    outcome: str | None = Field(description="once whole: imported, duplicate or rejected")
    asset_id: int | None = Field(description="once whole: the asset it became or duplicates")
    error: str | None = Field(description="why the finished file was refused")
    guest_token: str | None = Field(default=None, description="a new guest's token (send it "
                                    "back as X-Guest-Token or the cookie)")


def _session(row: ResumableUpload, base: str, guest_token: str | None = None
             ) -> UploadSession:
    return UploadSession(id=row.id, url=f"{base}/{row.id}", filename=row.filename,
                         length=row.length, offset=row.offset, expires_at=row.expires_at,
                         outcome=row.outcome, asset_id=row.asset_id, error=row.error,
                         guest_token=guest_token)


def _progress(row: ResumableUpload) -> dict[str, str]:
    return {**TUS, "Upload-Offset": str(row.offset), "Upload-Length": str(row.length),
            "Cache-Control": "no-store"}


async def _append(rt: Runtime, request: Request, upload_id: str, owner: resumable.Owner,
                  offset: int) -> tuple[ResumableUpload, IngestResult | None]:
    if request.headers.get("content-type", "").split(";")[0].strip() != \
            "application/offset+octet-stream":
        raise InvalidInput("a part is sent as Content-Type: application/offset+octet-stream")
    try:
        return await anyio.to_thread.run_sync(
            resumable.append, rt, upload_id, owner, offset, pull(request.stream()),
            limiter=request.app.state.upload_threads)
    except ClientDisconnect as exc:
        raise InvalidInput("part interrupted: the client disconnected (what arrived is "
                           "kept: HEAD tells the offset to resume from)") from exc


OffsetHeader = Annotated[int, Header(alias="Upload-Offset", ge=0,
                                     description="the byte this part starts at")]


# ---------------------------------------------------------------- members


def _owner(principal: Any) -> resumable.Owner:
    return resumable.Owner(user_id=principal.user_id)


@router.post("", response_model=UploadSession, status_code=201,
             summary="Start a resumable upload (to your library, or an event with event_id)")
def create(body: UploadIn, rt: RuntimeDep, principal: PrincipalDep,
           event_id: IdQuery = None) -> Response:
    dest = assets.destination(rt, principal.user_id, event_id)
    row = resumable.create(rt, _owner(principal), dest, body.filename, body.length)
    doc = _session(row, router.prefix)
    return JSONResponse(doc.model_dump(mode="json"), status_code=201,
                        headers={**_progress(row), "Location": doc.url})


@router.head("/{upload_id}", status_code=204,
             summary="How far an upload is (headers Upload-Offset, Upload-Length)")
def head(upload_id: str, rt: RuntimeDep, principal: PrincipalDep) -> Response:
    with rt.session() as session:
        row = resumable.get(session, upload_id, _owner(principal))
        return Response(status_code=204, headers=_progress(row))


@router.get("/{upload_id}", response_model=UploadSession, summary="An upload's state")
def show(upload_id: str, rt: RuntimeDep, principal: PrincipalDep) -> UploadSession:
    with rt.session() as session:
        return _session(resumable.get(session, upload_id, _owner(principal)), router.prefix)


@router.patch("/{upload_id}", openapi_extra=_PART_BODY, status_code=204,
              responses={201: {"model": UploadResult, "description": "the last part: the "
                               "asset made"},
                         200: {"model": UploadResult, "description": "the last part: a "
                               "duplicate of an asset"}},
              summary="Send a part from Upload-Offset; the last one answers as the upload")
async def part(upload_id: str, request: Request, rt: RuntimeDep, principal: PrincipalDep,
               upload_offset: OffsetHeader) -> Response:
    row, result = await _append(rt, request, upload_id, _owner(principal), upload_offset)
    if result is None:
        return Response(status_code=204, headers=_progress(row))
    event_id = row.destination.get("event_id")
    answer = await run_in_threadpool(assets.uploaded, rt, result, principal.user_id, event_id,
                                     client_ip(request))
    return JSONResponse(answer.model_dump(mode="json"), headers=_progress(row),
                        status_code=200 if answer.status == "duplicate" else 201)


@router.delete("/{upload_id}", status_code=204, summary="Give an unfinished upload up")
def abort(upload_id: str, rt: RuntimeDep, principal: PrincipalDep) -> Response:
    resumable.abort(rt, upload_id, _owner(principal))
    return Response(status_code=204, headers=TUS)


# ---------------------------------------------------------------- guests


def _guest(rt: Runtime, request: Request, token: str) -> tuple[Any, resumable.Owner]:
    access = guest_access(rt, request, token)
    if access.guest_id is None:
        raise InvalidInput("no such upload: send the guest token it was started with")
    return access, resumable.Owner(guest_id=access.guest_id, link_id=access.link.id)


@guest_router.post("", response_model=UploadSession, status_code=201,
                   summary="Start a resumable upload as a guest (counts as one upload)")
def guest_create(token: str, body: UploadIn, request: Request, rt: RuntimeDep,
                 guest_name: str | None = None) -> Response:
    entered = guest_access(rt, request, token)
    access, guest_token = sharing.admit_upload(rt, entered, guest_name, client_ip(request))
    assert access.guest_id is not None
    try:
        dest = share.destination(rt, access)
        row = resumable.create(rt, resumable.Owner(guest_id=access.guest_id,
                                                   link_id=access.link.id),
                               dest, body.filename, body.length)
    except Exception:
        sharing.release_upload(rt, access.link.id, access.guest_id)
        raise
    doc = _session(row, f"/api/v1/share/{token}/uploads", guest_token)
    response = JSONResponse(doc.model_dump(mode="json"), status_code=201,
                            headers={**_progress(row), "Location": doc.url})
    if guest_token:
        share.set_guest_cookie(response, rt, request, access.link.id, guest_token)
    return response


@guest_router.head("/{upload_id}", status_code=204, summary="How far a guest's upload is")
def guest_head(token: str, upload_id: str, request: Request, rt: RuntimeDep) -> Response:
    _, owner = _guest(rt, request, token)
    with rt.session() as session:
        return Response(status_code=204,
                        headers=_progress(resumable.get(session, upload_id, owner)))


@guest_router.get("/{upload_id}", response_model=UploadSession,
                  summary="A guest's upload's state")
def guest_show(token: str, upload_id: str, request: Request, rt: RuntimeDep) -> UploadSession:
    _, owner = _guest(rt, request, token)
    with rt.session() as session:
        return _session(resumable.get(session, upload_id, owner),
                        f"/api/v1/share/{token}/uploads")


@guest_router.patch("/{upload_id}", openapi_extra=_PART_BODY, status_code=204,
                    responses={201: {"model": share.GuestUpload, "description": "the last "
                                     "part: the asset made"},
                               200: {"model": share.GuestUpload, "description": "the last "
                                     "part: a duplicate"}},
                    summary="Send a part of a guest's upload from Upload-Offset")
async def guest_part(token: str, upload_id: str, request: Request, rt: RuntimeDep,
                     upload_offset: OffsetHeader) -> Response:
    access, owner = await run_in_threadpool(_guest, rt, request, token)
    try:
        row, result = await _append(rt, request, upload_id, owner, upload_offset)
    except Exception as exc:
        if getattr(exc, "code", None) in ("rejected_file", "unsupported_media_type",
                                          "too_large", "quota_exceeded"):
            await run_in_threadpool(sharing.release_upload, rt, access.link.id,
                                    access.guest_id)
        raise
    if result is None:
        return Response(status_code=204, headers=_progress(row))
    answer = await run_in_threadpool(share.uploaded, rt, request, token, access, result, "")
    return JSONResponse(answer.model_dump(mode="json"), headers=_progress(row),
                        status_code=200 if answer.status == "duplicate" else 201)


@guest_router.delete("/{upload_id}", status_code=204, summary="Give a guest's upload up")
def guest_abort(token: str, upload_id: str, request: Request, rt: RuntimeDep) -> Response:
    access, owner = _guest(rt, request, token)
    row = resumable.abort(rt, upload_id, owner)
    if row.outcome is None:
        sharing.release_upload(rt, access.link.id, access.guest_id)
    return Response(status_code=204, headers=TUS)
