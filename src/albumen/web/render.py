"""Rendering the web app's pages: the Jinja2 environment, who is looking, HTML errors.

Pages read through the same service functions as the API and CLI; every change a page makes
goes through the JSON API (``static/app.js`` sends it with the session's CSRF token), so
validation, permissions and the audit log live in one place.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from albumen import __version__
from albumen.accounts import users
from albumen.accounts.auth import Principal, authenticate_token
from albumen.api.deps import SESSION_COOKIE, RuntimeDep
from albumen.errors import AlbumenError, Forbidden, Unauthorized
from albumen.library import places
from albumen.security.passwords import MIN_LENGTH as MIN_PASSWORD

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")


def human_bytes(n: int | None) -> str:
    if n is None:
        return "—"
    size = float(n)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size < 1024 or unit == "TB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"


def when(value: datetime | None, fmt: str = "%-d %b %Y, %H:%M") -> str:
    return value.strftime(fmt) if value else "—"


def local_time(value: datetime | None, offset_minutes: int | None) -> str:
    """A capture time as the camera's clock showed it, with its UTC offset when known."""
    if value is None:
        return "—"
    text = value.replace(tzinfo=None).strftime("%-d %B %Y, %H:%M")
    if offset_minutes is None:
        return text
    sign = "+" if offset_minutes >= 0 else "\u2212"  # a real minus sign
    h, m = divmod(abs(offset_minutes), 60)
    return f"{text} (UTC{sign}{h:02d}:{m:02d})"


def clock(seconds: float | None) -> str:
    """A video's length: 0:07, 12:30, 1:02:03."""
    if seconds is None:
        return "—"
    whole = round(seconds)
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def month_title(month: str) -> str:
    return datetime.strptime(month, "%Y-%m").strftime("%B %Y")


def exposure(seconds: float | None) -> str:
    if not seconds:
        return ""
    return f"1/{round(1 / seconds)} s" if seconds < 1 else f"{seconds:g} s"


def in_zone(value: datetime | None, tz: str | None) -> datetime | None:
    if value is None:
        return None
    from zoneinfo import ZoneInfo

    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(ZoneInfo(tz)) if tz else aware


def iso_utc(value: datetime | None) -> str:
    if value is None:
        return ""
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


templates.env.filters.update(bytes=human_bytes, clock=clock, iso_utc=iso_utc, when=when,
                             month_title=month_title,
                             exposure=exposure, urlquote=lambda s: quote(str(s), safe=""))
templates.env.globals.update(version=__version__, local_time=local_time, in_zone=in_zone,
                             timedelta=timedelta, place_label=places.label,
                             min_password=MIN_PASSWORD)


def page_principal(request: Request, rt: RuntimeDep) -> Principal | None:
    """The signed-in user of the web session cookie, or None."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie or cookie.startswith("albk_"):
        return None
    try:
        return authenticate_token(rt, cookie, "cookie")
    except Unauthorized:
        return None


class LoginRequired(AlbumenError):
    status_code = 401
    code = "login_required"


def signed_in(request: Request, rt: RuntimeDep,
              who: Annotated[Principal | None, Depends(page_principal)]) -> Principal:
    """Pages behind the login: anyone else goes to /login (or /setup on a new install)."""
    if who is None:
        raise LoginRequired("log in to see this page")
    request.state.principal = who
    return who


def admin_only(who: Annotated[Principal, Depends(signed_in)]) -> Principal:
    if not who.admin:
        raise Forbidden("administrators only")
    return who


UserDep = Annotated[Principal, Depends(signed_in)]
AdminPageDep = Annotated[Principal, Depends(admin_only)]
MaybeUserDep = Annotated[Principal | None, Depends(page_principal)]


def page(request: Request, template: str, who: Principal | None = None, *,
         status_code: int = 200, **context: Any) -> HTMLResponse:
    """A full page (or, for an htmx request of a ``*.part.html`` template, a fragment)."""
    context.update(request=request, me=who, csrf=who.csrf_token if who else "",
                   nav=context.get("nav", ""))
    return templates.TemplateResponse(request, template, context, status_code=status_code)


def wants_html(request: Request) -> bool:
    path = request.url.path
    if path.startswith(("/api/", "/health", "/static/", "/metrics", "/img/")):
        return False
    return "text/html" in request.headers.get("accept", "") or request.method == "GET"


def error_page(request: Request, status: int, message: str) -> HTMLResponse | RedirectResponse:
    """What a browser sees instead of the API's JSON error."""
    if status == 401:
        rt = request.app.state.runtime
        with rt.session() as session:
            target = "/setup" if users.user_count(session) == 0 else "/login"
        nxt = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if target == "/login" and nxt not in ("/", "/login"):
            target += "?next=" + quote(nxt, safe="")
        return RedirectResponse(target, status_code=303)
    who = getattr(request.state, "principal", None)
    titles = {403: "Not allowed", 404: "Not found", 410: "Gone", 429: "Slow down"}
    return page(request, "error.html", who, status_code=status,
                title=titles.get(status, "Something went wrong"), message=message)
