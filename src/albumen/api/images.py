"""/img/...: signed on-demand transforms of photos; /api/v1/images/sign makes the addresses
(albumen.images)."""

from __future__ import annotations

import re
import time
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from albumen.api.deps import PrincipalDep, RuntimeDep, SessionDep, TokenDep, get_principal
from albumen.api.errors import ERRORS, ZIP_BODY
from albumen.api.files import file_response
from albumen.api.types import Id, IdPath
from albumen.db.renditions import ImageExport
from albumen.errors import Conflict, InvalidInput, NotFound
from albumen.events.access import readable_asset
from albumen.images import batch as batch_svc
from albumen.images import service
from albumen.images.options import FORMATS, MEDIA_TYPES, Options, best_format, parse
from albumen.runtime import Runtime

router = APIRouter(tags=["images"], responses=ERRORS)
_NAME = re.compile(r"^(\d{1,19})\.(jpeg|jpg|webp|avif|png|auto)$")
IMMUTABLE = 365 * 86400

_IMAGE = {200: {"description": "the transformed image", "content": {
    MEDIA_TYPES[f]: {"schema": {"type": "string", "format": "binary"}} for f in FORMATS}},
    304: {"description": "not modified (If-None-Match)"}}


@router.get("/img/{signature}/{options}/{name}", response_class=Response, responses=_IMAGE,
            summary="A photo transformed as the options say (signed address, or `_` and "
                    "your own credentials); name is ASSET_ID.FORMAT (jpeg, webp, avif, png, "
                    "auto)")
async def image(signature: str, options: str, name: str, request: Request, rt: RuntimeDep,
                token: TokenDep) -> Response:
    found = _NAME.match(name)
    if found is None:
        raise NotFound(service.GONE)
    asset_id, fmt = int(found.group(1)), found.group(2).replace("jpg", "jpeg")
    return await run_in_threadpool(_answer, rt, request, token, signature, options,
                                   asset_id, fmt)


def _answer(rt: Runtime, request: Request, token: str | None, signature: str, text: str,
            asset_id: int, fmt: str) -> Response:
    opts = parse(text)
    viewer = None
    if signature == service.UNSIGNED:
        viewer = get_principal(request, rt, token).user_id
    else:
        service.verify(rt, signature, text, asset_id, fmt, opts)
    chosen = best_format(request.headers.get("accept"), service.limits(rt).formats) \
        if fmt == "auto" else fmt
    made = service.rendition(rt, asset_id, opts, chosen, viewer)
    etag = f'"{made.etag}"'
    if viewer is not None:
        cache = "private, max-age=3600"
    elif opts.expires is not None:
        cache = f"public, max-age={max(0, min(IMMUTABLE, int(opts.expires - time.time())))}"
    else:
        cache = f"public, max-age={IMMUTABLE}, immutable"
    headers = {"ETag": etag, "Cache-Control": cache, "X-Content-Type-Options": "nosniff"}
    if fmt == "auto":
        headers["Vary"] = "Accept"
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    try:
        with rt.storage.open(made.key) as fh:
            body = fh.read()
    except FileNotFoundError:  # the file went (a restore, a hand): made again
        service.forget(rt, made.key)
        made = service.rendition(rt, asset_id, opts, chosen, viewer)
        with rt.storage.open(made.key) as fh:
            body = fh.read()
    return Response(body, media_type=MEDIA_TYPES[chosen], headers=headers)


class TransformIn(BaseModel):
    """A transform's options as JSON (the same as an address's options segment)."""

    width: int | None = Field(default=None, ge=1, le=100_000)
    height: int | None = Field(default=None, ge=1, le=100_000)
    fit: str = Field(default="inside", pattern="^(inside|cover|contain)$")
    gravity: str = Field(default="centre", pattern="^(centre|face|faces|smart)$")
    dpr: float = Field(default=1.0, ge=1, le=4)
    quality: int | None = Field(default=None, ge=1, le=100)
    strip: bool = True
    blur: float = Field(default=0, ge=0, le=100)
    rotate: int = Field(default=0, description="0, 90, 180 or 270")
    background: str | None = Field(default=None, pattern="^[0-9a-fA-F]{6}$")

    def options(self, expires_in: int | None = None) -> Options:
        """The transform, checked as an address's options are."""
        if self.rotate not in (0, 90, 180, 270):
            raise InvalidInput("rotate is 0, 90, 180 or 270")
        expires = int(time.time()) + expires_in if expires_in else None
        opts = Options(width=self.width, height=self.height, fit=self.fit,
                       gravity=self.gravity, dpr=self.dpr, quality=self.quality,
                       strip=self.strip, blur=self.blur, rotate=self.rotate,
                       background=self.background.lower() if self.background else None,
                       expires=expires)
        return parse(opts.canonical())


