"""First-run setup, login, and the account page (password, API keys, sessions)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from albumen.accounts import auth, users
from albumen.accounts.audit import Actor
from albumen.api.auth import check_login, start_web_session
from albumen.api.deps import RuntimeDep, client_ip
from albumen.db.models import User
from albumen.errors import AlbumenError
from albumen.web.render import MaybeUserDep, UserDep, page

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only a path on this site (no open redirect to another host)."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _signed_in_redirect(rt: RuntimeDep, request: Request, user: User,
                        target: str) -> Response:
    response = RedirectResponse(_safe_next(target), status_code=303)
    start_web_session(rt, request, response, user)
    return response


@router.get("/setup", response_class=HTMLResponse)
def setup_page(request: Request, rt: RuntimeDep) -> Response:
    with rt.session() as session:
        if users.user_count(session):
            return RedirectResponse("/login", status_code=303)
    return page(request, "setup.html", title="Welcome to albumen")


@router.post("/setup", response_class=HTMLResponse)
def setup(request: Request, rt: RuntimeDep, username: Annotated[str, Form(max_length=150)],
          password: Annotated[str, Form(max_length=1024)],
          password2: Annotated[str, Form(max_length=1024)]) -> Response:
    if password != password2:
        return page(request, "setup.html", status_code=422, title="Welcome to albumen",
                    error="the two passwords differ", username=username)
    try:
        user = users.create_user(rt, username, password, admin=True, only_if_first=True,
                                 actor=Actor(ip=client_ip(request)))
    except AlbumenError as exc:
        return page(request, "setup.html", status_code=exc.status_code,
                    title="Welcome to albumen", error=exc.message, username=username)
    return _signed_in_redirect(rt, request, user, "/")


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, rt: RuntimeDep, who: MaybeUserDep,
               next: str | None = None) -> Response:
    if who is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    with rt.session() as session:
        if users.user_count(session) == 0:
            return RedirectResponse("/setup", status_code=303)
    return page(request, "login.html", title="Log in", next=_safe_next(next))


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, rt: RuntimeDep, username: Annotated[str, Form(max_length=150)],
          password: Annotated[str, Form(max_length=1024)],
          next: Annotated[str, Form(max_length=2000)] = "/") -> Response:
    try:
        user = check_login(rt, request, username, password)
    except AlbumenError as exc:
        return page(request, "login.html", status_code=exc.status_code, title="Log in",
                    error=exc.message, username=username, next=_safe_next(next))
    return _signed_in_redirect(rt, request, user, next)


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, rt: RuntimeDep, who: UserDep) -> Response:
    with rt.session() as session:
        user = users.get_user(session, who.user_id)
        keys = auth.list_api_keys(session, who.user_id)
        used = users.storage_used(session, who.user_id)
    return page(request, "account.html", who, title="Your account", nav="account", user=user,
                keys=keys, used=used)
