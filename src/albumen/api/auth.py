"""/api/v1/setup, /api/v1/auth/*, /api/v1/api-keys: first run, logins, tokens, API keys."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, Field

from albumen.accounts import auth, users
from albumen.accounts.audit import Actor
from albumen.api.deps import (
    SESSION_COOKIE,
    ActorDep,
    PrincipalDep,
    RuntimeDep,
    SessionDep,
    client_ip,
)
from albumen.api.errors import ERRORS
from albumen.api.types import IdPath
from albumen.db.models import ApiKey, User
from albumen.errors import Unauthorized
from albumen.runtime import Runtime
from albumen.security.passwords import verify_password

router = APIRouter(prefix="/api/v1", tags=["auth"], responses=ERRORS)


class UserOut(BaseModel):
    id: int
    username: str
    display_name: str | None
    is_admin: bool
    is_active: bool
    quota_bytes: int | None
    created_at: datetime

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(id=user.id, username=user.username, display_name=user.display_name,
                   is_admin=user.is_admin, is_active=user.is_active,
                   quota_bytes=user.quota_bytes, created_at=user.created_at)


class Credentials(BaseModel):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=1024)


class SetupState(BaseModel):
    needed: bool


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int
    refresh_token: str | None = None


class RefreshIn(BaseModel):
    refresh_token: str = Field(min_length=1, max_length=200)


class WebLogin(BaseModel):
    user: UserOut
    csrf_token: str


class Me(BaseModel):
    user: UserOut
    via: str
    scopes: list[str]
    storage_used_bytes: int


class PasswordChange(BaseModel):
    current_password: str = Field(max_length=1024)
    new_password: str = Field(max_length=1024)


class ApiKeyIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    scopes: list[str] = Field(default_factory=lambda: ["read", "write"])
    expires_days: int | None = Field(default=None, ge=1, le=3650)


class ApiKeyOut(BaseModel):
    id: int
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, key: ApiKey) -> ApiKeyOut:
        return cls(id=key.id, name=key.name, prefix=key.prefix, scopes=key.scopes,
                   created_at=key.created_at, expires_at=key.expires_at,
                   last_used_at=key.last_used_at, revoked_at=key.revoked_at)


class NewApiKey(ApiKeyOut):
    secret: str = Field(description="shown once; send it as 'Authorization: Bearer <secret>'")


@router.get("/setup", response_model=SetupState, tags=["setup"])
def setup_state(session: SessionDep) -> SetupState:
    return SetupState(needed=users.user_count(session) == 0)


@router.post("/setup", response_model=UserOut, status_code=201, tags=["setup"],
             summary="First run: create the administrator (only while no user exists)")
def setup(body: Credentials, request: Request, rt: RuntimeDep) -> UserOut:
    user = users.create_user(rt, body.username, body.password, admin=True, only_if_first=True,
                             actor=Actor(ip=client_ip(request)))
    return UserOut.of(user)


def check_login(rt: Runtime, request: Request, username: str, password: str) -> User:
    """Every try counts against the account and the address before the password is checked
    (so parallel guesses cannot overshoot); a success clears the account's count and gives
    back its own hit on the address, whose failures stay counted."""
    ip = client_ip(request) or "?"
    account, address = f"login-user:{username.lower()}", f"login-ip:{ip}"
    settings = rt.settings
    rt.limiter.hit(settings.login_address_rate, address, what="login attempts from here")
    rt.limiter.hit(settings.login_rate, account, what="login attempts for this account")
    user = auth.authenticate_password(rt, username, password, Actor(ip=ip))
    rt.limiter.clear(settings.login_rate, account)
    rt.limiter.give_back(settings.login_address_rate, address)
    return user


@router.post("/auth/token", response_model=TokenOut,
             summary="OAuth2 password flow: a bearer access token and a refresh token")
def token(form: Annotated[OAuth2PasswordRequestForm, Depends()], request: Request,
          rt: RuntimeDep) -> TokenOut:
    user = check_login(rt, request, form.username, form.password)
    tokens = auth.start_session(rt, user, "api", Actor(user.id, ip=client_ip(request)),
                                request.headers.get("user-agent"))
    return TokenOut(access_token=tokens.access_token, expires_in=tokens.expires_in,
                    refresh_token=tokens.refresh_token)


@router.post("/auth/refresh", response_model=TokenOut,
             summary="New token pair for a refresh token (each refresh token works once)")
def refresh(body: RefreshIn, request: Request, rt: RuntimeDep) -> TokenOut:
    tokens = auth.refresh_session(rt, body.refresh_token, Actor(ip=client_ip(request)))
    return TokenOut(access_token=tokens.access_token, expires_in=tokens.expires_in,
                    refresh_token=tokens.refresh_token)


def secure_cookies(rt: Runtime, request: Request) -> bool:
    mode = rt.settings.cookie_secure
    return mode == "always" or (mode == "auto" and request.url.scheme == "https")


@router.post("/auth/login", response_model=WebLogin,
             summary="Web login: sets an HttpOnly session cookie; send csrf_token as "
                     "X-CSRF-Token on state-changing requests")
def login(body: Credentials, request: Request, response: Response, rt: RuntimeDep) -> WebLogin:
    user = check_login(rt, request, body.username, body.password)
    tokens = start_web_session(rt, request, response, user)
    return WebLogin(user=UserOut.of(user), csrf_token=tokens.csrf_token or "")


def start_web_session(rt: Runtime, request: Request, response: Response,
                      user: User) -> auth.Tokens:
    """A browser session: the HttpOnly cookie on ``response`` (the API login and the web
    app's login page both use it)."""
    tokens = auth.start_session(rt, user, "web", Actor(user.id, ip=client_ip(request)),
                                request.headers.get("user-agent"))
    response.set_cookie(SESSION_COOKIE, tokens.access_token, max_age=tokens.expires_in,
                        httponly=True, samesite="lax", secure=secure_cookies(rt, request),
                        path="/")
    return tokens


@router.post("/auth/logout", status_code=204, summary="End this session (token or cookie)")
def logout(principal: PrincipalDep, actor: ActorDep, response: Response,
           rt: RuntimeDep) -> Response:
    if principal.session_id is None:
        raise Unauthorized("API keys are revoked with DELETE /api/v1/api-keys/{id}")
    auth.end_session(rt, principal.session_id, actor)
    response.status_code = 204
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/auth/me", response_model=Me)
def me(principal: PrincipalDep, session: SessionDep) -> Me:
    user = users.get_user(session, principal.user_id)
    return Me(user=UserOut.of(user), via=principal.via, scopes=sorted(principal.scopes),
              storage_used_bytes=users.storage_used(session, user.id))


@router.post("/auth/password", status_code=204,
             summary="Change your password (ends all your sessions, this one too)")
def change_password(body: PasswordChange, principal: PrincipalDep, actor: ActorDep,
                    rt: RuntimeDep) -> Response:
    with rt.session() as session:
        stored = users.get_user(session, principal.user_id).password_hash
    if not verify_password(stored, body.current_password):
        raise Unauthorized("current password is wrong")
    users.set_password(rt, principal.user_id, body.new_password, actor)
    return Response(status_code=204)


@router.get("/api-keys", response_model=list[ApiKeyOut], tags=["api keys"])
def list_keys(principal: PrincipalDep, session: SessionDep) -> list[ApiKeyOut]:
    return [ApiKeyOut.of(k) for k in auth.list_api_keys(session, principal.user_id)]


@router.post("/api-keys", response_model=NewApiKey, status_code=201, tags=["api keys"])
def create_key(body: ApiKeyIn, principal: PrincipalDep, actor: ActorDep,
               rt: RuntimeDep) -> NewApiKey:
    key, secret = auth.create_api_key(rt, principal, body.name, body.scopes, body.expires_days,
                                      actor)
    return NewApiKey(**ApiKeyOut.of(key).model_dump(), secret=secret)


@router.delete("/api-keys/{key_id}", status_code=204, tags=["api keys"])
def revoke_key(key_id: IdPath, principal: PrincipalDep, actor: ActorDep,
               rt: RuntimeDep) -> Response:
    auth.revoke_api_key(rt, principal.user_id, key_id, actor)
    return Response(status_code=204)
