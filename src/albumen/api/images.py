"""/img/...: signed on-demand transforms of photos; /api/v1/images/sign makes the addresses
(albumen.images)."""

from __future__ import annotations

import re
import time
from typing import Annotated

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from albumen.api.deps import PrincipalDep, RuntimeDep, TokenDep, get_principal
from albumen.api.errors import ERRORS
from albumen.api.types import Id
from albumen.errors import InvalidInput, NotFound
from albumen.events.access import readable_asset
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
    with rt.storage.open(made.key) as fh:
        body = fh.read()
    return Response(body, media_type=MEDIA_TYPES[chosen], headers=headers)


class SignIn(BaseModel):
    asset_id: Id
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
    format: str = Field(default="auto", pattern="^(jpeg|webp|avif|png|auto)$")
    expires_in: Annotated[int | None, Field(ge=1, le=10 * 365 * 86400,
                                            description="seconds the address works")] = None


class Signed(BaseModel):
    url: str = Field(description="the path under this server: /img/SIGNATURE/OPTIONS/ID.FMT")
    expires_at: int | None = Field(description="Unix time it stops working (null: never)")


def options_of(body: SignIn) -> Options:
    if body.rotate not in (0, 90, 180, 270):
        raise InvalidInput("rotate is 0, 90, 180 or 270")
    expires = int(time.time()) + body.expires_in if body.expires_in else None
    opts = Options(width=body.width, height=body.height, fit=body.fit, gravity=body.gravity,
                   dpr=body.dpr, quality=body.quality, strip=body.strip, blur=body.blur,
                   rotate=body.rotate,
                   background=body.background.lower() if body.background else None,
                   expires=expires)
    return parse(opts.canonical())  # the same checks as an address's


@router.post("/api/v1/images/sign", response_model=Signed,
             summary="A signed address of a transform of a photo you may see")
def sign(body: SignIn, rt: RuntimeDep, principal: PrincipalDep) -> Signed:
    opts = options_of(body)
    with rt.session() as session:
        readable_asset(session, principal.user_id, body.asset_id)
    return Signed(url=service.sign(rt, body.asset_id, opts, body.format),
                  expires_at=opts.expires)
