"""Dependencies injected into the routers: runtime, database session, who is calling."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.security import OAuth2PasswordBearer
from pydantic import BaseModel
from sqlalchemy.orm import Session

from albumen.accounts.audit import Actor
from albumen.accounts.auth import Principal, authenticate_token
from albumen.errors import Forbidden, Unauthorized
from albumen.runtime import Runtime
from albumen.security.secrets import same

SESSION_COOKIE = "albumen_session"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Declares the OAuth2 password flow in OpenAPI, so /docs has a working "Authorize" button.
_bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


async def get_rt(request: Request) -> Runtime:
    # async: a dependency this small is not worth a trip to the thread pool
    return request.app.state.runtime


RuntimeDep = Annotated[Runtime, Depends(get_rt)]


def get_session(rt: RuntimeDep) -> Iterator[Session]:
    with rt.session() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


TokenDep = Annotated[str | None, Depends(_bearer)]


def get_principal(request: Request, rt: RuntimeDep, token: TokenDep) -> Principal:
    """The caller, from a bearer token / API key, or from the web session cookie (then state
    changes also need the CSRF token in the X-CSRF-Token header)."""
    if token:
        principal = authenticate_token(rt, token, "token")
        if principal.api_key_id is not None:
            rt.local_limiter.hit(rt.settings.api_key_rate, f"key:{principal.api_key_id}",
                           what="requests with this API key")
    elif cookie := request.cookies.get(SESSION_COOKIE):
        principal = authenticate_token(rt, cookie, "cookie")
        if request.method not in SAFE_METHODS:
            sent = request.headers.get(CSRF_HEADER, "")
            if not sent or not principal.csrf_token or not same(sent, principal.csrf_token):
                raise Forbidden("missing or wrong CSRF token (send it in X-CSRF-Token)")
    else:
        raise Unauthorized("log in first: send 'Authorization: Bearer <token or API key>'")
    principal.require("read" if request.method in SAFE_METHODS else "write")
    request.state.principal = principal
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


async def read(request: Request, rt: Runtime, token: str | None,
               answer: Callable[[Session, Principal], BaseModel]) -> Response:
    """A read in one trip to the thread pool: who is calling, the session, the queries and the
    JSON, where the dependencies above take a trip each and FastAPI validates and dumps the
    answer on the event loop. Under upload load every trip waits for a busy loop (issue 21):
    the busiest reads (lists, search, the timeline) use this; their route keeps its
    ``response_model`` for OpenAPI."""

    def work() -> Response:
        principal = get_principal(request, rt, token)
        with rt.session() as session:
            model = answer(session, principal)
        return Response(model.model_dump_json(), media_type="application/json")

    return await run_in_threadpool(work)


def get_admin(principal: PrincipalDep) -> Principal:
    if not principal.admin:
        raise Forbidden("administrators only")
    return principal


AdminDep = Annotated[Principal, Depends(get_admin)]


def get_actor(request: Request, principal: PrincipalDep) -> Actor:
    return Actor(user_id=principal.user_id, ip=client_ip(request))


ActorDep = Annotated[Actor, Depends(get_actor)]
