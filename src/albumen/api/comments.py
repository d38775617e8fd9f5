"""Comments and reactions: /api/v1/assets/{id}/comments|reactions for members, and the same
under /api/v1/share/{token}/assets/{id}/… for guests when the event allows."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, Field

from albumen.api.common import guest_access
from albumen.api.deps import PrincipalDep, RuntimeDep, SessionDep, client_ip
from albumen.api.errors import ERRORS
from albumen.api.types import IdPath
from albumen.db.engagement import Comment
from albumen.events import comments as svc

router = APIRouter(prefix="/api/v1", tags=["comments"], responses=ERRORS)
guest_router = APIRouter(prefix="/api/v1/share/{token}", tags=["guests"], responses=ERRORS)
Kind = Annotated[Literal["like", "love", "laugh", "wow"], Path()]


class CommentIn(BaseModel):
    text: str = Field(min_length=1, max_length=svc.MAX_COMMENT)


class CommentOut(BaseModel):
    id: int
    asset_id: int
    author: str | None
    text: str
    sentiment: float | None = Field(description="VADER compound score, -1 .. +1")
    by_guest: bool
    created_at: datetime

    @classmethod
    def of(cls, c: Comment) -> CommentOut:
        return cls(id=c.id, asset_id=c.asset_id, author=c.author, text=c.text,
                   sentiment=c.sentiment, by_guest=c.guest_id is not None,
                   created_at=c.created_at)


class Reactions(BaseModel):
    counts: dict[str, int]
    mine: list[str]


def _member(request: Request, principal: PrincipalDep) -> svc.Who:
    return svc.Who(user_id=principal.user_id, ip=client_ip(request))


@router.get("/assets/{asset_id}/comments", response_model=list[CommentOut])
def comments(asset_id: IdPath, request: Request, principal: PrincipalDep,
             session: SessionDep) -> list[CommentOut]:
    return [CommentOut.of(c) for c in svc.list_comments(session, _member(request, principal),
                                                        asset_id)]


@router.post("/assets/{asset_id}/comments", response_model=CommentOut, status_code=201)
def comment(asset_id: IdPath, body: CommentIn, request: Request, principal: PrincipalDep,
            rt: RuntimeDep) -> CommentOut:
    return CommentOut.of(svc.add_comment(rt, _member(request, principal), asset_id, body.text))


@router.delete("/comments/{comment_id}", status_code=204,
               summary="Delete a comment (its author, the photo's owner or the event's hosts)")
def delete_comment(comment_id: IdPath, request: Request, principal: PrincipalDep,
                   rt: RuntimeDep) -> Response:
    svc.delete_comment(rt, _member(request, principal), comment_id)
    return Response(status_code=204)


@router.get("/assets/{asset_id}/reactions", response_model=Reactions)
def reactions(asset_id: IdPath, request: Request, principal: PrincipalDep,
              session: SessionDep) -> Reactions:
    return Reactions(**svc.reactions(session, _member(request, principal), asset_id))


@router.put("/assets/{asset_id}/reactions/{kind}", status_code=204)
def react(asset_id: IdPath, kind: Kind, request: Request, principal: PrincipalDep,
          rt: RuntimeDep) -> Response:
    svc.react(rt, _member(request, principal), asset_id, kind)
    return Response(status_code=204)


@router.delete("/assets/{asset_id}/reactions/{kind}", status_code=204)
def unreact(asset_id: IdPath, kind: Kind, request: Request, principal: PrincipalDep,
            rt: RuntimeDep) -> Response:
    svc.react(rt, _member(request, principal), asset_id, kind, on=False)
    return Response(status_code=204)


# --- guests ---------------------------------------------------------------------------------

def _guest(rt: RuntimeDep, request: Request, token: str) -> svc.Who:
    return svc.Who(guest=guest_access(rt, request, token), ip=client_ip(request))


@guest_router.get("/assets/{asset_id}/comments", response_model=list[CommentOut])
def guest_comments(token: str, asset_id: IdPath, request: Request, rt: RuntimeDep,
                   session: SessionDep) -> list[CommentOut]:
    return [CommentOut.of(c) for c in svc.list_comments(session, _guest(rt, request, token),
                                                        asset_id)]


@guest_router.post("/assets/{asset_id}/comments", response_model=CommentOut, status_code=201,
                   summary="Comment as a guest (say who you are first: PUT …/guest)")
def guest_comment(token: str, asset_id: IdPath, body: CommentIn, request: Request,
                  rt: RuntimeDep) -> CommentOut:
    return CommentOut.of(svc.add_comment(rt, _guest(rt, request, token), asset_id, body.text))


@guest_router.delete("/comments/{comment_id}", status_code=204,
                     summary="Delete one of your own comments")
def guest_delete_comment(token: str, comment_id: IdPath, request: Request,
                         rt: RuntimeDep) -> Response:
    svc.delete_comment(rt, _guest(rt, request, token), comment_id)
    return Response(status_code=204)


@guest_router.get("/assets/{asset_id}/reactions", response_model=Reactions)
def guest_reactions(token: str, asset_id: IdPath, request: Request, rt: RuntimeDep,
                    session: SessionDep) -> Reactions:
    return Reactions(**svc.reactions(session, _guest(rt, request, token), asset_id))


@guest_router.put("/assets/{asset_id}/reactions/{kind}", status_code=204)
def guest_react(token: str, asset_id: IdPath, kind: Kind, request: Request,
                rt: RuntimeDep) -> Response:
    svc.react(rt, _guest(rt, request, token), asset_id, kind)
    return Response(status_code=204)


@guest_router.delete("/assets/{asset_id}/reactions/{kind}", status_code=204)
def guest_unreact(token: str, asset_id: IdPath, kind: Kind, request: Request,
                  rt: RuntimeDep) -> Response:
    svc.react(rt, _guest(rt, request, token), asset_id, kind, on=False)
    return Response(status_code=204)
