"""Guest pages from a share link (no account, phone first), and the link's printable poster."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from albumen.api.common import share_url
from albumen.api.deps import RuntimeDep
from albumen.db.models import Album, Event
from albumen.events import sharing
from albumen.web.render import page

router = APIRouter(include_in_schema=False)


def _title(rt: RuntimeDep, token: str) -> tuple[str, bool]:
    """The event or album title of a usable link, and whether it asks for a password."""
    with rt.session() as session:
        link = sharing.open_link(session, token)
        locked = link.password_hash is not None  # the password is asked for on the page
        target = (session.get(Event, link.event_id) if link.event_id
                  else session.get(Album, link.album_id))
        return (target.title if target else "Shared photos"), locked


@router.get("/s/{token}", response_class=HTMLResponse)
def guest_page(token: str, request: Request, rt: RuntimeDep) -> Response:
    title, locked = _title(rt, token)
    return page(request, "guest.html", title=title, token=token, locked=locked)


@router.get("/s/{token}/poster", response_class=HTMLResponse)
def poster(token: str, request: Request, rt: RuntimeDep) -> Response:
    title, locked = _title(rt, token)
    return page(request, "poster.html", title=title, token=token, locked=locked,
                url=share_url(rt, request, token))
