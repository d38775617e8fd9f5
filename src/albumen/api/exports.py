"""Copies of an asset with its metadata embedded, and its XMP sidecar."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from albumen.api.deps import PrincipalDep, RuntimeDep, client_ip
from albumen.api.errors import ERRORS
from albumen.api.types import IdPath
from albumen.db.engagement import DOWNLOAD
from albumen.insights import activity
from albumen.interchange.export import Options, one_copy
from albumen.storage.base import content_disposition

router = APIRouter(prefix="/api/v1/assets", tags=["assets"], responses=ERRORS)
_MIME = {"jpeg": "image/jpeg", "png": "image/png", "tiff": "image/tiff", "webp": "image/webp"}
_EXPORT_BODY = {200: {"description": "the copy, its metadata embedded",
                      "content": {"application/octet-stream": {
                          "schema": {"type": "string", "format": "binary"}}}}}
_SIDECAR_BODY = {200: {"description": "the XMP sidecar (photo.jpg.xmp)",
                       "content": {"application/rdf+xml": {"schema": {"type": "string"}}}}}


@router.get("/{asset_id}/export", responses={**ERRORS, **_EXPORT_BODY},
            response_class=Response,
            summary="A copy with title, caption, keywords, rating, label, place, capture "
                    "time and people embedded (EXIF, IPTC, XMP); the original is not changed")
def export_copy(asset_id: IdPath, request: Request, rt: RuntimeDep, principal: PrincipalDep,
                format: Annotated[Literal["original", "jpeg"], Query(
                    description="original: the stored bytes' format; jpeg: re-encoded "
                                "(HEIC, PNG, ...)")] = "original") -> Response:
    made = one_copy(rt, principal.user_id, asset_id, Options(embed=True, format=format))
    activity.record(rt, DOWNLOAD, user_id=principal.user_id, asset_id=asset_id,
                    ip=client_ip(request))
    media_type = _MIME.get(made.name.rsplit(".", 1)[-1].lower().replace("jpg", "jpeg"),
                           "application/octet-stream")
    headers = {"Content-Disposition": content_disposition(made.name, "attachment"),
               "Cache-Control": "private, no-store"}
    if not made.embedded and made.note:
        headers["X-Albumen-Note"] = made.note.encode("ascii", "replace").decode()
    return Response(made.data, media_type=media_type, headers=headers)


@router.get("/{asset_id}/sidecar", responses={**ERRORS, **_SIDECAR_BODY},
            response_class=Response,
            summary="The asset's metadata as an XMP sidecar, as digiKam, Lightroom and darktable "
                    "read it (people as MWG face regions)")
def sidecar(asset_id: IdPath, rt: RuntimeDep, principal: PrincipalDep) -> Response:
    made = one_copy(rt, principal.user_id, asset_id, Options(sidecars=True))
    return Response(made.sidecar or "", media_type="application/rdf+xml", headers={
        "Content-Disposition": content_disposition(made.name + ".xmp", "attachment"),
        "Cache-Control": "private, no-store"})
