"""/api/v1/status: processing counts, queue depth, workers, failures."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from albumen.api.deps import PrincipalDep, RuntimeDep
from albumen.services.status import processing_status

router = APIRouter(prefix="/api/v1", tags=["status"])


@router.get("/status", summary="Processing status: the whole instance for administrators, "
                               "your own assets otherwise")
def status(rt: RuntimeDep, principal: PrincipalDep) -> dict[str, Any]:
    return processing_status(rt, owner_id=None if principal.admin else principal.user_id)
