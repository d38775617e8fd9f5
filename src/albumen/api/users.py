"""/api/v1/users and /api/v1/audit: account administration (administrators only)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from albumen.accounts import audit, users
from albumen.accounts.audit import Actor
from albumen.api.auth import Credentials, UserOut
from albumen.api.deps import AdminDep, RuntimeDep, SessionDep, client_ip
from albumen.api.errors import ERRORS
from albumen.api.types import Bytes, IdPath, IdQuery

router = APIRouter(prefix="/api/v1", tags=["users"], responses=ERRORS)


class NewUser(Credentials):
    admin: bool = False
    display_name: str | None = Field(default=None, max_length=200)
    quota_bytes: Bytes | None = None


class UserPatch(BaseModel):
    is_active: bool | None = None
    is_admin: bool | None = None
    quota_bytes: Bytes | None = None
    display_name: str | None = Field(default=None, max_length=200)


class PasswordReset(BaseModel):
    password: str = Field(max_length=1024)


class AuditOut(BaseModel):
    id: int
    at: datetime
    action: str
    actor_user_id: int | None
    actor_guest_id: int | None
    ip: str | None
    target_type: str | None
    target_id: int | None
    details: dict[str, Any] | None


def _actor(admin: AdminDep, request: Request) -> Actor:
    return Actor(admin.user_id, ip=client_ip(request))


@router.get("/users", response_model=list[UserOut])
def list_users(_: AdminDep, session: SessionDep) -> list[UserOut]:
    return [UserOut.of(u) for u in users.list_users(session)]


@router.post("/users", response_model=UserOut, status_code=201)
def create_user(body: NewUser, admin: AdminDep, request: Request, rt: RuntimeDep) -> UserOut:
    user = users.create_user(rt, body.username, body.password, admin=body.admin,
                             display_name=body.display_name, quota_bytes=body.quota_bytes,
                             actor=_actor(admin, request))
    return UserOut.of(user)


@router.patch("/users/{user_id}", response_model=UserOut)
def update_user(user_id: IdPath, body: UserPatch, admin: AdminDep, request: Request,
                rt: RuntimeDep) -> UserOut:
    actor = _actor(admin, request)
    fields = body.model_fields_set
    user = users.update_user(
        rt, user_id, admin=body.is_admin, display_name=body.display_name, actor=actor,
        quota_bytes=body.quota_bytes if "quota_bytes" in fields else ...,
    )
    if body.is_active is not None and body.is_active != user.is_active:
        user = users.set_active(rt, user_id, body.is_active, actor)
    return UserOut.of(user)


@router.post("/users/{user_id}/password", status_code=204,
             summary="Set a user's password (ends their sessions)")
def reset_password(user_id: IdPath, body: PasswordReset, admin: AdminDep, request: Request,
                   rt: RuntimeDep) -> Response:
    users.set_password(rt, user_id, body.password, _actor(admin, request))
    return Response(status_code=204)


@router.get("/audit", response_model=list[AuditOut], tags=["audit"])
def audit_log(
    _: AdminDep, session: SessionDep,
    action: Annotated[str | None, Query(max_length=64)] = None,
    user_id: IdQuery = None,
    since: datetime | None = None,
    before_id: IdQuery = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[AuditOut]:
    rows = audit.query(session, action=action, user_id=user_id, since=since,
                       before_id=before_id, limit=limit)
    return [AuditOut.model_validate(r, from_attributes=True) for r in rows]
