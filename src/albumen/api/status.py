"""/api/v1/status: processing counts, queue depth, workers, failures; retrying failures."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from albumen.api.deps import AdminDep, PrincipalDep, RuntimeDep
from albumen.api.errors import ERRORS
from albumen.api.types import Id
from albumen.library.status import failed_asset_ids, processing_status

router = APIRouter(prefix="/api/v1", tags=["status"])


class RetryIn(BaseModel):
    asset_ids: list[Id] | None = Field(
        default=None, max_length=10000,
        description="the assets to process again (all their stages); empty: every failed one")
    may_pass_only: bool = Field(
        default=False,
        description="with no asset_ids: only the failed assets whose failures may pass (the "
                    "worker died, storage or the database was away); a file refused for good "
                    "fails again until albumen changes")


class Queued(BaseModel):
    queued: int = Field(description="assets queued for processing")


@router.get("/status", summary="Processing status: the whole instance for administrators, "
                               "your own assets otherwise")
def status(rt: RuntimeDep, principal: PrincipalDep) -> dict[str, Any]:
    return processing_status(rt, owner_id=None if principal.admin else principal.user_id)


@router.post("/status/retry", response_model=Queued, responses=ERRORS,
             summary="Process assets again: the given ones, or every failed one "
                     "(administrators)")
def retry(_: AdminDep, rt: RuntimeDep, body: RetryIn | None = None) -> Queued:
    # The same as `albumen reprocess --failed`: reset the stages, then queue what is pending.
    from albumen.library.requeue import reset_stages
    from albumen.operations.reconciler import reconcile

    ids = body.asset_ids if body is not None else None
    if not ids:
        with rt.session() as session:
            ids = failed_asset_ids(session, may_pass_only=body is not None and body.may_pass_only)
    if not ids:
        return Queued(queued=0)
    reset_stages(rt, ids, None)
    return Queued(queued=reconcile(rt))
