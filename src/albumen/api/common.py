"""What several routers share: id lists and ZIP answers, upload streaming, guest access by
link, share addresses, live-wall photos. Routers import these, never each other's privates."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import anyio
from fastapi import Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field
from starlette.requests import ClientDisconnect

from albumen.api.deps import client_ip
from albumen.api.multipart import MultipartReader, boundary_of, pull
from albumen.api.types import MAX_ID
from albumen.errors import InvalidInput, TooLarge
from albumen.events import sharing
from albumen.events.sharing import GuestAccess
from albumen.library.ingest import IngestResult, Origin, ingest
from albumen.runtime import Runtime

GUEST_HEADER = "x-guest-token"
PASSWORD_HEADER = "x-share-password"
MULTIPART_OVERHEAD = 64 * 1024  # a multipart body's headers and boundaries, at most


def parse_ids(ids: str | None) -> list[int] | None:
    """``?ids=1,2,3`` as a list (None: not given)."""
    if ids is None:
        return None
    try:
        values = [int(x) for x in ids.split(",") if x.strip()]
    except ValueError as exc:
        raise InvalidInput("ids must be comma-separated integers") from exc
    if any(not 1 <= v <= MAX_ID for v in values):
        raise InvalidInput(f"ids must be between 1 and {MAX_ID}")
    return values


def zip_response(stream: Any, filename: str) -> StreamingResponse:
    return StreamingResponse(stream, media_type="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "private, no-store"})


def slug(title: str) -> str:
    """A title as a file name's stem."""
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in title)[:80] or "event"


def aware(values: dict[str, Any]) -> dict[str, Any]:
    """The values, refused if a date and time among them has no time zone."""
    for key, value in values.items():
        if isinstance(value, datetime) and value.tzinfo is None:
            raise InvalidInput(f"{key} needs a time zone (e.g. 2026-06-01T18:00:00Z)")
    return values


def share_url(rt: Runtime, request: Request, token: str) -> str:
    """The address guests open for a link's token."""
    base = rt.settings.public_url or str(request.base_url)
    return f"{base.rstrip('/')}/s/{token}"


def guest_cookie(link_id: int) -> str:
    return f"albumen_guest_{link_id}"


def guest_access(rt: Runtime, request: Request, token: str) -> GuestAccess:
    """What the link ``token`` lets this caller do: its password header checked, as the guest
    its guest token (header or cookie) names."""
    access = sharing.enter(rt, token, request.headers.get(PASSWORD_HEADER), client_ip(request))
    guest_token = (request.headers.get(GUEST_HEADER)
                   or request.cookies.get(guest_cookie(access.link.id)))
    return sharing.as_guest(rt, access, guest_token) if guest_token else access


def _receive(rt: Runtime, request: Request, boundary: bytes, dest: dict[str, Any]
             ) -> IngestResult:
    reader = MultipartReader(pull(request.stream()), boundary)
    filename = reader.next_file("file")
    return ingest(rt, reader.file_chunks(), Origin("upload", filename, **dest))  # type: ignore[arg-type]


async def receive_upload(rt: Runtime, request: Request, dest: dict[str, Any]) -> IngestResult:
    """Stream one multipart upload into ingest (shared by user and guest uploads)."""
    boundary = boundary_of(request.headers.get("content-type"))
    declared = request.headers.get("content-length")
    # The type is told from the first bytes: a video may be larger than other files.
    limit = max(rt.settings.max_upload_bytes, rt.settings.max_video_bytes)
    if declared and declared.isdigit() and int(declared) > limit + MULTIPART_OVERHEAD:
        raise TooLarge(f"upload of {int(declared):,} bytes is over the limit of {limit:,} bytes",
                       details={"max_bytes": limit})
    try:
        return await anyio.to_thread.run_sync(_receive, rt, request, boundary, dest,
                                              limiter=request.app.state.upload_threads)
    except ClientDisconnect as exc:
        raise InvalidInput("upload interrupted: the client disconnected") from exc


class LivePhoto(BaseModel):
    id: int
    preview: str
    thumbhash: str | None
    width: int | None
    height: int | None
    by: str | None = Field(description="the guest's name or the member's username")
    video: str | None = Field(default=None, description="a short clip's playback address "
                              "(the slideshow plays clips up to 30 s)")
    duration: float | None = Field(default=None, description="a clip's length in seconds")


SLIDESHOW_CLIP_SECONDS = 30.0


def live_photo(session: Any, asset: Any) -> dict[str, Any]:
    """A photo as the live wall shows it."""
    from albumen.db.models import Guest, User

    by = None
    if asset.guest_id and (guest := session.get(Guest, asset.guest_id)):
        by = guest.name
    elif asset.uploaded_by_id and (user := session.get(User, asset.uploaded_by_id)):
        by = user.display_name or user.username
    clip = (asset.media_type == "video" and asset.duration is not None
            and asset.duration <= SLIDESHOW_CLIP_SECONDS)
    return LivePhoto(id=asset.id, preview=f"/api/v1/assets/{asset.id}/preview",
                     thumbhash=asset.thumbhash, width=asset.width, height=asset.height,
                     by=by, video=f"/api/v1/assets/{asset.id}/playback" if clip else None,
                     duration=asset.duration if clip else None).model_dump()