class SignIn(TransformIn):
    asset_id: Id
    format: str = Field(default="auto", pattern="^(jpeg|webp|avif|png|auto)$")
    expires_in: Annotated[int | None, Field(ge=1, le=10 * 365 * 86400,
                                            description="seconds the address works")] = None


class Signed(BaseModel):
    url: str = Field(description="the path under this server: /img/SIGNATURE/OPTIONS/ID.FMT")
    expires_at: int | None = Field(description="Unix time it stops working (null: never)")


def options_of(body: SignIn) -> Options:
    return body.options(body.expires_in)


@router.post("/api/v1/images/sign", response_model=Signed,
             summary="A signed address of a transform of a photo you may see")
def sign(body: SignIn, rt: RuntimeDep, principal: PrincipalDep) -> Signed:
    opts = options_of(body)
    with rt.session() as session:
        readable_asset(session, principal.user_id, body.asset_id)
    return Signed(url=service.sign(rt, body.asset_id, opts, body.format),
                  expires_at=opts.expires)


class BatchIn(TransformIn):
    query: str = Field(default="", max_length=2000,
                       description='the photos, in the query language ("" for all yours)')
    asset_ids: list[Id] | None = Field(default=None, max_length=10_000,
                                       description="a selection instead of a query (those "
                                                   "you may see, in this order)")
    format: str = Field(default="jpeg", pattern="^(jpeg|webp|avif|png)$")


class ExportOut(BaseModel):
    id: int
    state: str = Field(description="queued, running, done or failed")
    query: str
    selected: int | None = Field(description="photos in the selection (null: the query)")
    options: str
    format: str
    total: int | None = Field(description="photos found (once the export started)")
    done: int
    written: int
    failed: list[dict[str, Any]] = Field(description="photos that could not be made, why")
    size: int | None
    error: str | None
    created_at: datetime
    finished_at: datetime | None
    file: str | None = Field(description="where the ZIP is, once done")

    @classmethod
    def of(cls, e: ImageExport) -> ExportOut:
        return cls(id=e.id, state=e.state, query=e.query,
                   selected=len(e.asset_ids) if e.asset_ids is not None else None,
                   options=e.options, format=e.format,
                   total=e.total, done=e.done, written=e.written, failed=e.failed or [],
                   size=e.size, error=e.error, created_at=e.created_at,
                   finished_at=e.finished_at,
                   file=f"/api/v1/images/batch/{e.id}/file" if e.state == "done" else None)


@router.post("/api/v1/images/batch", status_code=202, response_model=ExportOut,
             summary="Make every photo a search finds into one transform, as a ZIP made in "
                     "the background (follow it at GET …/batch/{id})")
def batch(body: BatchIn, rt: RuntimeDep, principal: PrincipalDep) -> ExportOut:
    opts = body.options()
    export_id = batch_svc.request_export(rt, principal.user_id, body.query, opts, body.format,
                                         body.asset_ids)
    with rt.session() as session:
        return ExportOut.of(batch_svc.get_export(session, principal.user_id, export_id))


@router.get("/api/v1/images/batch/{export_id}", response_model=ExportOut)
def batch_state(export_id: IdPath, session: SessionDep, principal: PrincipalDep) -> ExportOut:
    return ExportOut.of(batch_svc.get_export(session, principal.user_id, export_id))


@router.get("/api/v1/images/batch/{export_id}/file", response_class=Response,
            responses=ZIP_BODY, summary="The export's ZIP (409 until it is done)")
def batch_file(export_id: IdPath, request: Request, rt: RuntimeDep, session: SessionDep,
               principal: PrincipalDep) -> Response:
    found = batch_svc.get_export(session, principal.user_id, export_id)
    if found.state != "done" or found.storage_key is None:
        raise Conflict(f"image export {export_id} is {found.state}, not done yet")
    return file_response(rt, request, found.storage_key, "application/zip",
                         f'"export-{found.id}-{found.size}"', f"photos-{found.id}.zip")
